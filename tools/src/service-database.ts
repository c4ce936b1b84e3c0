import { DataSource } from 'typeorm';
import { ensureDatabase, serviceDatabaseName } from '#libs/database';
import { runtimeDataSourceOptions, serviceRuntime, type ServiceDefinition, type ServiceEnvironment } from '#libs/platform';

/**
 * An initialized DataSource on a service's own database, created if missing, for tools (migrate, seed, bench): their
 * bulk statements are slow by nature and not logged as slow. The caller destroys it.
 */
export async function openServiceDatabase(service: ServiceDefinition, env: ServiceEnvironment): Promise<DataSource> {
  await ensureDatabase(env.DATABASE_URL, serviceDatabaseName(service.name, env.DATABASE_NAME_PREFIX));
  const dataSource = new DataSource(runtimeDataSourceOptions(serviceRuntime(service, env, 'serve'), 10 * 60_000));
  return dataSource.initialize();
}
