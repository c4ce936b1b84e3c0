import { Module, type DynamicModule } from '@nestjs/common';
import { RETENTION_SETTINGS, parseSharedRetentionSettings } from '#libs/retention';
import { RetentionJob } from './jobs/retention.job.js';

/**
 * Retention of the personal data organization keeps only for a while (audit rows, idempotency records, finished jobs):
 * a daily job deletes what is past its period. The periods come from the environment, checked when the service is
 * built (a bad variable stops the boot with every problem listed).
 */
@Module({})
export class RetentionModule {
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: RetentionModule,
      providers: [{ provide: RETENTION_SETTINGS, useValue: parseSharedRetentionSettings(env) }, RetentionJob],
    };
  }
}
