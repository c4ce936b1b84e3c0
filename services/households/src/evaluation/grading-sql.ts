import type { EntityManager } from 'typeorm';
import { monthStart, previousMonth } from '#libs/calendar';
import { queryOne, queryRows } from '#libs/database';
import { EventType, outboxInsertFrom, PROPERTY_COMPOUNDS_PER_EVENT, type EventPayload, type Outbox } from '#libs/messaging';
import { maskNameSql } from '#libs/privacy';
import { DistrictRuleSets, type RuleSetRow as DistrictRuleSet } from '#libs/rule-sets';
import { OBJECTION_WINDOW_DAYS_SQL, closeObjectionWindow } from '../objections/objection-window.js';
import type { GradingRules } from './grading-rules.js';

/**
 * The monthly grading as SQL, so a month of a district is graded set-based, one community per statement, without
 * loading evidence into memory. `grading-rules.ts` explains the rules; this must stay in step with it.
 *
 * One statement grades a chunk and announces it: it upserts the month's grade rows (writing only rows whose content
 * changes) and records, in the same statement and so the same transaction, `household-grades.published` events for
 * exactly the rows it wrote, at most HOUSEHOLDS_PER_EVENT households each. A re-run that changes nothing writes and
 * announces nothing; a grade that changes is announced again, marked as a correction.
 *
 * It is driven by the chunk's households, found through the household(compound_id) index (`= ANY(ARRAY(…))` makes
 * the compound list a value the planner cannot misjudge) and joined by primary key from there, so plans do not depend
 * on the month's statistics, which are stale while a run writes it.
 *
 * Parameters: $1 month (first day), $2 chunk unit id, $3 rules (jsonb), $4 rule set id, $5 rule version, $6 run id,
 * $7 previous month (first day), $8 event type, $9 month 'YYYY-MM', $10 district id.
 */
export const HOUSEHOLDS_PER_EVENT = 500;

