import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { canSeeHousehold, isWithinScope, type Caller } from '#libs/auth';
import { monthStart, parseMonth, shanghaiMonth } from '#libs/calendar';
import { DomainError } from '#libs/errors';
import {
  EventType,
  JobName,
  Outbox,
  OutboxRelay,
  PermanentJobError,
  QueueName,
  QueueRegistry,
  withCarriedContext,
  type EventPayload,
} from '#libs/messaging';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { SqlParams, execute, queryFirst, queryOne, queryRows } from '#libs/database';
import { Territory } from '#libs/territory';
import { EvaluationRunStatus, EvaluationTrigger } from './evaluation-enums.js';
import {
  EvaluationRun,
  MonthlyGrade,
  type EvaluationRunRow,
  type EvaluationRunsArgs,
  type HouseholdGradesArgs,
  type MonthlyGradeRow,
} from './evaluation.models.js';
import { announceMonth, gradeAndPublishChunk } from './grading-sql.js';
import { HouseholdClaimService } from '../outreach/household-claim.service.js';
import type { GradingRules, ReasonInspection } from './grading-rules.js';
import { RuleSetService } from './rule-set.service.js';

const RUN_COLUMNS = `id, month, org_unit_id AS "orgUnitId", trigger, requested_by AS "requestedBy", status, total_chunks AS "totalChunks",
  completed_chunks AS "completedChunks", households_evaluated AS "householdsEvaluated", households_total AS "householdsTotal", grades_changed AS "gradesChanged", error,
  created_at AS "createdAt", started_at AS "startedAt", finished_at AS "finishedAt"`;
const GRADE_COLUMNS = `g.month, g.household_id AS "householdId", g.status, g.grade, g.score, g.inspection_count AS "inspectionCount",
  g.issues, g.reasons, g.rule_set_id AS "ruleSetId", g.rule_version AS "ruleVersion", g.previous_grade AS "previousGrade", g.computed_at AS "computedAt"`;

export interface ChunkJob {
  runId: string;
  unitId: string;
}

/**
 * The monthly evaluation (一月一评). A run is requested (on demand or by the scheduler), split into one chunk per
 * community, and each chunk is graded in one transaction that also records the events for what changed. Re-running a
 * month rewrites only grades that are wrong and announces only those, so a re-run of an unchanged month is silent.
 */
@Injectable()
export class EvaluationService {
  private readonly logger = new Logger(EvaluationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly ruleSets: RuleSetService,
    private readonly outbox: Outbox,
    private readonly relay: OutboxRelay,
    private readonly queues: QueueRegistry,
    private readonly claims: HouseholdClaimService,
  ) {}

  /** Starts grading `month` for everything under `orgUnitId`; returns the run to follow with `evaluationRun`. */
  async requestRun(
    caller: Caller,
    monthArg: string,
    orgUnitId: string,
    trigger: EvaluationTrigger,
    now = new Date(),
  ): Promise<EvaluationRun> {
    const month = parseMonth(monthArg);
    if (month > shanghaiMonth(now)) throw DomainError.badInput(`${month} has not begun`, 'FUTURE_MONTH');
    const unit = await this.territory.requireInScope(caller, orgUnitId);
    const chunkUnits: string[] =
      unit.kind === 'COMMUNITY' || unit.kind === 'COMPOUND'
        ? [unit.id]
        : (
            await queryRows<{ id: string }>(
              this.dataSource,
              `SELECT id FROM territory_unit WHERE kind = 'COMMUNITY' AND path @> ARRAY[$1::uuid] ORDER BY code`,
              [unit.id],
            )
          ).map((row) => row.id);
    const run = await this.dataSource.transaction(async (manager) => {
      await this.ruleSets.ruleSetFor(manager, unit.path[0], month);
      const created = await queryFirst<EvaluationRunRow>(
        manager,
        // The households the run sets out to grade, counted as gradeChunk finds them (by their compounds).
        `INSERT INTO evaluation_run (month, org_unit_id, trigger, requested_by, status, total_chunks, finished_at, households_total)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 = 0 THEN now() END,
                 (SELECT count(*)::int FROM household h
                   WHERE h.compound_id = ANY(ARRAY(SELECT id FROM territory_unit WHERE path @> ARRAY[$2::uuid] AND kind = 'COMPOUND'))))
         ON CONFLICT (month, org_unit_id) WHERE trigger = 'SCHEDULE' DO NOTHING
         RETURNING ${RUN_COLUMNS}`,
        [
          monthStart(month),
          unit.id,
          trigger,
          caller.userId,
          chunkUnits.length === 0 ? EvaluationRunStatus.COMPLETED : EvaluationRunStatus.QUEUED,
          chunkUnits.length,
        ],
      );
      if (!created) {
        // The scheduler's run for this month already exists: a redelivered scheduled job starts nothing new.
        return queryOne<EvaluationRunRow>(
          manager,
          `SELECT ${RUN_COLUMNS} FROM evaluation_run WHERE month = $1 AND org_unit_id = $2 AND trigger = 'SCHEDULE'`,
          [monthStart(month), unit.id],
        );
      }
      await execute(manager, `INSERT INTO evaluation_chunk (run_id, unit_id) SELECT $1, unnest($2::uuid[])`, [created.id, chunkUnits]);
      const payload: EventPayload<EventType.EvaluationRequested> = { runId: created.id };
      await this.outbox.record(manager, [{ type: EventType.EvaluationRequested, payload }]);
      return created;
    });
    this.relay.kick();
    return EvaluationRun.from(run);
  }

