import { Module, type DynamicModule } from '@nestjs/common';
import { CreateOutboxAndInbox1796000000000, DEFAULT_PORTS, ServiceName } from '#libs/messaging';
import { PlatformModule, type ServiceDefinition, type ServiceRuntime } from '#libs/platform';
import { CreatePersonalDataAccess1796000000002 } from '#libs/privacy';
import { CreateTerritoryReplica1796000000001 } from '#libs/territory';
import { CreateIdempotencyRecord1796000000003 } from '#libs/idempotency';
import { CreateHousehold1796000000200 } from './database/migrations/1796000000200-createHousehold.js';
import { CreateRegistryAndEvidence1796000000201 } from './database/migrations/1796000000201-createRegistryAndEvidence.js';
import { CreateMonthlyEvaluation1796000000203 } from './database/migrations/1796000000203-createMonthlyEvaluation.js';
import { HouseholdEntity } from './households/household.entity.js';
import { HouseholdsModule } from './households/households.module.js';
import { householdsDemoData } from './seed/households.seed.js';
import { UploadsModule } from './uploads/uploads.module.js';

@Module({})
export class HouseholdsServiceModule {
  static forRoot(runtime: ServiceRuntime): DynamicModule {
    return { module: HouseholdsServiceModule, imports: [PlatformModule.forRoot(runtime), HouseholdsModule, UploadsModule] };
  }
}

/** households: the registry, evidence and monthly grades (issue 3 grows it); here, households and their addresses. */
export const householdsService: ServiceDefinition = {
  name: ServiceName.Households,
  defaultPort: DEFAULT_PORTS[ServiceName.Households],
  entities: [HouseholdEntity],
  migrations: [
    CreateOutboxAndInbox1796000000000,
    CreateTerritoryReplica1796000000001,
    CreatePersonalDataAccess1796000000002,
    CreateIdempotencyRecord1796000000003,
    CreateHousehold1796000000200,
    CreateRegistryAndEvidence1796000000201,
    CreateMonthlyEvaluation1796000000203,
  ],
  module: (runtime) => HouseholdsServiceModule.forRoot(runtime),
  demoData: householdsDemoData,
};
