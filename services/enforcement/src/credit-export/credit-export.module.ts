import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceRuntime } from '#libs/platform';
import { CREDIT_EXPORT_SETTINGS, parseCreditExportSettings } from './credit-export-settings.js';
import { CreditExportDispatcher } from './credit-export.dispatcher.js';
import { CreditExportMetrics } from './credit-export-metrics.js';
import { CreditExportDispatchJob, CreditExportScanJob } from './credit-export.jobs.js';
import { CreditExportResolver, DistrictMonthCreditExportsResolver } from './credit-export.resolver.js';
import { CreditExportService } from './credit-export.service.js';

/**
 * Credit and points linkage: final penalties become records in a transactional outbox (`credit_export`), delivered
 * signed to CREDIT_EXPORT_URL. Settings come from the environment, checked when the service is built.
 */
@Module({})
export class CreditExportModule {
  static forRoot(runtime: ServiceRuntime, env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: CreditExportModule,
      providers: [
        { provide: CREDIT_EXPORT_SETTINGS, useValue: parseCreditExportSettings(env, runtime.env.NODE_ENV) },
        CreditExportService,
        CreditExportDispatcher,
        CreditExportMetrics,
        CreditExportScanJob,
        CreditExportDispatchJob,
        CreditExportResolver,
        DistrictMonthCreditExportsResolver,
      ],
    };
  }
}
