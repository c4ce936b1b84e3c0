import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { ensureDatabase, runMigrations, serviceDataSourceOptions, withDatabase } from '#libs/database';
import type { HouseholdSnapshot } from '#libs/messaging';
import { testInfrastructure, workerDatabasePrefix } from '#libs/testing';
import { enforcementService } from '../../enforcement.service-definition.js';
import { applyHouseholdSnapshots, findCopiedHousehold } from '../household-copy.js';

/** enforcement's household copy applies `households.changed` snapshots in whatever order and however often they come. */
describe("enforcement's copy of the households registry", () => {
  const name = `${workerDatabasePrefix()}household_copy`;
  const url = withDatabase(testInfrastructure().databaseUrl, name);
  let dataSource: DataSource;

  beforeAll(async () => {
    await ensureDatabase(testInfrastructure().databaseUrl, name);
    dataSource = await new DataSource(
      serviceDataSourceOptions({ url, entities: enforcementService.entities, migrations: enforcementService.migrations }),
    ).initialize();
    await runMigrations(dataSource);
  });

  afterAll(() => dataSource.destroy());

  const snapshot = (id: string, change: Partial<HouseholdSnapshot>): HouseholdSnapshot => ({
    id,
    compoundId: randomUUID(),
    floatingPopulation: false,
    removed: false,
    version: 1,
    ...change,
  });
  const copied = async (id: string) => {
    const found = await findCopiedHousehold(dataSource, id);
    return found && { compoundId: found.compoundId, floatingPopulation: found.floatingPopulation, removed: found.removed };
  };

  it('keeps the newest snapshot when an older one is redelivered after it', async () => {
    const id = randomUUID();
    const [first, moved] = [randomUUID(), randomUUID()];
    const registered = snapshot(id, { compoundId: first, version: 10 });
    const movedAndFloating = snapshot(id, { compoundId: moved, floatingPopulation: true, version: 12 });
    await applyHouseholdSnapshots(dataSource, [registered]);
    await applyHouseholdSnapshots(dataSource, [movedAndFloating]);
    await applyHouseholdSnapshots(dataSource, [registered]);
    await applyHouseholdSnapshots(dataSource, [movedAndFloating]);
    expect(await copied(id)).toEqual({ compoundId: moved, floatingPopulation: true, removed: false });
  });

  it('applies snapshots arriving out of order, and never brings a removed household back', async () => {
    const id = randomUUID();
    const compound = randomUUID();
    const removal = snapshot(id, { compoundId: compound, removed: true, version: 30 });
    await applyHouseholdSnapshots(dataSource, [removal]);
    await applyHouseholdSnapshots(dataSource, [snapshot(id, { compoundId: compound, version: 20 })]);
    expect(await copied(id)).toEqual({ compoundId: compound, floatingPopulation: false, removed: true });
  });

  it('takes the newest of several snapshots of one household in one event', async () => {
    const id = randomUUID();
    const newest = randomUUID();
    await applyHouseholdSnapshots(dataSource, [
      snapshot(id, { version: 41 }),
      snapshot(id, { compoundId: newest, version: 43 }),
      snapshot(id, { version: 42 }),
    ]);
    expect((await copied(id))?.compoundId).toBe(newest);
  });

  it('knows nothing of a household no snapshot named', async () => {
    expect(await findCopiedHousehold(dataSource, randomUUID())).toBeNull();
  });
});
