import { htmlEscapeSql } from '#libs/html';
import { GRADE_LABEL_ZH, INSPECTION_ISSUE_LABEL_ZH } from '#libs/messaging';

/**
 * Notices are generated and rendered in SQL, a district-month at a time, so a month's tens of thousands of notices
 * are one statement rather than a loop. Templates are `{{placeholder}}` texts (notice_template); the values below
 * are every placeholder a praise letter or reminder notice may use.
 */
const PLACEHOLDERS = ['institutionName', 'residentName', 'month', 'grade', 'reasons', 'issuedOn'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

/** `template` (a SQL text expression) with every placeholder replaced by its value (SQL text expressions). */
export function renderSql(template: string, values: Record<Placeholder, string>): string {
  return PLACEHOLDERS.reduce((sql, name) => `replace(${sql}, '{{${name}}}', coalesce(${values[name]}, ''))`, template);
}

const VALUES: Record<Placeholder, string> = {
  institutionName: 'a.institution_name',
  residentName: 'a.resident_name',
  month: '$6::text',
  grade: `($5::jsonb->'grades'->>a.grade)`,
  reasons: 'a.reasons',
  issuedOn: '$7::text',
};

const HTML_VALUES = Object.fromEntries(Object.entries(VALUES).map(([name, sql]) => [name, htmlEscapeSql(sql)])) as Record<
  Placeholder,
  string
>;

/** The words notices are written with, passed to the statement as $5. */
export const NOTICE_WORDS = JSON.stringify({ grades: GRADE_LABEL_ZH, issues: INSPECTION_ISSUE_LABEL_ZH });

/**
 * The households of a district-month (all, or those in `householdIds`) with what their grade earns under the notice
 * rules (notice-rules.ts): `kind` PRAISE_LETTER, REMINDER_NOTICE or null. Public disclosure drafts use the same
 * decision for retirees and freelancers. Arguments are SQL expressions: month (date), district id, rules (jsonb),
 * household ids (uuid[] or null).
 *
 * The praise options rank a household against others of the month, so a correction re-decides its own households
 * against the others' grades as they are (the others keep the notices they have):
 * - topShare: among the ceil(share × n) best of the n graded households of its community by score; equal scores at
 *   the boundary are ordered by a lot that is reproducible (md5 of household and month), so the share is kept. Only
 *   the communities of the households being decided are ranked: a correction costs its communities, not the district.
 * - consecutiveMonths N: QUALIFIED this month and in each of the N−1 months before (grades held here), looked up by
 *   key for the households that pass every other condition only.
 * Rules without an option cost nothing for it: the rules are a parameter, so the planner drops what they switch off.
 */
export function earnedSql(month: string, districtId: string, rules: string, householdIds: string): string {
  const praise = `(${rules}::jsonb->'praise')`;
  return `
  SELECT e.household_id, e.compound_id, e.grade, e.score, e.previous_grade, e.issues, e.kind FROM (
  SELECT h.household_id, h.compound_id, h.grade, h.score, h.previous_grade, h.issues,
         CASE
           WHEN (${praise}->>'enabled')::boolean AND h.grade = 'QUALIFIED' AND h.score >= (${praise}->>'minScore')::numeric
                AND (NOT (${praise}->>'previousMonthQualified')::boolean OR h.previous_grade = 'QUALIFIED')
                AND (${praise}->>'topShare' IS NULL OR h.community_rank <= ceil((${praise}->>'topShare')::numeric * h.community_size))
                AND (coalesce((${praise}->>'consecutiveMonths')::int, 1) <= 1
                     OR (SELECT count(*) FROM graded_household p
                          WHERE p.household_id = h.household_id AND p.status = 'GRADED' AND p.grade = 'QUALIFIED'
                            AND p.month IN (SELECT (${month}::date - make_interval(months => k))::date
                                              FROM generate_series(1, (${praise}->>'consecutiveMonths')::int - 1) AS k))
                        >= (${praise}->>'consecutiveMonths')::int - 1)
             THEN 'PRAISE_LETTER'
           WHEN (${rules}::jsonb->'reminder'->>'enabled')::boolean AND h.grade IN (SELECT jsonb_array_elements_text(${rules}::jsonb->'reminder'->'grades'))
             THEN 'REMINDER_NOTICE'
         END AS kind
    FROM (SELECT h.*,
                 row_number() OVER community AS community_rank,
                 count(*) OVER (PARTITION BY coalesce(c.parent_id, h.compound_id)) AS community_size
            FROM graded_household h LEFT JOIN territory_unit c ON c.id = h.compound_id
           WHERE h.month = ${month}::date AND h.district_id = ${districtId}::uuid AND h.status = 'GRADED'
             AND (${householdIds}::uuid[] IS NULL OR h.household_id = ANY(${householdIds}::uuid[])
                  -- Ranked against their whole community: the compounds of the communities of the households decided.
                  OR (${praise}->>'topShare' IS NOT NULL AND h.compound_id IN (
                        SELECT t.id FROM territory_unit t WHERE t.parent_id IN (${communitiesOfSql(month, householdIds)})
                        UNION ALL ${communitiesOfSql(month, householdIds)})))
          WINDOW community AS (PARTITION BY coalesce(c.parent_id, h.compound_id)
                               ORDER BY h.score DESC NULLS LAST, md5(h.household_id::text || h.month::text) COLLATE "C")) h
  ) e
   WHERE ${householdIds}::uuid[] IS NULL OR e.household_id = ANY(${householdIds}::uuid[])`;
}

/** The communities (a compound's parent, or the compound when the territory copy has none) of a month's households. */
function communitiesOfSql(month: string, householdIds: string): string {
  return `SELECT coalesce(t.parent_id, s.compound_id) FROM graded_household s LEFT JOIN territory_unit t ON t.id = s.compound_id
           WHERE s.month = ${month}::date AND s.household_id = ANY(${householdIds}::uuid[])`;
}

/**
 * The candidates of a district-month's earned notices (arguments as for earnedSql): one row per EMPLOYED or STUDENT
 * resident with an employer or school and kind earned, of `householdIds` (or all), without the praise letters beyond
 * the rules' `capPerInstitution` for their institution (highest household score first, equal scores by a
 * reproducible lot). A cap ranks every praise letter its institutions earn this month, and an employer's or school's
 * residents live all over the district, so with a cap the whole district-month is decided (one pass, then narrowed);
 * without one, only `householdIds`.
 */
function rankedCandidatesSql(month: string, districtId: string, rules: string, householdIds: string): string {
  const cap = `(${rules}::jsonb->'praise'->>'capPerInstitution')`;
  return `
  SELECT * FROM (
    SELECT e.*, g.resident_id, g.institution_id, g.occupation,
           e.kind = 'PRAISE_LETTER' AND ${cap} IS NOT NULL
             AND row_number() OVER (PARTITION BY g.institution_id, e.kind
                                    ORDER BY e.score DESC NULLS LAST, md5(g.resident_id::text || ${month}::date::text) COLLATE "C")
                 > ${cap}::int AS capped
      FROM (${earnedSql(month, districtId, rules, `(CASE WHEN ${cap} IS NULL THEN ${householdIds}::uuid[] END)`)}) e
      JOIN graded_resident g ON g.month = ${month}::date AND g.household_id = e.household_id
     WHERE e.kind IS NOT NULL AND g.occupation IN ('EMPLOYED', 'STUDENT') AND g.institution_id IS NOT NULL) c
   WHERE NOT c.capped AND (${householdIds}::uuid[] IS NULL OR c.household_id = ANY(${householdIds}::uuid[]))`;
}

/**
 * The residents whom the earned notices of a district-month's households may be about (arguments as for earnedSql):
 * EMPLOYED and STUDENT residents with an employer or school, within an institution's praise cap. Notifications asks
 * households whom to address each of them to (notice-addressees.ts) before recipientsSql reads the answers.
 */
export function candidatesSql(month: string, districtId: string, rules: string, householdIds: string): string {
  return `
  SELECT c.resident_id FROM (${rankedCandidatesSql(month, districtId, rules, householdIds)}) c`;
}

/**
 * Who the earned notices of a district-month's households go to (arguments as for earnedSql), with the addressees
 * households gave for the notice's date (the transaction's notice_addressee table). One row per resident and kind
 * earned, with the household's earned row (e.*) and `held_reason`, null when the notice is made:
 * - an adult EMPLOYED resident's employer, an adult STUDENT's school: named;
 * - a resident under 18 on the notice's date: only their SCHOOL, only with a guardian's consent on record, addressed
 *   to the guardian (`to_guardian`, resident_name is the guardian's) — else held: MINOR_NOT_AT_SCHOOL (an employer,
 *   or an institution that is not a school) or NO_GUARDIAN_CONSENT;
 * - an institution notifications does not know (yet): UNKNOWN_INSTITUTION; a resident households no longer knows:
 *   UNKNOWN_RESIDENT. Only these residents' notices are held; the month proceeds for everyone else.
 * Generation and withdrawal both ask this, so a notice is withdrawn exactly when generation would no longer make it.
 */
export function recipientsSql(month: string, districtId: string, rules: string, householdIds: string): string {
  return `
  SELECT e.household_id, e.compound_id, e.grade, e.score, e.previous_grade, e.issues, e.kind, e.resident_id, e.institution_id,
         coalesce(ad.minor, false) AS to_guardian, ad.masked_name,
         CASE WHEN ad.minor THEN ad.guardian_name ELSE ad.name END AS resident_name,
         CASE WHEN i.id IS NULL THEN 'UNKNOWN_INSTITUTION'
              WHEN ad.resident_id IS NULL THEN 'UNKNOWN_RESIDENT'
              WHEN ad.minor AND (e.occupation <> 'STUDENT' OR i.kind <> 'SCHOOL') THEN 'MINOR_NOT_AT_SCHOOL'
              WHEN ad.minor AND ad.guardian_name IS NULL THEN 'NO_GUARDIAN_CONSENT'
              WHEN ad.name IS NULL AND ad.guardian_name IS NULL THEN 'UNKNOWN_RESIDENT'
         END AS held_reason
    FROM (${rankedCandidatesSql(month, districtId, rules, householdIds)}) e
    LEFT JOIN institution_copy i ON i.id = e.institution_id
    LEFT JOIN notice_addressee ad ON ad.resident_id = e.resident_id`;
}

/**
 * Records the notices of a district-month's households (all when $4 is null) that recipientsSql holds back, with
 * why and only a masked name, replacing what was recorded for them before. Parameters: $1 month, $2 district id,
 * $3 rules, $4 household ids or null. CLEAR_HELD_NOTICES ($1 month, $2 district id, $3 household ids or null) runs first, in the same transaction.
 */
export const CLEAR_HELD_NOTICES = `
DELETE FROM held_notice WHERE month = $1::date AND district_id = $2::uuid AND ($3::uuid[] IS NULL OR household_id = ANY($3::uuid[]))`;

export const RECORD_HELD_NOTICES = `
INSERT INTO held_notice (month, district_id, resident_id, kind, household_id, compound_id, institution_id, reason, masked_name)
SELECT $1::date, $2::uuid, r.resident_id, r.kind, r.household_id, r.compound_id, r.institution_id, r.held_reason, r.masked_name
  FROM (${recipientsSql('$1', '$2', '$3', '$4')}) r
 WHERE r.held_reason IS NOT NULL
ON CONFLICT (month, resident_id, kind) DO UPDATE SET reason = excluded.reason, institution_id = excluded.institution_id, held_at = now()`;

/**
 * Generates the notices a district-month's grades earn under the notice rules, and records each once: a notice in
 * force (same resident, month and kind, not withdrawn) is left as it is, so running this again, or for a household
 * whose grade was corrected, adds only what is missing.
 *
 * Who is written to: recipientsSql. Retirees and freelancers go to the public disclosure draft instead (disclosure/).
 *
 * Parameters: $1 month (first day), $2 district id, $3 rules (jsonb), $4 rule version, $5 words (NOTICE_WORDS),
 * $6 the month in words (2026年10月), $7 the issue date in words, $8 household ids (uuid[]) or null for all.
 * Returns how many notices it added, the institutions they are for, and their ids.
 */
export const GENERATE_NOTICES = `
WITH recipients AS MATERIALIZED (SELECT * FROM (${recipientsSql('$1', '$2', '$3', '$8')}) r WHERE r.held_reason IS NULL),
addressed AS (
  SELECT e.*, i.name AS institution_name,
         CASE e.kind
           WHEN 'PRAISE_LETTER' THEN '本月得分' || trim_scale(e.score) || '分'
                                     || CASE WHEN e.previous_grade = 'QUALIFIED' THEN '，已连续两个月评为合格' ELSE '' END || '。'
           ELSE coalesce((SELECT string_agg(coalesce($5::jsonb->'issues'->>issue, issue), '、' ORDER BY issue) FROM unnest(e.issues) AS issue),
                         '当月多次检查不合格') || '。'
         END AS reasons
    FROM recipients e
    JOIN institution_copy i ON i.id = e.institution_id
),
inserted AS (
  INSERT INTO notice (kind, month, district_id, resident_id, household_id, compound_id, institution_id, resident_name, to_guardian, grade,
                      score, rule_version, template_id, subject, text_body, html_body)
  SELECT a.kind, $1, $2, a.resident_id, a.household_id, a.compound_id, a.institution_id, a.resident_name, a.to_guardian, a.grade,
         a.score, $4, t.id, ${renderSql('t.subject', VALUES)}, ${renderSql('t.text_body', VALUES)}, ${renderSql('t.html_body', HTML_VALUES)}
    FROM addressed a
    -- A notice about a minor is written to the guardian with its own template: month and grade, no inspection details.
    JOIN notice_template t ON t.kind = CASE WHEN a.to_guardian THEN 'GUARDIAN_NOTICE' ELSE a.kind END AND t.locale = 'zh-CN' AND t.active
  ON CONFLICT (resident_id, month, kind) WHERE withdrawn_at IS NULL DO NOTHING
  RETURNING id, institution_id
)
SELECT count(*)::int AS notices, coalesce(array_agg(DISTINCT institution_id), '{}')::text[] AS institutions,
       coalesce(array_agg(id), '{}')::text[] AS "noticeIds"
  FROM inserted`;

/**
 * Withdraws the notices in force of a district-month's households (those in $4) that their grades, as stored now,
 * no longer earn: a corrected grade earns another kind or none, the resident moved out, or changed employer or
 * school (the notice to the new one is generated beside). Parameters: $1 month, $2 district id, $3 rules, $4
 * household ids. Returns the withdrawn notices (a SELECT over the UPDATE: TypeORM answers a bare UPDATE with its count).
 */
export const WITHDRAW_UNEARNED_NOTICES = `
WITH still_earned AS MATERIALIZED (SELECT * FROM (${recipientsSql('$1', '$2', '$3', '$4')}) r WHERE r.held_reason IS NULL),
withdrawn AS (
  UPDATE notice n SET withdrawn_at = now(), withdrawal_reason = 'GRADE_CORRECTED'
   WHERE n.household_id = ANY($4::uuid[]) AND n.month = $1::date AND n.district_id = $2::uuid AND n.withdrawn_at IS NULL
     AND NOT EXISTS (SELECT 1 FROM still_earned s WHERE s.resident_id = n.resident_id AND s.kind = n.kind AND s.institution_id = n.institution_id)
  RETURNING n.id, n.institution_id
)
SELECT id, institution_id AS "institutionId" FROM withdrawn`;

/** '2026-10' → '2026年10月'. */
export function monthInWords(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return `${year}年${m}月`;
}

/** '2026-11-01' → '2026年11月1日'. */
export function dateInWords(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}
