import type { MigrationInterface, QueryRunner } from 'typeorm';
import { execute } from '#libs/database';

/**
 * Two transactions writing grades (or letters) of the same compound at once each recounted the compound from what they
 * could see, and the later commit's counts stood, missing the other's rows: a manual evaluation run beside the
 * scheduled one, or a household moved while its compound was being graded, left grade_month_total short until the
 * compound's next write.
 *
 * Now a recount first takes transaction-scoped advisory locks on its compounds, then counts. A second writer waits for
 * the first to commit; its count, a new statement under READ COMMITTED, then sees the first one's rows as well as its
 * own. The locks are on 256 buckets of compound ids rather than the ids themselves, so a bulk statement over every
 * compound (the seed, a benchmark's month) takes at most 256 locks and stays inside PostgreSQL's shared lock table;
 * they are taken in bucket order, so two recounts cannot deadlock each other. Two writers of different compounds share
 * a bucket rarely and then only wait. The counting functions of migration 1796000000290 are kept as they were under
 * new names (…_recount); the names the triggers call now lock and then count. The lock's first key (290 grades, 291
 * letters) keeps these locks apart from any other advisory lock.
 */
export class SerializeCompoundSummaryRecounts1796000000300 implements MigrationInterface {
  name = 'SerializeCompoundSummaryRecounts1796000000300';

  async up(runner: QueryRunner): Promise<void> {
    await execute(runner, `ALTER FUNCTION grade_month_total_refresh(uuid[], date[]) RENAME TO grade_month_total_recount`);
    await execute(runner, `ALTER FUNCTION letter_month_total_refresh(uuid[]) RENAME TO letter_month_total_recount`);
    await execute(
      runner,
      `
      CREATE FUNCTION grade_month_total_refresh(compounds uuid[], months date[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(290, bucket) FROM (SELECT DISTINCT hashtext(c::text) & 255 AS bucket FROM unnest(compounds) AS c ORDER BY 1) AS buckets;
        PERFORM grade_month_total_recount(compounds, months);
      END $$`,
    );
    await execute(
      runner,
      `
      CREATE FUNCTION letter_month_total_refresh(compounds uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(291, bucket) FROM (SELECT DISTINCT hashtext(c::text) & 255 AS bucket FROM unnest(compounds) AS c ORDER BY 1) AS buckets;
        PERFORM letter_month_total_recount(compounds);
      END $$`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await execute(runner, `DROP FUNCTION grade_month_total_refresh(uuid[], date[])`);
    await execute(runner, `DROP FUNCTION letter_month_total_refresh(uuid[])`);
    await execute(runner, `ALTER FUNCTION grade_month_total_recount(uuid[], date[]) RENAME TO grade_month_total_refresh`);
    await execute(runner, `ALTER FUNCTION letter_month_total_recount(uuid[]) RENAME TO letter_month_total_refresh`);
  }
}
