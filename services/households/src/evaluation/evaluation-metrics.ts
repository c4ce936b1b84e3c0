import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryOne } from '#libs/database';
import { PROCESS_METRICS, type ProcessMetrics } from '#libs/platform';

/**
 * The monthly evaluation's progress, read when scraped in one statement: runs still queued or running (and how old the
 * oldest is), and the scheduled runs of the newest month the scheduler evaluated (one per district), their communities
 * graded out of all and the households graded so far. Progress is counted in communities because a run is split into
 * one chunk per community and knows their number from the start; households are only counted as they are graded.
 * `evaluation_run` holds a few runs a month; the newest scheduled month is read from its scheduled-once index.
 */
const PROGRESS = `
WITH newest AS (SELECT max(month) AS month FROM evaluation_run WHERE trigger = 'SCHEDULE'),
unfinished AS (SELECT count(*)::int AS runs, min(created_at) AS oldest FROM evaluation_run WHERE status IN ('QUEUED', 'RUNNING'))
SELECT u.runs AS waste_evaluation_unfinished_runs,
       coalesce(extract(epoch FROM now() - u.oldest), 0)::float8 AS waste_evaluation_oldest_unfinished_run_age_seconds,
       extract(epoch FROM n.month::timestamp AT TIME ZONE 'Asia/Shanghai')::float8 AS waste_evaluation_scheduled_month_timestamp_seconds,
       coalesce(sum(r.total_chunks), 0)::int AS waste_evaluation_scheduled_communities,
       coalesce(sum(r.completed_chunks), 0)::int AS waste_evaluation_scheduled_communities_graded,
       coalesce(sum(r.households_evaluated), 0)::int AS waste_evaluation_scheduled_households_graded,
       count(*) FILTER (WHERE r.status = 'FAILED')::int AS waste_evaluation_scheduled_failed_runs
  FROM unfinished u CROSS JOIN newest n
  LEFT JOIN evaluation_run r ON r.trigger = 'SCHEDULE' AND r.month = n.month
 GROUP BY u.runs, u.oldest, n.month`;

@Injectable()
export class EvaluationMetrics {
  constructor(@InjectDataSource() dataSource: DataSource, @Inject(PROCESS_METRICS) metrics: ProcessMetrics) {
    metrics.scrapedGauges(
      [
        'waste_evaluation_unfinished_runs',
        'waste_evaluation_oldest_unfinished_run_age_seconds',
        'waste_evaluation_scheduled_month_timestamp_seconds',
        'waste_evaluation_scheduled_communities',
        'waste_evaluation_scheduled_communities_graded',
        'waste_evaluation_scheduled_households_graded',
        'waste_evaluation_scheduled_failed_runs',
      ],
      () => queryOne(dataSource, PROGRESS),
    );
  }
}
