import { PERSON_GIVEN_NAMES, PERSON_SURNAMES } from './names.js';

/** A deterministic number in [0, 1e6) from text, in SQL. */
const hash = (text: string) => `(abs(hashtext(${text})) % 1000000)`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
const SURNAMES = literal(PERSON_SURNAMES);
const GIVEN_NAMES = `ARRAY[${PERSON_GIVEN_NAMES.map(literal).join(', ')}]::text[]`;

/** SQL placeholders (or expressions) the resident derivation reads. */
export interface DemoResidentsSqlInputs {
  /** A FROM item naming the households `h` with at least a uuid column `id`, e.g. `household h`. */
  households: string;
  /** uuid[] of the plan's EMPLOYER institutions, in plan order. */
  employers: string;
  /** uuid[] of the plan's SCHOOL institutions, in plan order. */
  schools: string;
  /** The current year (int): birth years count back from it. */
  thisYear: string;
}

/**
 * THE derivation of the demo residents from household ids, in one place: households' seed inserts these rows as
 * residents, organization's seed takes the party members among them (`demoPartyMembersSql`), so a party member id,
 * household and employer are the same in both databases. Each household has 1–4 residents; the first is an adult.
 * Adults work (55%), are retired (25%), freelance (10%) or other; younger ones are students at a school. About 6%
 * of working adults are party members, with `party_member_id = md5(household id || ':' || n || ':member')`.
 *
 * Columns: id, household_id, n, name, phone, occupation, institution_id, party_member_id, birth_date (a day), disclosure_basis.
 */
export function demoResidentsSql(inputs: DemoResidentsSqlInputs): string {
  const { employers, schools, thisYear } = inputs;
  return `
    SELECT md5(h.id::text || ':' || n)::uuid AS id, h.id AS household_id, n,
           substr(${SURNAMES}, 1 + ${hash(`h.id::text || n || 's'`)} % char_length(${SURNAMES}), 1) || (${GIVEN_NAMES})[1 + ${hash(`h.id::text || n || 'g'`)} % cardinality(${GIVEN_NAMES})] AS name,
           CASE WHEN adult THEN '1' || (3 + ${hash(`h.id::text || n || 'p'`)} % 7)::text || lpad((${hash(`h.id::text || n || 'q'`)} * 1000 + ${hash(`h.id::text || n || 'r'`)} % 1000)::text, 9, '0') END AS phone,
           occupation,
           CASE occupation WHEN 'EMPLOYED' THEN (${employers})[1 + ${hash(`h.id::text || n || 'e'`)} % cardinality(${employers})]
                           WHEN 'STUDENT' THEN (${schools})[1 + ${hash(`h.id::text || n || 'c'`)} % cardinality(${schools})] END AS institution_id,
           CASE WHEN occupation = 'EMPLOYED' AND ${hash(`h.id::text || n || 'm'`)} % 100 < 6 THEN md5(h.id::text || ':' || n || ':member')::uuid END AS party_member_id,
           make_date(birth_year, 1 + ${hash(`h.id::text || n || 'bm'`)} % 12, 1 + ${hash(`h.id::text || n || 'bd'`)} % 28) AS birth_date,
           -- Half of the retirees and freelancers have a recorded ground for public disclosure.
           CASE WHEN occupation IN ('RETIRED', 'FREELANCE') THEN
             (ARRAY['NONE', 'NONE', 'CONSENT', 'CONSENT', 'REGULATION'])[1 + ${hash(`h.id::text || n || 'd'`)} % 5] ELSE 'NONE' END AS disclosure_basis
      FROM ${inputs.households}
      CROSS JOIN LATERAL generate_series(1, 1 + ${hash(`h.id::text || 'size'`)} % 4) AS n
      CROSS JOIN LATERAL (SELECT n = 1 OR ${hash(`h.id::text || n || 'a'`)} % 100 < 55 AS adult) AS a
      CROSS JOIN LATERAL (
        SELECT CASE WHEN NOT adult THEN 'STUDENT'
                    WHEN ${hash(`h.id::text || n || 'o'`)} % 100 < 55 THEN 'EMPLOYED'
                    WHEN ${hash(`h.id::text || n || 'o'`)} % 100 < 80 THEN 'RETIRED'
                    WHEN ${hash(`h.id::text || n || 'o'`)} % 100 < 90 THEN 'FREELANCE' ELSE 'OTHER' END AS occupation,
               CASE WHEN NOT adult THEN ${thisYear}::int - 6 - ${hash(`h.id::text || n || 'y'`)} % 12
                    ELSE ${thisYear}::int - 22 - ${hash(`h.id::text || n || 'y'`)} % 60 END AS birth_year
      ) AS o`;
}

/**
 * The demo party members (党员) among the demo residents: id (= the resident's party_member_id), household_id,
 * institution_id (their employer), name and phone (the resident's).
 */
export function demoPartyMembersSql(inputs: DemoResidentsSqlInputs): string {
  return `
    SELECT r.party_member_id AS id, r.household_id, r.institution_id, r.name, r.phone
      FROM (${demoResidentsSql(inputs)}) r
     WHERE r.party_member_id IS NOT NULL`;
}

/** A demo person's name (surname + given name) drawn from `seed` (SQL text), the way residents' names are. */
export function demoPersonNameSql(seed: string): string {
  return `substr(${SURNAMES}, 1 + ${hash(`${seed} || 's'`)} % char_length(${SURNAMES}), 1) || (${GIVEN_NAMES})[1 + ${hash(`${seed} || 'g'`)} % cardinality(${GIVEN_NAMES})]`;
}
