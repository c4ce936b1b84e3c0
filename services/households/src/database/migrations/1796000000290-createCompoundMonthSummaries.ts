import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * What the district's metrics read besides collection_month_total (migration 1796000000280), per compound and month:
 *
 * - grade_month_total: a month's grades (all, GRADED, passed) and its upgrades (households UNQUALIFIED the month
 *   before, and how many of them are QUALIFIED now), so a year of a district's figures sums some eight thousand rows
 *   rather than five million grades;
 * - letter_month_total: commitment letters by signing month, and how many were their household's first (a household
 *   that signed twice counts once towards coverage); the metrics add the months up to the one asked for.
 *
 * A grade or letter counts in the compound its household is in, as the registry says now. The counts are recomputed
 * from the rows, never adjusted by differences, so they cannot drift: a statement that writes grades recomputes the
 * compounds it touched for its months and the months after them (whose upgrades read it); one that writes letters
 * recomputes its compounds; a household removed or moved recomputes its compounds. A newly registered household has no
 * grades or letters yet, so inserting households needs nothing (and the seed's bulk inserts stay fast). Statement-level
 * triggers do it in the writing transaction, so the metrics never see a grade or letter without its count.
 *
 * Households are looked up by key, and each household's grades read through monthly_grade_household, whatever the
 * statistics say: a month's statistics are stale while an evaluation run writes it, and would otherwise lead the
 * planner to scan the whole month for one community's chunk.
 */
export class CreateCompoundMonthSummaries1796000000290 implements MigrationInterface {
  name = 'CreateCompoundMonthSummaries1796000000290';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE grade_month_total (
        compound_id        uuid NOT NULL,
        month              date NOT NULL CHECK (extract(day FROM month) = 1),
        grade_records      integer NOT NULL,
        graded             integer NOT NULL,
        passed             integer NOT NULL,
        unqualified_before integer NOT NULL,
        upgraded           integer NOT NULL,
        PRIMARY KEY (compound_id, month)
      )`,
    );
    await execute(runner, `CREATE INDEX grade_month_total_month ON grade_month_total (month)`);
    await execute(
      runner,
      `
      CREATE TABLE letter_month_total (
        compound_id   uuid NOT NULL,
        month         date NOT NULL CHECK (extract(day FROM month) = 1),
        letters       integer NOT NULL,
        first_letters integer NOT NULL,
        PRIMARY KEY (compound_id, month)
      )`,
    );

    await execute(
      runner,
      `
      CREATE FUNCTION compounds_of_households(households uuid[]) RETURNS uuid[] LANGUAGE sql STABLE AS $$
        SELECT array_remove(array_agg(DISTINCT (SELECT compound_id FROM household WHERE id = h)), NULL) FROM unnest(households) AS h
      $$`,
    );
    // months NULL: every month. OFFSET 0 keeps each LATERAL subquery from being flattened into a join the month's
    // statistics would plan.
    await execute(
      runner,
      `
      CREATE FUNCTION grade_month_total_refresh(compounds uuid[], months date[]) RETURNS void LANGUAGE sql AS $$
        DELETE FROM grade_month_total WHERE compound_id = ANY(compounds) AND (months IS NULL OR month = ANY(months));
        INSERT INTO grade_month_total AS t (compound_id, month, grade_records, graded, passed, unqualified_before, upgraded)
        SELECT compound_id, month, sum(grade_records), sum(graded), sum(passed), sum(unqualified_before), sum(upgraded)
          FROM (
            SELECT h.compound_id, g.month, 1 AS grade_records, (g.status = 'GRADED')::int AS graded,
                   coalesce(g.grade IN ('QUALIFIED', 'BASICALLY_QUALIFIED'), false)::int AS passed, 0 AS unqualified_before, 0 AS upgraded
              FROM household h
             CROSS JOIN LATERAL (
               SELECT month, status, grade FROM monthly_grade WHERE household_id = h.id AND (months IS NULL OR month = ANY(months)) OFFSET 0
             ) g
             WHERE h.compound_id = ANY(compounds)
            UNION ALL
            -- Upgrades of a month are read from the month before: UNQUALIFIED then, and which of them are QUALIFIED now.
            SELECT h.compound_id, u.month, 0, 0, 0, 1, u.upgraded
              FROM household h
             CROSS JOIN LATERAL (
               SELECT (p.month + interval '1 month')::date AS month,
                      EXISTS (SELECT 1 FROM monthly_grade n
                               WHERE n.household_id = h.id AND n.month = (p.month + interval '1 month')::date AND n.grade = 'QUALIFIED')::int AS upgraded
                 FROM monthly_grade p
                WHERE p.household_id = h.id AND p.grade = 'UNQUALIFIED' AND (months IS NULL OR (p.month + interval '1 month')::date = ANY(months))
               OFFSET 0
             ) u
             WHERE h.compound_id = ANY(compounds)
          ) counted
         GROUP BY 1, 2
        -- Two transactions recomputing one compound at once both insert: the later one's counts stand.
        ON CONFLICT (compound_id, month) DO UPDATE
           SET grade_records = excluded.grade_records, graded = excluded.graded, passed = excluded.passed,
               unqualified_before = excluded.unqualified_before, upgraded = excluded.upgraded;
      $$`,
    );
    await execute(
      runner,
      `
      CREATE FUNCTION letter_month_total_refresh(compounds uuid[]) RETURNS void LANGUAGE sql AS $$
        DELETE FROM letter_month_total WHERE compound_id = ANY(compounds);
        INSERT INTO letter_month_total AS t (compound_id, month, letters, first_letters)
        SELECT h.compound_id, date_trunc('month', l.signed_on)::date, count(*),
               count(*) FILTER (WHERE l.signed_on = (SELECT min(f.signed_on) FROM commitment_letter f WHERE f.household_id = l.household_id))
          FROM household h JOIN commitment_letter l ON l.household_id = h.id
         WHERE h.compound_id = ANY(compounds)
         GROUP BY 1, 2
        ON CONFLICT (compound_id, month) DO UPDATE SET letters = excluded.letters, first_letters = excluded.first_letters;
      $$`,
    );

    // A grade's or letter's household removed in the same statement has no compound here: its own trigger counts it out.
    await execute(
      runner,
      `
      CREATE FUNCTION grade_month_total_after_grades() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        compounds uuid[];
        months date[];
      BEGIN
        IF TG_OP = 'DELETE' THEN
          compounds := compounds_of_households(ARRAY(SELECT household_id FROM old_rows));
          SELECT array_agg(DISTINCT m) INTO months FROM old_rows g, LATERAL (VALUES (g.month), ((g.month + interval '1 month')::date)) v(m);
        ELSE
          compounds := compounds_of_households(ARRAY(SELECT household_id FROM new_rows));
          SELECT array_agg(DISTINCT m) INTO months FROM new_rows g, LATERAL (VALUES (g.month), ((g.month + interval '1 month')::date)) v(m);
        END IF;
        IF cardinality(compounds) > 0 THEN
          PERFORM grade_month_total_refresh(compounds, months);
        END IF;
        RETURN NULL;
      END $$`,
    );
    await execute(
      runner,
      `
      CREATE FUNCTION letter_month_total_after_letters() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        compounds uuid[];
      BEGIN
        IF TG_OP = 'DELETE' THEN
          compounds := compounds_of_households(ARRAY(SELECT household_id FROM old_rows));
        ELSIF TG_OP = 'UPDATE' THEN
          compounds := compounds_of_households(ARRAY(SELECT household_id FROM old_rows UNION SELECT household_id FROM new_rows));
        ELSE
          compounds := compounds_of_households(ARRAY(SELECT household_id FROM new_rows));
        END IF;
        IF cardinality(compounds) > 0 THEN
          PERFORM letter_month_total_refresh(compounds);
        END IF;
        RETURN NULL;
      END $$`,
    );
    await execute(
      runner,
      `
      CREATE FUNCTION compound_month_summaries_after_households() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        compounds uuid[];
      BEGIN
        IF TG_OP = 'DELETE' THEN
          SELECT array_agg(DISTINCT compound_id) INTO compounds FROM old_rows;
        ELSE
          SELECT array_agg(DISTINCT c) INTO compounds
            FROM old_rows o JOIN new_rows n ON n.id = o.id, LATERAL (VALUES (o.compound_id), (n.compound_id)) v(c)
           WHERE o.compound_id <> n.compound_id;
        END IF;
        IF compounds IS NOT NULL THEN
          PERFORM grade_month_total_refresh(compounds, NULL);
          PERFORM letter_month_total_refresh(compounds);
        END IF;
        RETURN NULL;
      END $$`,
    );
    await execute(
      runner,
      `
      CREATE FUNCTION compound_month_summaries_clear() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME IN ('monthly_grade', 'household') THEN
          TRUNCATE grade_month_total;
        END IF;
        IF TG_TABLE_NAME IN ('commitment_letter', 'household') THEN
          TRUNCATE letter_month_total;
        END IF;
        RETURN NULL;
      END $$`,
    );
    for (const [name, table, event, transition, action] of TRIGGERS) {
      await execute(
        runner,
        `CREATE TRIGGER ${name} AFTER ${event} ON ${table} REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION ${action}()`,
      );
    }
    for (const table of TRUNCATED) {
      await execute(
        runner,
        `CREATE TRIGGER compound_month_summaries_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION compound_month_summaries_clear()`,
      );
    }
    await execute(runner, `SELECT grade_month_total_refresh(ARRAY(SELECT DISTINCT compound_id FROM household), NULL)`);
    await execute(runner, `SELECT letter_month_total_refresh(ARRAY(SELECT DISTINCT compound_id FROM household))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const [name, table] of TRIGGERS) await execute(runner, `DROP TRIGGER ${name} ON ${table}`);
    for (const table of TRUNCATED) await execute(runner, `DROP TRIGGER compound_month_summaries_truncate ON ${table}`);
    for (const fn of [
      'compound_month_summaries_clear()',
      'compound_month_summaries_after_households()',
      'letter_month_total_after_letters()',
      'grade_month_total_after_grades()',
      'letter_month_total_refresh(uuid[])',
      'grade_month_total_refresh(uuid[], date[])',
      'compounds_of_households(uuid[])',
    ]) {
      await execute(runner, `DROP FUNCTION ${fn}`);
    }
    await execute(runner, `DROP TABLE letter_month_total`);
    await execute(runner, `DROP TABLE grade_month_total`);
  }
}

