import { htmlEscapeSql } from '#libs/html';
import { earnedSql, renderSql } from '../notices/notice-sql.js';

/**
 * Who a district-month's disclosure lists: every adult RETIRED or FREELANCE resident of a household whose grade
 * earned a praise letter or a reminder notice under the notice rules (the same decision as notices, earnedSql), and
 * only with a recorded ground for disclosure (CONSENT or REGULATION) and a masked name. Minors, residents without a
 * ground (NONE) and anyone households sent no masked name for are never listed. The place is the community and the
 * compound, from the territory copy: nothing finer exists here.
 *
 * Arguments are SQL expressions: month (date), district id, rules (jsonb), household ids (uuid[] or null for all).
 */
export function disclosableSql(month: string, districtId: string, rules: string, householdIds: string): string {
  return `
  SELECT g.resident_id, e.household_id, e.compound_id, g.masked_name,
         CASE e.kind WHEN 'PRAISE_LETTER' THEN 'PRAISE' ELSE 'REMINDER' END AS kind, e.grade,
         concat_ws(' ', community.name, compound.name) AS place
    FROM (${earnedSql(month, districtId, rules, householdIds)}) AS e
    JOIN graded_resident g ON g.month = ${month}::date AND g.household_id = e.household_id
    LEFT JOIN territory_unit compound ON compound.id = e.compound_id
    LEFT JOIN territory_unit community ON community.id = compound.parent_id AND community.kind = 'COMMUNITY'
   WHERE e.kind IS NOT NULL
     AND g.occupation IN ('RETIRED', 'FREELANCE') AND NOT g.minor
     AND g.disclosure_basis IN ('CONSENT', 'REGULATION')
     AND g.masked_name IS NOT NULL AND g.masked_name LIKE '%*%'`;
}

/**
 * Brings a DRAFT's entries in line with the grades, set-based: adds who is now disclosable, updates what changed
 * (kind, grade, place) and removes who no longer is, among all the month's households or only `$4`'s (a correction).
 * An entry staff excluded stays excluded while it is still disclosable. Running it again changes nothing.
 *
 * Parameters: $1 month (first day), $2 district id, $3 rules (jsonb), $4 household ids (uuid[]) or null, $5 disclosure id.
 * Returns how many entries it added, changed and removed.
 */
export const REFRESH_DRAFT = `
WITH desired AS MATERIALIZED (${disclosableSql('$1', '$2', '$3', '$4')}),
upserted AS (
  INSERT INTO public_disclosure_entry AS x (disclosure_id, resident_id, household_id, compound_id, masked_name, place, kind, grade)
  SELECT $5, resident_id, household_id, compound_id, masked_name, place, kind, grade FROM desired
  ON CONFLICT (disclosure_id, resident_id) DO UPDATE
     SET household_id = excluded.household_id, compound_id = excluded.compound_id, masked_name = excluded.masked_name,
         place = excluded.place, kind = excluded.kind, grade = excluded.grade, updated_at = now()
   WHERE (x.household_id, x.compound_id, x.masked_name, x.place, x.kind, x.grade)
         IS DISTINCT FROM (excluded.household_id, excluded.compound_id, excluded.masked_name, excluded.place, excluded.kind, excluded.grade)
  RETURNING x.xmax = 0 AS added
),
removed AS (
  DELETE FROM public_disclosure_entry x
   WHERE x.disclosure_id = $5 AND ($4::uuid[] IS NULL OR x.household_id = ANY($4::uuid[]))
     AND NOT EXISTS (SELECT 1 FROM desired d WHERE d.resident_id = x.resident_id)
  RETURNING 1
)
SELECT count(*) FILTER (WHERE added)::int AS added, count(*) FILTER (WHERE NOT added)::int AS changed,
       (SELECT count(*) FROM removed)::int AS removed
  FROM upserted`;

/**
 * How an approved disclosure differs from what the grades now say, for the households `$4` (uuid[]): entries the
 * grades would add, remove, or give another kind or grade. `$5` is the disclosure; `$1`–`$3` as for REFRESH_DRAFT.
 * One row per differing resident, with its household and compound.
 */
