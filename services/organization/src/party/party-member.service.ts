import { announceWorkUnitBranches } from './work-unit-branches-announcement.js';
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Caller, Permission, hasPermission, isPartyMemberLogin, isWithinScope, partyMemberLogin } from '#libs/auth';
import { shanghaiDate } from '#libs/calendar';
import { PostgresErrorCode, SqlParams, isPostgresError, queryFirst, queryOne, queryRows, violatedConstraint } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { PersonalDataAudit } from '#libs/privacy';
import { RegistrationKind, registrationKindOf, type PartyOrgKind } from './party-org-kind.js';
import type { CreatePartyMemberInput, PartyMembersArgs } from './party.inputs.js';
import { PartyMember, type BranchRegistrationRow, type PartyMemberRow } from './party.models.js';
import { OrgUnitKind } from '../territory/org-unit-kind.js';
import {
  canReadMember,
  readsOwnBranchesOnly,
  readsOwnRecordOnly,
  registeredWithBranchOf,
  requireMemberWithinScope,
} from './party-scope.js';

export const MEMBER_COLUMNS = `m.id, m.name, m.phone, m.user_id AS "userId", m.household_id AS "householdId", m.institution_id AS "institutionId",
  m.community_id AS "communityId", m.joined_party_on::text AS "joinedPartyOn", m.commitment_signed_at AS "commitmentSignedAt",
  m.created_at AS "createdAt", c.path::text[] AS "scopePath"`;
export const MEMBER_FROM = `party_member m LEFT JOIN org_unit c ON c.id = m.community_id`;
const REGISTRATION_COLUMNS = `r.id, r.party_member_id AS "partyMemberId", r.branch_id AS "branchId", r.kind, r.registered_at AS "registeredAt",
  r.confirmed_at AS "confirmedAt", r.ended_at AS "endedAt"`;
const PHONE = /^1[3-9]\d{9}$/;

interface BranchRow {
  id: string;
  kind: PartyOrgKind;
  name: string;
  institutionId: string | null;
  scopePath: string[];
}

