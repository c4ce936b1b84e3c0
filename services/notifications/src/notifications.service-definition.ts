import { Module, type DynamicModule } from '@nestjs/common';
import { CreateOutboxAndInbox1796000000000, DEFAULT_PORTS, ServiceName } from '#libs/messaging';
import { PlatformModule, type ServiceDefinition, type ServiceRuntime } from '#libs/platform';
import { CreateNoticeTemplate1796000000400 } from './database/migrations/1796000000400-createNoticeTemplate.js';
import { CreateGradedResident1796000000401 } from './database/migrations/1796000000401-createGradedResident.js';
import { GradesModule } from './grades/grades.module.js';
import { notificationsDemoData } from './seed/notifications.seed.js';
import { NoticeTemplateEntity } from './templates/notice-template.entity.js';
import { TemplatesModule } from './templates/templates.module.js';

@Module({})
export class NotificationsServiceModule {
  static forRoot(runtime: ServiceRuntime): DynamicModule {
    return { module: NotificationsServiceModule, imports: [PlatformModule.forRoot(runtime), TemplatesModule, GradesModule] };
  }
}

/** notifications: notice templates now; notices, institution API keys and webhooks grow here (issue 4). */
export const notificationsService: ServiceDefinition = {
  name: ServiceName.Notifications,
  defaultPort: DEFAULT_PORTS[ServiceName.Notifications],
  entities: [NoticeTemplateEntity],
  migrations: [CreateOutboxAndInbox1796000000000, CreateNoticeTemplate1796000000400, CreateGradedResident1796000000401],
  module: (runtime) => NotificationsServiceModule.forRoot(runtime),
  demoData: notificationsDemoData,
};
