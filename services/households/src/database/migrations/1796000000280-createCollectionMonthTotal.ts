import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

const KEY = 'compound_id, month, stream, destination';

/** Adds the rows of the transition table new_rows, in key order so concurrent imports lock the totals alike. */
const ADD_NEW_ROWS = `
    INSERT INTO collection_month_total AS t (${KEY}, records, weight_kg)
    SELECT compound_id, date_trunc('month', day)::date, stream, destination, count(*), sum(weight_kg)
      FROM new_rows GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (${KEY}) DO UPDATE SET records = t.records + excluded.records, weight_kg = t.weight_kg + excluded.weight_kg;`;

/** Takes away the rows of the transition table old_rows (their totals exist), and drops totals left with no record. */
const SUBTRACT_OLD_ROWS = `
    UPDATE collection_month_total t SET records = t.records - o.records, weight_kg = t.weight_kg - o.weight_kg
      FROM (SELECT compound_id, date_trunc('month', day)::date AS month, stream, destination, count(*) AS records, sum(weight_kg) AS weight_kg
              FROM old_rows GROUP BY 1, 2, 3, 4) o
     WHERE (t.compound_id, t.month, t.stream, t.destination) = (o.compound_id, o.month, o.stream, o.destination);
    DELETE FROM collection_month_total
     WHERE records = 0 AND (compound_id, month) IN (SELECT compound_id, date_trunc('month', day)::date FROM old_rows);`;

/**
 * Monthly totals of collection records per compound, stream and destination: what the district's metrics read, so a
 * year of a district's figures sums some fifty thousand totals rather than millions of daily records. Kept exact by
 * statement-level triggers on collection_record, in the writing transaction: an import of any size adds its rows
 * once, from its transition table, and whatever writes records (the API, an import, the demo seed, a correction by
 * hand) keeps the totals right. Which destinations count as recycled or harmlessly treated is decided when the
 * metrics are read (metrics/metric-definitions.ts), so a change of formula needs no rebuild.
 */
export class CreateCollectionMonthTotal1796000000280 implements MigrationInterface {
  name = 'CreateCollectionMonthTotal1796000000280';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      CREATE TABLE collection_month_total (
        compound_id uuid NOT NULL,
        month       date NOT NULL CHECK (extract(day FROM month) = 1),
        stream      text NOT NULL,
        destination text NOT NULL,
        records     integer NOT NULL CHECK (records >= 0),
        weight_kg   numeric(16, 2) NOT NULL CHECK (weight_kg >= 0),
        PRIMARY KEY (${KEY})
      )`,
    );
    await execute(runner, `CREATE INDEX collection_month_total_month ON collection_month_total (month)`);
    await execute(
      runner,
      `
      CREATE FUNCTION collection_month_total_apply() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          ${SUBTRACT_OLD_ROWS}
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          ${ADD_NEW_ROWS}
        END IF;
        RETURN NULL;
      END $$`,
    );
    await execute(
      runner,
      `
      CREATE FUNCTION collection_month_total_clear() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        TRUNCATE collection_month_total;
        RETURN NULL;
      END $$`,
    );
    await execute(
      runner,
      `
      CREATE TRIGGER collection_month_total_insert AFTER INSERT ON collection_record
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION collection_month_total_apply()`,
    );
    await execute(
      runner,
      `
      CREATE TRIGGER collection_month_total_update AFTER UPDATE ON collection_record
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION collection_month_total_apply()`,
    );
    await execute(
      runner,
      `
      CREATE TRIGGER collection_month_total_delete AFTER DELETE ON collection_record
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION collection_month_total_apply()`,
    );
    await execute(
      runner,
      `
      CREATE TRIGGER collection_month_total_truncate AFTER TRUNCATE ON collection_record
        FOR EACH STATEMENT EXECUTE FUNCTION collection_month_total_clear()`,
    );
    await execute(
      runner,
      `
      INSERT INTO collection_month_total (${KEY}, records, weight_kg)
      SELECT compound_id, date_trunc('month', day)::date, stream, destination, count(*), sum(weight_kg) FROM collection_record GROUP BY 1, 2, 3, 4`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const operation of ['insert', 'update', 'delete', 'truncate']) {
      await execute(runner, `DROP TRIGGER collection_month_total_${operation} ON collection_record`);
    }
    await execute(runner, `DROP FUNCTION collection_month_total_apply()`);
    await execute(runner, `DROP FUNCTION collection_month_total_clear()`);
    await execute(runner, `DROP TABLE collection_month_total`);
  }
}