export const DIFFERENCES = `
WITH desired AS MATERIALIZED (${disclosableSql('$1', '$2', '$3', '$4')}),
current AS (
  SELECT resident_id, household_id, compound_id, kind, grade FROM public_disclosure_entry
   WHERE disclosure_id = $5 AND household_id = ANY($4::uuid[])
)
SELECT coalesce(d.household_id, c.household_id) AS household_id, coalesce(d.compound_id, c.compound_id) AS compound_id,
       CASE WHEN c.resident_id IS NULL THEN 'ADD' WHEN d.resident_id IS NULL THEN 'REMOVE' ELSE 'CHANGE' END AS difference
  FROM desired d FULL JOIN current c ON c.resident_id = d.resident_id
 WHERE c.resident_id IS NULL OR d.resident_id IS NULL OR (d.kind, d.grade) IS DISTINCT FROM (c.kind, c.grade)`;

/** The row DIFFERENCE_COUNTS selects. */
export interface DifferenceCounts {
  households: number;
  added: number;
  removed: number;
  changed: number;
}

/** Counts of DIFFERENCES rows (wrapped around it as `diff`). */
export const DIFFERENCE_COUNTS = `count(DISTINCT household_id)::int AS households,
  count(*) FILTER (WHERE difference = 'ADD')::int AS added, count(*) FILTER (WHERE difference = 'REMOVE')::int AS removed,
  count(*) FILTER (WHERE difference = 'CHANGE')::int AS changed`;

const KIND_WORDS = `CASE e.kind WHEN 'PRAISE' THEN '表扬' ELSE '提醒' END`;
const GRADE_WORDS = `coalesce($5::jsonb->'grades'->>e.grade, e.grade)`;

const VALUES = {
  institutionName: 'NULL::text',
  residentName: 'NULL::text',
  grade: 'NULL::text',
  reasons: 'NULL::text',
  month: '$3::text',
  issuedOn: '$4::text',
};
const HTML_VALUES = { ...VALUES, month: htmlEscapeSql(VALUES.month), issuedOn: htmlEscapeSql(VALUES.issuedOn) };

/**
 * Publishes an APPROVED disclosure: renders the active PUBLIC_DISCLOSURE template with the month, the issue date and
 * the included entries as {{entries}} (grouped praise first, then reminders; each a masked name, the place and the
 * grade in words; escaped in the HTML form) and stores subject, text and HTML with the state PUBLISHED.
 *
 * Parameters: $1 disclosure id, $2 actor, $3 the month in words, $4 the issue date in words, $5 words (NOTICE_WORDS).
 * Returns the id, or nothing when the disclosure is not APPROVED or no template is active.
 */
export const PUBLISH = `
WITH numbered AS (
  SELECT e.*, row_number() OVER (PARTITION BY e.kind ORDER BY e.place, e.masked_name, e.id) AS n
    FROM public_disclosure_entry e WHERE e.disclosure_id = $1 AND e.excluded_at IS NULL
),
groups AS (
  SELECT e.kind,
         ${KIND_WORDS} || '（共' || count(*) || '人）：' || E'\\n'
           || string_agg(e.n || '. ' || e.masked_name || '，' || e.place || '，评为“' || ${GRADE_WORDS} || '”', E'\\n' ORDER BY e.n) AS text,
         '<h4>' || ${KIND_WORDS} || '（共' || count(*) || '人）</h4>' || E'\\n<ol>\\n'
           || string_agg('<li>' || ${htmlEscapeSql('e.masked_name')} || '，' || ${htmlEscapeSql('e.place')} || '，评为“'
                         || ${htmlEscapeSql(GRADE_WORDS)} || '”</li>', E'\\n' ORDER BY e.n) || E'\\n</ol>' AS html
    FROM numbered e GROUP BY e.kind
),
rendered AS (
  SELECT coalesce(string_agg(text, E'\\n\\n' ORDER BY kind), '') AS text, coalesce(string_agg(html, E'\\n' ORDER BY kind), '') AS html FROM groups
),
published AS (
  UPDATE public_disclosure d
     SET state = 'PUBLISHED', published_by = $2, published_at = now(), template_id = t.id,
         subject = ${renderSql('t.subject', VALUES)},
         text_body = replace(${renderSql('t.text_body', VALUES)}, '{{entries}}', r.text),
         html_body = replace(${renderSql('t.html_body', HTML_VALUES)}, '{{entries}}', r.html)
    FROM notice_template t CROSS JOIN rendered r
   WHERE d.id = $1 AND d.state = 'APPROVED' AND t.kind = 'PUBLIC_DISCLOSURE' AND t.locale = 'zh-CN' AND t.active
  RETURNING d.id
)
SELECT id FROM published`;