export const GRADE_AND_PUBLISH_CHUNK = `
WITH rules AS (
  SELECT $3::jsonb AS r, ARRAY(SELECT jsonb_array_elements_text($3::jsonb->'capIssues')) AS cap_issues,
         ($3::jsonb->'resultPenalty'->>'PASS')::numeric AS pass_penalty,
         ($3::jsonb->'resultPenalty'->>'MINOR_ISSUE')::numeric AS minor_penalty,
         ($3::jsonb->'resultPenalty'->>'FAIL')::numeric AS fail_penalty,
         (now() AT TIME ZONE 'Asia/Shanghai')::date AS today
),
issue_penalty AS (SELECT key AS issue, value::numeric AS points FROM jsonb_each_text($3::jsonb->'issuePenalty')),
chunk AS MATERIALIZED (
  SELECT h.id AS household_id, h.compound_id FROM household h
   WHERE h.compound_id = ANY(ARRAY(SELECT id FROM territory_unit WHERE path @> ARRAY[$2::uuid] AND kind = 'COMPOUND'))
),
-- Materialized so each inspection's penalty is computed once, not once per use below.
scored AS MATERIALIZED (
  SELECT i.household_id, i.id, i.result, i.issues, i.inspected_at,
         CASE i.result WHEN 'PASS' THEN rules.pass_penalty WHEN 'MINOR_ISSUE' THEN rules.minor_penalty ELSE rules.fail_penalty END
           + CASE WHEN cardinality(i.issues) = 0 THEN 0
                  ELSE coalesce((SELECT sum(p.points) FROM issue_penalty p WHERE p.issue = ANY(i.issues)), 0) END AS penalty,
         i.issues && rules.cap_issues AS capping
    -- An inspection a secretary set aside when deciding an objection counts no more (objections/).
    FROM chunk c JOIN inspection i ON i.month = $1::date AND i.household_id = c.household_id AND i.set_aside_at IS NULL CROSS JOIN rules
),
per_household AS (
  SELECT household_id, count(*)::int AS inspections, sum(penalty) AS penalty,
         count(*) FILTER (WHERE result = 'FAIL')::int AS fails, bool_or(capping) AS capped,
         -- The inspection and what it cost; what it found is read from the inspection itself when explained.
         coalesce(jsonb_agg(jsonb_build_object('rule', 'INSPECTION_PENALTY', 'inspectionId', id, 'points', -penalty)
                  ORDER BY inspected_at, id) FILTER (WHERE penalty > 0), '[]'::jsonb) AS deductions,
         -- The distinct issues found in the month, for notices and dashboards.
         ARRAY(SELECT DISTINCT issue FROM unnest(string_to_array(string_agg(array_to_string(issues, ','), ','), ',')) AS issue
                WHERE issue <> '' ORDER BY 1) AS issues
    FROM scored GROUP BY household_id
),
decided AS (
  SELECT c.household_id, p.inspections, p.fails, p.capped, p.deductions, p.issues,
         CASE WHEN p.household_id IS NOT NULL THEN greatest(0, (rules.r->>'scoreStart')::numeric - p.penalty) END AS score,
         (rules.r->>'unqualifiedAtFails')::int AS fail_limit,
         (rules.r->'thresholds'->>'QUALIFIED')::numeric AS qualified_from,
         (rules.r->'thresholds'->>'BASICALLY_QUALIFIED')::numeric AS basically_from
    FROM chunk c LEFT JOIN per_household p USING (household_id) CROSS JOIN rules
),
graded AS (
  SELECT *,
         CASE
           WHEN inspections IS NULL THEN NULL
           WHEN fails >= fail_limit THEN 'UNQUALIFIED'
           WHEN score >= qualified_from AND NOT capped THEN 'QUALIFIED'
           WHEN score >= basically_from THEN 'BASICALLY_QUALIFIED'
           ELSE 'UNQUALIFIED'
         END AS grade
    FROM decided
),
written AS (
  INSERT INTO monthly_grade AS g (month, household_id, status, grade, score, inspection_count, issues, reasons, rule_set_id, rule_version, previous_grade, run_id)
  SELECT $1::date, d.household_id,
         CASE WHEN d.inspections IS NULL THEN 'NO_EVIDENCE' ELSE 'GRADED' END,
         d.grade, d.score, coalesce(d.inspections, 0), coalesce(d.issues, '{}'),
         -- What cost points or capped the grade; the score line and "no evidence" are told from the row when read.
         CASE WHEN d.inspections IS NULL THEN '[]'::jsonb
         ELSE d.deductions
           || CASE WHEN d.fails >= d.fail_limit THEN jsonb_build_array(jsonb_build_object('rule', 'FAIL_COUNT', 'fails', d.fails, 'limit', d.fail_limit)) ELSE '[]'::jsonb END
           || CASE WHEN d.capped AND d.fails < d.fail_limit AND d.score >= d.qualified_from THEN '[{"rule": "ISSUE_CAP"}]'::jsonb ELSE '[]'::jsonb END
         END,
         $4::uuid, $5::int, previous.grade, $6::uuid
    FROM graded d
    LEFT JOIN LATERAL (SELECT grade FROM monthly_grade WHERE month = $7::date AND household_id = d.household_id LIMIT 1) AS previous ON true
  ON CONFLICT (month, household_id) DO UPDATE
     SET status = excluded.status, grade = excluded.grade, score = excluded.score, inspection_count = excluded.inspection_count,
         issues = excluded.issues, reasons = excluded.reasons, rule_set_id = excluded.rule_set_id, rule_version = excluded.rule_version,
         previous_grade = excluded.previous_grade, run_id = excluded.run_id, computed_at = now()
   WHERE (g.status, g.grade, g.score, g.inspection_count, g.reasons, g.rule_set_id, g.previous_grade)
         IS DISTINCT FROM (excluded.status, excluded.grade, excluded.score, excluded.inspection_count, excluded.reasons, excluded.rule_set_id, excluded.previous_grade)
  -- xmax is 0 for a row this statement inserted, set for one it updated: an update replaces a published grade.
  RETURNING g.household_id, g.status, g.grade, g.previous_grade, g.score, g.rule_version, g.issues, g.xmax <> 0 AS correction
),
-- Payloads are built as json (text) rather than jsonb: they are only ever stored and sent, and text concatenation
-- is several times cheaper than building binary jsonb for half a million households.
-- Ids, not names: notifications asks households for the name (or a minor's guardian) of each resident it addresses,
-- at notice time (http/notice-addressees.controller.ts). Only adult retirees and freelancers, who may appear in the
-- public disclosure, carry their masked name (as published) and the recorded ground. 'minor' is as of grading
-- (minor_on, the one rule); notices decide it again on their own date.
residents AS (
  SELECT r.household_id,
         json_agg(json_build_object(
           'residentId', r.id, 'occupation', r.occupation, 'institutionId', r.institution_id, 'partyMemberId', r.party_member_id,
           'minor', r.minor,
           'maskedName', CASE WHEN r.disclosable THEN ${maskNameSql('r.name')} END,
           'disclosureBasis', CASE WHEN r.disclosable THEN r.disclosure_basis END) ORDER BY r.id) AS residents
    FROM (SELECT resident.*, m.minor, resident.occupation IN ('RETIRED', 'FREELANCE') AND NOT m.minor AS disclosable
            FROM resident CROSS JOIN rules
            CROSS JOIN LATERAL (SELECT minor_on(resident.birth_date, resident.birth_date_precision, rules.today) AS minor) AS m WHERE resident.household_id = ANY(ARRAY(SELECT household_id FROM chunk))) AS r
   GROUP BY r.household_id
),
items AS (
  SELECT (row_number() OVER (ORDER BY w.household_id) - 1) / ${HOUSEHOLDS_PER_EVENT} AS batch,
         json_build_object(
           'householdId', w.household_id, 'compoundId', c.compound_id, 'status', w.status, 'grade', w.grade,
           'previousGrade', w.previous_grade, 'score', w.score, 'ruleVersion', w.rule_version, 'issues', w.issues,
           'correction', w.correction, 'residents', coalesce(r.residents, '[]'::json)
         ) AS item
    FROM written w
    JOIN chunk c USING (household_id)
    LEFT JOIN residents r USING (household_id)
),
published AS (
  ${outboxInsertFrom(
    '$8',
    `SELECT json_build_object('month', $9::text, 'districtId', $10::uuid, 'runId', $6::uuid, 'households', json_agg(item))
       FROM items GROUP BY batch`,
  )}
)
SELECT (SELECT count(*) FROM chunk)::int AS households, (SELECT count(*) FROM written)::int AS changed,
       (SELECT count(*) FROM published)::int AS events`;

