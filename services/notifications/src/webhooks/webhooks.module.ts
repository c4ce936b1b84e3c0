import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceRuntime } from '#libs/platform';
import { SecretBox } from './secret-box.js';
import { WebhookDispatcher } from './webhook.dispatcher.js';
import { WebhookMetrics } from './webhook-metrics.js';
import { parseWebhookSettings, WEBHOOK_SETTINGS } from './webhook-settings.js';
import { WebhookResolver } from './webhook.resolver.js';
import { WebhookService } from './webhook.service.js';

/**
 * Signed webhook delivery of notices to institutions. Its settings come from the environment, checked when the
 * service is built (a bad variable stops the boot with every problem listed); see webhook-settings.ts.
 */
@Module({})
export class WebhooksModule {
  static forRoot(runtime: ServiceRuntime, env: Record<string, string | undefined> = process.env): DynamicModule {
    const settings = parseWebhookSettings(env, runtime.env.NODE_ENV);
    return {
      module: WebhooksModule,
      providers: [
        { provide: WEBHOOK_SETTINGS, useValue: settings },
        { provide: SecretBox, useValue: new SecretBox(settings.secretKey) },
        WebhookDispatcher,
        WebhookMetrics,
        WebhookService,
        WebhookResolver,
      ],
    };
  }
}