  /** Queues a job per pending chunk; the job id makes queueing twice harmless. */
  async enqueueChunks(runId: string): Promise<void> {
    const chunks = await queryRows<{ unitId: string }>(
      this.dataSource,
      `SELECT unit_id AS "unitId" FROM evaluation_chunk WHERE run_id = $1 AND status = 'PENDING'`,
      [runId],
    );
    const jobs = chunks.map(({ unitId }) => ({
      name: JobName.EvaluationChunk,
      // The run's request id goes on with its chunks (a scheduled month is followed by one id).
      data: withCarriedContext({ runId, unitId } satisfies ChunkJob),
      opts: { jobId: `${runId}_${unitId}` },
    }));
    if (jobs.length > 0) await this.queues.get(QueueName.HouseholdsJobs).addBulk(jobs);
    await execute(
      this.dataSource,
      `UPDATE evaluation_run SET status = 'RUNNING', started_at = coalesce(started_at, now()) WHERE id = $1 AND status = 'QUEUED'`,
      [runId],
    );
  }

  /**
   * Grades one chunk: upserts the month's grades (only rows that change), records events for grades consumers have
   * not been told, marks the chunk done and advances the run, all in one transaction. A chunk already done is skipped.
   */
  async gradeChunk({ runId, unitId }: ChunkJob): Promise<void> {
    const done = await this.dataSource.transaction(async (manager) => {
      const chunk = await queryFirst<{ status: 'PENDING' | 'COMPLETED'; month: string }>(
        manager,
        `SELECT c.status, to_char(r.month, 'YYYY-MM') AS month FROM evaluation_chunk c JOIN evaluation_run r ON r.id = c.run_id
          WHERE c.run_id = $1 AND c.unit_id = $2 FOR UPDATE OF c`,
        [runId, unitId],
      );
      if (!chunk) throw new PermanentJobError(`No chunk ${unitId} in run ${runId}`);
      if (chunk.status === 'COMPLETED') return false;
      const { month } = chunk;
      const unit = await this.territory.find(unitId);
      if (!unit) throw new PermanentJobError(`Unit ${unitId} is not in the territory copy`);
      const districtId = unit.path[0];
      const ruleSet = await this.ruleSets.ruleSetFor(manager, districtId, month);
      const { households, changed } = await gradeAndPublishChunk(manager, { runId, unitId, districtId, month, ruleSet });
      await execute(
        manager,
        `UPDATE evaluation_chunk SET status = 'COMPLETED', households = $3, changed = $4, completed_at = now() WHERE run_id = $1 AND unit_id = $2`,
        [runId, unitId, households, changed],
      );
      const run = await queryOne<EvaluationRunRow>(
        manager,
        `UPDATE evaluation_run
            SET completed_chunks = completed_chunks + 1, households_evaluated = households_evaluated + $2,
                grades_changed = grades_changed + $3, started_at = coalesce(started_at, now()),
                status = CASE WHEN completed_chunks + 1 >= total_chunks THEN 'COMPLETED' ELSE 'RUNNING' END,
                finished_at = CASE WHEN completed_chunks + 1 >= total_chunks THEN now() END
          WHERE id = $1 RETURNING ${RUN_COLUMNS}`,
        [runId, households, changed],
      );
      if (run.status === EvaluationRunStatus.COMPLETED) {
        // Households that reached QUALIFIED no longer need the party member or volunteer who claimed them.
        await this.claims.closeClaimsOfUpgradedHouseholds(manager, month, run.orgUnitId);
        // A month is announced when a run over a whole district completes it.
        const covered = await this.territory.find(run.orgUnitId);
        if (covered?.kind === 'DISTRICT') await announceMonth(manager, this.outbox, covered.id, month, run.id);
      }
      return true;
    });
    if (done) this.relay.kick();
  }

