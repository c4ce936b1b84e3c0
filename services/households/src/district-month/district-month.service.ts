import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { monthStart } from '#libs/calendar';
import { queryOne, queryRows } from '#libs/database';
import { DistrictMonthBlocker, DistrictMonthBlockerCode as Code } from '#libs/references';
import { DistrictMonthEvaluation, DistrictMonthStage, type DistrictMonthSource } from './district-month.models.js';

/** A step another service should have taken this long after publication is reported as stuck, not as under way. */
export const FOLLOW_UP_GRACE_MINUTES = 15;
/** Blockers of one kind named one by one, at most; the rest are counted in one more. */
export const BLOCKERS_NAMED = 10;

/** households' part of the month at a glance, and the summary of every part (DistrictMonth.stage and blockers). */
@Injectable()
export class DistrictMonthService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The month's runs, grades, publication and objection window, over every district of the installation. */
  async evaluation(month: string): Promise<DistrictMonthEvaluation> {
    const row = await queryOne<Omit<DistrictMonthEvaluation, 'objectionWindowOpen'> & { objectionWindowOpen: boolean | null }>(
      this.dataSource,
      `SELECT (SELECT count(*)::int FROM household) AS households,
              (SELECT count(*) FILTER (WHERE status = 'GRADED')::int FROM monthly_grade WHERE month = $1) AS graded,
              (SELECT count(*) FILTER (WHERE status = 'NO_EVIDENCE')::int FROM monthly_grade WHERE month = $1) AS "noEvidence",
              e.completed_at IS NOT NULL AS published, e.completed_at AS "publishedAt", e.closes_at AS "objectionWindowClosesAt",
              e.open AS "objectionWindowOpen",
              (SELECT count(*)::int FROM grade_objection WHERE month = $1 AND status = 'OPEN') AS "openObjections",
              r.total AS "runCount", r.in_progress AS "runsInProgress", r.failed AS "runsFailed"
         FROM (SELECT count(*)::int AS total, count(*) FILTER (WHERE status IN ('QUEUED', 'RUNNING'))::int AS in_progress,
                      count(*) FILTER (WHERE status = 'FAILED')::int AS failed
                 FROM evaluation_run WHERE month = $1) r
         LEFT JOIN (SELECT min(completed_at) AS completed_at, max(objection_window_closes_at) AS closes_at,
                           bool_or(objection_window_closed_at IS NULL AND objection_window_closes_at > now()) AS open
                      FROM evaluation_month WHERE month = $1) e ON true`,
      [monthStart(month)],
    );
    return Object.assign(new DistrictMonthEvaluation(), { ...row, objectionWindowOpen: row.objectionWindowOpen ?? false });
  }

  /** The first step of the month not finished, from households' own state and the parts the gateway passed in. */
  async stage(source: DistrictMonthSource): Promise<DistrictMonthStage> {
    const evaluation = await this.evaluation(source.month);
    if (!evaluation.published) return evaluation.runCount === 0 ? DistrictMonthStage.NOT_STARTED : DistrictMonthStage.EVALUATING;
    if (evaluation.objectionWindowOpen) return DistrictMonthStage.OBJECTIONS_OPEN;
    const notices = source.notices;
    const noticesDone = !!notices && notices.generated && notices.pending === 0 && notices.residentsWaiting === 0;
    return noticesDone && source.vanguard?.scored ? DistrictMonthStage.DONE : DistrictMonthStage.FOLLOWING_UP;
  }

  /**
   * Why the month does not move, households' own reasons first, then each service's: a run over a unit that failed
   * with no later run completing it; notifications' own blockers as it reported them; and what households can tell
   * from the others' figures: the month published a while ago ({@link FOLLOW_UP_GRACE_MINUTES}) but not recorded by
   * notifications or not scored by organization, and exports that failed.
   */
  async blockers(source: DistrictMonthSource): Promise<DistrictMonthBlocker[]> {
    const start = monthStart(source.month);
    const failed = await queryRows<{ id: string; unitName: string | null; error: string | null }>(
      this.dataSource,
      `SELECT r.id, t.name AS "unitName", r.error
         FROM (SELECT DISTINCT ON (org_unit_id) id, org_unit_id, status, error, created_at FROM evaluation_run
                WHERE month = $1 ORDER BY org_unit_id, created_at DESC, id DESC) r
         LEFT JOIN territory_unit t ON t.id = r.org_unit_id
        WHERE r.status = 'FAILED'
          -- A later run that completed over the unit or one above it graded it after all.
          AND NOT EXISTS (SELECT 1 FROM evaluation_run c WHERE c.month = $1 AND c.status = 'COMPLETED' AND c.created_at > r.created_at
                             AND c.org_unit_id = ANY(t.path))
        ORDER BY r.created_at DESC, r.id LIMIT ${BLOCKERS_NAMED}`,
      [start],
    );
    const blockers = failed.map((run) =>
      DistrictMonthBlocker.of(
        Code.EVALUATION_RUN_FAILED,
        `The evaluation run over ${run.unitName ?? 'a unit'} failed (${run.error ?? 'no reason recorded'}); run it again with runMonthlyEvaluation.`,
        { subjectId: run.id },
      ),
    );
    const { overdue } = await queryOne<{ overdue: boolean }>(
      this.dataSource,
      `SELECT coalesce(min(completed_at) < now() - make_interval(mins => ${FOLLOW_UP_GRACE_MINUTES}), false) AS overdue
         FROM evaluation_month WHERE month = $1`,
      [start],
    );
    if (overdue && source.notices && !source.notices.monthReceived) {
      blockers.push(
        DistrictMonthBlocker.of(
          Code.NOTICES_MONTH_NOT_RECEIVED,
          `The grades were published more than ${FOLLOW_UP_GRACE_MINUTES} minutes ago but notifications has not recorded the month: its events wait in a queue.`,
        ),
      );
    }
    blockers.push(...(source.notices?.blockers ?? []));
    if (overdue && source.vanguard && !source.vanguard.scored) {
      blockers.push(
        DistrictMonthBlocker.of(
          Code.VANGUARD_NOT_SCORED,
          `The grades were published more than ${FOLLOW_UP_GRACE_MINUTES} minutes ago but the month's vanguard index is not computed.`,
        ),
      );
    }
    const exportsFailed = source.creditExports?.failed ?? 0;
    if (exportsFailed > 0) {
      blockers.push(
        DistrictMonthBlocker.of(Code.CREDIT_EXPORTS_FAILED, `${exportsFailed} credit/points exports of the month failed for good.`, {
          count: exportsFailed,
        }),
      );
    }
    return blockers;
  }
}
