import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Role, isWithinScope, type Caller } from '#libs/auth';
import { SqlParams, execute, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { EventType, Outbox, type EventPayload } from '#libs/messaging';
import { fetchKeysetPage, type ConnectionShape, type KeysetQuery } from '#libs/pagination';
import { Idempotency } from '#libs/idempotency';
import { Territory } from '#libs/territory';
import { findCopiedHousehold } from '../cases/household-copy.js';
import { EvidencePhotos, EvidenceRecord } from '../evidence/evidence-photos.js';
import { CampaignState } from '../campaigns/campaign-enums.js';
import { FindingTargetKind, JointActionStatus, type JointActionChange } from './joint-action-enums.js';
import {
  ActionFinding,
  EnforcementOfficer,
  EnforcementTeam,
  JointAction,
  JointActionRevision,
  type ActionFindingRow,
  type HoldJointActionInput,
  type JointActionRow,
  type JointActionsArgs,
  type RecordActionFindingInput,
  type ScheduleJointActionInput,
  type StoredJointActionReport,
} from './joint-action.models.js';
import { InstitutionRef } from '#libs/references';

const ACTION_COLUMNS = `a.id, a.campaign_id AS "campaignId", a.title, a.starts_at AS "startsAt", a.ends_at AS "endsAt",
  a.lead_bureau_id AS "leadBureauId", a.target_unit_ids::text[] AS "targetUnitIds", a.team_ids::text[] AS "teamIds",
  a.officer_ids::text[] AS "officerIds", a.status, a.revision, a.held_at AS "heldAt", a.place, a.summary, a.participants, a.report,
  a.created_at AS "createdAt", a.updated_at AS "updatedAt"`;
const FINDING_SELECT = `SELECT id, action_id AS "actionId", target_kind AS "targetKind", household_id AS "householdId",
  property_company_id AS "propertyCompanyId", org_unit_id AS "orgUnitId", category, description,
  photo_ids::text[] AS "photoIds", recorded_at AS "recordedAt" FROM action_finding`;

/** Locks an action for a change of state ($1 its id). */
const LOCK_ACTION = `SELECT status, revision, starts_at AS "startsAt", ends_at AS "endsAt" FROM joint_action WHERE id = $1 FOR UPDATE`;

interface LockedAction {
  status: JointActionStatus;
  revision: number;
  startsAt: Date;
  endsAt: Date;
}

const MAX_TITLE = 100;
const MAX_REASON = 500;
const MAX_WINDOW_MS = 7 * 86400_000;
const MAX_RESOURCES = 50;
/** Deadlocks between concurrent bookings are retried: the retry meets the winner's committed bookings. */
const DEADLOCK_RETRIES = 3;
const MAX_PLACE = 200;
const MAX_SUMMARY = 2000;
/** The report's before and after windows: 30 days each side of heldAt. */
const REPORT_WINDOW_MS = 30 * 86400_000;

/** SQL: the action `a` is on `$unit`, something inside it, or something containing it (`$unitPath` its path). */
export const actionOverlapsUnit = (unit: string, unitPath: string) =>
  `EXISTS (SELECT 1 FROM territory_unit t WHERE t.id = ANY(a.target_unit_ids)
             AND (t.path @> ARRAY[${unit}::uuid] OR ${unitPath}::uuid[] @> ARRAY[t.id]))`;

/** Joint actions matching `where`, listed by start (then id): the order of every list of actions, and of its cursors. */
export function jointActionList(where: string[], params: SqlParams): KeysetQuery<JointActionRow> {
  return {
    select: ACTION_COLUMNS,
    from: 'joint_action a',
    where,
    params,
    orderBy: ['a.starts_at', 'a.id'],
    keyOf: (row) => [row.startsAt.toISOString(), row.id],
  };
}

export const toJointActions = (rows: JointActionRow[]): JointAction[] => rows.map((row) => JointAction.from(row));

/** SQL: bureau `$bureau` leads `a` or takes part in it with a team or an officer. */
export const bureauTakesPart = (bureau: string) =>
  `(a.lead_bureau_id = ${bureau}::uuid
    OR EXISTS (SELECT 1 FROM enforcement_team tm WHERE tm.id = ANY(a.team_ids) AND tm.bureau_id = ${bureau}::uuid)
    OR EXISTS (SELECT 1 FROM enforcement_officer o WHERE o.id = ANY(a.officer_ids) AND o.bureau_id = ${bureau}::uuid))`;

/**
 * The bookings an action needs (action `$1`, window `$2`–`$3`, teams `$4`, officers `$5`, units `$6`): every team
 * and officer and each target unit exclusively, every ancestor of a target unit shared. Ordered by resource, so
 * concurrent bookings take their places in one order.
 */
const BOOKINGS = `
  SELECT 'TEAM' AS kind, r.id AS resource_id, 0 AS mode FROM unnest($4::uuid[]) AS r(id)
  UNION ALL SELECT 'OFFICER', r.id, 0 FROM unnest($5::uuid[]) AS r(id)
  UNION ALL SELECT 'UNIT', p.id, min(CASE WHEN p.id = ANY($6::uuid[]) THEN 0 ELSE 1 END)
    FROM territory_unit t CROSS JOIN unnest(t.path) AS p(id) WHERE t.id = ANY($6::uuid[]) GROUP BY p.id`;

interface Conflict {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  resourceKind: string;
  resourceId: string;
}

@Injectable()
export class JointActionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly outbox: Outbox,
    private readonly idempotency: Idempotency,
    private readonly evidence: EvidencePhotos,
  ) {}

  // ---- reading ----

  async get(caller: Caller, id: string): Promise<JointAction> {
    const row = await queryFirst<JointActionRow>(this.dataSource, `SELECT ${ACTION_COLUMNS} FROM joint_action a WHERE a.id = $1`, [id]);
    if (!row) throw DomainError.notFound('JointAction', id);
    if (caller.orgUnitId) {
      const scope = await this.territory.find(caller.orgUnitId);
      const visible = await queryFirst<{ visible: number }>(
        this.dataSource,
        `SELECT 1 AS visible FROM joint_action a WHERE a.id = $1 AND ${actionOverlapsUnit('$2', '$3')}`,
        [id, caller.orgUnitId, scope?.path ?? []],
      );
      if (!visible) throw DomainError.forbidden('That joint action does not concern your territory', 'OUT_OF_SCOPE');
    }
    return JointAction.from(row);
  }

  async list(caller: Caller, args: JointActionsArgs): Promise<ConnectionShape<JointAction>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (caller.orgUnitId) {
      const scope = await this.territory.find(caller.orgUnitId);
      where.push(actionOverlapsUnit(params.add(caller.orgUnitId), params.add(scope?.path ?? [])));
    }
    if (args.unitId) {
      const unit = await this.territory.requireInScope(caller, args.unitId);
      where.push(actionOverlapsUnit(params.add(unit.id), params.add(unit.path)));
    }
    if (args.bureauId) where.push(bureauTakesPart(params.add(args.bureauId)));
    if (args.from) where.push(`a.ends_at > ${params.add(args.from)}`);
    if (args.to) where.push(`a.starts_at < ${params.add(args.to)}`);
    if (args.status) where.push(`a.status = ${params.add(args.status)}`);
    return fetchKeysetPage(this.dataSource, args, jointActionList(where, params), toJointActions);
  }

  async teams(ids: readonly string[]): Promise<(EnforcementTeam | null)[]> {
    const rows = await queryRows<{ id: string; name: string; bureauId: string }>(
      this.dataSource,
      `SELECT id, name, bureau_id AS "bureauId" FROM enforcement_team WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(
      rows.map((r) => [r.id, Object.assign(new EnforcementTeam(), { id: r.id, name: r.name, bureau: InstitutionRef.of(r.bureauId) })]),
    );
    return ids.map((id) => byId.get(id) ?? null);
  }

  async officers(ids: readonly string[]): Promise<(EnforcementOfficer | null)[]> {
    const rows = await queryRows<{ id: string; name: string; bureauId: string }>(
      this.dataSource,
      `SELECT id, name, bureau_id AS "bureauId" FROM enforcement_officer WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(
      rows.map((r) => [r.id, Object.assign(new EnforcementOfficer(), { id: r.id, name: r.name, bureau: InstitutionRef.of(r.bureauId) })]),
    );
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Histories of many actions, oldest change first, in `ids` order. */
  async histories(ids: readonly string[]): Promise<JointActionRevision[][]> {
    const rows = await queryRows<{
      actionId: string;
      revision: number;
      kind: JointActionChange;
      startsAt: Date;
      endsAt: Date;
      reason: string | null;
      changedAt: Date;
    }>(
      this.dataSource,
      `SELECT action_id AS "actionId", revision, kind, starts_at AS "startsAt", ends_at AS "endsAt", reason, changed_at AS "changedAt"
         FROM joint_action_revision WHERE action_id = ANY($1::uuid[]) ORDER BY action_id, revision`,
      [ids],
    );
    return ids.map((id) => rows.filter((r) => r.actionId === id).map((r) => JointActionRevision.from(r)));
  }

  // ---- scheduling ----

  async schedule(caller: Caller, input: ScheduleJointActionInput): Promise<JointAction> {
    const title = input.title.trim();
    if (title.length === 0 || title.length > MAX_TITLE)
      throw DomainError.badInput(`title must be 1–${MAX_TITLE} characters`, 'INVALID_TITLE');
    checkWindow(input.startsAt, input.endsAt);
    const targets = [...new Set(input.targetUnitIds)];
    const teamIds = [...new Set(input.teamIds)];
    const officerIds = [...new Set(input.officerIds)];
    if (targets.length === 0) throw DomainError.badInput('A joint action needs at least one target unit', 'NO_TARGET');
    if (targets.length + teamIds.length + officerIds.length > MAX_RESOURCES) {
      throw DomainError.badInput(`At most ${MAX_RESOURCES} units, teams and officers together`, 'TOO_MANY_RESOURCES');
    }
    await this.requireBureau(input.leadBureauId);
    await this.requireActingFor(caller, input.leadBureauId);

    const units = await this.territory.findMany(targets);
    for (const id of targets) {
      const unit = units.find((u) => u.id === id);
      if (!unit) throw DomainError.notFound('OrgUnit', id);
      if (!isWithinScope(caller, unit.path)) throw DomainError.forbidden(`${unit.name} is outside your territory`, 'OUT_OF_SCOPE');
      const inside = units.find((other) => other.id !== unit.id && unit.path.includes(other.id));
      if (inside) throw DomainError.badInput(`${unit.name} lies inside ${inside.name}: name the larger unit only`, 'NESTED_TARGETS');
    }
    const outside = await queryRows<{ id: string; name: string }>(
      this.dataSource,
      `SELECT t.id, t.name FROM territory_unit t
        WHERE t.id = ANY($1::uuid[])
          AND NOT EXISTS (SELECT 1 FROM bureau_remit r WHERE r.bureau_id = $2 AND r.org_unit_id = ANY(t.path))`,
      [targets, input.leadBureauId],
    );
    if (outside.length > 0) {
      throw DomainError.badInput(`${outside.map((u) => u.name).join('、')} is outside the lead bureau's remit`, 'OUTSIDE_REMIT', {
        unitIds: outside.map((u) => u.id),
      });
    }
    const { teams, officers } = await queryOne<{ teams: string[] | null; officers: string[] | null }>(
      this.dataSource,
      `SELECT (SELECT array_agg(id::text) FROM enforcement_team WHERE id = ANY($1::uuid[])) AS teams,
              (SELECT array_agg(id::text) FROM enforcement_officer WHERE id = ANY($2::uuid[])) AS officers`,
      [teamIds, officerIds],
    );
    const missingTeam = teamIds.find((id) => !(teams ?? []).includes(id));
    if (missingTeam) throw DomainError.notFound('EnforcementTeam', missingTeam);
    const missingOfficer = officerIds.find((id) => !(officers ?? []).includes(id));
    if (missingOfficer) throw DomainError.notFound('EnforcementOfficer', missingOfficer);
    if (input.campaignId) {
      const campaign = await queryFirst<{ state: CampaignState }>(this.dataSource, `SELECT state FROM campaign WHERE id = $1`, [
        input.campaignId,
      ]);
      if (!campaign) throw DomainError.notFound('Campaign', input.campaignId);
      if (campaign.state === CampaignState.COMPLETED || campaign.state === CampaignState.REPORTED) {
        throw DomainError.conflict('That campaign is over', 'CAMPAIGN_CLOSED');
      }
    }

    const id = await this.booking(null, input.startsAt, input.endsAt, teamIds, officerIds, targets, async (manager) => {
      const row = await queryOne<{ id: string }>(
        manager,
        `INSERT INTO joint_action (campaign_id, title, starts_at, ends_at, lead_bureau_id, target_unit_ids, team_ids, officer_ids, status, created_by)
         VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7::uuid[], $8::uuid[], 'SCHEDULED', $9) RETURNING id`,
        [input.campaignId ?? null, title, input.startsAt, input.endsAt, input.leadBureauId, targets, teamIds, officerIds, caller.userId],
      );
      await execute(
        manager,
        `INSERT INTO joint_action_revision (action_id, revision, kind, starts_at, ends_at, changed_by) VALUES ($1, 0, 'SCHEDULED', $2, $3, $4)`,
        [row.id, input.startsAt, input.endsAt, caller.userId],
      );
      await execute(
        manager,
        `INSERT INTO joint_action_booking (action_id, resource_kind, resource_id, mode, during)
         SELECT $1, b.kind, b.resource_id, b.mode, tstzrange($2, $3, '[)') FROM (${BOOKINGS}) b ORDER BY b.resource_id`,
        [row.id, input.startsAt, input.endsAt, teamIds, officerIds, targets],
      );
      return row.id;
    });
    return this.get(caller, id);
  }

  async reschedule(caller: Caller, id: string, startsAt: Date, endsAt: Date, reason: string): Promise<JointAction> {
    checkWindow(startsAt, endsAt);
    const why = checkReason(reason);
    const action = await this.requireChangeable(caller, id);
    await this.booking(id, startsAt, endsAt, action.teamIds, action.officerIds, action.targetUnitIds, async (manager) => {
      const locked = await queryOne<LockedAction>(manager, LOCK_ACTION, [id]);
      if (locked.status !== JointActionStatus.SCHEDULED) throw DomainError.conflict('That joint action is cancelled', 'INVALID_TRANSITION');
      await execute(
        manager,
        `UPDATE joint_action SET starts_at = $2, ends_at = $3, revision = revision + 1, updated_at = now() WHERE id = $1`,
        [id, startsAt, endsAt],
      );
      await execute(
        manager,
        `INSERT INTO joint_action_revision (action_id, revision, kind, starts_at, ends_at, reason, changed_by) VALUES ($1, $2, 'RESCHEDULED', $3, $4, $5, $6)`,
        [id, locked.revision + 1, startsAt, endsAt, why, caller.userId],
      );
      await execute(manager, `UPDATE joint_action_booking SET during = tstzrange($2, $3, '[)') WHERE action_id = $1`, [
        id,
        startsAt,
        endsAt,
      ]);
      return id;
    });
    return this.get(caller, id);
  }

  async cancel(caller: Caller, id: string, reason: string): Promise<JointAction> {
    const why = checkReason(reason);
    await this.requireChangeable(caller, id);
    await this.dataSource.transaction(async (manager) => {
      const locked = await queryOne<LockedAction>(manager, LOCK_ACTION, [id]);
      if (locked.status !== JointActionStatus.SCHEDULED)
        throw DomainError.conflict('That joint action is already cancelled', 'INVALID_TRANSITION');
      await execute(manager, `UPDATE joint_action SET status = 'CANCELLED', revision = revision + 1, updated_at = now() WHERE id = $1`, [
        id,
      ]);
      await execute(
        manager,
        `INSERT INTO joint_action_revision (action_id, revision, kind, starts_at, ends_at, reason, changed_by) VALUES ($1, $2, 'CANCELLED', $3, $4, $5, $6)`,
        [id, locked.revision + 1, locked.startsAt, locked.endsAt, why, caller.userId],
      );
      await execute(manager, `DELETE FROM joint_action_booking WHERE action_id = $1`, [id]);
    });
    return this.get(caller, id);
  }

  // ---- holding and reporting ----

  /** SCHEDULED → HELD: who took part from which bureau, when and where. Its bookings stay: they are in the past. */
  async hold(caller: Caller, id: string, input: HoldJointActionInput): Promise<JointAction> {
    if (Number.isNaN(input.heldAt.getTime())) throw DomainError.badInput('Not a time', 'INVALID_TIME');
    if (input.heldAt.getTime() > Date.now()) {
      throw DomainError.badInput('An action cannot be recorded as held before it has happened', 'ACTION_NOT_YET_HELD', {
        heldAt: input.heldAt.toISOString(),
      });
    }
    const place = optionalText(input.place, 'place', MAX_PLACE, 'INVALID_PLACE');
    const summary = optionalText(input.summary, 'summary', MAX_SUMMARY, 'INVALID_SUMMARY');
    const participants = input.participants.map((p) => ({ bureauId: p.bureauId, officerIds: [...new Set(p.officerIds)] }));
    if (participants.length === 0) throw DomainError.badInput('Name at least one bureau that took part', 'NO_PARTICIPANTS');
    if (new Set(participants.map((p) => p.bureauId)).size !== participants.length) {
      throw DomainError.badInput('Name each bureau once', 'DUPLICATE_PARTICIPANT');
    }
    if (participants.length + participants.reduce((n, p) => n + p.officerIds.length, 0) > MAX_RESOURCES) {
      throw DomainError.badInput(`At most ${MAX_RESOURCES} bureaus and officers together`, 'TOO_MANY_RESOURCES');
    }
    for (const p of participants) await this.requireBureau(p.bureauId);
    // Each officer named must be an officer of the bureau they are listed under.
    const wrong = await queryRows<{ id: string }>(
      this.dataSource,
      `SELECT p.officer_id AS id
         FROM jsonb_to_recordset($1::jsonb) AS b("bureauId" uuid, "officerIds" uuid[]) CROSS JOIN unnest(b."officerIds") AS p(officer_id)
        WHERE NOT EXISTS (SELECT 1 FROM enforcement_officer o WHERE o.id = p.officer_id AND o.bureau_id = b."bureauId")`,
      [JSON.stringify(participants)],
    );
    if (wrong.length > 0) {
      throw DomainError.badInput('Each officer must be an officer of the bureau they are listed under', 'OFFICER_NOT_OF_BUREAU', {
        officerIds: wrong.map((w) => w.id),
      });
    }
    const action = await this.requireChangeable(caller, id);
    if (input.heldAt.getTime() < action.startsAt.getTime() - 86400_000) {
      throw DomainError.badInput('heldAt lies more than a day before the scheduled window', 'HELD_BEFORE_SCHEDULE', {
        startsAt: action.startsAt.toISOString(),
      });
    }
    await this.dataSource.transaction(async (manager) => {
      const locked = await queryOne<LockedAction>(manager, LOCK_ACTION, [id]);
      if (locked.status !== JointActionStatus.SCHEDULED) {
        throw DomainError.conflict(`That joint action is ${locked.status.toLowerCase()}, not scheduled`, 'INVALID_TRANSITION', {
          status: locked.status,
        });
      }
      await execute(
        manager,
        `UPDATE joint_action SET status = 'HELD', held_at = $2, place = $3, summary = $4, participants = $5::jsonb, revision = revision + 1, updated_at = now()
          WHERE id = $1`,
        [id, input.heldAt, place, summary, JSON.stringify(participants)],
      );
      await execute(
        manager,
        `INSERT INTO joint_action_revision (action_id, revision, kind, starts_at, ends_at, changed_by) VALUES ($1, $2, 'HELD', $3, $4, $5)`,
        [id, locked.revision + 1, locked.startsAt, locked.endsAt, caller.userId],
      );
    });
    return this.get(caller, id);
  }

  /** HELD → REPORTED, freezing the figures (see JointActionReport for what they mean). */
  async report(caller: Caller, id: string): Promise<JointAction> {
    await this.requireChangeable(caller, id, JointActionStatus.HELD);
    await this.dataSource.transaction(async (manager) => {
      const locked = await queryOne<LockedAction & { heldAt: Date | null; targets: string[] }>(
        manager,
        `SELECT status, revision, starts_at AS "startsAt", ends_at AS "endsAt", held_at AS "heldAt", target_unit_ids::text[] AS targets
           FROM joint_action WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (locked.status !== JointActionStatus.HELD) {
        throw DomainError.conflict(`That joint action is ${locked.status.toLowerCase()}, not held`, 'INVALID_TRANSITION', {
          status: locked.status,
        });
      }
      const { now } = await queryOne<{ now: Date }>(manager, `SELECT now() AS now`);
      // A HELD action always has its heldAt (the joint_action_held constraint).
      const heldAt = locked.heldAt!;
      const beforeFrom = new Date(heldAt.getTime() - REPORT_WINDOW_MS);
      const afterTo = new Date(Math.min(heldAt.getTime() + REPORT_WINDOW_MS, now.getTime()));
      const figures = await queryOne<ReportFiguresRow>(manager, REPORT_FIGURES, [id, locked.targets, beforeFrom, heldAt, afterTo]);
      const report: StoredJointActionReport = {
        findingsRecorded: figures.findings,
        casesOpened: figures.opened,
        casesRectified: figures.rectified,
        households: figures.households,
        passRateBefore: passRate(figures.households, figures.failedBefore),
        passRateAfter: passRate(figures.households, figures.failedAfter),
        beforeFrom: beforeFrom.toISOString(),
        afterTo: afterTo.toISOString(),
        reportedAt: now.toISOString(),
      };
      await execute(
        manager,
        `UPDATE joint_action SET status = 'REPORTED', report = $2::jsonb, reported_at = $3, revision = revision + 1, updated_at = now() WHERE id = $1`,
        [id, JSON.stringify(report), now],
      );
      await execute(
        manager,
        `INSERT INTO joint_action_revision (action_id, revision, kind, starts_at, ends_at, changed_by) VALUES ($1, $2, 'REPORTED', $3, $4, $5)`,
        [id, locked.revision + 1, locked.startsAt, locked.endsAt, caller.userId],
      );
    });
    return this.get(caller, id);
  }

  /**
   * Runs `work` (which writes bookings) in a transaction. The exclusion constraints decide double-booking; a
   * violation (23P01) becomes SCHEDULE_CONFLICT naming the action that holds the place, which has committed by
   * then (PostgreSQL waits for a concurrent booker before it decides).
   */
  private async booking(
    self: string | null,
    startsAt: Date,
    endsAt: Date,
    teamIds: string[],
    officerIds: string[],
    targets: string[],
    work: (manager: EntityManager) => Promise<string>,
  ): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        const code = (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
        if (code === '40P01' && attempt < DEADLOCK_RETRIES) continue;
        if (code !== '23P01' && code !== '40P01') throw error;
        const conflict = await this.findConflict(self, startsAt, endsAt, teamIds, officerIds, targets);
        throw DomainError.conflict(
          conflict
            ? `Conflicts with 「${conflict.title}」 (${conflict.resourceKind.toLowerCase()})`
            : 'Conflicts with another joint action',
          'SCHEDULE_CONFLICT',
          conflict
            ? {
                conflictingAction: {
                  id: conflict.id,
                  title: conflict.title,
                  startsAt: conflict.startsAt.toISOString(),
                  endsAt: conflict.endsAt.toISOString(),
                },
                resource: { kind: conflict.resourceKind, id: conflict.resourceId },
              }
            : {},
        );
      }
    }
  }

  private async findConflict(
    self: string | null,
    startsAt: Date,
    endsAt: Date,
    teamIds: string[],
    officerIds: string[],
    targets: string[],
  ): Promise<Conflict | null> {
    const row = await queryFirst<Conflict>(
      this.dataSource,
      `SELECT a.id, a.title, a.starts_at AS "startsAt", a.ends_at AS "endsAt", b.resource_kind AS "resourceKind", b.resource_id AS "resourceId"
         FROM (${BOOKINGS}) wanted
         JOIN joint_action_booking b ON b.resource_id = wanted.resource_id AND (wanted.mode = 0 OR b.mode = 0)
         JOIN joint_action a ON a.id = b.action_id
        WHERE b.during && tstzrange($2, $3, '[)') AND b.action_id IS DISTINCT FROM $1::uuid
        ORDER BY CASE b.resource_kind WHEN 'TEAM' THEN 0 WHEN 'OFFICER' THEN 1 ELSE 2 END, a.created_at, a.id
        LIMIT 1`,
      [self, startsAt, endsAt, teamIds, officerIds, targets],
    );
    return row ?? null;
  }

  /** The action, provided the caller may change it: its units inside their territory, their bureau leading it. */
  private async requireChangeable(caller: Caller, id: string, state = JointActionStatus.SCHEDULED): Promise<JointActionRow> {
    const row = await queryFirst<JointActionRow>(this.dataSource, `SELECT ${ACTION_COLUMNS} FROM joint_action a WHERE a.id = $1`, [id]);
    if (!row) throw DomainError.notFound('JointAction', id);
    const units = await this.territory.findMany(row.targetUnitIds);
    if (units.some((unit) => !isWithinScope(caller, unit.path))) {
      throw DomainError.forbidden('That joint action reaches outside your territory', 'OUT_OF_SCOPE');
    }
    await this.requireActingFor(caller, row.leadBureauId);
    if (row.status !== state) {
      throw DomainError.conflict(`That joint action is ${row.status.toLowerCase()}, not ${state.toLowerCase()}`, 'INVALID_TRANSITION', {
        status: row.status,
      });
    }
    return row;
  }

  /**
   * Administrators act for any bureau (within their territory). A bureau officer acts for the bureau their
   * `enforcement_officer` row (linked by user id) belongs to, and for no other.
   */
  async requireActingFor(caller: Caller, bureauId: string): Promise<void> {
    if (caller.roles.includes(Role.DISTRICT_ADMIN) || caller.roles.includes(Role.STREET_ADMIN)) return;
    const officer = await queryFirst<{ bureauId: string }>(
      this.dataSource,
      `SELECT bureau_id AS "bureauId" FROM enforcement_officer WHERE user_id = $1`,
      [caller.userId],
    );
    if (!officer) throw DomainError.forbidden('You are not registered as an officer of any bureau', 'NOT_AN_OFFICER');
    if (officer.bureauId !== bureauId) throw DomainError.forbidden('You may act for your own bureau only', 'OTHER_BUREAU');
  }

  /** A DEPARTMENT institution in this service's copy of the institutions. */
  async requireBureau(id: string): Promise<void> {
    const institution = await queryFirst<{ kind: string }>(this.dataSource, `SELECT kind FROM institution_copy WHERE id = $1`, [id]);
    if (!institution) throw DomainError.notFound('Institution', id);
    if (institution.kind !== 'DEPARTMENT')
      throw DomainError.badInput('A bureau must be a functional department (DEPARTMENT)', 'NOT_A_BUREAU');
  }

  // ---- remits, teams, officers (BUREAU_MANAGE, district-wide: see enforcement.policy.ts) ----

  async grantRemit(caller: Caller, bureauId: string, orgUnitId: string): Promise<void> {
    await this.requireBureau(bureauId);
    const unit = await this.territory.find(orgUnitId);
    if (!unit) throw DomainError.notFound('OrgUnit', orgUnitId);
    await execute(
      this.dataSource,
      `INSERT INTO bureau_remit (bureau_id, org_unit_id, granted_by) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [bureauId, orgUnitId, caller.userId],
    );
  }

  async revokeRemit(bureauId: string, orgUnitId: string): Promise<void> {
    await execute(this.dataSource, `DELETE FROM bureau_remit WHERE bureau_id = $1 AND org_unit_id = $2`, [bureauId, orgUnitId]);
  }

  async remits(bureauId: string): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `SELECT org_unit_id AS id FROM bureau_remit WHERE bureau_id = $1 ORDER BY org_unit_id`,
      [bureauId],
    );
    return rows.map((r) => r.id);
  }

  async createTeam(bureauId: string, name: string): Promise<EnforcementTeam> {
    await this.requireBureau(bureauId);
    const clean = name.trim();
    if (clean.length === 0 || clean.length > 100) throw DomainError.badInput('name must be 1–100 characters', 'INVALID_NAME');
    const row = await queryFirst<{ id: string }>(
      this.dataSource,
      `INSERT INTO enforcement_team (bureau_id, name) VALUES ($1, $2) ON CONFLICT (bureau_id, name) DO NOTHING RETURNING id`,
      [bureauId, clean],
    );
    if (!row) throw DomainError.conflict('That bureau already has a team of that name', 'DUPLICATE_NAME');
    return (await this.teams([row.id]))[0]!;
  }

  async createOfficer(bureauId: string, name: string, userId: string | null): Promise<EnforcementOfficer> {
    await this.requireBureau(bureauId);
    const clean = name.trim();
    if (clean.length === 0 || clean.length > 50) throw DomainError.badInput('name must be 1–50 characters', 'INVALID_NAME');
    const row = await queryFirst<{ id: string }>(
      this.dataSource,
      `INSERT INTO enforcement_officer (bureau_id, name, user_id) VALUES ($1, $2, $3) ON CONFLICT (user_id) DO NOTHING RETURNING id`,
      [bureauId, clean, userId],
    );
    if (!row) throw DomainError.conflict('That user is already an officer', 'DUPLICATE_USER');
    return (await this.officers([row.id]))[0]!;
  }

  // ---- findings ----

  /** Records once per idempotency key (phones retry): a retry returns the same finding and announces nothing again. */
  async recordFinding(caller: Caller, actionId: string, input: RecordActionFindingInput, idempotencyKey: string): Promise<ActionFinding> {
    const targets = [input.householdId, input.propertyCompanyId, input.orgUnitId].filter((t) => t);
    if (targets.length !== 1) throw DomainError.badInput('Name exactly one of householdId, propertyCompanyId, orgUnitId', 'ONE_TARGET');
    const description = input.description.trim();
    if (description.length === 0 || description.length > 500)
      throw DomainError.badInput('description must be 1–500 characters', 'INVALID_DESCRIPTION');
    const photoIds = [...new Set(input.photoIds)];
    if (photoIds.length > 9) throw DomainError.badInput('At most 9 photos', 'TOO_MANY_PHOTOS');
    const action = await this.get(caller, actionId);
    // Findings are recorded during the action and after it (HELD); a cancelled action found nothing, a reported one is closed.
    if (action.status === JointActionStatus.CANCELLED) throw DomainError.conflict('That joint action was cancelled', 'ACTION_CANCELLED');
    if (action.status === JointActionStatus.REPORTED) throw DomainError.conflict('That joint action has been reported', 'ACTION_REPORTED');
    await this.requireActingFor(caller, action.leadBureau.id);
    const kind = input.householdId
      ? FindingTargetKind.HOUSEHOLD
      : input.propertyCompanyId
        ? FindingTargetKind.PROPERTY_COMPANY
        : FindingTargetKind.ORG_UNIT;
    if (input.propertyCompanyId) {
      const company = await queryFirst<{ kind: string }>(this.dataSource, `SELECT kind FROM institution_copy WHERE id = $1`, [
        input.propertyCompanyId,
      ]);
      if (!company) throw DomainError.notFound('Institution', input.propertyCompanyId);
      if (company.kind !== 'PROPERTY_COMPANY')
        throw DomainError.badInput('That institution is not a property company', 'NOT_A_PROPERTY_COMPANY');
    }
    if (input.householdId) {
      // A household of the registry (enforcement's copy of it), in one of the units the action targets.
      const household = await findCopiedHousehold(this.dataSource, input.householdId);
      if (!household || household.removed || !household.compoundPath) throw DomainError.notFound('Household', input.householdId);
      if (!action.targetUnits.some((t) => household.compoundPath!.includes(t.id))) {
        throw DomainError.badInput("That household is not inside the action's target units", 'OUTSIDE_ACTION');
      }
    }
    if (input.orgUnitId) {
      const unit = await this.territory.find(input.orgUnitId);
      if (!unit) throw DomainError.notFound('OrgUnit', input.orgUnitId);
      if (!action.targetUnits.some((t) => unit.path.includes(t.id))) {
        throw DomainError.badInput("That unit is not inside the action's target units", 'OUTSIDE_ACTION');
      }
    }
    const request = { actionId, ...input, description, photoIds };
    // The finding and its photos' citation (households: the recorder's own uploads, each once) are written together or not
    // at all. A property company's finding lies in no one unit: its photos are for district-wide readers (and the uploader).
    const { id } = await this.evidence.within(caller, (cite) =>
      this.idempotency.run(caller, idempotencyKey, 'recordActionFinding', request, async (manager) => {
        const inserted = await queryOne<ActionFindingRow>(
          manager,
          `INSERT INTO action_finding (action_id, target_kind, household_id, property_company_id, org_unit_id, category, description, photo_ids, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::uuid[], $9)
         RETURNING id, action_id AS "actionId", target_kind AS "targetKind", household_id AS "householdId",
                   property_company_id AS "propertyCompanyId", org_unit_id AS "orgUnitId", category, description,
                   photo_ids::text[] AS "photoIds", recorded_at AS "recordedAt"`,
          [
            actionId,
            kind,
            input.householdId ?? null,
            input.propertyCompanyId ?? null,
            input.orgUnitId ?? null,
            input.category,
            description,
            photoIds,
            caller.userId,
          ],
        );
        // A finding about a household (kind HOUSEHOLD) is announced, for the household's record in households.
        if (input.householdId) {
          const payload: EventPayload<EventType.ActionFindingRecorded> = {
            findingId: inserted.id,
            actionId,
            householdId: input.householdId,
            targetUnitIds: action.targetUnits.map((t) => t.id),
            category: inserted.category,
            description,
            photoIds,
            recordedAt: inserted.recordedAt.toISOString(),
          };
          await this.outbox.record(manager, [{ type: EventType.ActionFindingRecorded, payload }]);
        }
        await cite(photoIds, {
          kind: EvidenceRecord.ACTION_FINDING,
          recordId: inserted.id,
          householdId: input.householdId ?? null,
          orgUnitId: input.orgUnitId ?? null,
        });
        return { id: inserted.id };
      }),
    );
    return ActionFinding.from(await queryOne<ActionFindingRow>(this.dataSource, `${FINDING_SELECT} WHERE id = $1`, [id]));
  }

  async findings(actionIds: readonly string[]): Promise<ActionFinding[][]> {
    const rows = await queryRows<ActionFindingRow>(
      this.dataSource,
      `${FINDING_SELECT} WHERE action_id = ANY($1::uuid[]) ORDER BY recorded_at, id`,
      [actionIds],
    );
    return actionIds.map((id) => rows.filter((r) => r.actionId === id).map((r) => ActionFinding.from(r)));
  }
}

function checkWindow(startsAt: Date, endsAt: Date): void {
  if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime())) throw DomainError.badInput('Not a time', 'INVALID_TIME');
  if (endsAt.getTime() <= startsAt.getTime()) {
    throw DomainError.badInput('The action ends before it starts', 'ENDS_BEFORE_START', {
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
    });
  }
  if (endsAt.getTime() - startsAt.getTime() > MAX_WINDOW_MS)
    throw DomainError.badInput('A joint action lasts at most 7 days', 'WINDOW_TOO_LONG');
}

