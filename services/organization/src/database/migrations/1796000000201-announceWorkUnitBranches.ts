import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';
import { ANNOUNCE_ALL_WORK_UNIT_BRANCHES_SQL } from '../../party/work-unit-branches-announcement.js';

/**
 * households starts keeping a copy of members' work-unit branches and of those branches' secretary posts (dual
 * supervision: only the member's own branch secretary gives a check-in's work-branch review). The versions of the
 * snapshots come from one sequence; the current state is announced once (on a new database there is nothing yet: the
 * seed announces what it makes).
 */
export class AnnounceWorkUnitBranches1796000000201 implements MigrationInterface {
  name = 'AnnounceWorkUnitBranches1796000000201';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `CREATE SEQUENCE work_unit_copy_version`);
    await execute(runner, ANNOUNCE_ALL_WORK_UNIT_BRANCHES_SQL);
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP SEQUENCE work_unit_copy_version`);
  }
}
