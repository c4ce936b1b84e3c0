import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { addMonths, shanghaiMonth } from '#libs/calendar';
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
    // The whole demo seed, a year of grades included: about a minute alone, longer beside the other test worker.
  }, 300_000);

  afterAll(async () => {
    await organization.destroy();
    await households.destroy();
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
    const compounds: string[] = (await organization.query(`SELECT id FROM org_unit WHERE kind = 'COMPOUND'`)).map(
      (r: { id: string }) => r.id,
    );
    expect(
      await count(
        households,
        `SELECT count(*)::int AS count FROM household WHERE NOT (compound_id = ANY('{${compounds.join(',')}}'::uuid[]))`,
      ),
    ).toBe(0);
  });

  it('grades the 12 months before this one for every household, with the latest month still open to objections', async () => {
    const months: { month: string; graded: number; passRate: number; windowClosed: boolean }[] = await households.query(
      `SELECT to_char(e.month, 'YYYY-MM') AS month, count(g.*)::int AS graded,
              round(avg((g.grade = 'QUALIFIED')::int), 3)::float AS "passRate", e.objection_window_closed_at IS NOT NULL AS "windowClosed"
         FROM evaluation_month e JOIN monthly_grade g ON g.month = e.month AND g.status = 'GRADED'
        GROUP BY e.month, e.objection_window_closed_at ORDER BY e.month`,
    );
    const thisMonth = shanghaiMonth();
    expect(months.map((m) => m.month)).toEqual(Array.from({ length: 12 }, (_, index) => addMonths(thisMonth, index - 12)));
    expect(months.every((m) => m.graded > 20_000)).toBe(true);
    // Past months' windows closed long ago; the latest month's is open for the district's 7 days.
    expect(months.map((m) => m.windowClosed)).toEqual([...Array(11).fill(true), false]);
    // The bad sorters mend over the year: the district's pass rate at the end is above the start's.
    expect(months[11].passRate).toBeGreaterThan(months[0].passRate);
  });

  it("has the district's own notice rules from its first graded month, praising a few percent of households", async () => {
    const notifications = await openServiceDatabase(await loadService(ServiceName.Notifications), serviceEnv(0));
    try {
      const rules = await notifications.query(
        `SELECT to_char(effective_from, 'YYYY-MM') AS "from", rules -> 'praise' ->> 'topShare' AS "topShare" FROM notice_rule_set WHERE district_id IS NOT NULL`,
      );
      expect(rules).toEqual([{ from: addMonths(shanghaiMonth(), -12), topShare: '0.05' }]);
    } finally {
      await notifications.destroy();
    }
  });

  it('is the same on every run, and --households N --months M makes N households graded for M months', async () => {
    // Smaller seeds than the default: the same plan and SQL decide every row, so the comparison holds at any size.
    const seed = () =>
      migrateAndSeed({
        reset: true,
        households: 3_000,
        gradedMonths: 2,
        env: (service) => serviceEnv(service.defaultPort),
        log: () => undefined,
      });
    const fingerprint = async () => ({
      households: (
        await households.query(`SELECT md5(string_agg(id::text || building || unit || room, ',' ORDER BY id)) AS f FROM household`)
      )[0].f,
      grades: (
        await households.query(
          `SELECT md5(string_agg(household_id::text || month || grade || score, ',' ORDER BY household_id, month)) AS f FROM monthly_grade WHERE status = 'GRADED'`,
        )
      )[0].f,
      units: (await organization.query(`SELECT md5(string_agg(id::text || name || code, ',' ORDER BY id)) AS f FROM org_unit`))[0].f,
    });
    await seed();
    const first = await fingerprint();
    await seed();
    expect(await fingerprint()).toEqual(first);
    expect(first.grades).not.toBeNull();
    expect(await count(households, `SELECT count(*)::int AS count FROM household`)).toBe(3_000);
    expect(await count(households, `SELECT count(DISTINCT month)::int AS count FROM monthly_grade`)).toBe(2);
  }, 120_000);

  it('is not written twice when a service already has data', async () => {
    const before = await count(households, `SELECT count(*)::int AS count FROM household`);
    await migrateAndSeed({ reset: false, env: (service) => serviceEnv(service.defaultPort), log: () => undefined });
    expect(await count(households, `SELECT count(*)::int AS count FROM household`)).toBe(before);
  });
});
