import { Module, type DynamicModule } from '@nestjs/common';
import { RetentionJob } from './jobs/retention.job.js';
import { RETENTION_SETTINGS, parseRetentionSettings } from './retention-settings.js';

/**
 * Retention of the personal data organization keeps only for a while (audit rows, idempotency records, contest
 * entrants' names, finished jobs): a daily job deletes (or masks) what is past its period. The periods come from the environment, checked when the service is
 * built (a bad variable stops the boot with every problem listed).
 */
@Module({})
export class RetentionModule {
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: RetentionModule,
      providers: [{ provide: RETENTION_SETTINGS, useValue: parseRetentionSettings(env) }, RetentionJob],
    };
  }
}
