import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Role, canSeeHousehold, type Caller } from '#libs/auth';
import { SqlParams, execute, queryFirst, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { Idempotency } from '#libs/idempotency';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { Territory } from '#libs/territory';
import { monthStart, parseMonth } from '#libs/calendar';
import { ClaimantType, ClaimStatus, OutreachTier } from './outreach-enums.js';
import type { HouseholdClaimRow } from './outreach.entity.js';
import type { HouseholdClaimsArgs } from './outreach.inputs.js';
import { HouseholdClaim } from './outreach.model.js';

export const CLAIM_COLUMNS = `c.id, c.household_id AS "householdId", c.claimant_id AS "claimantId", c.claimant_type AS "claimantType",
  c.tier, c.month, c.status, c.claimed_by AS "claimedBy", c.claimed_at AS "claimedAt", c.claimed_at::text AS "claimedAtKey",
  c.ended_at AS "endedAt", c.released_by AS "releasedBy", c.release_reason AS "releaseReason", c.upgraded_month AS "upgradedMonth"`;
/** A claim with its household's compound, whose ancestor path decides who may see it. */
const CLAIM_FROM = `household_claim c JOIN household h ON h.id = c.household_id JOIN territory_unit t ON t.id = h.compound_id`;
const CLAIMABLE_TIERS: readonly string[] = [OutreachTier.UNQUALIFIED, OutreachTier.BASICALLY_QUALIFIED];
const MAX_CLAIMANT_ID_LENGTH = 100;
const MAX_REASON_LENGTH = 200;

/** A claim, locked for the rest of the transaction, with what decides who may act on it. */
export interface LockedClaim {
  id: string;
  householdId: string;
  claimantId: string;
  status: ClaimStatus;
  claimedAt: Date;
}

/**
 * Claims of households in the lower tiers (党员认领, 骨干包干): at most one active claim per household, made for the
 * tier of its latest monthly grade, ended by the claimant, a community secretary, or an upgrade to QUALIFIED.
 */
@Injectable()
export class HouseholdClaimService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly idempotency: Idempotency,
  ) {}

  /** A party member claims as PARTY_MEMBER (党员认领), a volunteer as VOLUNTEER (骨干包干). */
  async claim(caller: Caller, householdId: string, idempotencyKey: string): Promise<HouseholdClaim> {
    const claimantType = caller.roles.includes(Role.PARTY_MEMBER)
      ? ClaimantType.PARTY_MEMBER
      : caller.roles.includes(Role.VOLUNTEER)
        ? ClaimantType.VOLUNTEER
        : null;
    if (!claimantType) {
      throw DomainError.forbidden(
        'Only party members and volunteers claim households; a community secretary assigns claims',
        'NOT_A_CLAIMANT',
      );
    }
    const { id } = await this.idempotency.run(caller, idempotencyKey, 'claimHousehold', { householdId }, (manager) =>
      this.insertClaim(manager, caller, householdId, caller.userId, claimantType),
    );
    return this.get(caller, id);
  }

  /** A community secretary makes a party member or volunteer responsible for a household. */
  async assign(caller: Caller, householdId: string, claimantId: string, claimantType: ClaimantType): Promise<HouseholdClaim> {
    if (!caller.roles.includes(Role.COMMUNITY_SECRETARY)) {
      throw DomainError.forbidden('Only a community secretary assigns claims', 'SECRETARY_ONLY');
    }
    const claimant = claimantId.trim();
    if (claimant.length === 0 || claimant.length > MAX_CLAIMANT_ID_LENGTH) {
      throw DomainError.badInput(`claimantId must be 1–${MAX_CLAIMANT_ID_LENGTH} characters`, 'INVALID_CLAIMANT');
    }
    const { id } = await this.dataSource.transaction((manager) => this.insertClaim(manager, caller, householdId, claimant, claimantType));
    return this.get(caller, id);
  }

  async release(caller: Caller, claimId: string, reason: string): Promise<HouseholdClaim> {
    const why = reason.trim();
    if (why.length === 0 || why.length > MAX_REASON_LENGTH) {
      throw DomainError.badInput(`reason must be 1–${MAX_REASON_LENGTH} characters`, 'INVALID_REASON');
    }
    await this.dataSource.transaction(async (manager) => {
      const claim = await this.lockForAction(manager, caller, claimId, 'UPDATE');
      await execute(
        manager,
        `UPDATE household_claim SET status = $2, ended_at = now(), released_by = $3, release_reason = $4 WHERE id = $1`,
        [claim.id, ClaimStatus.RELEASED, caller.userId, why],
      );
    });
    return this.get(caller, claimId);
  }

  /**
   * Locks an active claim the caller may act on (its claimant, or a community secretary of its territory) until the
   * transaction ends: NOT_FOUND, FORBIDDEN (OUT_OF_SCOPE, NOT_YOUR_CLAIM) or BAD_USER_INPUT (CLAIM_NOT_ACTIVE) otherwise.
   * `SHARE` lets visits be recorded side by side while keeping the claim from being ended meanwhile.
   */
  async lockForAction(manager: EntityManager, caller: Caller, claimId: string, mode: 'SHARE' | 'UPDATE'): Promise<LockedClaim> {
    const claim = await queryFirst<LockedClaim & { path: string[] }>(
      manager,
      `SELECT c.id, c.household_id AS "householdId", c.claimant_id AS "claimantId", c.status, c.claimed_at AS "claimedAt",
              t.path::text[] AS path
         FROM ${CLAIM_FROM} WHERE c.id = $1 FOR ${mode} OF c`,
      [claimId],
    );
    if (!claim) throw DomainError.notFound('HouseholdClaim', claimId);
    if (!canSeeHousehold(caller, claim.householdId, claim.path)) {
      throw DomainError.forbidden('That household is outside your territory', 'OUT_OF_SCOPE');
    }
    if (claim.claimantId !== caller.userId && !caller.roles.includes(Role.COMMUNITY_SECRETARY)) {
      throw DomainError.forbidden('Only the claimant or a community secretary may act on this claim', 'NOT_YOUR_CLAIM');
    }
    if (claim.status !== ClaimStatus.ACTIVE) {
      throw DomainError.badInput(`The claim is ${claim.status}, not ACTIVE`, 'CLAIM_NOT_ACTIVE', { status: claim.status });
    }
    return claim;
  }

  async get(caller: Caller, id: string): Promise<HouseholdClaim> {
    const row = await queryFirst<HouseholdClaimRow & { path: string[] }>(
      this.dataSource,
      `SELECT ${CLAIM_COLUMNS}, t.path::text[] AS path FROM ${CLAIM_FROM} WHERE c.id = $1`,
      [id],
    );
    if (!row) throw DomainError.notFound('HouseholdClaim', id);
    if (!canSeeHousehold(caller, row.householdId, row.path)) {
      throw DomainError.forbidden('That household is outside your territory', 'OUT_OF_SCOPE');
    }
    return HouseholdClaim.from(row);
  }

  /** For per-request loaders: the claims among `ids` the caller may see, in `ids` order, null for the rest. */
  async findVisible(caller: Caller, ids: readonly string[]): Promise<(HouseholdClaim | null)[]> {
    const rows = await queryRows<HouseholdClaimRow & { path: string[] }>(
      this.dataSource,
      `SELECT ${CLAIM_COLUMNS}, t.path::text[] AS path FROM ${CLAIM_FROM} WHERE c.id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(
      rows.filter((row) => canSeeHousehold(caller, row.householdId, row.path)).map((row) => [row.id, HouseholdClaim.from(row)]),
    );
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** For per-request loaders: the active claim of each of `householdIds` (households the caller already sees). */
  async activeOf(householdIds: readonly string[]): Promise<(HouseholdClaim | null)[]> {
    const rows = await queryRows<HouseholdClaimRow>(
      this.dataSource,
      `SELECT ${CLAIM_COLUMNS} FROM household_claim c WHERE c.household_id = ANY($1::uuid[]) AND c.status = $2`,
      [householdIds, ClaimStatus.ACTIVE],
    );
    const byHousehold = new Map(rows.map((row) => [row.householdId, HouseholdClaim.from(row)]));
    return householdIds.map((id) => byHousehold.get(id) ?? null);
  }

  /** For per-request loaders: visits recorded under each claim in the current month (Asia/Shanghai). */
  async visitsThisMonth(claimIds: readonly string[]): Promise<number[]> {
    const rows = await queryRows<{ claimId: string; count: number }>(
      this.dataSource,
      `SELECT claim_id AS "claimId", count(*)::int AS count FROM follow_up_visit
        WHERE claim_id = ANY($1::uuid[]) AND month = date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai')::date
        GROUP BY claim_id`,
      [claimIds],
    );
    const counts = new Map(rows.map((row) => [row.claimId, row.count]));
    return claimIds.map((id) => counts.get(id) ?? 0);
  }

  /** Claims of households in the caller's territory (or a unit of it), oldest first. */
  async list(caller: Caller, args: HouseholdClaimsArgs): Promise<ConnectionShape<HouseholdClaim>> {
    const params = new SqlParams();
    const where: string[] = [];
    const root = args.orgUnitId ? (await this.territory.requireInScope(caller, args.orgUnitId)).id : caller.orgUnitId;
    if (root) where.push(`t.path @> ARRAY[${params.add(root)}::uuid]`);
    if (args.status) where.push(`c.status = ${params.add(args.status)}`);
    if (args.claimantType) where.push(`c.claimant_type = ${params.add(args.claimantType)}`);
    if (args.mine) where.push(`c.claimant_id = ${params.add(caller.userId)}`);
    return fetchKeysetPage<HouseholdClaimRow, HouseholdClaim>(
      this.dataSource,
      args,
      {
        select: CLAIM_COLUMNS,
        from: CLAIM_FROM,
        where,
        params,
        orderBy: ['c.claimed_at', 'c.id'],
        keyOf: (row) => [row.claimedAtKey, row.id],
      },
      (rows) => rows.map((row) => HouseholdClaim.from(row)),
    );
  }

  /**
   * Ends, as UPGRADED, every active claim whose household is graded QUALIFIED for `month` (`YYYY-MM`), recording
   * that month as the upgrade; claims made for a later month's grade are left alone. One statement, safe to run
   * again (a closed claim is no longer active). `orgUnitId` limits it to households in that unit and below.
   * The monthly evaluation calls it in the transaction that writes the month's grades; returns how many it closed.
   */
  async closeClaimsOfUpgradedHouseholds(manager: EntityManager, month: string, orgUnitId?: string): Promise<number> {
    const params = new SqlParams();
    const monthDate = params.add(monthStart(parseMonth(month)));
    const inUnit = orgUnitId
      ? `AND c.household_id IN (SELECT h.id FROM household h JOIN territory_unit t ON t.id = h.compound_id
                                 WHERE t.path @> ARRAY[${params.add(orgUnitId)}::uuid])`
      : '';
    const closed = await queryRows<{ id: string }>(
      manager,
      `UPDATE household_claim c
          SET status = 'UPGRADED', ended_at = now(), upgraded_month = g.month
         FROM monthly_grade g
        WHERE c.status = 'ACTIVE' AND g.household_id = c.household_id AND g.month = ${monthDate}::date
          AND g.status = 'GRADED' AND g.grade = 'QUALIFIED' AND c.month <= g.month ${inUnit}
        RETURNING c.id`,
      params.values,
    );
    return closed.length;
  }

  /**
   * Inside the caller's transaction: checks the household (exists, in the caller's territory, latest monthly grade in
   * a lower tier) and inserts the active claim; CONFLICT (ALREADY_CLAIMED) when the household already has one, also
   * when another claim commits first while this one waits on the unique index.
   */
  private async insertClaim(
    manager: EntityManager,
    caller: Caller,
    householdId: string,
    claimantId: string,
    claimantType: ClaimantType,
  ): Promise<{ id: string }> {
    const household = await queryFirst<{ path: string[]; status: string | null; grade: string | null; month: string | null }>(
      manager,
      `SELECT t.path::text[] AS path, g.status, g.grade, g.month
         FROM household h JOIN territory_unit t ON t.id = h.compound_id
         LEFT JOIN LATERAL (SELECT status, grade, month FROM monthly_grade WHERE household_id = h.id ORDER BY month DESC LIMIT 1) g ON true
        WHERE h.id = $1`,
      [householdId],
    );
    if (!household) throw DomainError.notFound('Household', householdId);
    if (!canSeeHousehold(caller, householdId, household.path)) {
      throw DomainError.forbidden('That household is outside your territory', 'OUT_OF_SCOPE');
    }
    if (household.status !== 'GRADED' || !CLAIMABLE_TIERS.includes(household.grade ?? '')) {
      throw DomainError.badInput(
        'Only households whose latest monthly grade is UNQUALIFIED or BASICALLY_QUALIFIED can be claimed',
        'NOT_IN_A_CLAIMABLE_TIER',
        { month: household.month?.slice(0, 7) ?? null, status: household.status, grade: household.grade },
      );
    }
    const inserted = await queryFirst<{ id: string }>(
      manager,
      `INSERT INTO household_claim (household_id, claimant_id, claimant_type, tier, month, claimed_by)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (household_id) WHERE status = 'ACTIVE' DO NOTHING
       RETURNING id`,
      [householdId, claimantId, claimantType, household.grade, household.month, caller.userId],
    );
    if (!inserted) {
      const existing = await queryFirst<{ id: string; claimantType: ClaimantType }>(
        manager,
        `SELECT id, claimant_type AS "claimantType" FROM household_claim WHERE household_id = $1 AND status = 'ACTIVE'`,
        [householdId],
      );
      throw DomainError.conflict('The household already has an active claim', 'ALREADY_CLAIMED', {
        claimId: existing?.id ?? null,
        claimantType: existing?.claimantType ?? null,
      });
    }
    return { id: inserted.id };
  }
}
