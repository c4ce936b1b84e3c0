import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { canSeeHousehold, type Caller } from '#libs/auth';
import { monthStart, parseMonth } from '#libs/calendar';
import { SqlParams, execute, isPostgresError, PostgresErrorCode, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { EventType, Outbox, OutboxRelay, type EventPayload } from '#libs/messaging';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { Territory } from '#libs/territory';
import { EvaluationStatus, type Grade } from '../evaluation/evaluation-enums.js';
import { GRADING_RULE_SETS, gradeAndPublishChunk } from '../evaluation/grading-sql.js';
import { findHouseholdPlace } from '../households/household-place.js';
import { HouseholdClaimService } from '../outreach/household-claim.service.js';
import {
  GradeObjection,
  GradeObjectionOutcome,
  GradeObjectionStatus,
  ObjectionWindow,
  type DecideGradeObjectionInput,
  type FileGradeObjectionInput,
  type GradeObjectionRow,
  type GradeObjectionsArgs,
} from './objection.models.js';
import { DEFAULT_OBJECTION_WINDOW_DAYS, closeObjectionWindow } from './objection-window.js';

const COLUMNS = `o.id, o.household_id AS "householdId", o.month, o.statement, o.filed_by AS "filedBy", o.filed_at AS "filedAt",
  o.grade_objected AS "gradeObjected", o.score_objected AS "scoreObjected", o.status, o.decided_by AS "decidedBy", o.decided_at AS "decidedAt",
  o.decision_note AS "decisionNote", o.set_aside_inspection_ids::text[] AS "setAsideInspectionIds", o.corrected_grade AS "correctedGrade",
  o.corrected_score AS "correctedScore"`;
const MAX_TEXT = 2000;

/**
 * Residents' objections to their household's grade (异议), and their decision by the community secretary.
 *
 * A resident objects once per month, to a published grade, while the month's objection window is open
 * (objection-window.ts). The secretary upholds the grade, or corrects it by setting aside the inspections found
 * mistaken: the household's compound is then regraded in the same transaction exactly as a re-run of the monthly
 * evaluation regrades it (same statement, same `household-grades.published` correction event), so notifications
 * withdraws what the old grade earned and makes what the new one earns, as for any corrected grade; and every later
 * re-run leaves the set-aside inspections out too. `grade-objection.decided` tells notifications the household's
 * notices may leave.
 */
@Injectable()
export class ObjectionService {
  private readonly logger = new Logger(ObjectionService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly outbox: Outbox,
    private readonly relay: OutboxRelay,
    private readonly claims: HouseholdClaimService,
  ) {}

  async file(caller: Caller, input: FileGradeObjectionInput): Promise<GradeObjection> {
    const month = parseMonth(input.month);
    const statement = requireText(input.statement, 'statement');
    if (caller.householdId !== input.householdId) {
      throw DomainError.forbidden("You may object only to your own household's grade", 'NOT_YOUR_HOUSEHOLD');
    }
    const id = await this.dataSource.transaction(async (manager) => {
      const districtId = (await findHouseholdPlace(manager, input.householdId)).path[0];
      const grade = await queryFirst<{ status: EvaluationStatus; grade: Grade | null; score: string | null }>(
        manager,
        `SELECT status, grade, score FROM monthly_grade WHERE household_id = $1 AND month = $2`,
        [input.householdId, monthStart(month)],
      );
      if (grade?.status !== EvaluationStatus.GRADED)
        throw DomainError.badInput(`Your household has no grade for ${month} to object to`, 'NOT_GRADED');
      // FOR SHARE: the close of the window waits for this objection, or this objection sees the window closed.
      const window = await queryFirst<{ closesAt: Date; closed: boolean }>(
        manager,
        `SELECT objection_window_closes_at AS "closesAt", objection_window_closed_at IS NOT NULL OR objection_window_closes_at <= now() AS closed
           FROM evaluation_month WHERE district_id = $1 AND month = $2 FOR SHARE`,
        [districtId, monthStart(month)],
      );
      if (!window) throw DomainError.badInput(`The grades of ${month} are not published yet`, 'GRADES_NOT_PUBLISHED');
      if (window.closed) {
        throw DomainError.badInput(
          `The objection window for ${month} closed at ${window.closesAt.toISOString()}`,
          'OBJECTION_WINDOW_CLOSED',
          {
            closesAt: window.closesAt.toISOString(),
          },
        );
      }
      try {
        const row = await queryOne<{ id: string }>(
          manager,
          `INSERT INTO grade_objection (household_id, month, district_id, statement, filed_by, grade_objected, score_objected)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [input.householdId, monthStart(month), districtId, statement, caller.userId, grade.grade, grade.score],
        );
        return row.id;
      } catch (error) {
        if (isPostgresError(error, PostgresErrorCode.UniqueViolation)) {
          throw DomainError.conflict(`Your household has already objected to its grade of ${month}`, 'ALREADY_OBJECTED');
        }
        throw error;
      }
    });
    this.logger.log(`Objection ${id} filed for ${month}`);
    return this.load(this.dataSource.manager, id);
  }

  async decide(caller: Caller, id: string, input: DecideGradeObjectionInput): Promise<GradeObjection> {
    const note = requireText(input.note, 'note');
    const setAside = [...new Set(input.setAsideInspectionIds)];
    if (input.outcome === GradeObjectionOutcome.CORRECT && setAside.length === 0) {
      throw DomainError.badInput('A correction sets aside at least one inspection found mistaken', 'NOTHING_SET_ASIDE');
    }
    if (input.outcome === GradeObjectionOutcome.UPHOLD && setAside.length > 0) {
      throw DomainError.badInput('Upholding the grade sets no inspection aside', 'SET_ASIDE_ON_UPHOLD');
    }
    await this.dataSource.transaction(async (manager) => {
      const objection = await queryFirst<{
        status: GradeObjectionStatus;
        householdId: string;
        month: string;
        districtId: string;
        compoundId: string;
        path: string[];
      }>(
        manager,
        `SELECT o.status, o.household_id AS "householdId", to_char(o.month, 'YYYY-MM') AS month, o.district_id AS "districtId",
                h.compound_id AS "compoundId", t.path::text[] AS path
           FROM grade_objection o JOIN household h ON h.id = o.household_id JOIN territory_unit t ON t.id = h.compound_id
          WHERE o.id = $1 FOR UPDATE OF o`,
        [id],
      );
      if (!objection || !canSeeHousehold(caller, objection.householdId, objection.path)) throw DomainError.notFound('GradeObjection', id);
      if (objection.status !== GradeObjectionStatus.OPEN)
        throw DomainError.conflict('This objection has been decided already', 'ALREADY_DECIDED');
      const { now } = await queryOne<{ now: Date }>(manager, `SELECT now()`);
      let correctedAt: Date | null = null;
      if (input.outcome === GradeObjectionOutcome.CORRECT) {
        const marked = await execute(
          manager,
          `UPDATE inspection SET set_aside_at = now(), set_aside_by_objection = $1
            WHERE id = ANY($2::uuid[]) AND household_id = $3 AND month = $4 AND set_aside_at IS NULL`,
          [id, setAside, objection.householdId, monthStart(objection.month)],
        );
        if (marked !== setAside.length) {
          throw DomainError.badInput(
            `Set aside only inspections of this household in ${objection.month} that count now`,
            'UNKNOWN_INSPECTION',
          );
        }
        const changed = await this.regrade(manager, caller, objection.districtId, objection.month, objection.compoundId);
        // The regrade's event carries this transaction's time; notifications waits for a grade at least this new.
        correctedAt = changed ? now : null;
      }
      const decided = await queryOne<{ status: GradeObjectionStatus }>(
        manager,
        `WITH regraded AS (
           SELECT g.grade, g.score FROM grade_objection o JOIN monthly_grade g ON g.household_id = o.household_id AND g.month = o.month WHERE o.id = $1
         ),
         decided AS (
           UPDATE grade_objection o
              SET status = $2, decided_by = $3, decided_at = now(), decision_note = $4, set_aside_inspection_ids = $5::uuid[],
                  corrected_grade = CASE WHEN $2 = 'CORRECTED' THEN (SELECT grade FROM regraded) END,
                  corrected_score = CASE WHEN $2 = 'CORRECTED' THEN (SELECT score FROM regraded) END,
                  corrected_at = $6
            WHERE o.id = $1
            RETURNING o.status
         ) SELECT status FROM decided`,
        [
          id,
          input.outcome === GradeObjectionOutcome.CORRECT ? GradeObjectionStatus.CORRECTED : GradeObjectionStatus.UPHELD,
          caller.userId,
          note,
          setAside,
          correctedAt,
        ],
      );
      const payload: EventPayload<EventType.GradeObjectionDecided> = {
        districtId: objection.districtId,
        month: objection.month,
        objectionId: id,
        householdId: objection.householdId,
        status: decided.status,
        correctedAt: correctedAt?.toISOString() ?? null,
      };
      await this.outbox.record(manager, [{ type: EventType.GradeObjectionDecided, payload }]);
    });
    this.relay.kick();
    return this.load(this.dataSource.manager, id);
  }

  /**
   * Regrades the household's compound for the month, as `runMonthlyEvaluation` for the compound would, recorded as a
   * run of its own (requested by the secretary): only grades that change are written and announced, as corrections.
   */
  private async regrade(manager: EntityManager, caller: Caller, districtId: string, month: string, compoundId: string): Promise<boolean> {
    const ruleSet = await GRADING_RULE_SETS.requireInForce(manager, districtId, month);
    const run = await queryOne<{ id: string }>(
      manager,
      `INSERT INTO evaluation_run (month, org_unit_id, trigger, requested_by, status, total_chunks, started_at)
       VALUES ($1, $2, 'MANUAL', $3, 'RUNNING', 1, now()) RETURNING id`,
      [monthStart(month), compoundId, caller.userId],
    );
    const { households, changed } = await gradeAndPublishChunk(manager, { runId: run.id, unitId: compoundId, districtId, month, ruleSet });
    await execute(
      manager,
      `INSERT INTO evaluation_chunk (run_id, unit_id, status, households, changed, completed_at) VALUES ($1, $2, 'COMPLETED', $3, $4, now())`,
      [run.id, compoundId, households, changed],
    );
    await execute(
      manager,
      `UPDATE evaluation_run SET status = 'COMPLETED', completed_chunks = 1, households_evaluated = $2, grades_changed = $3, finished_at = now()
        WHERE id = $1`,
      [run.id, households, changed],
    );
    await this.claims.closeClaimsOfUpgradedHouseholds(manager, month, compoundId);
    return changed > 0;
  }

  async get(caller: Caller, id: string): Promise<GradeObjection> {
    const row = await queryFirst<GradeObjectionRow & { path: string[] }>(
      this.dataSource,
      `SELECT ${COLUMNS}, t.path::text[] AS path FROM grade_objection o JOIN household h ON h.id = o.household_id
         JOIN territory_unit t ON t.id = h.compound_id WHERE o.id = $1`,
      [id],
    );
    if (!row || !canSeeHousehold(caller, row.householdId, row.path)) throw DomainError.notFound('GradeObjection', id);
    return GradeObjection.from(row);
  }

  /** A resident's own household's objections, or those of households in a unit of a secretary's territory; newest month first. */
  async list(caller: Caller, args: GradeObjectionsArgs): Promise<ConnectionShape<GradeObjection>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (caller.householdId !== null) {
      where.push(`o.household_id = ${params.add(caller.householdId)}`);
    } else {
      const root = args.orgUnitId ? (await this.territory.requireInScope(caller, args.orgUnitId)).id : caller.orgUnitId;
      if (root) {
        where.push(
          `o.household_id IN (SELECT h.id FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE t.path @> ARRAY[${params.add(root)}::uuid])`,
        );
      }
    }
    if (args.month) where.push(`o.month = ${params.add(monthStart(parseMonth(args.month)))}::date`);
    if (args.status) where.push(`o.status = ${params.add(args.status)}`);
    return fetchKeysetPage<GradeObjectionRow, GradeObjection>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'grade_objection o',
        where,
        params,
        orderBy: ['o.month', 'o.id'],
        keyOf: (row) => [String(row.month).slice(0, 10), row.id],
        descending: true,
      },
      (rows) => rows.map((row) => GradeObjection.from(row)),
    );
  }

  async window(caller: Caller, districtId: string): Promise<ObjectionWindow> {
    const district = await this.territory.requireInScope(caller, districtId);
    if (district.kind !== 'DISTRICT') throw DomainError.badInput('The objection window is set per DISTRICT', 'NOT_A_DISTRICT');
    const row = await queryFirst<{ days: number }>(this.dataSource, `SELECT days FROM objection_window_setting WHERE district_id = $1`, [
      district.id,
    ]);
    return Object.assign(new ObjectionWindow(), {
      districtId: district.id,
      days: row?.days ?? DEFAULT_OBJECTION_WINDOW_DAYS,
      isDefault: !row,
    });
  }

  /** Sets a district's window for months announced from now on; a month already announced keeps the window it got. */
  async setWindow(caller: Caller, districtId: string, days: number): Promise<ObjectionWindow> {
    if (!Number.isInteger(days) || days < 0 || days > 30)
      throw DomainError.badInput('days is a whole number from 0 to 30', 'DAYS_OUT_OF_RANGE');
    const district = await this.territory.requireInScope(caller, districtId);
    if (district.kind !== 'DISTRICT') throw DomainError.badInput('The objection window is set per DISTRICT', 'NOT_A_DISTRICT');
    await execute(
      this.dataSource,
      `INSERT INTO objection_window_setting (district_id, days, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (district_id) DO UPDATE SET days = excluded.days, updated_by = excluded.updated_by, updated_at = now()`,
      [district.id, days, caller.userId],
    );
    return this.window(caller, district.id);
  }

  /** Closes every window whose time has come by `now`, each in its own transaction; returns how many it closed. */
  async closeDueWindows(now: Date): Promise<number> {
    const due = await queryRows<{ districtId: string; month: string }>(
      this.dataSource,
      `SELECT district_id AS "districtId", to_char(month, 'YYYY-MM') AS month FROM evaluation_month
        WHERE objection_window_closed_at IS NULL AND objection_window_closes_at <= $1 ORDER BY month`,
      [now],
    );
    let closed = 0;
    for (const { districtId, month } of due) {
      if (await this.dataSource.transaction((manager) => closeObjectionWindow(manager, this.outbox, districtId, month))) closed++;
    }
    if (closed > 0) this.relay.kick();
    return closed;
  }

  private async load(manager: EntityManager, id: string): Promise<GradeObjection> {
    const row = await queryOne<GradeObjectionRow>(manager, `SELECT ${COLUMNS} FROM grade_objection o WHERE o.id = $1`, [id]);
    return GradeObjection.from(row);
  }
}

function requireText(value: string, field: string): string {
  const text = value.trim();
  if (text.length === 0) throw DomainError.badInput(`${field} is empty`, `${field.toUpperCase()}_REQUIRED`);
  if (text.length > MAX_TEXT)
    throw DomainError.badInput(`${field} is longer than ${MAX_TEXT} characters`, `${field.toUpperCase()}_TOO_LONG`);
  return text;
}
