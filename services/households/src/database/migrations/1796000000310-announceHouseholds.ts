import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/** Snapshots per `households.changed` event: HOUSEHOLDS_PER_EVENT in libs/messaging, repeated here because SQL holds it. */
const HOUSEHOLDS_PER_EVENT = 1000;

/**
 * The registry announces its households (`households.changed`), so enforcement can keep a copy and check the
 * household a case names. A snapshot carries only the id, the compound, floating population, whether it was removed,
 * and a version: never an address below the compound, names or residents.
 *
 * Versions come from one sequence: a household's version is drawn when it is inserted and again whenever its compound or
 * floating population changes (a BEFORE ROW trigger, which runs once the row is locked, so of two writers the one that
 * commits later holds the larger version), and a removal draws one for its tombstone. Copies apply a snapshot only when
 * its version is newer than theirs, so redelivered or reordered events are harmless.
 *
 * The announcement is made by statement-level triggers, in the transaction and statement that writes the rows: every
 * write path (the registry's mutations, the demo seed's bulk inserts, benchmarks, tests arranging rows by SQL) announces
 * exactly the rows it changed, and none can forget to. Transition tables keep it set-based: one outbox row per
 * HOUSEHOLDS_PER_EVENT rows of a statement, however many rows it writes. TRUNCATE announces nothing: only the demo
 * seed's reset truncates, and it resets enforcement's copy too.
 *
 * Households registered before this migration are announced once here, in chunks.
 */
export class AnnounceHouseholds1796000000310 implements MigrationInterface {
  name = 'AnnounceHouseholds1796000000310';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `CREATE SEQUENCE household_version AS bigint`);
    await execute(runner, `ALTER TABLE household ADD COLUMN version bigint NOT NULL DEFAULT nextval('household_version')`);
    await execute(runner, `ALTER SEQUENCE household_version OWNED BY household.version`);
    await execute(
      runner,
      `
      CREATE FUNCTION household_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF (NEW.compound_id, NEW.floating_population) IS DISTINCT FROM (OLD.compound_id, OLD.floating_population) THEN
          NEW.version := nextval('household_version');
        END IF;
        RETURN NEW;
      END $$`,
    );
    await execute(
      runner,
      `
      CREATE FUNCTION households_changed_announce() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${announce(`SELECT id, compound_id, floating_population, false, version FROM new_rows`)};
        ELSIF TG_OP = 'UPDATE' THEN
          ${announce(`SELECT n.id, n.compound_id, n.floating_population, false, n.version
                        FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.version <> o.version`)};
        ELSE
          -- A removed household's last version is drawn now: the delete holds its row lock, so it orders after every change.
          ${announce(`SELECT id, compound_id, floating_population, true, nextval('household_version') FROM old_rows`)};
        END IF;
        RETURN NULL;
      END $$`,
    );
    await execute(
      runner,
      `CREATE TRIGGER household_version_bump BEFORE UPDATE ON household FOR EACH ROW EXECUTE FUNCTION household_version_bump()`,
    );
    for (const [name, event, transition] of ANNOUNCE_TRIGGERS) {
      await execute(
        runner,
        `CREATE TRIGGER ${name} AFTER ${event} ON household REFERENCING ${transition} FOR EACH STATEMENT EXECUTE FUNCTION households_changed_announce()`,
      );
    }
    await execute(runner, announce(`SELECT id, compound_id, floating_population, false, version FROM household`));
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const [name] of ANNOUNCE_TRIGGERS) await execute(runner, `DROP TRIGGER ${name} ON household`);
    await execute(runner, `DROP TRIGGER household_version_bump ON household`);
    await execute(runner, `DROP FUNCTION households_changed_announce()`);
    await execute(runner, `DROP FUNCTION household_version_bump()`);
    await execute(runner, `ALTER TABLE household DROP COLUMN version`);
  }
}

/**
 * SQL recording `households.changed` events for the rows of `snapshots` (id, compound_id, floating_population, removed,
 * version), HOUSEHOLDS_PER_EVENT per event; nothing when there are no rows.
 */
function announce(snapshots: string): string {
  return `INSERT INTO outbox_event (id, type, payload)
          SELECT gen_random_uuid(), 'households.changed',
                 json_build_object('households', json_agg(json_build_object('id', id, 'compoundId', compound_id,
                   'floatingPopulation', floating_population, 'removed', removed, 'version', version) ORDER BY id))
            FROM (SELECT *, (row_number() OVER (ORDER BY id) - 1) / ${HOUSEHOLDS_PER_EVENT} AS chunk
                    FROM (${snapshots}) AS s (id, compound_id, floating_population, removed, version)) AS numbered
           GROUP BY chunk`;
}

const ANNOUNCE_TRIGGERS: [name: string, event: string, transition: string][] = [
  ['households_changed_insert', 'INSERT', 'NEW TABLE AS new_rows'],
  ['households_changed_update', 'UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
  ['households_changed_delete', 'DELETE', 'OLD TABLE AS old_rows'],
];
