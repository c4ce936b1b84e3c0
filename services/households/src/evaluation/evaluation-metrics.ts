import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { queryOne } from '#libs/database';
import { PROCESS_METRICS, type ProcessMetrics } from '#libs/platform';

/**
 * The monthly evaluation's progress, read when scraped in one statement: runs still queued or running (and how old the
 * oldest is), and the newest month a district-wide run was started for (the scheduler's of the 1st, or one asked for
 * again): the latest such run of each district, their communities graded out of all and the households graded so far.
 * A month is evaluated (and announced) when a district-wide run completes it. Progress is counted in communities
 * because a run is split into one chunk per community and knows their number from the start; households are counted
 * only as they are graded. `evaluation_run` holds a few runs a month.
 */
const PROGRESS = `
WITH district_run AS (
  SELECT r.* FROM evaluation_run r JOIN territory_unit t ON t.id = r.org_unit_id AND t.kind = 'DISTRICT'
),
newest AS (SELECT max(month) AS month FROM district_run),
latest AS (
  SELECT DISTINCT ON (r.org_unit_id) r.* FROM district_run r JOIN newest n ON r.month = n.month ORDER BY r.org_unit_id, r.created_at DESC
),
unfinished AS (SELECT count(*)::int AS runs, min(created_at) AS oldest FROM evaluation_run WHERE status IN ('QUEUED', 'RUNNING'))
SELECT u.runs AS waste_evaluation_unfinished_runs,
       coalesce(extract(epoch FROM now() - u.oldest), 0)::float8 AS waste_evaluation_oldest_unfinished_run_age_seconds,
       extract(epoch FROM n.month::timestamp AT TIME ZONE 'Asia/Shanghai')::float8 AS waste_evaluation_month_timestamp_seconds,
       coalesce(sum(l.total_chunks), 0)::int AS waste_evaluation_month_communities,
       coalesce(sum(l.completed_chunks), 0)::int AS waste_evaluation_month_communities_graded,
       coalesce(sum(l.households_evaluated), 0)::int AS waste_evaluation_month_households_graded,
       count(*) FILTER (WHERE l.status = 'FAILED')::int AS waste_evaluation_month_failed_runs
  FROM unfinished u CROSS JOIN newest n
  LEFT JOIN latest l ON true
 GROUP BY u.runs, u.oldest, n.month`;

@Injectable()
export class EvaluationMetrics {
  constructor(@InjectDataSource() dataSource: DataSource, @Inject(PROCESS_METRICS) metrics: ProcessMetrics) {
    metrics.scrapedGauges(
      [
        'waste_evaluation_unfinished_runs',
        'waste_evaluation_oldest_unfinished_run_age_seconds',
        'waste_evaluation_month_timestamp_seconds',
        'waste_evaluation_month_communities',
        'waste_evaluation_month_communities_graded',
        'waste_evaluation_month_households_graded',
        'waste_evaluation_month_failed_runs',
      ],
      () => queryOne(dataSource, PROGRESS),
    );
  }
}
