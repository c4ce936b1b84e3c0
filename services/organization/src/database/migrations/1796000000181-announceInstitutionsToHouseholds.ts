import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * households starts keeping a copy of the institutions (it checks each resident's employer or school against it), so
 * the current ones are announced once more: on a new database there is nothing yet (the seed announces what it
 * makes); on an existing one households' copy fills up. Copies apply a snapshot only when newer, so notifications and
 * enforcement, which already hold these versions, ignore the repeat.
 */
export class AnnounceInstitutionsToHouseholds1796000000181 implements MigrationInterface {
  name = 'AnnounceInstitutionsToHouseholds1796000000181';

  async up(runner: QueryRunner): Promise<void> {
    await execute(
      runner,
      `
      INSERT INTO outbox_event (id, type, payload)
      SELECT gen_random_uuid(), 'institutions.changed',
             json_build_object('institutions', json_agg(json_build_object('id', id, 'kind', kind, 'name', name, 'version', version) ORDER BY id))
        FROM institution HAVING count(*) > 0`,
    );
  }

  async down(): Promise<void> {
    // An announcement cannot be taken back; the copies it filled stay correct.
  }
}
