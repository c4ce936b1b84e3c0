import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ensureDatabase, runMigrations, serviceDataSourceOptions, withDatabase } from '#libs/database';
import { EventType, HOUSEHOLDS_PER_EVENT, type HouseholdSnapshot } from '#libs/messaging';
import { testInfrastructure, workerDatabasePrefix } from '#libs/testing';
import { householdsService } from '../../households.service-definition.js';

/**
 * Every write of the household table announces what enforcement's copy needs, in the writing transaction: bulk inserts
 * in chunks, changes of compound or floating population with a newer version, removals as tombstones. Nothing else.
 */
describe('households.changed from writes of the household table', () => {
  const name = `${workerDatabasePrefix()}households_changed`;
  const url = withDatabase(testInfrastructure().databaseUrl, name);
  let dataSource: DataSource;

  beforeAll(async () => {
    await ensureDatabase(testInfrastructure().databaseUrl, name);
    dataSource = await new DataSource(
      serviceDataSourceOptions({ url, entities: householdsService.entities, migrations: householdsService.migrations }),
    ).initialize();
    await runMigrations(dataSource);
  });

  beforeEach(async () => {
    await dataSource.query(`DELETE FROM outbox_event`);
  });

  afterAll(() => dataSource.destroy());

  const announced = async (): Promise<HouseholdSnapshot[][]> => {
    const rows: { type: string; payload: { households: HouseholdSnapshot[] } }[] = await dataSource.query(
      `SELECT type, payload FROM outbox_event`,
    );
    expect(rows.map((row) => row.type)).toEqual(rows.map(() => EventType.HouseholdsChanged));
    return rows.map((row) => row.payload.households);
  };

  it('announces a bulk insert in chunks of at most 1,000 households, with nothing but compound, floating population and version', async () => {
    const compound = randomUUID();
    const ids: { id: string }[] = await dataSource.query(
      `INSERT INTO household (compound_id, building, unit, room, tenure, floating_population)
       SELECT $1, 1 + n / 1000, 1, 1 + n % 1000, 'TENANT', n % 2 = 0 FROM generate_series(0, 2499) AS n RETURNING id`,
      [compound],
    );
    const events = await announced();
    expect(events.map((e) => e.length).sort()).toEqual([500, HOUSEHOLDS_PER_EVENT, HOUSEHOLDS_PER_EVENT].sort());
    const snapshots = events.flat();
    expect(new Set(snapshots.map((s) => s.id))).toEqual(new Set(ids.map((row) => row.id)));
    for (const s of snapshots) {
      expect(Object.keys(s).sort()).toEqual(['compoundId', 'floatingPopulation', 'id', 'removed', 'version']);
      expect(s).toMatchObject({ compoundId: compound, removed: false, version: expect.any(Number) });
    }
  });

  it('announces a move or a change of floating population with a newer version, a change of tenure not at all, and a removal last', async () => {
    const [compound, other] = [randomUUID(), randomUUID()];
    const [{ id, version }] = await dataSource.query(
      `INSERT INTO household (compound_id, building, unit, room, tenure) VALUES ($1, 9, 1, 101, 'OWNER') RETURNING id, version`,
      [compound],
    );
    await dataSource.query(`DELETE FROM outbox_event`);

    await dataSource.query(`UPDATE household SET tenure = 'TENANT' WHERE id = $1`, [id]);
    expect(await announced()).toEqual([]);

    await dataSource.query(`UPDATE household SET compound_id = $2, floating_population = true WHERE id = $1`, [id, other]);
    const [[moved]] = await announced();
    expect(moved).toEqual({ id, compoundId: other, floatingPopulation: true, removed: false, version: expect.any(Number) });
    expect(moved.version).toBeGreaterThan(Number(version));
    await dataSource.query(`DELETE FROM outbox_event`);

    await dataSource.query(`DELETE FROM household WHERE id = $1`, [id]);
    const [[removed]] = await announced();
    expect(removed).toEqual({ id, compoundId: other, floatingPopulation: true, removed: true, version: expect.any(Number) });
    expect(removed.version).toBeGreaterThan(moved.version);
  });

  it('announces nothing when a change is rolled back', async () => {
    const refused = dataSource.transaction(async (manager) => {
      await manager.query(`INSERT INTO household (compound_id, building, unit, room, tenure) VALUES ($1, 1, 1, 101, 'OWNER')`, [
        randomUUID(),
      ]);
      throw new Error('refused after the write');
    });
    await expect(refused).rejects.toThrow('refused after the write');
    expect(await announced()).toEqual([]);
  });
});