  /** Marks a run FAILED when one of its chunks failed for good; grades already written stay (they are right). */
  async markFailed(runId: string, error: Error): Promise<void> {
    this.logger.error(`Evaluation run ${runId} failed: ${error.message}`);
    await execute(
      this.dataSource,
      `UPDATE evaluation_run SET status = 'FAILED', error = $2, finished_at = now() WHERE id = $1 AND status <> 'COMPLETED'`,
      [runId, error.message.slice(0, 1000)],
    );
  }

  /** A run of a unit inside the caller's territory; another territory's run is NOT_FOUND, as if it did not exist. */
  async run(caller: Caller, id: string): Promise<EvaluationRun> {
    const row = await queryFirst<EvaluationRunRow>(this.dataSource, `SELECT ${RUN_COLUMNS} FROM evaluation_run WHERE id = $1`, [id]);
    const unit = row ? await this.territory.find(row.orgUnitId) : null;
    if (!row || !unit || !isWithinScope(caller, unit.path)) throw DomainError.notFound('EvaluationRun', id);
    return EvaluationRun.from(row);
  }

  /**
   * Runs of the caller's territory (a run over a unit inside it), newest first, whatever started them: the monthly
   * schedule's runs are recorded like on-demand ones. A district-wide caller sees every run; a street admin does not
   * see the district's scheduled run, as `run` would not show it.
   */
  async runs(caller: Caller, args: EvaluationRunsArgs, month?: string): Promise<ConnectionShape<EvaluationRun>> {
    const params = new SqlParams();
    const where: string[] = [];
    const root = args.orgUnitId ? (await this.territory.requireInScope(caller, args.orgUnitId)).id : caller.orgUnitId;
    if (root) where.push(`org_unit_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${params.add(root)}::uuid])`);
    const onlyMonth = month ?? (args.month ? parseMonth(args.month) : null);
    if (onlyMonth) where.push(`month = ${params.add(monthStart(onlyMonth))}::date`);
    if (args.trigger) where.push(`trigger = ${params.add(args.trigger)}`);
    if (args.status) where.push(`status = ${params.add(args.status)}`);
    return fetchKeysetPage<EvaluationRunRow & { createdKey: string }, EvaluationRun>(
      this.dataSource,
      args,
      {
        select: `${RUN_COLUMNS}, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdKey"`,
        from: 'evaluation_run',
        where,
        params,
        orderBy: ['created_at', 'id'],
        keyOf: (row) => [row.createdKey, row.id],
        descending: true,
      },
      (rows) => rows.map(({ createdKey: _key, ...row }) => EvaluationRun.from(row)),
    );
  }

  /** One household's grade of one month; null when the month has not been evaluated. */
  async grade(caller: Caller, householdId: string, monthArg: string): Promise<MonthlyGrade | null> {
    const month = parseMonth(monthArg);
    await this.requireHouseholdVisible(caller, householdId);
    const row = await queryFirst<MonthlyGradeRow>(
      this.dataSource,
      `SELECT ${GRADE_COLUMNS} FROM monthly_grade g WHERE g.household_id = $1 AND g.month = $2`,
      [householdId, monthStart(month)],
    );
    return row ? (await this.present([row]))[0] : null;
  }

