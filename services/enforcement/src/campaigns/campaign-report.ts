import { Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { queryRows, type SqlExecutor } from '#libs/database';
import { LocalDateScalar } from '#libs/platform';
import { passRate } from '../joint-actions/joint-action.service.js';

/** A campaign's figures as stored when it is REPORTED (dates as YYYY-MM-DD, times as ISO strings). */
export interface StoredCampaignReport {
  actionsScheduled: number;
  actionsHeld: number;
  actionsCancelled: number;
  compoundsCovered: number;
  findings: number;
  casesOpened: number;
  casesRectified: number;
  casesPenalised: number;
  households: number;
  passRateBefore: number | null;
  passRateAfter: number | null;
  beforeFrom: string;
  afterTo: string;
  reportedAt: string | null;
}

@ObjectType({
  description:
    "活动总结: what a campaign's joint actions did and what changed in its target units. Live until the campaign is REPORTED, then frozen " +
    '(`reportedAt` set). The pass rate is the share of households registered in the target units with no failure on record in a window ' +
    "(a finding of another action, or a case not opened from this campaign's findings): before = as many days before startsOn as the " +
    'campaign lasts (30 to 92), after = from startsOn to the day after endsOn (or now).',
})
export class CampaignReport {
  @Field(() => Int, { description: 'Actions of the campaign not cancelled.' })
  actionsScheduled: number;

  @Field(() => Int, { description: 'Actions held (HELD or REPORTED).' })
  actionsHeld: number;

  @Field(() => Int, { description: 'Joint actions of the campaign that were cancelled.' })
  actionsCancelled: number;

  @Field(() => Int, { description: 'Compounds inside the target units of the actions held.' })
  compoundsCovered: number;

  @Field(() => Int, { description: "Findings recorded by the campaign's actions." })
  findings: number;

  @Field(() => Int, { description: 'Cases opened from those findings.' })
  casesOpened: number;

  @Field(() => Int, { description: 'Of them, closed as rectified.' })
  casesRectified: number;

  @Field(() => Int, { description: 'Of them, penalised (a penalty decided and not overturned or revoked).' })
  casesPenalised: number;

  @Field(() => Int, { description: 'Households registered in the target units.' })
  households: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Share (0–1) of target-unit households graded QUALIFIED or BASICALLY_QUALIFIED in the before window; null without graded households.',
  })
  passRateBefore: number | null;

  @Field(() => Float, {
    nullable: true,
    description:
      'Share (0–1) of target-unit households graded QUALIFIED or BASICALLY_QUALIFIED in the after window; null without graded households.',
  })
  passRateAfter: number | null;

  @Field(() => Float, { nullable: true, description: "The campaign's goal, if it set one." })
  goalPassRate: number | null;

  @Field(() => Boolean, { nullable: true, description: 'passRateAfter reached the goal (null without a goal or households).' })
  goalMet: boolean | null;

  @Field(() => LocalDateScalar, { description: 'First day of the before window.' })
  beforeFrom: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the after window (today while the campaign runs).' })
  afterTo: string;

  @Field(() => Date, { nullable: true, description: 'When the figures were frozen; null while they are live.' })
  reportedAt: Date | null;

  static from(stored: StoredCampaignReport, goalPassRate: number | null): CampaignReport {
    const goalMet = goalPassRate === null || stored.passRateAfter === null ? null : stored.passRateAfter >= goalPassRate;
    return Object.assign(new CampaignReport(), {
      ...stored,
      goalPassRate,
      goalMet,
      reportedAt: stored.reportedAt ? new Date(stored.reportedAt) : null,
    });
  }
}

/**
 * The figures of many campaigns in one statement ($1 campaign ids). Windows are Asia/Shanghai calendar days. A
 * campaign's own findings, and cases opened from them, are its work, not failures it failed to prevent: they are left
 * out of the pass rates, as a joint action's report leaves out its own.
 */
