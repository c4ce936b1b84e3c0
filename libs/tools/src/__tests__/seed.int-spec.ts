import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { ServiceName } from '#libs/messaging';
import { parseServiceEnvironment } from '#libs/platform';
import { testEnvironment, workerDatabasePrefix } from '#libs/testing';
import { migrateAndSeed } from '../seed.js';
import { openServiceDatabase } from '../service-database.js';
import { loadService } from '../services.js';

const env = testEnvironment({ DATABASE_NAME_PREFIX: `${workerDatabasePrefix()}seed_` });
const serviceEnv = (port: number) => parseServiceEnvironment(port, env);

describe('the demo district', () => {
  let organization: DataSource;
  let households: DataSource;

  beforeAll(async () => {
    await migrateAndSeed({ reset: true, env: (service) => serviceEnv(service.defaultPort), log: () => undefined });
    organization = await openServiceDatabase(await loadService(ServiceName.Organization), serviceEnv(0));
    households = await openServiceDatabase(await loadService(ServiceName.Households), serviceEnv(0));
  });

  afterAll(async () => {
    await organization?.destroy();
    await households?.destroy();
  });

  const count = async (dataSource: DataSource, sql: string) => (await dataSource.query(sql))[0].count as number;

  it('has a district of 22 streets, at least 150 communities, 600 compounds and 20,000 households', async () => {
    const units = await organization.query(`SELECT kind, count(*)::int AS count FROM org_unit GROUP BY kind`);
    const byKind = Object.fromEntries(units.map((row: { kind: string; count: number }) => [row.kind, row.count]));
    expect(byKind.DISTRICT).toBe(1);
    expect(byKind.STREET).toBe(22);
    expect(byKind.COMMUNITY).toBeGreaterThanOrEqual(150);
    expect(byKind.COMPOUND).toBeGreaterThanOrEqual(600);
    expect(await count(households, `SELECT count(*)::int AS count FROM household`)).toBeGreaterThanOrEqual(20_000);
  });

  it('has schools and employers with Chinese names, and every household sits in a seeded compound', async () => {
    const institutions = await organization.query(`SELECT kind, min(name) AS name, count(*)::int AS count FROM institution GROUP BY kind`);
    const kinds = Object.fromEntries(institutions.map((row: { kind: string; name: string; count: number }) => [row.kind, row]));
    expect(kinds.SCHOOL.count).toBeGreaterThanOrEqual(22);
    expect(kinds.EMPLOYER.count).toBeGreaterThanOrEqual(100);
    expect(kinds.SCHOOL.name).toMatch(/[\u4e00-\u9fff]/);
    const compounds: string[] = (await organization.query(`SELECT id FROM org_unit WHERE kind = 'COMPOUND'`)).map((r: { id: string }) => r.id);
    expect(await count(households, `SELECT count(*)::int AS count FROM household WHERE NOT (compound_id = ANY('{${compounds.join(',')}}'::uuid[]))`)).toBe(0);
  });

  it('is the same on every run, and --households N makes N households', async () => {
    const fingerprint = async () =>
      (await households.query(`SELECT md5(string_agg(id::text || building || unit || room, ',' ORDER BY id)) AS f FROM household`))[0].f;
    const unitFingerprint = async () =>
      (await organization.query(`SELECT md5(string_agg(id::text || name || code, ',' ORDER BY id)) AS f FROM org_unit`))[0].f;
    const [before, unitsBefore] = [await fingerprint(), await unitFingerprint()];
    await migrateAndSeed({ reset: true, env: (service) => serviceEnv(service.defaultPort), log: () => undefined });
    expect(await fingerprint()).toBe(before);
    expect(await unitFingerprint()).toBe(unitsBefore);

    await migrateAndSeed({ reset: true, households: 30_000, env: (service) => serviceEnv(service.defaultPort), log: () => undefined });
    expect(await count(households, `SELECT count(*)::int AS count FROM household`)).toBe(30_000);
    // Two whole demo seeds: about 15 s each alone, several times that when the other test worker is busy too.
  }, 240_000);

  it('is not written twice when a service already has data', async () => {
    const before = await count(households, `SELECT count(*)::int AS count FROM household`);
    await migrateAndSeed({ reset: false, env: (service) => serviceEnv(service.defaultPort), log: () => undefined });
    expect(await count(households, `SELECT count(*)::int AS count FROM household`)).toBe(before);
  });
});
