import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Caller } from '#libs/auth';
import { SqlParams, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, fetchKeysetPagesByGroup, type ConnectionShape } from '#libs/pagination';
import { Territory } from '#libs/territory';
import { CampaignKind, CampaignState, type WasteStream } from './campaign-enums.js';
import type { CampaignJointActionsArgs, CampaignTargetsInput, CampaignsArgs, CreateCampaignInput } from './campaign.inputs.js';
import { campaignFigures, CampaignReport, type StoredCampaignReport } from './campaign-report.js';
import { actionOverlapsUnit, jointActionList, toJointActions } from '../joint-actions/joint-action.service.js';
import type { JointAction } from '../joint-actions/joint-action.models.js';
import { Campaign } from './campaign.model.js';

const COLUMNS = `c.id, c.kind, c.name, c.state, c.starts_on AS "startsOn", c.ends_on AS "endsOn",
  c.target_unit_ids::text[] AS "targetUnitIds", c.bureau_ids::text[] AS "bureauIds", c.lead_bureau_id AS "leadBureauId",
  c.waste_streams AS "wasteStreams", c.goal_pass_rate::float8 AS "goalPassRate", c.required_actions AS "requiredActions",
  c.created_by AS "createdBy", c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

/** A campaign as COLUMNS reads it. */
export interface CampaignRow {
  id: string;
  kind: CampaignKind;
  name: string;
  state: CampaignState;
  /** Calendar dates in Asia/Shanghai, inclusive. */
  startsOn: string;
  endsOn: string;
  targetUnitIds: string[];
  bureauIds: string[];
  leadBureauId: string | null;
  wasteStreams: WasteStream[];
  goalPassRate: number | null;
  requiredActions: number;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}
const MAX_NAME_LENGTH = 100;

/** SQL: the campaign covers `$unit`, something inside it, or something containing it (`$unitPath` is its path). */
const overlaps = (unit: string, unitPath: string) =>
  `EXISTS (SELECT 1 FROM territory_unit t WHERE t.id = ANY(c.target_unit_ids)
             AND (t.path @> ARRAY[${unit}::uuid] OR ${unitPath}::uuid[] @> ARRAY[t.id]))`;

@Injectable()
export class CampaignService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  async get(caller: Caller, id: string): Promise<Campaign> {
    const row = await queryFirst<CampaignRow>(this.dataSource, `SELECT ${COLUMNS} FROM campaign c WHERE c.id = $1`, [id]);
    if (!row) throw DomainError.notFound('Campaign', id);
    if (caller.orgUnitId) {
      const scope = await this.territory.find(caller.orgUnitId);
      const visible = await queryFirst<{ visible: number }>(
        this.dataSource,
        `SELECT 1 AS visible FROM campaign c WHERE c.id = $1 AND ${overlaps('$2', '$3')}`,
        [id, caller.orgUnitId, scope?.path ?? []],
      );
      if (!visible) throw DomainError.forbidden('That campaign does not concern your territory', 'OUT_OF_SCOPE');
    }
    return Campaign.from(row);
  }

  /** For entity references: the campaigns among `ids` that concern the caller's territory, in `ids` order. */
  async findVisible(caller: Caller, ids: readonly string[]): Promise<(Campaign | null)[]> {
    const params = new SqlParams();
    const where = [`c.id = ANY(${params.add(ids)}::uuid[])`];
    if (caller.orgUnitId) {
      const scope = await this.territory.find(caller.orgUnitId);
      where.push(overlaps(params.add(caller.orgUnitId), params.add(scope?.path ?? [])));
    }
    const rows = await queryRows<CampaignRow>(
      this.dataSource,
      `SELECT ${COLUMNS} FROM campaign c WHERE ${where.join(' AND ')}`,
      params.values,
    );
    const byId = new Map(rows.map((row) => [row.id, Campaign.from(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Campaigns that concern the caller's territory, by start date. */
  async list(caller: Caller, args: CampaignsArgs): Promise<ConnectionShape<Campaign>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (caller.orgUnitId) {
      const scope = await this.territory.find(caller.orgUnitId);
      where.push(overlaps(params.add(caller.orgUnitId), params.add(scope?.path ?? [])));
    }
    if (args.orgUnitId) {
      const unit = await this.territory.requireInScope(caller, args.orgUnitId);
      where.push(overlaps(params.add(unit.id), params.add(unit.path)));
    }
    if (args.kind) where.push(`c.kind = ${params.add(args.kind)}`);
    if (args.state) where.push(`c.state = ${params.add(args.state)}`);
    return fetchKeysetPage<CampaignRow, Campaign>(
      this.dataSource,
      args,
      { select: COLUMNS, from: 'campaign c', where, params, orderBy: ['c.starts_on', 'c.id'], keyOf: (row) => [row.startsOn, row.id] },
      (rows) => rows.map((row) => Campaign.from(row)),
    );
  }

  /** A new campaign starts as a DRAFT over units inside the caller's territory. */
  async create(caller: Caller, input: CreateCampaignInput): Promise<Campaign> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
      throw DomainError.badInput(`name must be 1–${MAX_NAME_LENGTH} characters`, 'INVALID_NAME');
    }
    if (input.endsOn < input.startsOn) {
      throw DomainError.badInput('endsOn is before startsOn', 'ENDS_BEFORE_START', { startsOn: input.startsOn, endsOn: input.endsOn });
    }
    const own = checkTargets(input.kind, {
      wasteStreams: input.wasteStreams ?? [],
      goalPassRate: input.goalPassRate ?? null,
      requiredActions: input.requiredActions ?? 1,
    });
    const targets = [...new Set(input.targetUnitIds)];
    if (targets.length === 0) throw DomainError.badInput('A campaign needs at least one target unit', 'NO_TARGET');
    const bureaus = [...new Set(input.participatingBureauIds)];
    if (input.leadBureauId && !bureaus.includes(input.leadBureauId)) {
      throw DomainError.badInput('The lead bureau must be one of the participating bureaus', 'LEAD_NOT_PARTICIPATING');
    }
    if (bureaus.length > 0) {
      const found = await queryRows<{ id: string; kind: string }>(
        this.dataSource,
        `SELECT id::text, kind FROM institution_copy WHERE id = ANY($1::uuid[])`,
        [bureaus],
      );
      for (const id of bureaus) {
        const institution = found.find((i) => i.id === id);
        if (!institution) throw DomainError.notFound('Institution', id);
        if (institution.kind !== 'DEPARTMENT') {
          throw DomainError.badInput('Participating bureaus must be functional departments (DEPARTMENT)', 'NOT_A_BUREAU', {
            institutionId: id,
          });
        }
      }
    }
    const units = await this.territory.findMany(targets);
    for (const id of targets) {
      const unit = units.find((u) => u.id === id);
      if (!unit) throw DomainError.notFound('OrgUnit', id);
      if (caller.orgUnitId && !unit.path.includes(caller.orgUnitId)) {
        throw DomainError.forbidden(`${unit.name} is outside your territory`, 'OUT_OF_SCOPE');
      }
    }
    const row = await queryOne<CampaignRow>(
      this.dataSource,
      `INSERT INTO campaign AS c (kind, name, state, starts_on, ends_on, target_unit_ids, bureau_ids, lead_bureau_id, created_by,
                                  waste_streams, goal_pass_rate, required_actions)
       VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7::uuid[], $8, $9, $10::text[], $11, $12)
       RETURNING ${COLUMNS}`,
      [
        input.kind,
        name,
        CampaignState.DRAFT,
        input.startsOn,
        input.endsOn,
        targets,
        bureaus,
        input.leadBureauId ?? null,
        caller.userId,
        own.wasteStreams,
        own.goalPassRate,
        own.requiredActions,
      ],
    );
    return Campaign.from(row);
  }

  /**
   * Moves a campaign one step along DRAFT → SCHEDULED → ACTIVE → COMPLETED → REPORTED; anything else is refused
   * (CONFLICT INVALID_TRANSITION). The state is compared in the UPDATE, so two concurrent moves cannot both win.
   */
  async changeState(caller: Caller, id: string, to: CampaignState): Promise<Campaign> {
    const current = await this.requireChangeable(caller, id);
    const from = CAMPAIGN_TRANSITIONS.find(([, next]) => next === to)?.[0];
    if (from === undefined || current.state !== from) {
      throw DomainError.conflict(`A ${current.state} campaign cannot become ${to}`, 'INVALID_TRANSITION', { from: current.state, to });
    }
    // Reporting freezes the figures as they are now, in the same statement as the move.
    const report = to === CampaignState.REPORTED ? (await campaignFigures(this.dataSource, [id]))[0] : null;
    const row = await queryFirst<CampaignRow>(
      this.dataSource,
      `UPDATE campaign AS c SET state = $3, report = $4::jsonb, reported_at = CASE WHEN $4::jsonb IS NULL THEN NULL ELSE now() END, updated_at = now()
        WHERE c.id = $1 AND c.state = $2 RETURNING ${COLUMNS}`,
      [id, from, to, report ? JSON.stringify({ ...report, reportedAt: new Date().toISOString() }) : null],
    );
    if (!row) throw DomainError.conflict('The campaign changed meanwhile', 'INVALID_TRANSITION', { to });
    return Campaign.from(row);
  }

  /** Sets a campaign's own targets (streams, goal, the quarterly rule) until it is COMPLETED. */
  async setTargets(caller: Caller, id: string, input: CampaignTargetsInput): Promise<Campaign> {
    const current = await this.requireChangeable(caller, id);
    const own = checkTargets(current.kind, {
      wasteStreams: input.wasteStreams,
      goalPassRate: input.goalPassRate ?? null,
      requiredActions: input.requiredActions,
    });
    const row = await queryFirst<CampaignRow>(
      this.dataSource,
      `UPDATE campaign AS c SET waste_streams = $2::text[], goal_pass_rate = $3, required_actions = $4, updated_at = now()
        WHERE c.id = $1 AND c.state NOT IN ('COMPLETED', 'REPORTED') RETURNING ${COLUMNS}`,
      [id, own.wasteStreams, own.goalPassRate, own.requiredActions],
    );
    if (!row) throw DomainError.conflict(`A ${current.state} campaign's targets are final`, 'CAMPAIGN_CLOSED', { state: current.state });
    return Campaign.from(row);
  }

  /** Reports of many campaigns, in `campaigns` order: the frozen one once REPORTED, live figures before. */
  async reports(ids: readonly string[]): Promise<(CampaignReport | null)[]> {
    const rows = await queryRows<{ id: string; report: StoredCampaignReport | null; goalPassRate: number | null }>(
      this.dataSource,
      `SELECT id::text, report, goal_pass_rate::float8 AS "goalPassRate" FROM campaign WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const live = rows.filter((row) => !row.report).map((row) => row.id);
    const figures = live.length > 0 ? await campaignFigures(this.dataSource, live) : [];
    const liveById = new Map(live.map((id, index) => [id, figures[index]]));
    const byId = new Map(rows.map((row) => [row.id, CampaignReport.from(row.report ?? liveById.get(row.id)!, row.goalPassRate)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Each campaign's joint actions the caller may see (as `jointActions` shows them), by start time, one statement per page. */
  async jointActionsOf(
    caller: Caller,
    campaignIds: readonly string[],
    args: CampaignJointActionsArgs,
  ): Promise<ConnectionShape<JointAction>[]> {
    const params = new SqlParams();
    const where = [`a.campaign_id = ANY(${params.add(campaignIds)}::uuid[])`];
    if (caller.orgUnitId) {
      const scope = await this.territory.find(caller.orgUnitId);
      where.push(actionOverlapsUnit(params.add(caller.orgUnitId), params.add(scope?.path ?? [])));
    }
    if (args.status) where.push(`a.status = ${params.add(args.status)}`);
    return fetchKeysetPagesByGroup(
      this.dataSource,
      args,
      campaignIds,
      { ...jointActionList(where, params), groupBy: 'a.campaign_id' },
      toJointActions,
    );
  }

  /** The campaign, provided all its units lie inside the caller's territory. */
  private async requireChangeable(caller: Caller, id: string): Promise<Campaign> {
    const current = await this.get(caller, id);
    const units = await this.territory.findMany(current.targetUnits.map((u) => u.id));
    if (caller.orgUnitId && units.some((unit) => !unit.path.includes(caller.orgUnitId!))) {
      throw DomainError.forbidden('That campaign reaches outside your territory', 'OUT_OF_SCOPE');
    }
    return current;
  }
}

interface OwnTargets {
  wasteStreams: string[];
  goalPassRate: number | null;
  requiredActions: number;
}

function checkTargets(kind: CampaignKind, targets: OwnTargets): OwnTargets {
  const { goalPassRate, requiredActions } = targets;
  if (goalPassRate !== null && !(goalPassRate > 0 && goalPassRate <= 1)) {
    throw DomainError.badInput('goalPassRate must be above 0 and at most 1', 'INVALID_GOAL', { goalPassRate });
  }
  if (!Number.isInteger(requiredActions) || requiredActions < 1 || requiredActions > 20) {
    throw DomainError.badInput('requiredActions must be 1–20', 'INVALID_REQUIRED_ACTIONS', { requiredActions });
  }
  if (kind !== CampaignKind.QUARTERLY_JOINT_ACTION && requiredActions !== 1) {
    throw DomainError.badInput('Only quarterly joint-action campaigns set a number of actions per street', 'NOT_A_QUARTERLY_CAMPAIGN');
  }
  return { ...targets, wasteStreams: [...new Set(targets.wasteStreams)].sort() };
}

/** The only moves a campaign makes, one step at a time. */
export const CAMPAIGN_TRANSITIONS: readonly (readonly [CampaignState, CampaignState])[] = [
  [CampaignState.DRAFT, CampaignState.SCHEDULED],
  [CampaignState.SCHEDULED, CampaignState.ACTIVE],
  [CampaignState.ACTIVE, CampaignState.COMPLETED],
  [CampaignState.COMPLETED, CampaignState.REPORTED],
];