  /** Grades of many households for one month, for a page of households (one query). */
  async gradesFor(householdIds: readonly string[], month: string): Promise<(MonthlyGrade | null)[]> {
    const rows = await queryRows<MonthlyGradeRow>(
      this.dataSource,
      `SELECT ${GRADE_COLUMNS} FROM monthly_grade g WHERE g.household_id = ANY($1::uuid[]) AND g.month = $2`,
      [householdIds, monthStart(month)],
    );
    const grades = await this.present(rows);
    const byHousehold = new Map(grades.map((grade) => [grade.householdId, grade]));
    return householdIds.map((id) => byHousehold.get(id) ?? null);
  }

  /** A household's grade history, newest month first. */
  async history(caller: Caller, args: HouseholdGradesArgs): Promise<ConnectionShape<MonthlyGrade>> {
    await this.requireHouseholdVisible(caller, args.householdId);
    const params = new SqlParams();
    return fetchKeysetPage<MonthlyGradeRow, MonthlyGrade>(
      this.dataSource,
      args,
      {
        select: GRADE_COLUMNS,
        from: 'monthly_grade g',
        where: [`g.household_id = ${params.add(args.householdId)}`],
        params,
        orderBy: ['g.month'],
        keyOf: (row) => [String(row.month).slice(0, 10)],
        descending: true,
      },
      (rows) => this.present(rows),
    );
  }

  /** Grades with their reasons in words: the inspections the reasons cite, and the rule sets, in one query each. */
  private async present(rows: MonthlyGradeRow[]): Promise<MonthlyGrade[]> {
    const cited = rows.flatMap((row) => row.reasons.flatMap((reason) => (reason.inspectionId ? [reason.inspectionId] : [])));
    const inspections = cited.length
      ? await queryRows<ReasonInspection & { id: string }>(
          this.dataSource,
          `SELECT id, kind, result, issues, inspected_at AS "inspectedAt" FROM inspection WHERE id = ANY($1::uuid[])`,
          [cited],
        )
      : [];
    const byId = new Map(inspections.map((inspection) => [inspection.id, inspection]));
    const ruleSetIds = [...new Set(rows.map((row) => row.ruleSetId))];
    const ruleSets = ruleSetIds.length
      ? await queryRows<{ id: string; rules: GradingRules }>(
          this.dataSource,
          `SELECT id, rules FROM grading_rule_set WHERE id = ANY($1::uuid[])`,
          [ruleSetIds],
        )
      : [];
    const rulesById = new Map(ruleSets.map((ruleSet) => [ruleSet.id, ruleSet.rules]));
    // Each grade's objection window: its district's month (the household's district, through its compound).
    const windows = rows.length
      ? await queryRows<{ householdId: string; month: string; closesAt: Date; open: boolean }>(
          this.dataSource,
          `SELECT x.household_id AS "householdId", to_char(x.month, 'YYYY-MM') AS month, e.objection_window_closes_at AS "closesAt",
                  e.objection_window_closed_at IS NULL AND e.objection_window_closes_at > now() AS open
             FROM unnest($1::uuid[], $2::date[]) AS x (household_id, month)
             JOIN household h ON h.id = x.household_id JOIN territory_unit t ON t.id = h.compound_id
             JOIN evaluation_month e ON e.district_id = t.path[1] AND e.month = x.month`,
          [rows.map((row) => row.householdId), rows.map((row) => monthStart(String(row.month).slice(0, 7)))],
        )
      : [];
    const windowOf = new Map(windows.map((window) => [`${window.householdId}|${window.month}`, window]));
    return rows.map((row) =>
      MonthlyGrade.from(row, byId, rulesById.get(row.ruleSetId)!, windowOf.get(`${row.householdId}|${String(row.month).slice(0, 7)}`)),
    );
  }

  private async requireHouseholdVisible(caller: Caller, householdId: string): Promise<void> {
    const household = await queryFirst<{ path: string[] }>(
      this.dataSource,
      `SELECT t.path::text[] AS path FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE h.id = $1`,
      [householdId],
    );
    if (!household) throw DomainError.notFound('Household', householdId);
    if (!canSeeHousehold(caller, householdId, household.path)) {
      throw DomainError.forbidden('That household is not yours to see', 'OUT_OF_SCOPE');
    }
  }
}
