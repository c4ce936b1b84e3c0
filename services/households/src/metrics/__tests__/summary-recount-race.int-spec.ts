import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource, type QueryRunner } from 'typeorm';
import { ensureDatabase, runMigrations, serviceDataSourceOptions, withDatabase } from '#libs/database';
import { testInfrastructure, waitFor, workerDatabasePrefix } from '#libs/testing';
import { householdsService } from '../../households.service-definition.js';

const MONTH = '2025-03-01';

/**
 * Two transactions grading households of one compound at once (a manual run beside the scheduled one): the monthly
 * summary the metrics read must count both, whichever commits last.
 */
describe('compound month summaries under concurrent writers', () => {
  const name = `${workerDatabasePrefix()}summary_race`;
  const url = withDatabase(testInfrastructure().databaseUrl, name);
  let dataSource: DataSource;
  const runners: QueryRunner[] = [];

  beforeAll(async () => {
    await ensureDatabase(testInfrastructure().databaseUrl, name);
    dataSource = await new DataSource(
      serviceDataSourceOptions({ url, entities: householdsService.entities, migrations: householdsService.migrations }),
    ).initialize();
    await runMigrations(dataSource);
  });

  afterAll(async () => {
    for (const runner of runners) if (!runner.isReleased) await runner.release();
  });
  afterAll(() => dataSource.destroy());

  const transaction = async () => {
    const runner = dataSource.createQueryRunner();
    runners.push(runner);
    await runner.connect();
    await runner.startTransaction();
    const [{ pid }] = await runner.query(`SELECT pg_backend_pid() AS pid`);
    return { runner, pid: pid as number };
  };

  const grade = (runner: QueryRunner, householdId: string, value: string) =>
    runner.query(
      `INSERT INTO monthly_grade (month, household_id, status, grade, score, inspection_count, reasons, rule_set_id, rule_version, run_id)
       VALUES ($1, $2, 'GRADED', $3, 90, 2, '[]', $4, 1, $4)`,
      [MONTH, householdId, value, randomUUID()],
    );

  it('counts the grades of both transactions, not just the last to commit', async () => {
    const compoundId = randomUUID();
    const [first, second] = await dataSource.query(
      `INSERT INTO household (compound_id, building, unit, room, tenure) VALUES ($1, 1, 1, 101, 'OWNER'), ($1, 1, 1, 102, 'OWNER') RETURNING id`,
      [compoundId],
    );
    const one = await transaction();
    const two = await transaction();
    await grade(one.runner, first.id, 'QUALIFIED');
    const secondWrite = grade(two.runner, second.id, 'UNQUALIFIED');
    // The second writer reaches the summary while the first has not committed: it must wait for it.
    await waitFor('the second writer to wait for the first', async () => {
      const [row] = await dataSource.query(`SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1`, [two.pid]);
      return row?.wait_event_type === 'Lock';
    });
    await one.runner.commitTransaction();
    await secondWrite;
    await two.runner.commitTransaction();

    const [summary] = await dataSource.query(
      `SELECT grade_records, graded, passed FROM grade_month_total WHERE compound_id = $1 AND month = $2`,
      [compoundId, MONTH],
    );
    expect(summary).toEqual({ grade_records: 2, graded: 2, passed: 1 });
  });
});
