import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Commitment letters per compound and signing month: how many were signed, and how many of them were their
 * household's first (so a household that signed twice counts once towards coverage). The metrics add the months up
 * to the one asked for. Kept like grade_month_total (migration 1796000000290): recomputed from the letters, for every
 * month of the compounds a statement touched, by statement-level triggers on commitment_letter and household, in the
 * writing transaction. A letter removed with its household is counted out by the household's trigger.
 */
export class CreateLetterMonthTotal1796000000291 implements MigrationInterface {
  name = 'CreateLetterMonthTotal1796000000291';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE letter_month_total (
        compound_id   uuid NOT NULL,
        month         date NOT NULL CHECK (extract(day FROM month) = 1),
        letters       integer NOT NULL,
        first_letters integer NOT NULL,
        PRIMARY KEY (compound_id, month)
      )`);
    await runner.query(`
      CREATE FUNCTION letter_month_total_refresh(compounds uuid[]) RETURNS void LANGUAGE sql AS $$
        DELETE FROM letter_month_total WHERE compound_id = ANY(compounds);
        INSERT INTO letter_month_total AS t (compound_id, month, letters, first_letters)
        SELECT h.compound_id, date_trunc('month', l.signed_on)::date, count(*),
               count(*) FILTER (WHERE l.signed_on = (SELECT min(f.signed_on) FROM commitment_letter f WHERE f.household_id = l.household_id))
          FROM household h JOIN commitment_letter l ON l.household_id = h.id
         WHERE h.compound_id = ANY(compounds)
         GROUP BY 1, 2
        ON CONFLICT (compound_id, month) DO UPDATE SET letters = excluded.letters, first_letters = excluded.first_letters;
      $$`);
    await runner.query(`
      CREATE FUNCTION letter_month_total_after_letters() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        compounds uuid[];
      BEGIN
        IF TG_OP = 'DELETE' THEN
          SELECT array_agg(DISTINCT (SELECT compound_id FROM household WHERE id = l.household_id)) INTO compounds FROM old_rows l;
        ELSIF TG_OP = 'UPDATE' THEN
          SELECT array_agg(DISTINCT (SELECT compound_id FROM household WHERE id = l.household_id)) INTO compounds
            FROM (SELECT household_id FROM old_rows UNION SELECT household_id FROM new_rows) l;
        ELSE
          SELECT array_agg(DISTINCT (SELECT compound_id FROM household WHERE id = l.household_id)) INTO compounds FROM new_rows l;
        END IF;
        -- Letters of a household removed in the same statement have no compound here: its own trigger counts them out.
        compounds := array_remove(compounds, NULL);
        IF cardinality(compounds) > 0 THEN
          PERFORM letter_month_total_refresh(compounds);
        END IF;
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE FUNCTION letter_month_total_after_households() RETURNS trigger LANGUAGE plpgsql AS $$
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
          PERFORM letter_month_total_refresh(compounds);
        END IF;
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE FUNCTION letter_month_total_clear() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE letter_month_total;
        RETURN NULL;
      END $$`);
    for (const [name, table, event, transition] of TRIGGERS) {
      const action = table === 'commitment_letter' ? 'letter_month_total_after_letters' : 'letter_month_total_after_households';
      await runner.query(
        `CREATE TRIGGER letter_month_total_${name} AFTER ${event} ON ${table} REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION ${action}()`,
      );
    }
    for (const table of ['commitment_letter', 'household']) {
      await runner.query(`CREATE TRIGGER letter_month_total_${table}_truncate AFTER TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION letter_month_total_clear()`);
    }
    await runner.query(`SELECT letter_month_total_refresh(ARRAY(SELECT DISTINCT compound_id FROM household))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const [name, table] of [...TRIGGERS, ['commitment_letter_truncate', 'commitment_letter'], ['household_truncate', 'household']]) {
      await runner.query(`DROP TRIGGER letter_month_total_${name} ON ${table}`);
    }
    await runner.query(`DROP FUNCTION letter_month_total_after_letters()`);
    await runner.query(`DROP FUNCTION letter_month_total_after_households()`);
    await runner.query(`DROP FUNCTION letter_month_total_clear()`);
    await runner.query(`DROP FUNCTION letter_month_total_refresh(uuid[])`);
    await runner.query(`DROP TABLE letter_month_total`);
  }
}

const TRIGGERS: [name: string, table: string, event: string, transition: string][] = [
  ['letters_insert', 'commitment_letter', 'INSERT', 'NEW TABLE AS new_rows'],
  ['letters_update', 'commitment_letter', 'UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
  ['letters_delete', 'commitment_letter', 'DELETE', 'OLD TABLE AS old_rows'],
  ['households_update', 'household', 'UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
  ['households_delete', 'household', 'DELETE', 'OLD TABLE AS old_rows'],
];