/**
 * The report's figures in one statement ($1 action, $2 target units, $3 before-from, $4 heldAt, $5 after-to): the
 * action's findings, the cases opened from them and those closed as rectified; the households registered in the target
 * units, and how many of them have a failure on record before and after (another action's finding about them, or a case
 * opened against them, not from this action's findings).
 */
const REPORT_FIGURES = `
  WITH own AS (SELECT id FROM action_finding WHERE action_id = $1),
  own_cases AS (SELECT state FROM enforcement_case WHERE action_finding_id IN (SELECT id FROM own)),
  homes AS (
    SELECT h.id FROM household_copy h JOIN territory_unit c ON c.id = h.compound_id
     WHERE NOT h.removed AND c.path && $2::uuid[]),
  failures AS (
    SELECT f.household_id AS id, f.recorded_at AS at FROM action_finding f
     WHERE f.household_id IN (SELECT id FROM homes) AND f.action_id <> $1 AND f.recorded_at >= $3 AND f.recorded_at < $5
    UNION ALL
    SELECT c.household_id, c.opened_at FROM enforcement_case c
     WHERE c.household_id IN (SELECT id FROM homes) AND c.opened_at >= $3 AND c.opened_at < $5
       AND (c.action_finding_id IS NULL OR c.action_finding_id NOT IN (SELECT id FROM own)))
  SELECT (SELECT count(*)::int FROM own) AS findings,
         (SELECT count(*)::int FROM own_cases) AS opened,
         (SELECT count(*)::int FROM own_cases WHERE state = 'CLOSED') AS rectified,
         (SELECT count(*)::int FROM homes) AS households,
         (SELECT count(DISTINCT id)::int FROM failures WHERE at < $4) AS "failedBefore",
         (SELECT count(DISTINCT id)::int FROM failures WHERE at >= $4) AS "failedAfter"`;

interface ReportFiguresRow {
  findings: number;
  opened: number;
  rectified: number;
  households: number;
  failedBefore: number;
  failedAfter: number;
}

/** The share of `households` without a failure on record, to 4 places; null without households. */
export function passRate(households: number, failed: number): number | null {
  return households === 0 ? null : Math.round(((households - failed) / households) * 10000) / 10000;
}

function optionalText(value: string | null | undefined, name: string, max: number, reason: string): string | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text.length === 0 || text.length > max) throw DomainError.badInput(`${name} must be 1–${max} characters`, reason);
  return text;
}

function checkReason(reason: string): string {
  const why = reason.trim();
  if (why.length === 0 || why.length > MAX_REASON)
    throw DomainError.badInput(`reason must be 1–${MAX_REASON} characters`, 'INVALID_REASON');
  return why;
}
