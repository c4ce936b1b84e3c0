import { Module, type DynamicModule } from '@nestjs/common';
import { AddOutboxContext1796000000007, CreateOutboxAndInbox1796000000000, DEFAULT_PORTS, ServiceName } from '#libs/messaging';
import { CreateInstitutionCopy1796000000004 } from '#libs/institutions';
import { PlatformModule, type ServiceDefinition, type ServiceRuntime } from '#libs/platform';
import { CreatePersonalDataAccess1796000000002 } from '#libs/privacy';
import { RetentionModule } from '#libs/retention';
import { CreateTerritoryReplica1796000000001 } from '#libs/territory';
import { CreateNoticeTemplate1796000000400 } from './database/migrations/1796000000400-createNoticeTemplate.js';
import { CreateGradedResident1796000000401 } from './database/migrations/1796000000401-createGradedResident.js';
import { ApiKeysModule } from './api-keys/api-keys.module.js';
import { CreateInstitutionApiKey1796000000403 } from './database/migrations/1796000000403-createInstitutionApiKey.js';
import { CreateNotices1796000000402 } from './database/migrations/1796000000402-createNotices.js';
import { CreatePublicDisclosure1796000000405 } from './database/migrations/1796000000405-createPublicDisclosure.js';
import { AddNoticeWithdrawal1796000000406 } from './database/migrations/1796000000406-addNoticeWithdrawal.js';
import { DisclosureModule } from './disclosure/disclosure.module.js';
import { DistrictMonthModule } from './district-month/district-month.module.js';
import { GradesModule } from './grades/grades.module.js';
import { NoticesModule } from './notices/notices.module.js';
import { AddRetention1796000000407 } from './database/migrations/1796000000407-addRetention.js';
import { AddGuardianNoticesAndHeldNotices1796000000411 } from './database/migrations/1796000000411-addGuardianNoticesAndHeldNotices.js';
import { AddInstitutionEnrolment1796000000421 } from './database/migrations/1796000000421-addInstitutionEnrolment.js';
import { AddPersonalDataAccessAge1796000000431 } from './database/migrations/1796000000431-addPersonalDataAccessAge.js';
import { AddDistinguishingDefaultPraise1796000000441 } from './database/migrations/1796000000441-addDistinguishingDefaultPraise.js';
import { AddObjectionHolds1796000000501 } from './database/migrations/1796000000501-addObjectionHolds.js';
import { AddDisclosureOutlets1796000000600 } from './database/migrations/1796000000600-addDisclosureOutlets.js';
import { notificationsRetention } from './retention/retention-plan.js';
import { notificationsDemoData } from './seed/notifications.seed.js';
import { TemplatesModule } from './templates/templates.module.js';
import { CreateWebhooks1796000000404 } from './database/migrations/1796000000404-createWebhooks.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';
import { notificationsPolicies } from './notifications.policy.js';
// Publishes the service's error reasons in its schema (an enum no field returns, registered before the schema is built).
import './notifications-error-reasons.js';

@Module({})
export class NotificationsServiceModule {
  static forRoot(runtime: ServiceRuntime): DynamicModule {
    return {
      module: NotificationsServiceModule,
      imports: [
        PlatformModule.forRoot(runtime),
        TemplatesModule,
        GradesModule,
        NoticesModule,
        ApiKeysModule,
        WebhooksModule.forRoot(runtime),
        DisclosureModule,
        DistrictMonthModule,
        RetentionModule.forService(notificationsRetention),
      ],
    };
  }
}

/**
 * notifications: praise letters and reminder notices generated from each month's grades, addressed to employers and
 * schools, who read and acknowledge them with API keys and receive them by signed webhooks; public disclosure drafts.
 */
export const notificationsService: ServiceDefinition = {
  policies: notificationsPolicies,
  name: ServiceName.Notifications,
  defaultPort: DEFAULT_PORTS[ServiceName.Notifications],
  // Every table is read and written with SQL (typed rows at each statement), so TypeORM maps no entity.
  entities: [],
  migrations: [
    CreateOutboxAndInbox1796000000000,
    AddOutboxContext1796000000007,
    CreateTerritoryReplica1796000000001,
    CreatePersonalDataAccess1796000000002,
    CreateInstitutionCopy1796000000004,
    CreateNoticeTemplate1796000000400,
    CreateGradedResident1796000000401,
    CreateNotices1796000000402,
    CreateInstitutionApiKey1796000000403,
    CreateWebhooks1796000000404,
    CreatePublicDisclosure1796000000405,
    AddNoticeWithdrawal1796000000406,
    AddRetention1796000000407,
    AddGuardianNoticesAndHeldNotices1796000000411,
    AddInstitutionEnrolment1796000000421,
    AddPersonalDataAccessAge1796000000431,
    AddDistinguishingDefaultPraise1796000000441,
    AddObjectionHolds1796000000501,
    AddDisclosureOutlets1796000000600,
  ],
  module: (runtime) => NotificationsServiceModule.forRoot(runtime),
  demoData: notificationsDemoData,
};
