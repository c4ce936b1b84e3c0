import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { Permission, hasPermission, type Caller } from '#libs/auth';
import { shanghaiDate } from '#libs/calendar';
import { execute, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError, ErrorCode } from '#libs/errors';
import { Idempotency } from '#libs/idempotency';
import { DUTY_CHECK_LOCK, applyLateLog } from './duty-check-sql.js';
import { DUTY_RULES } from './duty-kinds.js';
import { normalizeNote, requirePerformable } from './duty-log-rules.js';
import type { RecordDutyLogInput } from './duty.inputs.js';
import { DutyLog, type DutyLogRow } from './duty.models.js';
import { visibleOrgCondition } from './duty-scope.js';

const LOG_COLUMNS = `l.id, l.party_member_id AS "partyMemberId", l.party_org_id AS "partyOrgId", o.name AS "partyOrgName", l.duty,
  l.performed_at AS "performedAt", l.performed_on AS "performedOn", l.org_unit_id AS "orgUnitId", l.institution_id AS "institutionId",
  l.leader_id AS "leaderId", l.note, l.recorded_at AS "recordedAt"`;

interface Post {
  memberId: string;
  /** Null only for a liaison street without a street committee. */
  partyOrgId: string | null;
  orgUnitId: string | null;
  institutionId: string | null;
  /** The leader, for a liaison visit. */
  leaderId: string | null;
}

/** The units a duty may be performed in, by its rule's `place` (SECTOR_UNIT is an institution instead). */
const PLACE_KINDS: Record<'TERRITORY' | 'DISTRICT' | 'LIAISON_STREET', string[]> = {
  TERRITORY: ['COMMUNITY', 'COMPOUND'],
  DISTRICT: ['STREET', 'COMMUNITY', 'COMPOUND'],
  LIAISON_STREET: ['STREET', 'COMMUNITY', 'COMPOUND'],
};

