import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { SqlParams, queryOne } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { Territory } from '#libs/territory';
import { monthStart, parseMonth } from '#libs/calendar';
import type { HouseholdUpgradeRow } from './outreach.entity.js';
import type { HouseholdUpgradesArgs, UpgradeCountArgs } from './outreach.inputs.js';
import { HouseholdUpgrade, UpgradeCount } from './outreach.model.js';

/**
 * Upgrades (不合格 → 合格): a household graded UNQUALIFIED for a month and QUALIFIED for the next, read from the two
 * months' rows of `monthly_grade`, with the claim that was active on the household then: one still ACTIVE, or one
 * this upgrade ended (UPGRADED for that month), made for that month's grade or an earlier one.
 */
const UPGRADES_FROM = `
  monthly_grade g
  JOIN monthly_grade p ON p.household_id = g.household_id AND p.month = (g.month - interval '1 month')::date
  JOIN household h ON h.id = g.household_id
  LEFT JOIN LATERAL (
    SELECT c.id, c.claimant_type FROM household_claim c
     WHERE c.household_id = g.household_id AND c.month <= g.month
       AND (c.status = 'ACTIVE' OR (c.status = 'UPGRADED' AND c.upgraded_month = g.month))
     ORDER BY c.claimed_at DESC LIMIT 1
  ) cl ON true`;
const isUpgrade = (unit: string) => [
  `g.status = 'GRADED'`,
  `g.grade = 'QUALIFIED'`,
  `p.status = 'GRADED'`,
  `p.grade = 'UNQUALIFIED'`,
  `h.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${unit}::uuid])`,
];

@Injectable()
export class HouseholdUpgradeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  /** Households of a unit upgraded in `month`, by compound. */
  async list(caller: Caller, args: HouseholdUpgradesArgs): Promise<ConnectionShape<HouseholdUpgrade>> {
    const month = monthStart(parseMonth(args.month, 'month'));
    const unit = await this.territory.requireInScope(caller, args.orgUnitId);
    const params = new SqlParams();
    const where = [...isUpgrade(params.add(unit.id)), `g.month = ${params.add(month)}::date`];
    return fetchKeysetPage<HouseholdUpgradeRow, HouseholdUpgrade>(
      this.dataSource,
      args,
      {
        select: `g.household_id AS "householdId", h.compound_id AS "compoundId", g.month, cl.id AS "claimId", cl.claimant_type AS "claimantType"`,
        from: UPGRADES_FROM,
        where,
        params,
        orderBy: ['h.compound_id', 'g.household_id'],
        keyOf: (row) => [row.compoundId, row.householdId],
      },
      (rows) => rows.map((row) => HouseholdUpgrade.from(row)),
    );
  }

  /** Upgrades in a unit over `fromMonth`…`toMonth` (inclusive), e.g. the district's "1,000+ in three years". */
  async count(caller: Caller, args: UpgradeCountArgs): Promise<UpgradeCount> {
    const from = monthStart(parseMonth(args.fromMonth, 'fromMonth'));
    const to = monthStart(parseMonth(args.toMonth, 'toMonth'));
    if (to < from) {
      throw DomainError.badInput('toMonth is before fromMonth', 'ENDS_BEFORE_START', { fromMonth: args.fromMonth, toMonth: args.toMonth });
    }
    const unit = await this.territory.requireInScope(caller, args.orgUnitId);
    const params = new SqlParams();
    const where = [...isUpgrade(params.add(unit.id)), `g.month BETWEEN ${params.add(from)}::date AND ${params.add(to)}::date`];
    const row = await queryOne<Pick<UpgradeCount, 'upgrades' | 'households' | 'claimed' | 'claimedByPartyMembers' | 'claimedByVolunteers'>>(
      this.dataSource,
      `SELECT count(*)::int AS upgrades, count(DISTINCT g.household_id)::int AS households, count(cl.id)::int AS claimed,
              count(*) FILTER (WHERE cl.claimant_type = 'PARTY_MEMBER')::int AS "claimedByPartyMembers",
              count(*) FILTER (WHERE cl.claimant_type = 'VOLUNTEER')::int AS "claimedByVolunteers"
         FROM ${UPGRADES_FROM} WHERE ${where.join(' AND ')}`,
      params.values,
    );
    return Object.assign(new UpgradeCount(), { fromMonth: from.slice(0, 7), toMonth: to.slice(0, 7), ...row });
  }
}
