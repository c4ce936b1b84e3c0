import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { canSeeHousehold, type Caller } from '#libs/auth';
import { SqlParams, queryFirst, queryOne } from '#libs/database';
import { DomainError } from '#libs/errors';
import { Idempotency } from '#libs/idempotency';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { HouseholdClaimService } from './household-claim.service.js';
import type { FollowUpVisitRow } from './outreach.entity.js';
import type { FollowUpVisitsArgs, RecordFollowUpVisitInput } from './outreach.inputs.js';
import { FollowUpVisit } from './outreach.model.js';

const COLUMNS = `v.id, v.claim_id AS "claimId", v.visited_at AS "visitedAt", v.visited_at::text AS "visitedAtKey", v.outcome, v.note,
  v.recorded_by AS "recordedBy", v.created_at AS "createdAt"`;
const MAX_NOTE_LENGTH = 500;
/** Phones' clocks run a little fast: a visit "in the future" by less than this is taken as made now. */
const CLOCK_SKEW_MS = 2 * 60_000;

/** Follow-up visits (入户回访) under a claim, recorded from phones by the claimant or a community secretary. */
@Injectable()
export class FollowUpVisitService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly claims: HouseholdClaimService,
    private readonly idempotency: Idempotency,
  ) {}

  async record(caller: Caller, input: RecordFollowUpVisitInput, idempotencyKey: string): Promise<FollowUpVisit> {
    const visitedAt = input.visitedAt;
    if (!(visitedAt instanceof Date) || Number.isNaN(visitedAt.getTime())) {
      throw DomainError.badInput('visitedAt must be a date and time', 'INVALID_VISITED_AT');
    }
    if (visitedAt.getTime() > Date.now() + CLOCK_SKEW_MS) {
      throw DomainError.badInput('visitedAt is in the future', 'VISIT_IN_FUTURE');
    }
    const note = input.note?.trim() || null;
    if (note && note.length > MAX_NOTE_LENGTH) {
      throw DomainError.badInput(`note must be at most ${MAX_NOTE_LENGTH} characters`, 'INVALID_NOTE');
    }
    const request = { claimId: input.claimId, visitedAt: visitedAt.toISOString(), outcome: input.outcome, note };
    const { id } = await this.idempotency.run(caller, idempotencyKey, 'recordFollowUpVisit', request, async (manager) => {
      const claim = await this.claims.lockForAction(manager, caller, input.claimId, 'SHARE');
      if (visitedAt < claim.claimedAt) {
        throw DomainError.badInput('visitedAt is before the household was claimed', 'VISIT_BEFORE_CLAIM');
      }
      const visit = await queryOne<{ id: string }>(
        manager,
        `INSERT INTO follow_up_visit (claim_id, visited_at, outcome, note, recorded_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [claim.id, visitedAt, input.outcome, note, caller.userId],
      );
      return { id: visit.id };
    });
    return this.get(caller, id);
  }

  async get(caller: Caller, id: string): Promise<FollowUpVisit> {
    const row = await queryFirst<FollowUpVisitRow & { householdId: string; path: string[] }>(
      this.dataSource,
      `SELECT ${COLUMNS}, c.household_id AS "householdId", t.path::text[] AS path
         FROM follow_up_visit v JOIN household_claim c ON c.id = v.claim_id
         JOIN household h ON h.id = c.household_id JOIN territory_unit t ON t.id = h.compound_id
        WHERE v.id = $1`,
      [id],
    );
    if (!row) throw DomainError.notFound('FollowUpVisit', id);
    if (!canSeeHousehold(caller, row.householdId, row.path)) {
      throw DomainError.forbidden('That household is outside your territory', 'OUT_OF_SCOPE');
    }
    return FollowUpVisit.from(row);
  }

  /** The visits of one claim the caller may see, in the order they took place. */
  async list(caller: Caller, args: FollowUpVisitsArgs): Promise<ConnectionShape<FollowUpVisit>> {
    await this.claims.get(caller, args.claimId);
    const params = new SqlParams();
    return fetchKeysetPage<FollowUpVisitRow, FollowUpVisit>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'follow_up_visit v',
        where: [`v.claim_id = ${params.add(args.claimId)}`],
        params,
        orderBy: ['v.visited_at', 'v.id'],
        keyOf: (row) => [row.visitedAtKey, row.id],
      },
      (rows) => rows.map((row) => FollowUpVisit.from(row)),
    );
  }
}