/** Party members, their commitment letters and their dual registration with branches. */
@Injectable()
export class PartyMemberService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: PersonalDataAudit,
  ) {}

  /**
   * Members as `caller` may see them (PartyMember.present: masked without PERSONAL_DATA_READ, except their own record),
   * with every one shown unmasked recorded in personal_data_access: one insert for the rows (each member once, though
   * one may be secretary of several organisations), before they leave.
   */
  async present(caller: Caller, rows: readonly PartyMemberRow[]): Promise<PartyMember[]> {
    const members = rows.map((row) => PartyMember.present(caller, row));
    const unmasked = new Set(members.filter((member) => !member.personalDataMasked).map((member) => member.id));
    await this.audit.recordRead(caller, 'PartyMember', [...unmasked]);
    return members;
  }

  async presentOne(caller: Caller, row: PartyMemberRow): Promise<PartyMember> {
    return (await this.present(caller, [row]))[0];
  }

  findByIds(ids: readonly string[]): Promise<PartyMemberRow[]> {
    return queryRows<PartyMemberRow>(this.dataSource, `SELECT ${MEMBER_COLUMNS} FROM ${MEMBER_FROM} WHERE m.id = ANY($1::uuid[])`, [ids]);
  }

  async get(caller: Caller, id: string): Promise<PartyMemberRow> {
    const member = (await this.findByIds([id])).at(0);
    if (!member) throw DomainError.notFound('PartyMember', id);
    if (!canReadMember(caller, member) || !(await this.inCallersBranches(caller, member))) {
      throw DomainError.forbidden('That party member lies outside your reach', 'OUT_OF_SCOPE');
    }
    return member;
  }

  /** A branch secretary reads their own record and their branches' members; every other reader passes. */
  private async inCallersBranches(caller: Caller, member: PartyMemberRow): Promise<boolean> {
    if (!readsOwnBranchesOnly(caller) || (member.userId !== null && member.userId === caller.userId)) return true;
    const row = await queryFirst<{ id: string }>(
      this.dataSource,
      `SELECT m.id FROM party_member m WHERE m.id = $1 AND ${registeredWithBranchOf('$2')}`,
      [member.id, caller.userId],
    );
    return row !== undefined;
  }

  async mine(caller: Caller): Promise<PartyMemberRow | null> {
    const member = await queryFirst<PartyMemberRow>(this.dataSource, `SELECT ${MEMBER_COLUMNS} FROM ${MEMBER_FROM} WHERE m.user_id = $1`, [
      caller.userId,
    ]);
    return member ?? null;
  }

  async list(caller: Caller, args: PartyMembersArgs): Promise<ConnectionShape<PartyMember>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (args.communityId) where.push(`m.community_id = ${params.add(args.communityId)}::uuid`);
    if (args.institutionId) where.push(`m.institution_id = ${params.add(args.institutionId)}::uuid`);
    if (args.branchId) {
      where.push(
        `EXISTS (SELECT 1 FROM branch_registration r WHERE r.party_member_id = m.id AND r.ended_at IS NULL AND r.branch_id = ${params.add(args.branchId)}::uuid)`,
      );
    }
    if (readsOwnRecordOnly(caller)) where.push(`m.user_id = ${params.add(caller.userId)}`);
    else if (readsOwnBranchesOnly(caller)) {
      const user = params.add(caller.userId);
      where.push(`(m.user_id = ${user} OR ${registeredWithBranchOf(user)})`);
    } else if (caller.orgUnitId) where.push(`c.path @> ARRAY[${params.add(caller.orgUnitId)}::uuid]`);
    return fetchKeysetPage<PartyMemberRow, PartyMember>(
      this.dataSource,
      args,
      { select: MEMBER_COLUMNS, from: MEMBER_FROM, where, params, orderBy: ['m.id'], keyOf: (row) => [row.id] },
      (rows) => this.present(caller, rows),
    );
  }

  async create(caller: Caller, input: CreatePartyMemberInput): Promise<PartyMemberRow> {
    const name = input.name.trim();
    if (name.length === 0 || name.length > 50) throw DomainError.badInput('name must be 1–50 characters', 'INVALID_NAME');
    if (input.phone != null && !PHONE.test(input.phone))
      throw DomainError.badInput('phone must be an 11-digit mobile number', 'INVALID_PHONE');
    if (input.communityId) {
      const community = await queryFirst<{ kind: OrgUnitKind; path: string[] }>(
        this.dataSource,
        `SELECT kind, path::text[] AS path FROM org_unit WHERE id = $1`,
        [input.communityId],
      );
      if (!community) throw DomainError.notFound('OrgUnit', input.communityId);
      if (community.kind !== OrgUnitKind.COMMUNITY)
        throw DomainError.badInput(`communityId names a ${community.kind}, not a COMMUNITY`, 'NOT_A_COMMUNITY');
      requireMemberWithinScope(caller, { scopePath: community.path });
    } else {
      requireMemberWithinScope(caller, { scopePath: null });
    }
    if (input.institutionId) {
      const institution = await queryFirst<{ id: string }>(this.dataSource, `SELECT id FROM institution WHERE id = $1`, [
        input.institutionId,
      ]);
      if (!institution) throw DomainError.notFound('Institution', input.institutionId);
    }
    // The phone login `member-<id>` is given here and is this member's only (it is the id households knows the member by):
    // nobody may hand it, or another member's, out as an account.
    if (input.userId != null && isPartyMemberLogin(input.userId)) {
      throw DomainError.badInput(
        "A member's phone login member-<id> is given with the record: leave userId empty, or name another account",
        'RESERVED_LOGIN',
      );
    }
    const memberId = randomUUID();
    try {
      const { id } = await queryOne<{ id: string }>(
        this.dataSource,
        `INSERT INTO party_member (id, name, phone, user_id, household_id, institution_id, community_id, joined_party_on)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          memberId,
          name,
          input.phone ?? null,
          input.userId ?? partyMemberLogin(memberId),
          input.householdId ?? null,
          input.institutionId ?? null,
          input.communityId ?? null,
          input.joinedPartyOn ?? null,
        ],
      );
      return (await this.findByIds([id]))[0];
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.UniqueViolation)) {
        throw DomainError.conflict('That account already belongs to another party member', 'USER_ALREADY_LINKED');
      }
      throw error;
    }
  }

  /** Records the signed commitment letter (承诺书): staff managing the member, or the member themself. */
  async signCommitmentLetter(caller: Caller, memberId: string, signedAt: Date): Promise<PartyMemberRow> {
    const member = await this.requireManageable(caller, memberId);
    if (member.commitmentSignedAt) throw DomainError.conflict('The commitment letter is already signed', 'ALREADY_SIGNED');
    if (signedAt.getTime() > Date.now() + 60_000) throw DomainError.badInput('signedAt lies in the future', 'SIGNED_IN_FUTURE');
    const updated = await queryFirst<{ id: string }>(
      this.dataSource,
      `UPDATE party_member SET commitment_signed_at = $2 WHERE id = $1 AND commitment_signed_at IS NULL RETURNING id`,
      [memberId, signedAt],
    );
    if (!updated) throw DomainError.conflict('The commitment letter is already signed', 'ALREADY_SIGNED');
    return (await this.findByIds([memberId]))[0];
  }

  /**
   * Registers a member with a branch: a work-unit branch takes their WORK_UNIT registration, a community or compound
   * branch their COMMUNITY one. One INSERT: the unique index on open registrations refuses a second one of a kind,
   * even when two requests race.
   */
  async register(caller: Caller, memberId: string, branchId: string): Promise<BranchRegistrationRow> {
    const member = await this.requireManageable(caller, memberId);
    const branch = await this.branch(branchId);
    const kind = registrationKindOf(branch.kind);
    if (!kind) throw DomainError.badInput(`A ${branch.kind} is not a branch members register with`, 'NOT_A_BRANCH');
    // A member registers where they work and where they live, nowhere else; staff only with branches of their territory.
    if (kind === RegistrationKind.WORK_UNIT && (member.institutionId === null || branch.institutionId !== member.institutionId)) {
      throw DomainError.badInput(`${branch.name} is not the branch of the member's work unit`, 'NOT_MEMBERS_WORK_UNIT');
    }
    if (kind === RegistrationKind.COMMUNITY && (member.communityId === null || !branch.scopePath.includes(member.communityId))) {
      throw DomainError.badInput(`${branch.name} is not in the member's community`, 'NOT_MEMBERS_COMMUNITY');
    }
    const isTheMember = member.userId !== null && member.userId === caller.userId;
    if (!isTheMember && !isWithinScope(caller, branch.scopePath))
      throw DomainError.forbidden(`${branch.name} is outside your territory`, 'OUT_OF_SCOPE');
    try {
      return await this.dataSource.transaction(async (manager) => {
        const row = await queryOne<BranchRegistrationRow>(
          manager,
          `INSERT INTO branch_registration AS r (party_member_id, branch_id, kind, registered_by) VALUES ($1, $2, $3, $4)
           RETURNING ${REGISTRATION_COLUMNS}`,
          [memberId, branchId, kind, caller.userId],
        );
        // households judges work-branch reviews of the member's check-ins by this registration.
        if (kind === RegistrationKind.WORK_UNIT) await announceWorkUnitBranches(manager, { memberIds: [memberId] });
        return row;
      });
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.UniqueViolation) && violatedConstraint(error) === 'branch_registration_one_open') {
        throw DomainError.conflict(
          `The member already has an open ${kind} registration; end it before registering elsewhere`,
          'ALREADY_REGISTERED',
          { kind },
        );
      }
      throw error;
    }
  }

  /**
   * The branch confirms a registration: its current secretary (signed in as the member holding the post), or staff
   * with PARTY_MANAGE whose territory covers the branch.
   */
  async confirm(caller: Caller, registrationId: string): Promise<BranchRegistrationRow> {
    const registration = await this.registration(registrationId);
    const branch = await this.branch(registration.branchId);
    const secretary = await queryFirst<{ userId: string | null }>(
      this.dataSource,
      `SELECT m.user_id AS "userId" FROM party_org_position p JOIN party_member m ON m.id = p.party_member_id
        WHERE p.party_org_id = $1 AND p.position = 'SECRETARY' AND p.starts_on <= $2::date AND (p.ends_on IS NULL OR p.ends_on >= $2::date)`,
      [branch.id, shanghaiDate()],
    );
    const isSecretary = secretary?.userId != null && secretary.userId === caller.userId;
    if (!isSecretary) {
      if (!hasPermission(caller, Permission.PARTY_MANAGE)) {
        throw DomainError.forbidden(`Only the secretary of ${branch.name} confirms registrations with it`, 'NOT_BRANCH_SECRETARY');
      }
      if (!isWithinScope(caller, branch.scopePath)) throw DomainError.forbidden(`${branch.name} is outside your territory`, 'OUT_OF_SCOPE');
    }
    if (registration.endedAt) throw DomainError.conflict('That registration has ended', 'REGISTRATION_ENDED');
    const row = await queryFirst<BranchRegistrationRow>(
      this.dataSource,
      `UPDATE branch_registration r SET confirmed_at = now(), confirmed_by = $2
        WHERE r.id = $1 AND r.confirmed_at IS NULL AND r.ended_at IS NULL RETURNING ${REGISTRATION_COLUMNS}`,
      [registrationId, caller.userId],
    );
    if (!row) throw DomainError.conflict('The branch has already confirmed that registration', 'ALREADY_CONFIRMED');
    return row;
  }

  /** Ends a registration when the member moves on (changes work unit or home); they may then register anew. */
  async end(caller: Caller, registrationId: string): Promise<BranchRegistrationRow> {
    const registration = await this.registration(registrationId);
    await this.requireManageable(caller, registration.partyMemberId);
    return this.dataSource.transaction(async (manager) => {
      const row = await queryFirst<BranchRegistrationRow>(
        manager,
        `UPDATE branch_registration r SET ended_at = now() WHERE r.id = $1 AND r.ended_at IS NULL RETURNING ${REGISTRATION_COLUMNS}`,
        [registrationId],
      );
      if (!row) throw DomainError.conflict('That registration has already ended', 'ALREADY_ENDED');
      if (row.kind === RegistrationKind.WORK_UNIT) await announceWorkUnitBranches(manager, { memberIds: [row.partyMemberId] });
      return row;
    });
  }

  /** Open registrations of the given members. */
  openRegistrations(memberIds: readonly string[]): Promise<BranchRegistrationRow[]> {
    return queryRows<BranchRegistrationRow>(
      this.dataSource,
      `SELECT ${REGISTRATION_COLUMNS} FROM branch_registration r WHERE r.party_member_id = ANY($1::uuid[]) AND r.ended_at IS NULL`,
      [memberIds],
    );
  }

  /** The member, if the caller manages them (PARTY_MANAGE within scope) or is them. */
  private async requireManageable(caller: Caller, memberId: string): Promise<PartyMemberRow> {
    const member = (await this.findByIds([memberId])).at(0);
    if (!member) throw DomainError.notFound('PartyMember', memberId);
    if (member.userId !== null && member.userId === caller.userId) return member;
    if (!hasPermission(caller, Permission.PARTY_MANAGE))
      throw DomainError.forbidden('Only the member themself or staff managing party members may do that', 'NOT_THE_MEMBER');
    requireMemberWithinScope(caller, member);
    return member;
  }

  private async registration(id: string): Promise<BranchRegistrationRow> {
    const row = await queryFirst<BranchRegistrationRow>(
      this.dataSource,
      `SELECT ${REGISTRATION_COLUMNS} FROM branch_registration r WHERE r.id = $1`,
      [id],
    );
    if (!row) throw DomainError.notFound('BranchRegistration', id);
    return row;
  }

  private async branch(id: string): Promise<BranchRow> {
    const branch = await queryFirst<BranchRow>(
      this.dataSource,
      `SELECT o.id, o.kind, o.name, o.institution_id AS "institutionId", COALESCE(u.path, iu.path)::text[] AS "scopePath"
         FROM party_org o LEFT JOIN org_unit u ON u.id = o.org_unit_id
         LEFT JOIN institution i ON i.id = o.institution_id LEFT JOIN org_unit iu ON iu.id = i.org_unit_id
        WHERE o.id = $1`,
      [id],
    );
    if (!branch) throw DomainError.notFound('PartyOrg', id);
    return branch;
  }
}
