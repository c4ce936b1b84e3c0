import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Monthly grade counts per compound: what the district's metrics read for the sorting-quality pass rate and the
 * upgrades from UNQUALIFIED, so a year of a district's figures sums some eight thousand rows rather than five million
 * grades. A grade belongs to the compound its household is in, as the registry says now.
 *
 * The counts are recomputed from the grades, never adjusted by differences, so they cannot drift: a statement that
 * writes grades recomputes the compounds it touched, for its months and the months after them (whose upgrades read
 * it); a household that is removed or moved recomputes its compounds for every month. A newly registered household has
 * no grades, so inserting households needs nothing (and the seed's bulk inserts stay fast). The recomputation is done
 * in the writing transaction by statement-level triggers, so the metrics never see a grade without its count.
 */
export class CreateGradeMonthTotal1796000000290 implements MigrationInterface {
  name = 'CreateGradeMonthTotal1796000000290';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE grade_month_total (
        compound_id        uuid NOT NULL,
        month              date NOT NULL CHECK (extract(day FROM month) = 1),
        grade_records      integer NOT NULL,
        graded             integer NOT NULL,
        passed             integer NOT NULL,
        unqualified_before integer NOT NULL,
        upgraded           integer NOT NULL,
        PRIMARY KEY (compound_id, month)
      )`);
    await runner.query(`CREATE INDEX grade_month_total_month ON grade_month_total (month)`);
    // months NULL: every month. Driven by the compounds' households (household_address, compound first), each household's
    // grades read through monthly_grade_household in a LATERAL subquery that OFFSET 0 keeps from being flattened: the
    // month's statistics are stale while a run writes it, and would otherwise lead the planner to scan the whole month.
    await runner.query(`
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
      $$`);
    await runner.query(`
      CREATE FUNCTION grade_month_total_after_grades() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        compounds uuid[];
        months date[];
      BEGIN
        IF TG_OP = 'DELETE' THEN
          SELECT array_agg(DISTINCT (SELECT compound_id FROM household WHERE id = g.household_id)) INTO compounds FROM old_rows g;
          SELECT array_agg(DISTINCT m) INTO months FROM old_rows g, LATERAL (VALUES (g.month), ((g.month + interval '1 month')::date)) v(m);
        ELSE
          SELECT array_agg(DISTINCT (SELECT compound_id FROM household WHERE id = g.household_id)) INTO compounds FROM new_rows g;
          SELECT array_agg(DISTINCT m) INTO months FROM new_rows g, LATERAL (VALUES (g.month), ((g.month + interval '1 month')::date)) v(m);
        END IF;
        compounds := array_remove(compounds, NULL);
        IF cardinality(compounds) > 0 THEN
          PERFORM grade_month_total_refresh(compounds, months);
        END IF;
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE FUNCTION grade_month_total_after_households() RETURNS trigger LANGUAGE plpgsql AS $$
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
        END IF;
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE FUNCTION grade_month_total_clear() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE grade_month_total;
        RETURN NULL;
      END $$`);
    for (const [name, table, event, transition] of [
      ['grades_insert', 'monthly_grade', 'INSERT', 'NEW TABLE AS new_rows'],
      ['grades_update', 'monthly_grade', 'UPDATE', 'NEW TABLE AS new_rows'],
      ['grades_delete', 'monthly_grade', 'DELETE', 'OLD TABLE AS old_rows'],
      ['households_update', 'household', 'UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
      ['households_delete', 'household', 'DELETE', 'OLD TABLE AS old_rows'],
    ]) {
      const action = table === 'monthly_grade' ? 'grade_month_total_after_grades' : 'grade_month_total_after_households';
      await runner.query(
        `CREATE TRIGGER grade_month_total_${name} AFTER ${event} ON ${table} REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION ${action}()`,
      );
    }
    for (const table of ['monthly_grade', 'household']) {
      await runner.query(`CREATE TRIGGER grade_month_total_${table}_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION grade_month_total_clear()`);
    }
    await runner.query(`SELECT grade_month_total_refresh(ARRAY(SELECT DISTINCT compound_id FROM household), NULL)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const [name, table] of [
      ['grades_insert', 'monthly_grade'], ['grades_update', 'monthly_grade'], ['grades_delete', 'monthly_grade'], ['households_update', 'household'],
      ['households_delete', 'household'], ['monthly_grade_truncate', 'monthly_grade'], ['household_truncate', 'household'],
    ]) {
      await runner.query(`DROP TRIGGER grade_month_total_${name} ON ${table}`);
    }
    await runner.query(`DROP FUNCTION grade_month_total_after_grades()`);
    await runner.query(`DROP FUNCTION grade_month_total_after_households()`);
    await runner.query(`DROP FUNCTION grade_month_total_clear()`);
    await runner.query(`DROP FUNCTION grade_month_total_refresh(uuid[], date[])`);
    await runner.query(`DROP TABLE grade_month_total`);
  }
}
