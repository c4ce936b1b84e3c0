import { Module, type DynamicModule } from '@nestjs/common';
import { AddOutboxContext1796000000007, CreateOutboxAndInbox1796000000000, DEFAULT_PORTS, ServiceName } from '#libs/messaging';
import { PlatformModule, type ServiceDefinition, type ServiceRuntime } from '#libs/platform';
import { CreateTerritory1796000000100 } from './database/migrations/1796000000100-createTerritory.js';
import { CreateInstitution1796000000101 } from './database/migrations/1796000000101-createInstitution.js';
import { CreateMemberHouseholdGrade1796000000102 } from './database/migrations/1796000000102-createMemberHouseholdGrade.js';
import { VersionInstitutions1796000000103 } from './database/migrations/1796000000103-versionInstitutions.js';
import { CreatePartyStructure1796000000104 } from './database/migrations/1796000000104-createPartyStructure.js';
import { CreateVolunteers1796000000107 } from './database/migrations/1796000000107-createVolunteers.js';
import { CreateDuties1796000000106 } from './database/migrations/1796000000106-createDuties.js';
import { CreateIdempotencyRecord1796000000003 } from '#libs/idempotency';
import { DutiesModule } from './duties/duties.module.js';
import { CreateVanguardIndex1796000000108 } from './database/migrations/1796000000108-createVanguardIndex.js';
import { AnnounceInstitutionsToHouseholds1796000000181 } from './database/migrations/1796000000181-announceInstitutionsToHouseholds.js';
import { ReparentMisplacedPartyOrgs1796000000190 } from './database/migrations/1796000000190-reparentMisplacedPartyOrgs.js';
import { AddPersonalDataAccessAge1796000000191 } from './database/migrations/1796000000191-addPersonalDataAccessAge.js';
import { AnnounceWorkUnitBranches1796000000201 } from './database/migrations/1796000000201-announceWorkUnitBranches.js';
import { AddMultiDayActivities1796000000810 } from './database/migrations/1796000000810-addMultiDayActivities.js';
import { CreateQuizzesAndContests1796000000900 } from './database/migrations/1796000000900-createQuizzesAndContests.js';
import { AddLeaderDuties1796000000910 } from './database/migrations/1796000000910-addLeaderDuties.js';
import { ReservePartyMemberLogins1796000000920 } from './database/migrations/1796000000920-reservePartyMemberLogins.js';
import { AnnounceBranchSecretaryMembers1796000000950 } from './database/migrations/1796000000950-announceBranchSecretaryMembers.js';
import { CreateQueueActionAudit1796000000960 } from './database/migrations/1796000000960-createQueueActionAudit.js';
import { GradesModule } from './grades/grades.module.js';
import { InstitutionsModule } from './institutions/institutions.module.js';
import { organizationDemoData } from './seed/organization.seed.js';
import { TerritoryModule } from './territory/territory.module.js';
import { QueueAuditModule } from './queue-audit/queue-audit.module.js';
import { ViewerModule } from './viewer/viewer.module.js';
import { VolunteersModule } from './volunteers/volunteers.module.js';
import { PartyModule } from './party/party.module.js';
import { LeadersModule } from './leaders/leaders.module.js';
import { VanguardModule } from './vanguard/vanguard.module.js';
import { organizationRetention } from './retention/retention-plan.js';
import { CreatePersonalDataAccess1796000000002 } from '#libs/privacy';
import { RetentionModule } from '#libs/retention';
import { organizationPolicies } from './organization.policy.js';
// Publishes the service's error reasons in its schema (an enum no field returns, registered before the schema is built).
import './organization-error-reasons.js';

@Module({})
export class OrganizationModule {
  static forRoot(runtime: ServiceRuntime): DynamicModule {
    return {
      module: OrganizationModule,
      imports: [
        PlatformModule.forRoot(runtime),
        TerritoryModule,
        InstitutionsModule,
        ViewerModule,
        GradesModule,
        VolunteersModule,
        PartyModule,
        LeadersModule,
        DutiesModule,
        VanguardModule,
        QueueAuditModule,
        RetentionModule.forService(organizationRetention),
      ],
    };
  }
}

/** organization: the territory tree (the "1 + 3 + N" system grows here), institutions, and who is signed in. */
export const organizationService: ServiceDefinition = {
  policies: organizationPolicies,
  name: ServiceName.Organization,
  defaultPort: DEFAULT_PORTS[ServiceName.Organization],
  // Every table is read and written with SQL (typed rows at each statement), so TypeORM maps no entity.
  entities: [],
  migrations: [
    CreateOutboxAndInbox1796000000000,
    AddOutboxContext1796000000007,
    CreatePersonalDataAccess1796000000002,
    CreateIdempotencyRecord1796000000003,
    CreateTerritory1796000000100,
    CreateInstitution1796000000101,
    CreateMemberHouseholdGrade1796000000102,
    VersionInstitutions1796000000103,
    CreatePartyStructure1796000000104,
    CreateDuties1796000000106,
    CreateVolunteers1796000000107,
    CreateVanguardIndex1796000000108,
    AnnounceInstitutionsToHouseholds1796000000181,
    ReparentMisplacedPartyOrgs1796000000190,
    AddPersonalDataAccessAge1796000000191,
    AnnounceWorkUnitBranches1796000000201,
    AddMultiDayActivities1796000000810,
    CreateQuizzesAndContests1796000000900,
    AddLeaderDuties1796000000910,
    ReservePartyMemberLogins1796000000920,
    AnnounceBranchSecretaryMembers1796000000950,
    CreateQueueActionAudit1796000000960,
  ],
  module: (runtime) => OrganizationModule.forRoot(runtime),
  demoData: organizationDemoData,
};
