import { afterAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { revertMigrations, runMigrations } from '#libs/database';
import { parseServiceEnvironment, type ServiceDefinition } from '#libs/platform';
import { testEnvironment, workerDatabasePrefix } from '#libs/testing';
import { openServiceDatabase } from '../service-database.js';
import { loadAllServices } from '../services.js';

const env = testEnvironment({ DATABASE_NAME_PREFIX: `${workerDatabasePrefix()}migrations_` });
const services = await loadAllServices();

async function tables(dataSource: DataSource): Promise<string[]> {
  const rows: { table_name: string }[] = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations' ORDER BY 1`,
  );
  return rows.map((row) => row.table_name);
}

describe.each(services.map((service) => ({ name: service.name, service })))(
  '$name migrations',
  ({ service }: { service: ServiceDefinition }) => {
    let dataSource: DataSource;

    afterAll(async () => {
      await dataSource.destroy();
    });

    it('apply on an empty database, revert completely, and apply again to the same schema', async () => {
      dataSource = await openServiceDatabase(service, parseServiceEnvironment(service.defaultPort, env));
      expect(await runMigrations(dataSource)).toHaveLength(service.migrations.length);
      const schema = await tables(dataSource);
      expect(schema.length).toBeGreaterThan(0);
      expect(await runMigrations(dataSource)).toEqual([]);

      expect(await revertMigrations(dataSource, Infinity)).toBe(service.migrations.length);
      expect(await tables(dataSource)).toEqual([]);

      await runMigrations(dataSource);
      expect(await tables(dataSource)).toEqual(schema);
    });
  },
);
