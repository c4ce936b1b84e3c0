import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';
import { ANNOUNCE_ALL_WORK_UNIT_BRANCHES_SQL } from '../../party/work-unit-branches-announcement.js';

/**
 * The work-unit branches' announcements now name the party member who holds each secretary post (households refuses a
 * secretary their own check-in's review whatever account they sign in with); every branch is announced once again so
 * households' copies learn it.
 */
export class AnnounceBranchSecretaryMembers1796000000950 implements MigrationInterface {
  name = 'AnnounceBranchSecretaryMembers1796000000950';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, ANNOUNCE_ALL_WORK_UNIT_BRANCHES_SQL);
  }

  async down(): Promise<void> {
    // Nothing to undo: an announcement of the current state.
  }
}