/** Versions of the grading rules per district (see libs/rule-sets). */
export const GRADING_RULE_SETS = new DistrictRuleSets<GradingRules>('grading_rule_set', 'grading rules');

export type RuleSetRow = DistrictRuleSet<GradingRules>;

export interface ChunkToGrade {
  runId: string;
  /** A community (or compound) id: every household below it is graded. */
  unitId: string;
  districtId: string;
  /** YYYY-MM */
  month: string;
  ruleSet: RuleSetRow;
}

/**
 * Grades one chunk and records `household-grades.published` events for the grades it wrote, inside the caller's
 * transaction. Returns the chunk's household count and how many grade rows changed.
 */
export async function gradeAndPublishChunk(manager: EntityManager, chunk: ChunkToGrade): Promise<{ households: number; changed: number }> {
  const { households, changed } = await queryOne<{ households: number; changed: number; events: number }>(
    manager,
    GRADE_AND_PUBLISH_CHUNK,
    [
      monthStart(chunk.month),
      chunk.unitId,
      JSON.stringify(chunk.ruleSet.rules),
      chunk.ruleSet.id,
      chunk.ruleSet.version,
      chunk.runId,
      monthStart(previousMonth(chunk.month)),
      EventType.HouseholdGradesPublished,
      chunk.month,
      chunk.districtId,
    ],
  );
  return { households, changed };
}

