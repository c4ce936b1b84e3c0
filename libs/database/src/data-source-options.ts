import pg from 'pg';
import type { DataSourceOptions, MigrationInterface } from 'typeorm';
import { DatabaseLogger } from './database-logger.js';
import { SnakeNamingStrategy } from './naming-strategy.js';

/** `date` columns are calendar days in Asia/Shanghai: keep them as 'YYYY-MM-DD' rather than shifting them into a JS Date. */
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export type EntityClass = abstract new (...args: never[]) => object;
export type MigrationClass = new () => MigrationInterface;

export interface ServiceDataSourceConfig {
  url: string;
  entities: readonly EntityClass[];
  /** In order; each runs in its own transaction. */
  migrations: readonly MigrationClass[];
  poolSize?: number;
  /** Statements slower than this are logged (default 1 s); bulk tools raise it. */
  slowQueryMs?: number;
}

/** The one shape every service's DataSource takes: migrations only, never synchronize. */
export function serviceDataSourceOptions(config: ServiceDataSourceConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.url,
    entities: [...config.entities],
    migrations: [...config.migrations],
    migrationsTableName: 'migrations',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    logger: new DatabaseLogger(),
    maxQueryExecutionTime: config.slowQueryMs ?? 1000,
    // JIT compilation costs seconds on statements that run in milliseconds, and these services run many of those.
    extra: { max: config.poolSize ?? 10, connectionTimeoutMillis: 5000, application_name: 'waste-platform', options: '-c jit=off' },
  };
}
