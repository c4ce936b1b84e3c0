import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isWithinScope, type Caller } from '#libs/auth';
import { addMonths, monthBeginsAt, parseMonth } from '#libs/calendar';
import { PostgresErrorCode, SqlParams, execute, isPostgresError, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError, requireText } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { OrgUnitRef } from '#libs/references';
import { Territory, type TerritoryUnit } from '#libs/territory';
import type { AppointObserverInput, CitizenObserversArgs, ObserverTeamsArgs } from './observer.inputs.js';
import {
  CitizenObserver,
  ObserverMonth,
  ObserverMonthlySummary,
  ObserverTeam,
  ObserverTeamMonth,
  figures,
  type FiguresRow,
  type ObserverRow,
  type ObserverTeamRow,
} from './observer.models.js';

const TEAM_COLUMNS = `t.id, t.street_id AS "streetId", t.unit_path::text[] AS "unitPath", t.name, t.created_at AS "createdAt"`;
const OBSERVER_COLUMNS = `o.id, o.team_id AS "teamId", t.street_id AS "streetId", t.unit_path::text[] AS "unitPath", o.user_id AS "userId",
  o.term_from::text AS "termFrom", o.term_to::text AS "termTo", o.appointed_at AS "appointedAt"`;
const OBSERVER_FROM = `citizen_observer o JOIN observer_team t ON t.id = o.team_id`;
const OBSERVER_BY_ID = `SELECT ${OBSERVER_COLUMNS} FROM ${OBSERVER_FROM} WHERE o.id = $1`;
/** A street keeps its teams few enough to list them all in its summary. */
export const MAX_TEAMS_PER_STREET = 50;
/** A term longer than this is a typing mistake more often than an appointment. */
const MAX_TERM_DAYS = 3 * 366;
const MAX_USER_ID = 100;

/** The SQL counting a group's OBSERVER reports of the month: reports, verified, turned into evidence. */
const FIGURES = `count(r.id)::int AS reports, count(r.verified_at)::int AS verified, count(r.evidence_kind)::int AS evidence`;

/** The roster entry an account serves under on a day, with its team's street. */
export interface ServingObserver {
  id: string;
  streetId: string;
}

/**
 * The citizen observer group (市民观察团): each street's teams and the roster of who serves in them for which term, kept
 * by street and district staff inside their territory; the account an observer signs in with is what ties their
 * reports to the roster. Also the monthly summary of a street's observer reports.
 */