/** Duty logs (履职记录), recorded by the post holder from their phone, exactly once per idempotency key. */
@Injectable()
export class DutyLogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly idempotency: Idempotency,
  ) {}

  /**
   * Records a duty performed by the caller's own party member (`party_member.user_id` = the token's `sub`). The caller
   * must hold, on the Shanghai date performed, a SECRETARY post that owes the duty, or for a liaison visit be the
   * leader (`leader.party_member_id`) liaising with a street (FORBIDDEN NO_SUCH_DUTY otherwise); the place must lie in
   * that post's territory (the street liaised with: NOT_LIAISON_STREET), or the unit supervised be one of the
   * department's sector units (BAD_USER_INPUT). A log for a period already closed counts for it (MISSED becomes MET).
   * Nothing is written on error.
   */
  async record(caller: Caller, input: RecordDutyLogInput, now = new Date()): Promise<DutyLog> {
    requirePerformable(input.performedAt, now);
    const note = normalizeNote(input.note);
    const rule = DUTY_RULES[input.duty];
    if (rule.place !== 'SECTOR_UNIT') {
      if (!input.orgUnitId) throw DomainError.badInput(`${input.duty} needs orgUnitId: the place visited`, 'PLACE_REQUIRED');
      if (input.institutionId)
        throw DomainError.badInput(`${input.duty} is performed in the territory, not at an institution`, 'INSTITUTION_NOT_EXPECTED');
    } else {
      if (!input.institutionId)
        throw DomainError.badInput(`${input.duty} needs institutionId: the sector unit supervised`, 'SECTOR_UNIT_REQUIRED');
      if (input.orgUnitId)
        throw DomainError.badInput(`${input.duty} is performed at a sector unit, not in the territory`, 'ORG_UNIT_NOT_EXPECTED');
    }
    const performedOn = shanghaiDate(input.performedAt);
    const request = {
      duty: input.duty,
      performedAt: input.performedAt.toISOString(),
      orgUnitId: input.orgUnitId ?? null,
      institutionId: input.institutionId ?? null,
      note,
    };
    const { id } = await this.idempotency.run(caller, input.idempotencyKey, 'recordDutyLog', request, async (manager) => {
      // Shared with other recorders, exclusive with the daily check (see DUTY_CHECK_LOCK).
      await execute(manager, `SELECT pg_advisory_xact_lock_shared($1)`, [DUTY_CHECK_LOCK]);
      const posts =
        rule.post === 'STREET_LIAISON'
          ? await queryRows<Post>(
              manager,
              // The leader's liaisons that day; the visits are kept on the street's committee.
              `SELECT m.id AS "memberId", o.id AS "partyOrgId", ll.street_id AS "orgUnitId", NULL::uuid AS "institutionId", ld.id AS "leaderId"
             FROM party_member m
             JOIN leader ld ON ld.party_member_id = m.id
             JOIN leader_liaison ll ON ll.leader_id = ld.id AND ll.starts_on <= $2::date AND (ll.ends_on IS NULL OR ll.ends_on >= $2::date)
             LEFT JOIN party_org o ON o.org_unit_id = ll.street_id AND o.kind = 'STREET_COMMITTEE'
            WHERE m.user_id = $1
            ORDER BY ll.street_id`,
              [caller.userId, performedOn],
            )
          : await queryRows<Post>(
              manager,
              `SELECT m.id AS "memberId", o.id AS "partyOrgId", o.org_unit_id AS "orgUnitId", o.institution_id AS "institutionId", NULL::uuid AS "leaderId"
             FROM party_member m
             JOIN party_org_position p ON p.party_member_id = m.id AND p.position = 'SECRETARY'
                                      AND p.starts_on <= $3::date AND (p.ends_on IS NULL OR p.ends_on >= $3::date)
             JOIN party_org o ON o.id = p.party_org_id AND o.kind = $2
            WHERE m.user_id = $1
            ORDER BY o.id`,
              [caller.userId, rule.post, performedOn],
            );
      if (posts.length === 0) {
        throw new DomainError(
          ErrorCode.FORBIDDEN,
          `You hold no post that owes ${input.duty} (${rule.labelZh}) on ${performedOn}`,
          'NO_SUCH_DUTY',
          { duty: input.duty, date: performedOn },
        );
      }
      const post =
        rule.place === 'SECTOR_UNIT'
          ? await postOfSectorUnit(manager, posts, input.institutionId!)
          : await postOfPlace(
              manager,
              posts,
              input.orgUnitId!,
              PLACE_KINDS[rule.place],
              rule.place === 'LIAISON_STREET' ? 'NOT_LIAISON_STREET' : 'OUTSIDE_TERRITORY',
            );
      if (!post.partyOrgId) {
        throw DomainError.badInput('The street has no street committee to keep its liaison visits', 'NO_STREET_COMMITTEE', {
          streetId: post.orgUnitId,
        });
      }
      const { id } = await queryOne<{ id: string }>(
        manager,
        `INSERT INTO duty_log (party_member_id, party_org_id, duty, performed_at, org_unit_id, institution_id, leader_id, note, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          post.memberId,
          post.partyOrgId,
          input.duty,
          input.performedAt,
          input.orgUnitId ?? null,
          input.institutionId ?? null,
          post.leaderId,
          note,
          caller.userId,
        ],
      );
      await applyLateLog(manager, post.partyOrgId, input.duty, performedOn, now);
      return { id };
    });
    return this.get(caller, id);
  }

  /** A log: the caller's own, or one of a post in their territory for readers of duties. */
  async get(caller: Caller, id: string): Promise<DutyLog> {
    const row = await queryFirst<DutyLogRow & { ownerUserId: string | null; visible: boolean }>(
      this.dataSource,
      `SELECT ${LOG_COLUMNS}, m.user_id AS "ownerUserId", ${visibleOrgCondition('o', '$2')} AS visible
         FROM duty_log l JOIN party_org o ON o.id = l.party_org_id JOIN party_member m ON m.id = l.party_member_id
        WHERE l.id = $1`,
      [id, caller.orgUnitId],
    );
    if (!row) throw DomainError.notFound('DutyLog', id);
    const own = row.ownerUserId === caller.userId;
    if (!own && !(hasPermission(caller, Permission.DUTY_READ) && row.visible)) {
      throw DomainError.forbidden('That duty log is outside your territory', 'OUT_OF_SCOPE');
    }
    return DutyLog.from(row);
  }
}

/**
 * The post whose territory (for a liaison, the street) holds the place visited; BAD_USER_INPUT when none does
 * (`outside`), or when the place is not of the kinds the duty is performed in.
 */
async function postOfPlace(manager: EntityManager, posts: Post[], orgUnitId: string, kinds: string[], outside: string): Promise<Post> {
  const unit = await queryFirst<{ kind: string; path: string[] }>(
    manager,
    `SELECT kind, path::text[] AS path FROM org_unit WHERE id = $1`,
    [orgUnitId],
  );
  if (!unit) throw DomainError.badInput('orgUnitId is not a unit of the territory', 'UNKNOWN_ORG_UNIT', { orgUnitId });
  if (!kinds.includes(unit.kind)) {
    const reason = kinds.includes('STREET') ? 'NOT_A_STREET_COMMUNITY_OR_COMPOUND' : 'NOT_A_COMMUNITY_OR_COMPOUND';
    throw DomainError.badInput(`The place visited is a ${kinds.join(', ').toLowerCase()}`, reason, { orgUnitId, kind: unit.kind });
  }
  const post = posts.find((p) => p.orgUnitId !== null && unit.path.includes(p.orgUnitId));
  if (!post) {
    throw DomainError.badInput(
      outside === 'NOT_LIAISON_STREET'
        ? 'That place lies outside the streets you liaise with on that date'
        : "That place lies outside your post's territory",
      outside,
      { orgUnitId },
    );
  }
  return post;
}

/** The department post whose sector units include the institution supervised; BAD_USER_INPUT when none does. */
async function postOfSectorUnit(manager: EntityManager, posts: Post[], institutionId: string): Promise<Post> {
  const unit = await queryFirst<{ parentId: string | null }>(manager, `SELECT parent_id AS "parentId" FROM institution WHERE id = $1`, [
    institutionId,
  ]);
  if (!unit) throw DomainError.badInput('institutionId is not an institution', 'UNKNOWN_INSTITUTION', { institutionId });
  const post = posts.find((p) => p.institutionId !== null && p.institutionId === unit.parentId);
  if (!post) throw DomainError.badInput('That institution is not a sector unit of your department', 'NOT_A_SECTOR_UNIT', { institutionId });
  return post;
}
