import type { DynamicModule } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { ServicePolicies } from '#libs/auth';
import type { DistrictPlan } from '#libs/demo-data';
import type { ServiceDataSourceConfig } from '#libs/database';
import type { ServiceName } from '#libs/messaging';
import type { ServiceEnvironment } from './service-environment.js';

/** Everything that differs between one service process and another. */
export interface ServiceRuntime {
  service: ServiceName;
  env: ServiceEnvironment;
  entities: ServiceDataSourceConfig['entities'];
  migrations: ServiceDataSourceConfig['migrations'];
  /**
   * `serve` connects, migrates, runs the relay and workers. `schema` only builds the GraphQL schema, touching no
   * database or Redis: `npm run compose` and the supergraph test use it.
   */
  mode: 'serve' | 'schema';
  /** Who may call each operation, resolve each entity and read each personal-data field (the service's policy file). */
  policies: ServicePolicies;
}

export interface DemoDataOptions {
  households: number;
  /** The demo district's objection window in days (households); the default (7) when omitted. */
  objectionWindowDays?: number;
  /** How many complete months before the current one are inspected and graded (households). */
  gradedMonths: number;
  /**
   * Whether the demo district publishes its own notice rules (notifications): the default's distinguishing praise from
   * the first graded month, so each month's praise letters go to a few percent of households. Test platforms leave it
   * out and start from the default rules, which their tests publish over.
   */
  districtNoticeRules?: boolean;
}

/** A service's demo data: written with set-based SQL from the shared deterministic district plan. */
export interface DemoData {
  isEmpty(dataSource: DataSource): Promise<boolean>;
  /** Deletes demo and user data of this service (never schema or migrations). */
  reset(dataSource: DataSource): Promise<void>;
  /** Returns a one-line summary of what was written. */
  seed(dataSource: DataSource, plan: DistrictPlan, options: DemoDataOptions): Promise<string>;
}

/** The one description of a service that `main.ts`, the tools and the tests all start from. */
export interface ServiceDefinition {
  name: ServiceName;
  defaultPort: number;
  entities: ServiceRuntime['entities'];
  migrations: ServiceRuntime['migrations'];
  module(runtime: ServiceRuntime): DynamicModule;
  demoData: DemoData;
  /** The service's access policies, declared in one file per service (`<service>.policy.ts`). */
  policies: ServicePolicies;
}

export function serviceRuntime(definition: ServiceDefinition, env: ServiceEnvironment, mode: ServiceRuntime['mode']): ServiceRuntime {
  return {
    service: definition.name,
    env,
    entities: definition.entities,
    migrations: definition.migrations,
    mode,
    policies: definition.policies,
  };
}