@Injectable()
export class ObserverService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  // ---- teams ----

  async teams(caller: Caller, args: ObserverTeamsArgs): Promise<ConnectionShape<ObserverTeam>> {
    const params = new SqlParams();
    const where = await this.teamsInScope(caller, args.streetId, params);
    return fetchKeysetPage<ObserverTeamRow, ObserverTeam>(
      this.dataSource,
      args,
      {
        select: TEAM_COLUMNS,
        from: 'observer_team t',
        where,
        params,
        orderBy: ['t.street_id', 't.name', 't.id'],
        keyOf: (row) => [row.streetId, row.name, row.id],
      },
      (rows) => rows.map((row) => ObserverTeam.from(row)),
    );
  }

  /** Teams by id, for the batched `team` of observers (their parent was already scoped). */
  async teamsByIds(ids: readonly string[]): Promise<(ObserverTeam | null)[]> {
    const rows = await queryRows<ObserverTeamRow>(
      this.dataSource,
      `SELECT ${TEAM_COLUMNS} FROM observer_team t WHERE t.id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id, ObserverTeam.from(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async createTeam(caller: Caller, streetId: string, name: string): Promise<ObserverTeam> {
    const trimmed = requireText(name, 'name', 50, 'INVALID_NAME');
    const street = await this.requireStreet(caller, streetId);
    try {
      // The count guard and the insert are one statement; a concurrent insert past the limit is harmless (51 at worst).
      const row = await queryFirst<ObserverTeamRow>(
        this.dataSource,
        `INSERT INTO observer_team (street_id, unit_path, name, created_by)
         SELECT $1, $2::uuid[], $3, $4 WHERE (SELECT count(*) FROM observer_team WHERE street_id = $1) < $5
         RETURNING id, street_id AS "streetId", unit_path::text[] AS "unitPath", name, created_at AS "createdAt"`,
        [street.id, street.path, trimmed, caller.userId, MAX_TEAMS_PER_STREET],
      );
      if (!row)
        throw DomainError.conflict(`A street has at most ${MAX_TEAMS_PER_STREET} observer teams`, 'TOO_MANY_TEAMS', {
          max: MAX_TEAMS_PER_STREET,
        });
      return ObserverTeam.from(row);
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.UniqueViolation)) {
        throw DomainError.conflict(`The street already has a team named ${trimmed}`, 'DUPLICATE_NAME', { name: trimmed });
      }
      throw error;
    }
  }

  // ---- the roster ----

  async observers(caller: Caller, args: CitizenObserversArgs): Promise<ConnectionShape<CitizenObserver>> {
    const params = new SqlParams();
    const where = await this.teamsInScope(caller, args.streetId, params);
    if (args.observerTeamId) {
      const team = await this.requireTeam(caller, args.observerTeamId);
      where.push(`o.team_id = ${params.add(team.id)}`);
    }
    if (args.servingOn) where.push(`${params.add(args.servingOn)}::date BETWEEN o.term_from AND o.term_to`);
    if (args.userId) where.push(`o.user_id = ${params.add(args.userId)}`);
    return fetchKeysetPage<ObserverRow, CitizenObserver>(
      this.dataSource,
      args,
      { select: OBSERVER_COLUMNS, from: OBSERVER_FROM, where, params, orderBy: ['o.id'], keyOf: (row) => [row.id] },
      (rows) => rows.map((row) => CitizenObserver.from(row)),
    );
  }

  /** Roster entries by id, for a report's `observer` (the report was already scoped). */
  async observersByIds(ids: readonly string[]): Promise<(CitizenObserver | null)[]> {
    const rows = await this.observerRows(ids);
    const byId = new Map(rows.map((row) => [row.id, CitizenObserver.from(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /**
   * Puts an account on a team's roster for a term. One account serves in one team at a time: a term overlapping another
   * of the same account (in any team) is CONFLICT TERM_OVERLAPS, decided by the exclusion constraint.
   */
  async appoint(caller: Caller, input: AppointObserverInput): Promise<CitizenObserver> {
    const userId = input.userId.trim();
    if (userId.length === 0 || userId.length > MAX_USER_ID)
      throw DomainError.badInput(`userId must be 1–${MAX_USER_ID} characters`, 'INVALID_USER_ID');
    this.checkTerm(input.termFrom, input.termTo);
    const team = await this.requireTeam(caller, input.observerTeamId);
    try {
      const { id } = await queryOne<{ id: string }>(
        this.dataSource,
        `INSERT INTO citizen_observer (team_id, user_id, term_from, term_to, appointed_by) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
        [team.id, userId, input.termFrom, input.termTo, caller.userId],
      );
      return this.get(id);
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.ExclusionViolation)) {
        const other = await queryFirst<{ id: string; termFrom: string; termTo: string }>(
          this.dataSource,
          `SELECT o.id, o.term_from::text AS "termFrom", o.term_to::text AS "termTo" FROM citizen_observer o
            WHERE o.user_id = $1 AND daterange(o.term_from, o.term_to, '[]') && daterange($2::date, $3::date, '[]') ORDER BY o.term_from LIMIT 1`,
          [userId, input.termFrom, input.termTo],
        );
        throw DomainError.conflict('The account already serves as an observer during that term', 'TERM_OVERLAPS', {
          overlapping: other ?? null,
        });
      }
      throw error;
    }
  }

  /** Ends a term early (an observer leaves): the last day moves to `lastDay`, not before the term began nor after its end. */
  async endTerm(caller: Caller, id: string, lastDay: string): Promise<CitizenObserver> {
    const row = await queryFirst<ObserverRow>(this.dataSource, OBSERVER_BY_ID, [id]);
    if (!row) throw DomainError.notFound('CitizenObserver', id);
    if (!isWithinScope(caller, row.unitPath)) throw DomainError.forbidden('That observer serves outside your territory', 'OUT_OF_SCOPE');
    if (lastDay < row.termFrom || lastDay > row.termTo) {
      throw DomainError.badInput('lastDay must lie within the term', 'OUTSIDE_TERM', { termFrom: row.termFrom, termTo: row.termTo });
    }
    await execute(this.dataSource, `UPDATE citizen_observer SET term_to = $2 WHERE id = $1 AND term_to >= $2`, [id, lastDay]);
    return this.get(id);
  }

  /**
   * The roster entry the account serves under on `day` (Asia/Shanghai), if any: what attributes an OBSERVER report.
   * Terms of one account never overlap, so there is at most one.
   */
  async servingOn(userId: string, day: string): Promise<ServingObserver | null> {
    const row = await queryFirst<ServingObserver>(
      this.dataSource,
      `SELECT o.id, t.street_id AS "streetId" FROM ${OBSERVER_FROM} WHERE o.user_id = $1 AND $2::date BETWEEN o.term_from AND o.term_to`,
      [userId, day],
    );
    return row ?? null;
  }

  // ---- the monthly summary ----

  /**
   * A street's OBSERVER reports submitted in the month (Asia/Shanghai) by its teams' observers: how many, how many
   * staff verified, how many became evidence; in total and per team (every team, with its observers serving in the month).
   */
  async summary(caller: Caller, streetId: string, month: string): Promise<ObserverMonthlySummary> {
    parseMonth(month);
    const street = await this.requireStreet(caller, streetId);
    const [from, to] = this.monthBounds(month);
    const rows = await queryRows<FiguresRow & ObserverTeamRow & { observersServing: number }>(
      this.dataSource,
      `SELECT ${TEAM_COLUMNS},
              (SELECT count(*)::int FROM citizen_observer o WHERE o.team_id = t.id AND o.term_from <= $4::date AND o.term_to >= $3::date) AS "observersServing",
              f.reports, f.verified, f.evidence
         FROM observer_team t
         LEFT JOIN LATERAL (
           SELECT ${FIGURES} FROM citizen_report r JOIN citizen_observer o ON o.id = r.observer_id
            WHERE o.team_id = t.id AND r.submitted_at >= $2 AND r.submitted_at < $5) f ON true
        WHERE t.street_id = $1
        ORDER BY t.name, t.id`,
      [street.id, from, month + '-01', lastDayOf(month), to],
    );
    const teams = rows.map((row) =>
      figures(Object.assign(new ObserverTeamMonth(), { team: ObserverTeam.from(row), observersServing: row.observersServing }), row),
    );
    // Counted in a lateral aggregate, which always answers one row: a team without reports counts 0, never null.
    const total = (key: keyof FiguresRow) => rows.reduce((sum, row) => sum + row[key], 0);
    return figures(
      Object.assign(new ObserverMonthlySummary(), {
        month,
        street: OrgUnitRef.of(street.id),
        streetId: street.id,
        teams,
        observersServing: rows.reduce((sum, row) => sum + row.observersServing, 0),
      }),
      { reports: total('reports'), verified: total('verified'), evidence: total('evidence') },
    );
  }

  /** The summary's per-observer figures: every roster entry of the street whose term overlaps the month, by id. */
  async observerMonths(
    summary: Pick<ObserverMonthlySummary, 'streetId' | 'month'>,
    args: PageArgs,
  ): Promise<ConnectionShape<ObserverMonth>> {
    const [from, to] = this.monthBounds(summary.month);
    const params = new SqlParams();
    const where = [
      `t.street_id = ${params.add(summary.streetId)}`,
      `o.term_from <= ${params.add(lastDayOf(summary.month))}::date`,
      `o.term_to >= ${params.add(summary.month + '-01')}::date`,
    ];
    const monthFrom = params.add(from);
    const monthTo = params.add(to);
    return fetchKeysetPage<ObserverRow & FiguresRow, ObserverMonth>(
      this.dataSource,
      args,
      {
        select: `${OBSERVER_COLUMNS}, f.reports, f.verified, f.evidence`,
        from: `${OBSERVER_FROM} LEFT JOIN LATERAL (
          SELECT ${FIGURES} FROM citizen_report r WHERE r.observer_id = o.id AND r.submitted_at >= ${monthFrom} AND r.submitted_at < ${monthTo}) f ON true`,
        where,
        params,
        orderBy: ['o.id'],
        keyOf: (row) => [row.id],
      },
      (rows) => rows.map((row) => figures(Object.assign(new ObserverMonth(), { observer: CitizenObserver.from(row) }), row)),
    );
  }

  // ---- helpers ----

  /** A roster entry just written. */
  private async get(id: string): Promise<CitizenObserver> {
    return CitizenObserver.from(await queryOne<ObserverRow>(this.dataSource, OBSERVER_BY_ID, [id]));
  }

  private observerRows(ids: readonly string[]): Promise<ObserverRow[]> {
    return queryRows<ObserverRow>(this.dataSource, `SELECT ${OBSERVER_COLUMNS} FROM ${OBSERVER_FROM} WHERE o.id = ANY($1::uuid[])`, [ids]);
  }

  /**
   * SQL conditions on the team `t`: inside the caller's territory and, given `streetId` (a street the caller may see,
   * else an error), of that street.
   */
  private async teamsInScope(caller: Caller, streetId: string | null | undefined, params: SqlParams): Promise<string[]> {
    const where: string[] = [];
    if (caller.orgUnitId) where.push(`t.unit_path @> ARRAY[${params.add(caller.orgUnitId)}::uuid]`);
    if (streetId) {
      const street = await this.requireStreet(caller, streetId);
      where.push(`t.street_id = ${params.add(street.id)}`);
    }
    return where;
  }

  /** A street (镇街) inside the caller's territory. */
  private async requireStreet(caller: Caller, streetId: string): Promise<TerritoryUnit> {
    const unit = await this.territory.requireInScope(caller, streetId);
    if (unit.kind !== 'STREET') throw DomainError.badInput(`${unit.name} is not a street`, 'NOT_A_STREET');
    return unit;
  }

  private async requireTeam(caller: Caller, teamId: string): Promise<ObserverTeamRow> {
    const team = await queryFirst<ObserverTeamRow>(this.dataSource, `SELECT ${TEAM_COLUMNS} FROM observer_team t WHERE t.id = $1`, [
      teamId,
    ]);
    if (!team) throw DomainError.notFound('ObserverTeam', teamId);
    if (!isWithinScope(caller, team.unitPath))
      throw DomainError.forbidden('That team belongs to a street outside your territory', 'OUT_OF_SCOPE');
    return team;
  }

  private checkTerm(termFrom: string, termTo: string): void {
    if (termTo < termFrom) throw DomainError.badInput('termTo is before termFrom', 'ENDS_BEFORE_START', { termFrom, termTo });
    const days = (Date.parse(termTo) - Date.parse(termFrom)) / 86400_000;
    if (days > MAX_TERM_DAYS) throw DomainError.badInput('A term lasts at most three years', 'TERM_TOO_LONG', { termFrom, termTo });
  }

  /** The month's first instant and the next month's, in Shanghai. */
  private monthBounds(month: string): [Date, Date] {
    return [monthBeginsAt(month), monthBeginsAt(addMonths(month, 1))];
  }
}

/** '2026-02' → '2026-02-28'. */
function lastDayOf(month: string): string {
  return new Date(Date.parse(`${addMonths(month, 1)}-01T00:00:00Z`) - 86400_000).toISOString().slice(0, 10);
}
