import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/** Units per `territory.changed` event when announcing the whole tree. */
const UNITS_PER_EVENT = 500;

/**
 * Institutions get a version, so copies elsewhere apply `institutions.changed` snapshots in any order. notifications
 * starts keeping copies of institutions and of the territory tree here, so the current ones are announced once: on
 * a new database there is nothing yet (the seed announces what it makes); on an existing one the copies fill up.
 * Replicas apply a snapshot only when newer, so services that already hold the tree ignore the repeat.
 */
export class VersionInstitutions1796000000103 implements MigrationInterface {
  name = 'VersionInstitutions1796000000103';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE institution ADD COLUMN version integer NOT NULL DEFAULT 1`);
    await execute(
      runner,
      `
      INSERT INTO outbox_event (id, type, payload)
      SELECT gen_random_uuid(), 'institutions.changed',
             json_build_object('institutions', json_agg(json_build_object('id', id, 'kind', kind, 'name', name, 'version', version) ORDER BY id))
        FROM institution HAVING count(*) > 0`,
    );
    await execute(
      runner,
      `INSERT INTO outbox_event (id, type, payload)
       SELECT gen_random_uuid(), 'territory.changed', json_build_object('units', json_agg(unit ORDER BY depth, id))
         FROM (SELECT cardinality(path) AS depth, id, (row_number() OVER (ORDER BY cardinality(path), id) - 1) / $1 AS batch,
                      json_build_object('id', id, 'parentId', parent_id, 'kind', kind, 'code', code, 'name', name,
                                        'path', path::text[], 'version', version) AS unit
                 FROM org_unit) AS units
        GROUP BY batch ORDER BY batch`,
      [UNITS_PER_EVENT],
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER TABLE institution DROP COLUMN version`);
  }
}
