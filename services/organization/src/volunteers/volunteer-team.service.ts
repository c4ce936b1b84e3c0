import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { requireWithinScope, type Caller } from '#libs/auth';
import { PostgresErrorCode, SqlParams, execute, isPostgresError, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { PersonalDataAudit } from '#libs/privacy';
import { VOLUNTEER_RULES } from './volunteer-enums.js';
import type { VolunteerRow, VolunteerTeamRow } from './volunteer.entity.js';
import type { CreateVolunteerTeamInput, RegisterVolunteerInput, VolunteerTeamsArgs } from './volunteer.inputs.js';
import { Volunteer, VolunteerTeam } from './volunteer.models.js';
import { TEAM_COLUMNS, TEAM_FROM, VOLUNTEER_COLUMNS, cleanText } from './volunteer-sql.js';
import { PartyOrgKind } from '../party/party-org-kind.js';

const PHONE = /^1[3-9]\d{9}$/;

/** Volunteer teams (志愿服务队) of compound branches, and volunteers (志愿者) with the team they are in. */
@Injectable()
export class VolunteerTeamService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: PersonalDataAudit,
  ) {}

  /**
   * Volunteers as `caller` may see them: name and phone masked unless the caller may read personal data or it is
   * their own record. Every one shown unmasked is recorded in personal_data_access, one insert for the rows.
   */
  async present(caller: Caller, rows: readonly VolunteerRow[]): Promise<Volunteer[]> {
    const mayRead = this.audit.mayRead(caller);
    const volunteers = rows.map((row) => Volunteer.from(row, mayRead || row.userId === caller.userId));
    await this.audit.recordRead(
      caller,
      'Volunteer',
      volunteers.filter((volunteer) => !volunteer.personalDataMasked).map((volunteer) => volunteer.id),
    );
    return volunteers;
  }

  /** A team of a compound branch in the caller's territory; the branch must be a COMPOUND_BRANCH. */
  async createTeam(caller: Caller, input: CreateVolunteerTeamInput): Promise<VolunteerTeam> {
    const name = cleanText(input.name, 'name', VOLUNTEER_RULES.maxTeamNameLength, 'INVALID_NAME');
    const branch = await queryFirst<{ kind: PartyOrgKind; orgUnitId: string | null; path: string[] | null }>(
      this.dataSource,
      `SELECT o.kind, o.org_unit_id AS "orgUnitId", u.path::text[] AS path FROM party_org o LEFT JOIN org_unit u ON u.id = o.org_unit_id WHERE o.id = $1`,
      [input.compoundBranchId],
    );
    if (!branch || branch.kind !== PartyOrgKind.COMPOUND_BRANCH || !branch.orgUnitId) {
      throw DomainError.badInput('compoundBranchId must be a compound branch (小区支部)', 'NOT_A_COMPOUND_BRANCH', {
        compoundBranchId: input.compoundBranchId,
        kind: branch?.kind ?? null,
      });
    }
    requireWithinScope(caller, branch.path!);
    try {
      const { id } = await queryOne<{ id: string }>(
        this.dataSource,
        `INSERT INTO volunteer_team (compound_branch_id, org_unit_id, name, created_by) VALUES ($1, $2, $3, $4) RETURNING id`,
        [input.compoundBranchId, branch.orgUnitId, name, caller.userId],
      );
      return (await this.teamsByIds([id]))[0]!;
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.UniqueViolation)) {
        throw DomainError.conflict('The branch already has a team of that name', 'DUPLICATE_NAME', { name });
      }
      throw error;
    }
  }

  async teamsByIds(ids: readonly string[]): Promise<(VolunteerTeam | null)[]> {
    const rows = await queryRows<VolunteerTeamRow>(
      this.dataSource,
      `SELECT ${TEAM_COLUMNS} FROM ${TEAM_FROM} WHERE t.id = ANY($1::uuid[])`,
      [ids],
    );
    const found = new Map(rows.map((row) => [row.id, VolunteerTeam.from(row)]));
    return ids.map((id) => found.get(id) ?? null);
  }

  /** Teams by name, of one branch and/or of compounds under one unit. Teams are public: anyone may find one to join. */
  async listTeams(args: VolunteerTeamsArgs): Promise<ConnectionShape<VolunteerTeam>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (args.compoundBranchId) where.push(`t.compound_branch_id = ${params.add(args.compoundBranchId)}`);
    if (args.orgUnitId) where.push(`tu.path @> ARRAY[${params.add(args.orgUnitId)}::uuid]`);
    return fetchKeysetPage<VolunteerTeamRow, VolunteerTeam>(
      this.dataSource,
      args,
      { select: TEAM_COLUMNS, from: TEAM_FROM, where, params, orderBy: ['t.name', 't.id'], keyOf: (row) => [row.name, row.id] },
      (rows) => rows.map((row) => VolunteerTeam.from(row)),
    );
  }

  /**
   * Registers the caller (their token's `sub`) as a volunteer, once. A caller who is a party member (a `party_member`
   * with that `user_id`) is linked to their member record, so their hours count towards their vanguard index.
   */
  async register(caller: Caller, input: RegisterVolunteerInput): Promise<VolunteerRow> {
    const name = cleanText(input.name, 'name', VOLUNTEER_RULES.maxNameLength, 'INVALID_NAME');
    const phone = input.phone?.trim() || null;
    if (phone !== null && !PHONE.test(phone)) throw DomainError.badInput('phone must be an 11-digit mobile number', 'INVALID_PHONE');
    if (input.teamId) await this.requireTeam(input.teamId);
    const inserted = await queryRows<{ id: string }>(
      this.dataSource,
      `INSERT INTO volunteer (user_id, name, phone, party_member_id, team_id)
       SELECT $1, $2, $3, (SELECT m.id FROM party_member m WHERE m.user_id = $1
                            AND NOT EXISTS (SELECT 1 FROM volunteer o WHERE o.party_member_id = m.id)), $4
       ON CONFLICT (user_id) DO NOTHING RETURNING id`,
      [caller.userId, name, phone, input.teamId ?? null],
    );
    if (inserted.length === 0) throw DomainError.conflict('You are already registered as a volunteer', 'ALREADY_REGISTERED');
    return (await this.volunteerOf(caller))!;
  }

  /** Moves the caller into a team (one team at a time). */
  async joinTeam(caller: Caller, teamId: string): Promise<VolunteerRow> {
    await this.requireTeam(teamId);
    const updated = await execute(this.dataSource, `UPDATE volunteer SET team_id = $2 WHERE user_id = $1`, [caller.userId, teamId]);
    if (updated === 0) throw DomainError.badInput('Register as a volunteer first (registerVolunteer)', 'NOT_A_VOLUNTEER');
    return (await this.volunteerOf(caller))!;
  }

  async volunteerOf(caller: Caller): Promise<VolunteerRow | null> {
    const row = await queryFirst<VolunteerRow>(this.dataSource, `SELECT ${VOLUNTEER_COLUMNS} FROM volunteer v WHERE v.user_id = $1`, [
      caller.userId,
    ]);
    return row ?? null;
  }

  async volunteersByIds(ids: readonly string[]): Promise<VolunteerRow[]> {
    return queryRows<VolunteerRow>(this.dataSource, `SELECT ${VOLUNTEER_COLUMNS} FROM volunteer v WHERE v.id = ANY($1::uuid[])`, [ids]);
  }

  private async requireTeam(teamId: string): Promise<void> {
    const { found } = await queryOne<{ found: boolean }>(
      this.dataSource,
      `SELECT EXISTS (SELECT 1 FROM volunteer_team WHERE id = $1) AS found`,
      [teamId],
    );
    if (!found) throw DomainError.badInput('teamId is not a volunteer team', 'UNKNOWN_TEAM', { teamId });
  }
}