const TRIGGERS: [name: string, table: string, event: string, transition: string, action: string][] = [
  ['grade_month_total_insert', 'monthly_grade', 'INSERT', 'NEW TABLE AS new_rows', 'grade_month_total_after_grades'],
  ['grade_month_total_update', 'monthly_grade', 'UPDATE', 'NEW TABLE AS new_rows', 'grade_month_total_after_grades'],
  ['grade_month_total_delete', 'monthly_grade', 'DELETE', 'OLD TABLE AS old_rows', 'grade_month_total_after_grades'],
  ['letter_month_total_insert', 'commitment_letter', 'INSERT', 'NEW TABLE AS new_rows', 'letter_month_total_after_letters'],
  [
    'letter_month_total_update',
    'commitment_letter',
    'UPDATE',
    'OLD TABLE AS old_rows NEW TABLE AS new_rows',
    'letter_month_total_after_letters',
  ],
  ['letter_month_total_delete', 'commitment_letter', 'DELETE', 'OLD TABLE AS old_rows', 'letter_month_total_after_letters'],
  [
    'compound_month_summaries_update',
    'household',
    'UPDATE',
    'OLD TABLE AS old_rows NEW TABLE AS new_rows',
    'compound_month_summaries_after_households',
  ],
  ['compound_month_summaries_delete', 'household', 'DELETE', 'OLD TABLE AS old_rows', 'compound_month_summaries_after_households'],
];
const TRUNCATED = ['monthly_grade', 'commitment_letter', 'household'];
