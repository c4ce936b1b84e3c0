import { Module, type DynamicModule } from '@nestjs/common';
import { AddOutboxContext1796000000007, CreateOutboxAndInbox1796000000000, DEFAULT_PORTS, ServiceName } from '#libs/messaging';
import { PlatformModule, type ServiceDefinition, type ServiceRuntime } from '#libs/platform';
import { CreatePersonalDataAccess1796000000002 } from '#libs/privacy';
import { RetentionModule } from '#libs/retention';
import { CreateTerritoryReplica1796000000001 } from '#libs/territory';
import { CreateIdempotencyRecord1796000000003 } from '#libs/idempotency';
import { CreateInstitutionCopy1796000000004 } from '#libs/institutions';
import { CreateHousehold1796000000200 } from './database/migrations/1796000000200-createHousehold.js';
import { CreateRegistryAndEvidence1796000000201 } from './database/migrations/1796000000201-createRegistryAndEvidence.js';
import { CreateMonthlyEvaluation1796000000203 } from './database/migrations/1796000000203-createMonthlyEvaluation.js';
import { CreateCollection1796000000230 } from './database/migrations/1796000000230-createCollection.js';
import { CreateOutreach1796000000240 } from './database/migrations/1796000000240-createOutreach.js';
import { AddDisclosureBasis1796000000260 } from './database/migrations/1796000000260-addDisclosureBasis.js';
import { CreatePhotoCheckIns1796000000250 } from './database/migrations/1796000000250-createPhotoCheckIns.js';
import { CreateCollectionRecords1796000000270 } from './database/migrations/1796000000270-createCollectionRecords.js';
import { CreateCollectionMonthTotal1796000000280 } from './database/migrations/1796000000280-createCollectionMonthTotal.js';
import { CreateCompoundMonthSummaries1796000000290 } from './database/migrations/1796000000290-createCompoundMonthSummaries.js';
import { SerializeCompoundSummaryRecounts1796000000300 } from './database/migrations/1796000000300-serializeCompoundSummaryRecounts.js';
import { AnnounceHouseholds1796000000310 } from './database/migrations/1796000000310-announceHouseholds.js';
import { CreateCaseFollowUpRequests1796000000320 } from './database/migrations/1796000000320-createCaseFollowUpRequests.js';
import { AddBirthDateAndGuardianConsent1796000000361 } from './database/migrations/1796000000361-addBirthDateAndGuardianConsent.js';
import { CreateUploadCitations1796000000381 } from './database/migrations/1796000000381-createUploadCitations.js';
import { AddUploadRetention1796000000391 } from './database/migrations/1796000000391-addUploadRetention.js';
import { CreateWorkUnitBranchCopies1796000000401 } from './database/migrations/1796000000401-createWorkUnitBranchCopies.js';
import { CreateHolidayCalendar1796000000461 } from './database/migrations/1796000000461-createHolidayCalendar.js';
import { CreateGradeObjections1796000000500 } from './database/migrations/1796000000500-createGradeObjections.js';
import { CreatePropertyResponsiblePersons1796000000700 } from './database/migrations/1796000000700-createPropertyResponsiblePersons.js';
import { AddInspectionCitizenReport1796000000930 } from './database/migrations/1796000000930-addInspectionCitizenReport.js';
import { AddSecretaryMemberToBranchCopies1796000000950 } from './database/migrations/1796000000950-addSecretaryMemberToBranchCopies.js';
import { AddEvaluationRunHouseholds1796000000960 } from './database/migrations/1796000000960-addEvaluationRunHouseholds.js';
import { householdsRetention } from './retention/retention-plan.js';
import { CheckInsModule } from './check-ins/check-ins.module.js';
import { CollectionModule } from './collection/collection.module.js';
import { HouseholdsModule } from './households/households.module.js';
import { DistrictMonthModule } from './district-month/district-month.module.js';
import { EvaluationModule } from './evaluation/evaluation.module.js';
import { InspectionsModule } from './inspections/inspections.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ObjectionsModule } from './objections/objections.module.js';
import { OutreachModule } from './outreach/outreach.module.js';
import { PropertyModule } from './property/property.module.js';
import { RegistryModule } from './registry/registry.module.js';
import { householdsDemoData } from './seed/households.seed.js';
import { UploadsModule } from './uploads/uploads.module.js';
import { householdsPolicies } from './households.policy.js';
// Publishes the service's error reasons in its schema (an enum no field returns, registered before the schema is built).
import './households-error-reasons.js';

@Module({})
export class HouseholdsServiceModule {
  static forRoot(runtime: ServiceRuntime): DynamicModule {
    return {
      module: HouseholdsServiceModule,
      imports: [
        PlatformModule.forRoot(runtime),
        HouseholdsModule,
        UploadsModule,
        RegistryModule,
        InspectionsModule,
        EvaluationModule,
        DistrictMonthModule,
        OutreachModule,
        CollectionModule,
        CheckInsModule,
        MetricsModule,
        PropertyModule,
        ObjectionsModule,
        RetentionModule.forService(householdsRetention),
      ],
    };
  }
}

/**
 * households: the registry, evidence (inspections, photos, party members' check-ins), the monthly evaluation and its
 * statistics, tiered outreach, and collection services.
 */
export const householdsService: ServiceDefinition = {
  policies: householdsPolicies,
  name: ServiceName.Households,
  defaultPort: DEFAULT_PORTS[ServiceName.Households],
  // Every table is read and written with SQL (typed rows at each statement), so TypeORM maps no entity.
  entities: [],
  migrations: [
    CreateOutboxAndInbox1796000000000,
    AddOutboxContext1796000000007,
    CreateTerritoryReplica1796000000001,
    CreatePersonalDataAccess1796000000002,
    CreateIdempotencyRecord1796000000003,
    // Residents' employers and schools are checked against it (added after the tables below; runs on existing databases too).
    CreateInstitutionCopy1796000000004,
    CreateHousehold1796000000200,
    CreateRegistryAndEvidence1796000000201,
    CreateMonthlyEvaluation1796000000203,
    CreateCollection1796000000230,
    CreateOutreach1796000000240,
    CreatePhotoCheckIns1796000000250,
    AddDisclosureBasis1796000000260,
    CreateCollectionRecords1796000000270,
    CreateCollectionMonthTotal1796000000280,
    CreateCompoundMonthSummaries1796000000290,
    SerializeCompoundSummaryRecounts1796000000300,
    AnnounceHouseholds1796000000310,
    CreateCaseFollowUpRequests1796000000320,
    AddBirthDateAndGuardianConsent1796000000361,
    CreateUploadCitations1796000000381,
    AddUploadRetention1796000000391,
    CreateWorkUnitBranchCopies1796000000401,
    CreateHolidayCalendar1796000000461,
    CreateGradeObjections1796000000500,
    CreatePropertyResponsiblePersons1796000000700,
    AddInspectionCitizenReport1796000000930,
    AddSecretaryMemberToBranchCopies1796000000950,
    AddEvaluationRunHouseholds1796000000960,
  ],
  module: (runtime) => HouseholdsServiceModule.forRoot(runtime),
  demoData: householdsDemoData,
};
