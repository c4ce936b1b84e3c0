import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * The citizen observer group (垃圾分类市民观察团): each street's teams and the roster of who serves in them, for which
 * term. An observer is a signed-in account (`user_id`, the token's `sub`): the roster keeps no name or phone, which stay
 * with the identity provider. One account serves in one team at a time (no two overlapping terms, decided by the
 * exclusion constraint). Reports an observer files on the OBSERVER channel name their roster entry (`observer_id`).
 *
 * A handler may verify a report (核实: the problem is real); a verified report may become evidence once: a case opened
 * from it (`enforcement_case.citizen_report_id`, unique) — `evidence_kind` on the report is the one guard, whatever
 * kind of evidence it becomes.
 */
export class CreateCitizenObservers1796000000800 implements MigrationInterface {
  name = 'CreateCitizenObservers1796000000800';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await execute(
      runner,
      `
      CREATE TABLE observer_team (
        id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        street_id  uuid NOT NULL,
        -- the street's path (root first, itself last), copied from the territory when the team is made: scope
        unit_path  uuid[] NOT NULL,
        name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
        created_by text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT observer_team_name UNIQUE (street_id, name)
      )`,
    );
    await execute(runner, `CREATE INDEX observer_team_path ON observer_team USING gin (unit_path)`);
    await execute(
      runner,
      `
      CREATE TABLE citizen_observer (
        id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        team_id      uuid NOT NULL REFERENCES observer_team (id),
        user_id      text NOT NULL CHECK (length(user_id) BETWEEN 1 AND 100),
        term_from    date NOT NULL,
        term_to      date NOT NULL,
        appointed_by text NOT NULL,
        appointed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT citizen_observer_term CHECK (term_to >= term_from),
        CONSTRAINT citizen_observer_one_term EXCLUDE USING gist (user_id WITH =, daterange(term_from, term_to, '[]') WITH &&)
      )`,
    );
    await execute(runner, `CREATE INDEX citizen_observer_team ON citizen_observer (team_id, id)`);
    await execute(
      runner,
      `
      ALTER TABLE citizen_report
        ADD COLUMN observer_id   uuid REFERENCES citizen_observer (id),
        ADD COLUMN verified_at   timestamptz,
        ADD COLUMN verified_by   text,
        ADD COLUMN evidence_kind text CHECK (evidence_kind IN ('CASE')),
        ADD COLUMN evidence_at   timestamptz,
        ADD CONSTRAINT citizen_report_verified CHECK ((verified_at IS NULL) = (verified_by IS NULL)),
        ADD CONSTRAINT citizen_report_evidence CHECK ((evidence_kind IS NULL) = (evidence_at IS NULL) AND (evidence_kind IS NULL OR verified_at IS NOT NULL))`,
    );
    await execute(
      runner,
      `CREATE INDEX citizen_report_observer ON citizen_report (observer_id, submitted_at) WHERE observer_id IS NOT NULL`,
    );
    await execute(
      runner,
      `
      ALTER TABLE citizen_report_history
        DROP CONSTRAINT citizen_report_history_action_check,
        ADD CONSTRAINT citizen_report_history_action_check
          CHECK (action IN ('SUBMIT', 'TRIAGE', 'ASSIGN', 'START', 'RESOLVE', 'REJECT', 'MARK_DUPLICATE', 'REOPEN', 'VERIFY'))`,
    );
    await execute(runner, `ALTER TABLE enforcement_case ADD COLUMN citizen_report_id uuid UNIQUE REFERENCES citizen_report (id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE enforcement_case DROP COLUMN citizen_report_id`);
    await execute(runner, `DELETE FROM citizen_report_history WHERE action = 'VERIFY'`);
    await execute(
      runner,
      `
      ALTER TABLE citizen_report_history
        DROP CONSTRAINT citizen_report_history_action_check,
        ADD CONSTRAINT citizen_report_history_action_check
          CHECK (action IN ('SUBMIT', 'TRIAGE', 'ASSIGN', 'START', 'RESOLVE', 'REJECT', 'MARK_DUPLICATE', 'REOPEN'))`,
    );
    await execute(
      runner,
      `
      ALTER TABLE citizen_report
        DROP CONSTRAINT citizen_report_evidence, DROP CONSTRAINT citizen_report_verified,
        DROP COLUMN evidence_at, DROP COLUMN evidence_kind, DROP COLUMN verified_by, DROP COLUMN verified_at, DROP COLUMN observer_id`,
    );
    await execute(runner, `DROP TABLE citizen_observer`);
    await execute(runner, `DROP TABLE observer_team`);
  }
}
