import pg from 'pg';
import type { DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { DatabaseLogger } from './database-logger.js';
import { SnakeNamingStrategy } from './naming-strategy.js';

/** `date` columns are calendar days in Asia/Shanghai: keep them as 'YYYY-MM-DD' rather than shifting them into a JS Date. */
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export interface ServiceDataSourceConfig {
  url: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
}

/** The one shape every service's DataSource takes: migrations only, never synchronize. */
export function serviceDataSourceOptions(config: ServiceDataSourceConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.url,
    entities: config.entities,
    migrations: config.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    logger: new DatabaseLogger(),
    maxQueryExecutionTime: 1000,
    extra: { max: config.poolSize ?? 10, connectionTimeoutMillis: 5000, application_name: 'waste-platform' },
  };
}