/**
 * Announces a district's month with `monthly-evaluation.completed`, once: only the first call for a district and
 * month records the event. Returns whether it did.
 */
export async function announceMonth(
  manager: EntityManager,
  outbox: Outbox,
  districtId: string,
  month: string,
  runId: string,
): Promise<boolean> {
  // The month's objection window opens now, for the district's number of days (objections/objection-window.ts).
  const claimed = await queryRows<{ closesNow: boolean }>(
    manager,
    `INSERT INTO evaluation_month (district_id, month, run_id, objection_window_closes_at)
     VALUES ($1, $2, $3, now() + make_interval(days => ${OBJECTION_WINDOW_DAYS_SQL('$1')}))
     ON CONFLICT DO NOTHING RETURNING objection_window_closes_at <= now() AS "closesNow"`,
    [districtId, monthStart(month), runId],
  );
  if (claimed.length === 0) return false;
  const counts = await queryOne<{ households: number; graded: number; qualified: number; basically: number; unqualified: number }>(
    manager,
    `SELECT count(*)::int AS households, count(*) FILTER (WHERE g.status = 'GRADED')::int AS graded,
            count(*) FILTER (WHERE g.grade = 'QUALIFIED')::int AS qualified,
            count(*) FILTER (WHERE g.grade = 'BASICALLY_QUALIFIED')::int AS basically,
            count(*) FILTER (WHERE g.grade = 'UNQUALIFIED')::int AS unqualified
       FROM monthly_grade g JOIN household h ON h.id = g.household_id
      WHERE g.month = $1 AND h.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[$2::uuid])`,
    [monthStart(month), districtId],
  );
  const payload: EventPayload<EventType.MonthlyEvaluationCompleted> = {
    month,
    districtId,
    runId,
    households: counts.households,
    graded: counts.graded,
    noEvidence: counts.households - counts.graded,
    grades: { QUALIFIED: counts.qualified, BASICALLY_QUALIFIED: counts.basically, UNQUALIFIED: counts.unqualified },
  };
  await outbox.record(manager, [{ type: EventType.MonthlyEvaluationCompleted, payload }]);
  await announcePropertyCompounds(manager, outbox, districtId, month);
  // A window of 0 days closes as it opens: the notices leave as soon as they are made.
  if (claimed[0].closesNow) await closeObjectionWindow(manager, outbox, districtId, month);
  return true;
}

/**
 * The month's graded and passing households per compound and property company, for enforcement's property-company
 * assessment: counts only, PROPERTY_COMPOUNDS_PER_EVENT compounds an event, in the transaction that announces the month.
 */
async function announcePropertyCompounds(manager: EntityManager, outbox: Outbox, districtId: string, month: string): Promise<void> {
  await outbox.recordQuery(
    manager,
    EventType.PropertyCompoundGradesSummarised,
    `SELECT json_build_object('month', $3::text, 'districtId', $2::text, 'compounds', json_agg(json_build_object(
              'compoundId', c.compound_id, 'propertyCompanyId', c.property_company_id, 'graded', c.graded, 'passed', c.passed)))
       FROM (SELECT h.compound_id, h.property_company_id,
                    count(*) FILTER (WHERE g.status = 'GRADED')::int AS graded,
                    count(*) FILTER (WHERE g.grade IN ('QUALIFIED', 'BASICALLY_QUALIFIED'))::int AS passed,
                    (row_number() OVER (ORDER BY h.compound_id, h.property_company_id) - 1) / $4 AS chunk
               FROM monthly_grade g JOIN household h ON h.id = g.household_id
              WHERE g.month = $1 AND h.property_company_id IS NOT NULL
                AND h.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[$2::uuid])
              GROUP BY h.compound_id, h.property_company_id) c
      GROUP BY c.chunk`,
    [monthStart(month), districtId, month, PROPERTY_COMPOUNDS_PER_EVENT],
  );
}