const CAMPAIGN_FIGURES = `
  WITH c AS (
    SELECT c.id, c.target_unit_ids, c.starts_on,
           c.starts_on - LEAST(GREATEST(c.ends_on - c.starts_on + 1, 30), 92) AS before_from,
           LEAST(c.ends_on, (now() AT TIME ZONE 'Asia/Shanghai')::date) AS after_to
      FROM campaign c WHERE c.id = ANY($1::uuid[]))
  SELECT c.id, c.before_from::text AS "beforeFrom", c.after_to::text AS "afterTo", c.after_to >= c.starts_on AS started,
         a.scheduled AS "actionsScheduled", a.held AS "actionsHeld", a.cancelled AS "actionsCancelled",
         cov.compounds AS "compoundsCovered", own.findings, k.opened AS "casesOpened", k.rectified AS "casesRectified",
         k.penalised AS "casesPenalised", h.households, fail.before AS "failedBefore", fail.after AS "failedAfter"
    FROM c
    CROSS JOIN LATERAL (
      SELECT count(*) FILTER (WHERE ja.status <> 'CANCELLED')::int AS scheduled,
             count(*) FILTER (WHERE ja.status IN ('HELD', 'REPORTED'))::int AS held,
             count(*) FILTER (WHERE ja.status = 'CANCELLED')::int AS cancelled
        FROM joint_action ja WHERE ja.campaign_id = c.id) a
    CROSS JOIN LATERAL (
      SELECT count(DISTINCT t.id)::int AS compounds
        FROM joint_action ja JOIN territory_unit t ON t.kind = 'COMPOUND' AND t.path && ja.target_unit_ids
       WHERE ja.campaign_id = c.id AND ja.status IN ('HELD', 'REPORTED')) cov
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS findings, coalesce(array_agg(f.id), '{}') AS ids
        FROM action_finding f JOIN joint_action ja ON ja.id = f.action_id WHERE ja.campaign_id = c.id) own
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS opened, count(*) FILTER (WHERE e.state = 'CLOSED')::int AS rectified,
             count(*) FILTER (WHERE e.penalty_decided_on IS NOT NULL AND e.state NOT IN ('OVERTURNED', 'REVOKED'))::int AS penalised
        FROM enforcement_case e WHERE e.action_finding_id = ANY(own.ids)) k
    CROSS JOIN LATERAL (
      SELECT count(*)::int AS households, coalesce(array_agg(hh.id), '{}') AS ids
        FROM household_copy hh JOIN territory_unit u ON u.id = hh.compound_id
       WHERE NOT hh.removed AND u.path && c.target_unit_ids) h
    CROSS JOIN LATERAL (
      SELECT count(DISTINCT x.id) FILTER (WHERE x.day < c.starts_on)::int AS before,
             count(DISTINCT x.id) FILTER (WHERE x.day >= c.starts_on)::int AS after
        FROM (
          SELECT f.household_id AS id, (f.recorded_at AT TIME ZONE 'Asia/Shanghai')::date AS day FROM action_finding f
           WHERE f.household_id = ANY(h.ids) AND NOT f.id = ANY(own.ids)
          UNION ALL
          SELECT e.household_id, (e.opened_at AT TIME ZONE 'Asia/Shanghai')::date FROM enforcement_case e
           WHERE e.household_id = ANY(h.ids) AND (e.action_finding_id IS NULL OR NOT e.action_finding_id = ANY(own.ids))
        ) x
       WHERE x.day BETWEEN c.before_from AND c.after_to) fail`;

/** A row of CAMPAIGN_FIGURES. */
interface CampaignFiguresRow {
  id: string;
  beforeFrom: string;
  afterTo: string;
  /** The after window has begun (the campaign started). */
  started: boolean;
  actionsScheduled: number;
  actionsHeld: number;
  actionsCancelled: number;
  compoundsCovered: number;
  findings: number;
  casesOpened: number;
  casesRectified: number;
  casesPenalised: number;
  households: number;
  failedBefore: number;
  failedAfter: number;
}

/** Live figures of `ids`, in `ids` order (null for an unknown id). */
export async function campaignFigures(db: SqlExecutor, ids: readonly string[]): Promise<(StoredCampaignReport | null)[]> {
  const rows = await queryRows<CampaignFiguresRow>(db, CAMPAIGN_FIGURES, [ids]);
  const byId = new Map<string, StoredCampaignReport>(
    rows.map((row) => [
      row.id,
      {
        actionsScheduled: row.actionsScheduled,
        actionsHeld: row.actionsHeld,
        actionsCancelled: row.actionsCancelled,
        compoundsCovered: row.compoundsCovered,
        findings: row.findings,
        casesOpened: row.casesOpened,
        casesRectified: row.casesRectified,
        casesPenalised: row.casesPenalised,
        households: row.households,
        passRateBefore: passRate(row.households, row.failedBefore),
        passRateAfter: row.started ? passRate(row.households, row.failedAfter) : null,
        beforeFrom: row.beforeFrom,
        afterTo: row.afterTo,
        reportedAt: null,
      },
    ]),
  );
  return ids.map((id) => byId.get(id) ?? null);
}
