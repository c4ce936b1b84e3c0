import { Inject, Injectable, Logger, Module, type DynamicModule, type InjectionToken } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { JobHandler, JobName, QueueRegistry, firedAtOf, queuesOwnedBy, type JobProcessor, type ServiceName } from '#libs/messaging';
import { RETENTION_SETTINGS, type SharedRetentionSettings } from './settings.js';
import { applySharedRetention, describeSharedRetention } from './shared-stores.js';
import { trimFinishedJobs } from './queues.js';
import type { RetentionJobData } from './job.js';

/**
 * One store a service keeps only for a while: deletes (or masks) what is past its period at `firedAt`, batch by batch,
 * and says what it did for the run's log line. Counts and cutoffs only: nothing it says names anyone.
 */
export type RetentionStep<Settings> = (dataSource: DataSource, firedAt: Date, settings: Settings) => Promise<string>;

/** What one service's daily run does besides the shared stores: its own stores, in order. */
export interface RetentionRun<Settings extends SharedRetentionSettings> {
  service: ServiceName;
  steps: readonly RetentionStep<Settings>[];
}

/**
 * A service's retention as data: its settings from the environment and its own steps. `inject` names providers of
 * `imports` the steps need (households' photo storage), handed to `steps` in that order.
 */
export interface RetentionPlan<Settings extends SharedRetentionSettings, Deps extends unknown[] = []> {
  service: ServiceName;
  parseSettings(env: Record<string, string | undefined>): Settings;
  imports?: DynamicModule['imports'];
  inject?: InjectionToken[];
  steps(...deps: Deps): readonly RetentionStep<Settings>[];
}

/** The injection token of the service's RetentionRun. */
export const RETENTION_RUN = Symbol('RETENTION_RUN');

/**
 * Every day at 03:30 Asia/Shanghai (see JOB_SCHEDULES), in every service: the service's own steps, then the shared
 * stores (audit rows of unmasked reads, idempotency records where the service has them), then finished jobs in the
 * service's queues. Each step is idempotent, so a redelivered or repeated job finds nothing more to do.
 */
@Injectable()
@JobHandler(JobName.RetentionDaily)
export class RetentionJob<Settings extends SharedRetentionSettings = SharedRetentionSettings> implements JobProcessor<RetentionJobData> {
  private readonly logger = new Logger(RetentionJob.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RETENTION_SETTINGS) private readonly settings: Settings,
    @Inject(RETENTION_RUN) private readonly run: RetentionRun<Settings>,
    private readonly queues: QueueRegistry,
  ) {}

  async handle(data: RetentionJobData, job: Job<RetentionJobData>): Promise<void> {
    const firedAt = firedAtOf(data);
    const done: string[] = [];
    for (const step of this.run.steps) done.push(await step(this.dataSource, firedAt, this.settings));
    const shared = await applySharedRetention(this.dataSource, firedAt, this.settings);
    const jobs = await trimFinishedJobs(queuesOwnedBy(this.run.service).map((queue) => this.queues.get(queue)));
    // Counts and cutoffs only: nothing here names anyone.
    this.logger.log(
      `Job ${job.id}: ${[...done, describeSharedRetention(shared), `finished jobs trimmed: ${jobs.completed} completed, ${jobs.failed} failed`].join('; ')}`,
    );
  }
}

/**
 * Retention of the personal data a service keeps only for a while: the daily RetentionJob with the service's plan.
 * The periods come from the environment, checked when the service is built (a bad variable stops the boot with every
 * problem listed).
 */
@Module({})
export class RetentionModule {
  static forService<Settings extends SharedRetentionSettings, Deps extends unknown[]>(
    plan: RetentionPlan<Settings, Deps>,
    env: Record<string, string | undefined> = process.env,
  ): DynamicModule {
    return {
      module: RetentionModule,
      imports: plan.imports ?? [],
      providers: [
        { provide: RETENTION_SETTINGS, useValue: plan.parseSettings(env) },
        {
          provide: RETENTION_RUN,
          inject: plan.inject ?? [],
          useFactory: (...deps: Deps): RetentionRun<Settings> => ({ service: plan.service, steps: plan.steps(...deps) }),
        },
        RetentionJob,
      ],
    };
  }
}
