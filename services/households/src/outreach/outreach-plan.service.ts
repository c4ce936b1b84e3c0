import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { queryFirst, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import type { OutreachPlanRow } from './outreach.entity.js';
import type { UpdateOutreachPlanInput } from './outreach.inputs.js';
import { OutreachPlan } from './outreach.model.js';

const COLUMNS = `p.tier, p.visits_per_month AS "visitsPerMonth", p.actions, p.description, p.version,
  p.updated_by AS "updatedBy", p.updated_at AS "updatedAt"`;
const MAX_VISITS = 31;
const MAX_ACTIONS = 10;
const MAX_ACTION_LENGTH = 100;
const MAX_DESCRIPTION_LENGTH = 500;

/** The outreach plan of each lower tier (帮扶方案): data a district manager edits, not code. */
@Injectable()
export class OutreachPlanService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Both plans, the UNQUALIFIED tier first. */
  async list(): Promise<OutreachPlan[]> {
    const rows = await queryRows<OutreachPlanRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM outreach_plan p ORDER BY p.tier = 'UNQUALIFIED' DESC, p.tier`,
    );
    return rows.map((row) => OutreachPlan.from(row));
  }

  /** For per-request loaders: the plans of `tiers`, in that order. */
  async findByTiers(tiers: readonly string[]): Promise<(OutreachPlan | null)[]> {
    const rows = await queryRows<OutreachPlanRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM outreach_plan p WHERE p.tier = ANY($1::text[])`,
      [tiers],
    );
    const byTier = new Map(rows.map((row) => [row.tier as string, OutreachPlan.from(row)]));
    return tiers.map((tier) => byTier.get(tier) ?? null);
  }

  async update(caller: Caller, input: UpdateOutreachPlanInput): Promise<OutreachPlan> {
    if (!Number.isInteger(input.visitsPerMonth) || input.visitsPerMonth < 1 || input.visitsPerMonth > MAX_VISITS) {
      throw DomainError.badInput(`visitsPerMonth must be 1–${MAX_VISITS}`, 'INVALID_VISITS_PER_MONTH');
    }
    const actions = input.actions.map((action) => action.trim());
    if (actions.length === 0 || actions.length > MAX_ACTIONS || actions.some((a) => a.length === 0 || a.length > MAX_ACTION_LENGTH)) {
      throw DomainError.badInput(`actions must be 1–${MAX_ACTIONS} entries of 1–${MAX_ACTION_LENGTH} characters`, 'INVALID_ACTIONS');
    }
    const description = input.description.trim();
    if (description.length === 0 || description.length > MAX_DESCRIPTION_LENGTH) {
      throw DomainError.badInput(`description must be 1–${MAX_DESCRIPTION_LENGTH} characters`, 'INVALID_DESCRIPTION');
    }
    const updated = await queryFirst<OutreachPlanRow>(
      this.dataSource,
      `UPDATE outreach_plan p
          SET visits_per_month = $2, actions = $3::text[], description = $4, version = p.version + 1, updated_by = $5, updated_at = now()
        WHERE p.tier = $1 AND ($6::int IS NULL OR p.version = $6)
        RETURNING ${COLUMNS}`,
      [input.tier, input.visitsPerMonth, actions, description, caller.userId, input.expectedVersion ?? null],
    );
    if (!updated) {
      const [current] = await this.findByTiers([input.tier]);
      if (!current) throw DomainError.notFound('OutreachPlan', input.tier);
      throw DomainError.conflict('The plan was changed since you read it', 'STALE_VERSION', { version: current.version });
    }
    return OutreachPlan.from(updated);
  }
}
