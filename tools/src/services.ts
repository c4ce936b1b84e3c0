// Workspace tooling (start, seed, migrate, compose, tests) reaches into every service; runtime code never imports this.
import { ServiceName } from '#libs/messaging';
import type { ServicePolicies } from '#libs/auth';
import type { DemoData, ServiceDefinition } from '#libs/platform';

/**
 * Loads one service's definition. Loading is lazy because NestJS keeps GraphQL type metadata per process: a
 * process that builds a schema must load only that service (two services both name a type `OrgUnit`).
 */
const LOADERS: Record<ServiceName, () => Promise<ServiceDefinition>> = {
  [ServiceName.Organization]: async () => (await import('#services/organization/src/organization.service-definition')).organizationService,
  [ServiceName.Households]: async () => (await import('#services/households/src/households.service-definition')).householdsService,
  [ServiceName.Enforcement]: async () => (await import('#services/enforcement/src/enforcement.service-definition')).enforcementService,
  [ServiceName.Notifications]: async () =>
    (await import('#services/notifications/src/notifications.service-definition')).notificationsService,
};

/** Loads only a service's demo data, without its GraphQL types, for processes that run the service elsewhere. */
const DEMO_DATA_LOADERS: Record<ServiceName, () => Promise<DemoData>> = {
  [ServiceName.Organization]: async () => (await import('#services/organization/src/seed/organization.seed')).organizationDemoData,
  [ServiceName.Households]: async () => (await import('#services/households/src/seed/households.seed')).householdsDemoData,
  [ServiceName.Enforcement]: async () => (await import('#services/enforcement/src/seed/enforcement.seed')).enforcementDemoData,
  [ServiceName.Notifications]: async () => (await import('#services/notifications/src/seed/notifications.seed')).notificationsDemoData,
};

export function loadDemoData(name: ServiceName): Promise<DemoData> {
  return DEMO_DATA_LOADERS[name]();
}

/** Every subgraph service, in seeding order: organization first, since the others copy its territory tree. */
export const SERVICE_NAMES: readonly ServiceName[] = [
  ServiceName.Organization,
  ServiceName.Households,
  ServiceName.Enforcement,
  ServiceName.Notifications,
];

export function loadService(name: string): Promise<ServiceDefinition> {
  if (!Object.hasOwn(LOADERS, name)) throw new Error(`Unknown service ${name}; one of ${SERVICE_NAMES.join(', ')}`);
  return LOADERS[name as ServiceName]();
}

/** One after another: Jest's ESM loader fails on concurrent dynamic imports that share modules. */
export async function loadAllServices(): Promise<ServiceDefinition[]> {
  const services: ServiceDefinition[] = [];
  for (const name of SERVICE_NAMES) services.push(await loadService(name));
  return services;
}

/** Loads one service's access policies alone (no GraphQL types), so one process can hold all four. */
const POLICY_LOADERS: Record<ServiceName, () => Promise<ServicePolicies>> = {
  [ServiceName.Organization]: async () => (await import('#services/organization/src/organization.policy')).organizationPolicies,
  [ServiceName.Households]: async () => (await import('#services/households/src/households.policy')).householdsPolicies,
  [ServiceName.Enforcement]: async () => (await import('#services/enforcement/src/enforcement.policy')).enforcementPolicies,
  [ServiceName.Notifications]: async () => (await import('#services/notifications/src/notifications.policy')).notificationsPolicies,
};

export async function loadAllPolicies(): Promise<Record<ServiceName, ServicePolicies>> {
  const policies = {} as Record<ServiceName, ServicePolicies>;
  for (const name of SERVICE_NAMES) policies[name] = await POLICY_LOADERS[name]();
  return policies;
}
