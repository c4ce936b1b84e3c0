import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Permission, hasPermission, isWithinScope, requireWithinScope, type Caller } from '#libs/auth';
import { addDays, shanghaiDate, dayBeginsAt } from '#libs/calendar';
import { SqlParams, execute, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, fetchKeysetPagesByGroup, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { VOLUNTEER_RULES as R, VolunteerActivityStatus as Status } from './volunteer-enums.js';
import type { VolunteerActivityRow, VolunteerSignUpRow } from './volunteer.entity.js';
import type {
  CreateMultiDayVolunteerActivityInput,
  CreateVolunteerActivityInput,
  VolunteerActivitiesArgs,
  VolunteerActivityFeedArgs,
  VolunteerHoursEntry,
} from './volunteer.inputs.js';
import { PublishedVolunteerActivity, VolunteerActivity, VolunteerHoursApproval, VolunteerSignUp } from './volunteer.models.js';
import {
  ACTIVITY_COLUMNS,
  ACTIVITY_FROM,
  SIGN_UP_COLUMNS,
  SIGN_UP_FROM,
  cleanText,
  territoryConditions,
  unitOrRelativesCondition,
  volunteerIdOf,
} from './volunteer-sql.js';
import { OrgUnitKind } from '../territory/org-unit-kind.js';

/** Which status each transition leads from. */
export type ActivityTransition = Status.PUBLISHED | Status.COMPLETED | Status.CANCELLED;

const TRANSITIONS: Record<ActivityTransition, readonly Status[]> = {
  [Status.PUBLISHED]: [Status.DRAFT],
  [Status.COMPLETED]: [Status.PUBLISHED],
  [Status.CANCELLED]: [Status.DRAFT, Status.PUBLISHED],
};

const MARGIN_MS = R.checkInMarginMinutes * 60_000;

/**
 * Volunteer activities (志愿活动): organisers (VOLUNTEER_MANAGE, scoped to their territory) create, publish, complete or
 * cancel them and approve hours; volunteers sign up, cancel and check in; everyone signed in reads the feed.
 */
@Injectable()
export class VolunteerActivityService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(caller: Caller, input: CreateVolunteerActivityInput, now = new Date()): Promise<VolunteerActivity> {
    requireWindow(input.startsAt, input.endsAt);
    return this.insert(caller, input, null, now);
  }

  /**
   * A multi-day activity: whole Shanghai days from midnight of `firstDay` for `days` days (stored as starts_at and
   * ends_at), otherwise checked and written as any activity.
   */
  async createMultiDay(caller: Caller, input: CreateMultiDayVolunteerActivityInput, now = new Date()): Promise<VolunteerActivity> {
    if (!Number.isInteger(input.days) || input.days < R.minDays || input.days > R.maxDays) {
      throw DomainError.badInput(`days must be ${R.minDays} to ${R.maxDays}`, 'DAYS_OUT_OF_RANGE', { days: input.days });
    }
    const startsAt = dayBeginsAt(input.firstDay);
    const endsAt = dayBeginsAt(addDays(input.firstDay, input.days));
    return this.insert(caller, { ...input, startsAt, endsAt }, input.days, now);
  }

  /** Checks and writes a new DRAFT activity (`days` for a multi-day one, whose window was made from its days). */
  private async insert(
    caller: Caller,
    input: Omit<CreateVolunteerActivityInput, 'startsAt' | 'endsAt'> & { startsAt: Date; endsAt: Date },
    days: number | null,
    now: Date,
  ): Promise<VolunteerActivity> {
    const title = cleanText(input.title, 'title', R.maxTitleLength, 'INVALID_TITLE');
    const description = cleanText(input.description, 'description', R.maxDescriptionLength, 'INVALID_DESCRIPTION', true);
    const place = cleanText(input.place, 'place', R.maxPlaceLength, 'INVALID_PLACE');
    if (!Number.isInteger(input.capacity) || input.capacity < R.minCapacity || input.capacity > R.maxCapacity) {
      throw DomainError.badInput(`capacity must be ${R.minCapacity} to ${R.maxCapacity}`, 'CAPACITY_OUT_OF_RANGE', {
        capacity: input.capacity,
      });
    }
    if (input.startsAt.getTime() <= now.getTime()) throw DomainError.badInput('startsAt must be in the future', 'STARTS_IN_PAST');

    const unit = await queryFirst<{ kind: OrgUnitKind; path: string[] }>(
      this.dataSource,
      `SELECT kind, path::text[] AS path FROM org_unit WHERE id = $1`,
      [input.orgUnitId],
    );
    if (!unit) throw DomainError.badInput('orgUnitId is not a territory unit', 'UNKNOWN_ORG_UNIT', { orgUnitId: input.orgUnitId });
    if (unit.kind !== OrgUnitKind.COMPOUND && unit.kind !== OrgUnitKind.COMMUNITY) {
      throw DomainError.badInput('An activity takes place at a compound or a community', 'INVALID_PLACE_KIND', { kind: unit.kind });
    }
    requireWithinScope(caller, unit.path);
    if (input.teamId) {
      const team = await queryFirst<{ path: string[] }>(
        this.dataSource,
        `SELECT u.path::text[] AS path FROM volunteer_team t JOIN org_unit u ON u.id = t.org_unit_id WHERE t.id = $1`,
        [input.teamId],
      );
      if (!team) throw DomainError.badInput('teamId is not a volunteer team', 'UNKNOWN_TEAM', { teamId: input.teamId });
      if (!team.path.includes(input.orgUnitId)) {
        throw DomainError.badInput("The team's compound is not at the activity's place", 'TEAM_NOT_AT_PLACE', { teamId: input.teamId });
      }
    }
    const { id } = await queryOne<{ id: string }>(
      this.dataSource,
      `INSERT INTO volunteer_activity (campaign, kind, title, description, starts_at, ends_at, org_unit_id, place, capacity, team_id, created_by, days)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
      [
        input.campaign,
        input.kind,
        title,
        description,
        input.startsAt,
        input.endsAt,
        input.orgUnitId,
        place,
        input.capacity,
        input.teamId ?? null,
        caller.userId,
        days,
      ],
    );
    return VolunteerActivity.from(await this.find(this.dataSource.manager, id));
  }

  /**
   * DRAFT → PUBLISHED (only before it starts), PUBLISHED → COMPLETED, DRAFT | PUBLISHED → CANCELLED. Asking for the
   * status it already has changes nothing; any other move is BAD_USER_INPUT INVALID_TRANSITION.
   */
  async transition(caller: Caller, id: string, target: ActivityTransition, now = new Date()): Promise<VolunteerActivity> {
    return this.dataSource.transaction(async (manager) => {
      const activity = await this.find(manager, id, true);
      requireWithinScope(caller, activity.orgUnitPath);
      if (activity.status === target) return VolunteerActivity.from(activity);
      if (!TRANSITIONS[target].includes(activity.status)) {
        throw DomainError.badInput(`A ${activity.status} activity cannot become ${target}`, 'INVALID_TRANSITION', {
          from: activity.status,
          to: target,
        });
      }
      if (target === Status.PUBLISHED && new Date(activity.startsAt).getTime() <= now.getTime()) {
        throw DomainError.badInput('The activity has already started; it can no longer be published', 'ALREADY_STARTED');
      }
      await execute(
        manager,
        `UPDATE volunteer_activity SET status = $2, published_at = CASE WHEN $2 = 'PUBLISHED' THEN now() ELSE published_at END,
                closed_at = CASE WHEN $2 IN ('COMPLETED', 'CANCELLED') THEN now() ELSE closed_at END
          WHERE id = $1`,
        [id, target],
      );
      return VolunteerActivity.from(await this.find(manager, id));
    });
  }

  /** An activity as its organisers see it: VOLUNTEER_MANAGE within their territory. */
  async get(caller: Caller, id: string): Promise<VolunteerActivity> {
    const activity = await this.find(this.dataSource.manager, id);
    requireWithinScope(caller, activity.orgUnitPath);
    return VolunteerActivity.from(activity);
  }

  async activitiesByIds(ids: readonly string[]): Promise<VolunteerActivityRow[]> {
    return queryRows<VolunteerActivityRow>(
      this.dataSource,
      `SELECT ${ACTIVITY_COLUMNS} FROM ${ACTIVITY_FROM} WHERE a.id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** Activities of any status in the caller's territory (or one unit of it), newest start first. */
  async list(caller: Caller, args: VolunteerActivitiesArgs): Promise<ConnectionShape<VolunteerActivity>> {
    const params = new SqlParams();
    const where = await territoryConditions(this.dataSource, params, caller, args.orgUnitId);
    if (args.status) where.push(`a.status = ${params.add(args.status)}`);
    return this.activitiesNewestFirst(args, where, params, (row) => VolunteerActivity.from(row));
  }

  /**
   * The published feed (鄞领志愿): PUBLISHED and COMPLETED activities, newest start first, with places left. Public to
   * everyone signed in, so it carries no personal data and is not limited to the caller's territory.
   */
  async feed(args: VolunteerActivityFeedArgs): Promise<ConnectionShape<PublishedVolunteerActivity>> {
    const params = new SqlParams();
    const where = [`a.status IN ('PUBLISHED', 'COMPLETED')`];
    if (args.orgUnitId) where.push(await unitOrRelativesCondition(this.dataSource, params, args.orgUnitId, 'a'));
    if (args.campaign) where.push(`a.campaign = ${params.add(args.campaign)}`);
    if (args.kind) where.push(`a.kind = ${params.add(args.kind)}`);
    if (args.from) where.push(`a.starts_at >= ${params.add(args.from)}`);
    return this.activitiesNewestFirst(args, where, params, (row) => PublishedVolunteerActivity.from(row));
  }

  /** A page of the activities matching `where`, newest start first, each presented by `present`. */
  private activitiesNewestFirst<T>(
    args: PageArgs,
    where: string[],
    params: SqlParams,
    present: (row: VolunteerActivityRow) => T,
  ): Promise<ConnectionShape<T>> {
    return fetchKeysetPage<VolunteerActivityRow, T>(
      this.dataSource,
      args,
      {
        select: ACTIVITY_COLUMNS,
        from: ACTIVITY_FROM,
        where,
        params,
        orderBy: ['a.starts_at', 'a.id'],
        keyOf: (r) => [r.startsAtKey, r.id],
        descending: true,
      },
      (rows) => rows.map((row) => present(row)),
    );
  }

  /**
   * Signs the caller's volunteer record up. The activity row is locked (FOR UPDATE) for the decision, so concurrent
   * sign-ups for the last place queue on it and the count each sees includes the winner: exactly one gets the place,
   * the rest CONFLICT ACTIVITY_FULL with nothing written. Signing up again while signed up returns the existing sign-up.
   */
  async signUp(caller: Caller, activityId: string, now = new Date()): Promise<VolunteerSignUp> {
    const id = await this.dataSource.transaction(async (manager) => {
      const volunteerId = await volunteerIdOf(manager, caller);
      const activity = await queryFirst<{ status: Status; startsAt: Date; capacity: number }>(
        manager,
        `SELECT status, starts_at AS "startsAt", capacity FROM volunteer_activity WHERE id = $1 FOR UPDATE`,
        [activityId],
      );
      if (!activity) throw DomainError.notFound('VolunteerActivity', activityId);
      const existing = await queryFirst<{ id: string }>(
        manager,
        `SELECT id FROM volunteer_sign_up WHERE activity_id = $1 AND volunteer_id = $2 AND cancelled_at IS NULL`,
        [activityId, volunteerId],
      );
      if (existing) return existing.id;
      if (activity.status !== Status.PUBLISHED) {
        throw DomainError.badInput(`A ${activity.status} activity takes no sign-ups`, 'NOT_OPEN_FOR_SIGN_UP', { status: activity.status });
      }
      if (new Date(activity.startsAt).getTime() <= now.getTime()) {
        throw DomainError.badInput('The activity has already started', 'ALREADY_STARTED');
      }
      const inserted = await queryRows<{ id: string }>(
        manager,
        `INSERT INTO volunteer_sign_up (activity_id, volunteer_id)
         SELECT $1, $2 WHERE (SELECT count(*) FROM volunteer_sign_up WHERE activity_id = $1 AND cancelled_at IS NULL) < $3
         RETURNING id`,
        [activityId, volunteerId, activity.capacity],
      );
      if (inserted.length === 0) {
        throw DomainError.conflict('The activity is full', 'ACTIVITY_FULL', { capacity: activity.capacity });
      }
      return inserted[0].id;
    });
    return (await this.signUpsByIds([id]))[0];
  }

  /** Gives the caller's place back, until they have checked in. */
  async cancelSignUp(caller: Caller, activityId: string): Promise<VolunteerSignUp> {
    const id = await this.dataSource.transaction(async (manager) => {
      const volunteerId = await volunteerIdOf(manager, caller);
      const signUp = await queryFirst<{ id: string; checkedInAt: Date | null }>(
        manager,
        `SELECT id, checked_in_at AS "checkedInAt" FROM volunteer_sign_up WHERE activity_id = $1 AND volunteer_id = $2 AND cancelled_at IS NULL FOR UPDATE`,
        [activityId, volunteerId],
      );
      if (!signUp) throw DomainError.badInput('You are not signed up for this activity', 'NOT_SIGNED_UP');
      if (signUp.checkedInAt) throw DomainError.badInput('You have already checked in', 'ALREADY_CHECKED_IN');
      await execute(manager, `UPDATE volunteer_sign_up SET cancelled_at = now() WHERE id = $1`, [signUp.id]);
      return signUp.id;
    });
    return (await this.signUpsByIds([id]))[0];
  }

  /**
   * Check-in at the activity (签到) at `at`, the phone's clock: within the activity's window, from
   * ${R.checkInMarginMinutes} minutes before the start to as many after the end. Checking in again keeps the first time.
   */
  async checkIn(caller: Caller, activityId: string, at: Date): Promise<VolunteerSignUp> {
    const id = await this.dataSource.transaction(async (manager) => {
      const volunteerId = await volunteerIdOf(manager, caller);
      const activity = await queryFirst<{ status: Status; startsAt: Date; endsAt: Date; days: number | null }>(
        manager,
        `SELECT status, starts_at AS "startsAt", ends_at AS "endsAt", days FROM volunteer_activity WHERE id = $1`,
        [activityId],
      );
      if (!activity) throw DomainError.notFound('VolunteerActivity', activityId);
      if (activity.days !== null) throw multiDay('Check in for each day of a multi-day activity with checkInForDay');
      if (activity.status !== Status.PUBLISHED && activity.status !== Status.COMPLETED) {
        throw DomainError.badInput(`A ${activity.status} activity takes no check-ins`, 'NOT_OPEN_FOR_CHECK_IN', {
          status: activity.status,
        });
      }
      const opens = new Date(activity.startsAt).getTime() - MARGIN_MS;
      const closes = new Date(activity.endsAt).getTime() + MARGIN_MS;
      if (at.getTime() < opens || at.getTime() > closes) {
        throw DomainError.badInput(
          `Check-in is open from ${R.checkInMarginMinutes} minutes before the start to ${R.checkInMarginMinutes} minutes after the end`,
          'OUTSIDE_ACTIVITY_WINDOW',
          { opensAt: new Date(opens).toISOString(), closesAt: new Date(closes).toISOString() },
        );
      }
      const updated = await queryRows<{ id: string }>(
        manager,
        `UPDATE volunteer_sign_up SET checked_in_at = COALESCE(checked_in_at, $3)
          WHERE activity_id = $1 AND volunteer_id = $2 AND cancelled_at IS NULL RETURNING id`,
        [activityId, volunteerId, at],
      );
      if (updated.length === 0) throw DomainError.badInput('You are not signed up for this activity', 'NOT_SIGNED_UP');
      return updated[0].id;
    });
    return (await this.signUpsByIds([id]))[0];
  }

  /**
   * 每日打卡: the caller checks in for one day of a multi-day activity they signed up for, once per day. The day is
   * one of the activity's (else OUTSIDE_ACTIVITY_DAYS), not still to come in Shanghai (DAY_NOT_YET) and at most
   * ${R.lateCheckInDays} days late (CHECK_IN_TOO_LATE); a second check-in for the same day is CONFLICT
   * ALREADY_CHECKED_IN_FOR_DAY. Each refusal writes nothing; the primary key (sign-up, day) decides between two at once.
   */
  async checkInForDay(caller: Caller, activityId: string, day: string, now = new Date()): Promise<VolunteerSignUp> {
    const id = await this.dataSource.transaction(async (manager) => {
      const volunteerId = await volunteerIdOf(manager, caller);
      const activity = await queryFirst<{ status: Status; days: number | null; firstDay: string }>(
        manager,
        `SELECT status, days, (starts_at AT TIME ZONE 'Asia/Shanghai')::date::text AS "firstDay" FROM volunteer_activity WHERE id = $1`,
        [activityId],
      );
      if (!activity) throw DomainError.notFound('VolunteerActivity', activityId);
      if (activity.days === null)
        throw DomainError.badInput('A single-session activity is checked in with checkInToActivity', 'NOT_A_MULTI_DAY_ACTIVITY');
      if (activity.status !== Status.PUBLISHED && activity.status !== Status.COMPLETED) {
        throw DomainError.badInput(`A ${activity.status} activity takes no check-ins`, 'NOT_OPEN_FOR_CHECK_IN', {
          status: activity.status,
        });
      }
      const lastDay = addDays(activity.firstDay, activity.days - 1);
      if (day < activity.firstDay || day > lastDay) {
        throw DomainError.badInput(`The activity runs from ${activity.firstDay} to ${lastDay}`, 'OUTSIDE_ACTIVITY_DAYS', {
          day,
          firstDay: activity.firstDay,
          lastDay,
        });
      }
      const today = shanghaiDate(now);
      if (day > today) throw DomainError.badInput(`${day} has not come yet (today is ${today})`, 'DAY_NOT_YET', { day, today });
      if (day < addDays(today, -R.lateCheckInDays)) {
        throw DomainError.badInput(`A day is checked in at most ${R.lateCheckInDays} days late`, 'CHECK_IN_TOO_LATE', {
          day,
          today,
          lateCheckInDays: R.lateCheckInDays,
        });
      }
      const signUp = await queryFirst<{ id: string }>(
        manager,
        `SELECT id FROM volunteer_sign_up WHERE activity_id = $1 AND volunteer_id = $2 AND cancelled_at IS NULL`,
        [activityId, volunteerId],
      );
      if (!signUp) throw DomainError.badInput('You are not signed up for this activity', 'NOT_SIGNED_UP');
      const dayNumber = (Date.parse(day) - Date.parse(activity.firstDay)) / 86400_000 + 1;
      const inserted = await queryRows<{ checkedInAt: Date }>(
        manager,
        `INSERT INTO volunteer_day_check_in (sign_up_id, day_number) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING checked_in_at AS "checkedInAt"`,
        [signUp.id, dayNumber],
      );
      if (inserted.length === 0) {
        const first = await queryFirst<{ checkedInAt: Date }>(
          manager,
          `SELECT checked_in_at AS "checkedInAt" FROM volunteer_day_check_in WHERE sign_up_id = $1 AND day_number = $2`,
          [signUp.id, dayNumber],
        );
        throw DomainError.conflict(`You have checked in for ${day} already`, 'ALREADY_CHECKED_IN_FOR_DAY', {
          day,
          checkedInAt: first?.checkedInAt ?? null,
        });
      }
      // The sign-up counts as checked in (签到) from its first day on, as a single session's does, so it is no longer cancelled.
      await execute(manager, `UPDATE volunteer_sign_up SET checked_in_at = COALESCE(checked_in_at, now()) WHERE id = $1`, [signUp.id]);
      return signUp.id;
    });
    return (await this.signUpsByIds([id]))[0];
  }

  /**
   * Approves hours (志愿时长) for an activity's checked-in sign-ups in one statement: the given entries, or without
   * entries every checked-in sign-up with the activity's duration (to the hundredth of an hour, rounded down). Hours
   * must be more than 0 and at most the duration; every entry must be a checked-in sign-up of the activity; otherwise
   * BAD_USER_INPUT and nothing is written. Sign-ups that already have the same hours are left alone, so approving
   * again changes nothing.
   */
  async approveHours(
    caller: Caller,
    activityId: string,
    entries: VolunteerHoursEntry[] | null | undefined,
  ): Promise<VolunteerHoursApproval> {
    return this.dataSource.transaction(async (manager) => {
      const activity = await this.find(manager, activityId, true);
      requireWithinScope(caller, activity.orgUnitPath);
      if (activity.status !== Status.PUBLISHED && activity.status !== Status.COMPLETED) {
        throw DomainError.badInput(`Hours of a ${activity.status} activity cannot be approved`, 'NOT_APPROVABLE', {
          status: activity.status,
        });
      }
      if (activity.days !== null) throw multiDay("A multi-day activity's record is its days checked in, not hours");
      const durationHours = (new Date(activity.endsAt).getTime() - new Date(activity.startsAt).getTime()) / 3600_000;
      const byDefault = entries == null;
      const list = entries ?? [];
      const seen = new Set<string>();
      for (const entry of list) {
        if (seen.has(entry.signUpId))
          throw DomainError.badInput('A sign-up appears twice', 'DUPLICATE_ENTRY', { signUpId: entry.signUpId });
        seen.add(entry.signUpId);
        if (!Number.isFinite(entry.hours) || entry.hours < 0.01) {
          throw DomainError.badInput('hours must be at least 0.01', 'INVALID_HOURS', { signUpId: entry.signUpId, hours: entry.hours });
        }
        if (entry.hours > durationHours + 1e-9) {
          throw DomainError.badInput(`hours cannot exceed the activity's ${durationHours} hours`, 'HOURS_OVER_DURATION', {
            signUpId: entry.signUpId,
            hours: entry.hours,
            durationHours,
          });
        }
      }
      if (list.length > 0) {
        const eligible = await queryRows<{ id: string }>(
          manager,
          `SELECT id FROM volunteer_sign_up WHERE id = ANY($1::uuid[]) AND activity_id = $2 AND cancelled_at IS NULL AND checked_in_at IS NOT NULL`,
          [[...seen], activityId],
        );
        if (eligible.length !== seen.size) {
          const ok = new Set(eligible.map((row) => row.id));
          throw DomainError.badInput('Hours are approved only for checked-in sign-ups of this activity', 'NOT_CHECKED_IN', {
            signUpIds: [...seen].filter((id) => !ok.has(id)),
          });
        }
      }
      const changed = await queryRows<{ id: string }>(
        manager,
        `WITH entry AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS e("signUpId" uuid, hours numeric)),
              target AS (
                SELECT s.id, CASE WHEN $3 THEN trunc((extract(epoch FROM a.ends_at - a.starts_at) / 3600)::numeric, 2)
                                  ELSE trunc(e.hours, 2) END AS hours
                  FROM volunteer_sign_up s
                  JOIN volunteer_activity a ON a.id = s.activity_id
                  LEFT JOIN entry e ON e."signUpId" = s.id
                 WHERE s.activity_id = $1 AND s.cancelled_at IS NULL AND s.checked_in_at IS NOT NULL AND ($3 OR e."signUpId" IS NOT NULL))
         UPDATE volunteer_sign_up s SET hours = t.hours, hours_approved_by = $4, hours_approved_at = now()
           FROM target t WHERE s.id = t.id AND s.hours IS DISTINCT FROM t.hours
         RETURNING s.id`,
        [activityId, JSON.stringify(list.map((e) => ({ signUpId: e.signUpId, hours: e.hours }))), byDefault, caller.userId],
      );
      const totals = await queryOne<{ approved: number; total: number }>(
        manager,
        `SELECT count(*)::int AS approved, coalesce(sum(hours), 0)::float8 AS total
           FROM volunteer_sign_up WHERE activity_id = $1 AND cancelled_at IS NULL AND hours IS NOT NULL`,
        [activityId],
      );
      return Object.assign(new VolunteerHoursApproval(), {
        activityId,
        changed: changed.length,
        approvedSignUps: totals.approved,
        totalHours: totals.total,
      });
    });
  }

  async signUpsByIds(ids: readonly string[]): Promise<VolunteerSignUp[]> {
    const rows = await queryRows<VolunteerSignUpRow>(
      this.dataSource,
      `SELECT ${SIGN_UP_COLUMNS} FROM ${SIGN_UP_FROM} WHERE s.id = ANY($1::uuid[])`,
      [ids],
    );
    const found = new Map(rows.map((row) => [row.id, VolunteerSignUp.from(row)]));
    return ids.map((id) => found.get(id)!).filter(Boolean);
  }

  /** An activity's sign-ups in the order they came, cancelled ones included (for organisers). */
  /** The same page of sign-ups of each activity, in the order they came: one statement for a page of activities. */
  listSignUpsOf(activityIds: readonly string[], args: PageArgs): Promise<ConnectionShape<VolunteerSignUp>[]> {
    const params = new SqlParams();
    return fetchKeysetPagesByGroup<VolunteerSignUpRow, VolunteerSignUp>(
      this.dataSource,
      args,
      activityIds,
      {
        select: SIGN_UP_COLUMNS,
        from: SIGN_UP_FROM,
        groupBy: 's.activity_id',
        where: [`s.activity_id = ANY(${params.add(activityIds)}::uuid[])`],
        params,
        orderBy: ['s.signed_up_at', 's.id'],
        keyOf: (r) => [r.signedUpAtKey, r.id],
      },
      (rows) => rows.map((row) => VolunteerSignUp.from(row)),
    );
  }

  /** The caller's own sign-ups, newest first. */
  async listMySignUps(caller: Caller, args: PageArgs): Promise<ConnectionShape<VolunteerSignUp>> {
    const params = new SqlParams();
    return fetchKeysetPage<VolunteerSignUpRow, VolunteerSignUp>(
      this.dataSource,
      args,
      {
        select: SIGN_UP_COLUMNS,
        from: `${SIGN_UP_FROM} JOIN volunteer v ON v.id = s.volunteer_id`,
        where: [`v.user_id = ${params.add(caller.userId)}`],
        params,
        orderBy: ['s.signed_up_at', 's.id'],
        keyOf: (r) => [r.signedUpAtKey, r.id],
        descending: true,
      },
      (rows) => rows.map((row) => VolunteerSignUp.from(row)),
    );
  }

  /** May the caller see this activity's sign-ups (names of volunteers)? Organisers of its territory only. */
  mayManage(caller: Caller, activity: Pick<VolunteerActivity, 'orgUnitPath'>): boolean {
    return hasPermission(caller, Permission.VOLUNTEER_MANAGE) && isWithinScope(caller, activity.orgUnitPath);
  }

  private async find(manager: EntityManager, id: string, lock = false): Promise<VolunteerActivityRow> {
    const row = await queryFirst<VolunteerActivityRow>(
      manager,
      `SELECT ${ACTIVITY_COLUMNS} FROM ${ACTIVITY_FROM} WHERE a.id = $1 ${lock ? 'FOR UPDATE OF a' : ''}`,
      [id],
    );
    if (!row) throw DomainError.notFound('VolunteerActivity', id);
    return row;
  }
}

function multiDay(message: string): DomainError {
  return DomainError.badInput(message, 'MULTI_DAY_ACTIVITY');
}

function requireWindow(startsAt: Date, endsAt: Date): void {
  if (endsAt.getTime() <= startsAt.getTime()) throw DomainError.badInput('endsAt must be after startsAt', 'ENDS_BEFORE_STARTS');
  if (endsAt.getTime() - startsAt.getTime() > R.maxDurationHours * 3600_000) {
    throw DomainError.badInput(`An activity lasts at most ${R.maxDurationHours} hours`, 'TOO_LONG', { maxHours: R.maxDurationHours });
  }
}
