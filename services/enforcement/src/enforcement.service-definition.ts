import { Module, type DynamicModule } from '@nestjs/common';
import { CreateIdempotencyRecord1796000000003 } from '#libs/idempotency';
import { CreateInstitutionCopy1796000000004 } from '#libs/institutions';
import { AddOutboxContext1796000000007, CreateOutboxAndInbox1796000000000, DEFAULT_PORTS, ServiceName } from '#libs/messaging';
import { PlatformModule, type ServiceDefinition, type ServiceRuntime } from '#libs/platform';
import { CreatePersonalDataAccess1796000000002 } from '#libs/privacy';
import { RetentionModule } from '#libs/retention';
import { CreateTerritoryReplica1796000000001 } from '#libs/territory';
import { CampaignsModule } from './campaigns/campaigns.module.js';
import { CasesModule } from './cases/cases.module.js';
import { CreditExportModule } from './credit-export/credit-export.module.js';
import { CreateCampaign1796000000300 } from './database/migrations/1796000000300-createCampaign.js';
import { CreateJointActions1796000000301 } from './database/migrations/1796000000301-createJointActions.js';
import { CreateCitizenReports1796000000310 } from './database/migrations/1796000000310-createCitizenReports.js';
import { CreateCases1796000000320 } from './database/migrations/1796000000320-createCases.js';
import { CreateHouseholdCopy1796000000330 } from './database/migrations/1796000000330-createHouseholdCopy.js';
import { AddFollowUpInspection1796000000340 } from './database/migrations/1796000000340-addFollowUpInspection.js';
import { AddReportSubmittingInstitution1796000000350 } from './database/migrations/1796000000350-addReportSubmittingInstitution.js';
import { SeparateReportPublicText1796000000361 } from './database/migrations/1796000000361-separateReportPublicText.js';
import { AddReporterContactRetention1796000000391 } from './database/migrations/1796000000391-addReporterContactRetention.js';
import { HoldAndReportJointActions1796000000401 } from './database/migrations/1796000000401-holdAndReportJointActions.js';
import { AddCampaignResultsAndQuarterCoverage1796000000451 } from './database/migrations/1796000000451-addCampaignResultsAndQuarterCoverage.js';
import { CreatePropertyAssessmentRules1796000000700 } from './database/migrations/1796000000700-createPropertyAssessmentRules.js';
import { CreateCitizenObservers1796000000800 } from './database/migrations/1796000000800-createCitizenObservers.js';
import { AddReportInspectionEvidence1796000000930 } from './database/migrations/1796000000930-addReportInspectionEvidence.js';
import { JointActionsModule } from './joint-actions/joint-actions.module.js';
import { ObserversModule } from './observers/observers.module.js';
import { Open311Module } from './open311/open311.module.js';
import { ReportsModule } from './reports/reports.module.js';
import { enforcementRetention } from './retention/retention-plan.js';
import { enforcementDemoData } from './seed/enforcement.seed.js';
import { enforcementPolicies } from './enforcement.policy.js';
// Publishes the service's error reasons in its schema (an enum no field returns, registered before the schema is built).
import './enforcement-error-reasons.js';

@Module({})
export class EnforcementServiceModule {
  static forRoot(runtime: ServiceRuntime): DynamicModule {
    return {
      module: EnforcementServiceModule,
      imports: [
        PlatformModule.forRoot(runtime),
        CampaignsModule,
        JointActionsModule.forRoot(runtime),
        ObserversModule,
        ReportsModule,
        Open311Module,
        CasesModule,
        CreditExportModule.forRoot(runtime),
        RetentionModule.forService(enforcementRetention),
      ],
    };
  }
}

/** enforcement: campaigns and joint actions with iCalendar feeds, citizen reports with Open311, cases with due process and the credit/points export. */
export const enforcementService: ServiceDefinition = {
  policies: enforcementPolicies,
  name: ServiceName.Enforcement,
  defaultPort: DEFAULT_PORTS[ServiceName.Enforcement],
  // Every table is read and written in SQL (typed rows at each statement): there are no TypeORM entities.
  entities: [],
  migrations: [
    CreateOutboxAndInbox1796000000000,
    AddOutboxContext1796000000007,
    CreateTerritoryReplica1796000000001,
    CreatePersonalDataAccess1796000000002,
    CreateIdempotencyRecord1796000000003,
    CreateInstitutionCopy1796000000004,
    CreateCampaign1796000000300,
    CreateJointActions1796000000301,
    CreateCitizenReports1796000000310,
    CreateCases1796000000320,
    CreateHouseholdCopy1796000000330,
    AddFollowUpInspection1796000000340,
    AddReportSubmittingInstitution1796000000350,
    SeparateReportPublicText1796000000361,
    AddReporterContactRetention1796000000391,
    HoldAndReportJointActions1796000000401,
    AddCampaignResultsAndQuarterCoverage1796000000451,
    CreatePropertyAssessmentRules1796000000700,
    CreateCitizenObservers1796000000800,
    AddReportInspectionEvidence1796000000930,
  ],
  module: (runtime) => EnforcementServiceModule.forRoot(runtime),
  demoData: enforcementDemoData,
};
