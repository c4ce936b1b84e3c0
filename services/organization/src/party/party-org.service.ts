import { announceWorkUnitBranches } from './work-unit-branches-announcement.js';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '#libs/auth';
import { shanghaiDate } from '#libs/calendar';
import {
  PostgresErrorCode,
  SqlParams,
  execute,
  isPostgresError,
  queryFirst,
  queryOne,
  queryRows,
  violatedConstraint,
} from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, fetchKeysetPagesByGroup, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { PARTY_ORG_PARENT_KINDS, PARTY_ORG_UNIT_KIND, PartyOrgKind } from './party-org-kind.js';
import type { CreatePartyOrgInput, PartyOrgsArgs } from './party.inputs.js';
import { PartyOrg, SecretaryPost, type PartyMemberRow, type PartyOrgRow, type SecretaryPostRow } from './party.models.js';
import { MEMBER_COLUMNS, MEMBER_FROM } from './party-member.service.js';
import { requireOrgWithinScope } from './party-scope.js';
import { TREE_WRITE_LOCK } from '../territory/tree-write-lock.js';

export const ORG_COLUMNS = `o.id, o.kind, o.name, o.parent_id AS "parentId", o.path::text[] AS path, o.org_unit_id AS "orgUnitId",
  o.institution_id AS "institutionId", o.created_at AS "createdAt", COALESCE(u.path, iu.path)::text[] AS "scopePath"`;
export const ORG_FROM = `party_org o
  LEFT JOIN org_unit u ON u.id = o.org_unit_id
  LEFT JOIN institution i ON i.id = o.institution_id
  LEFT JOIN org_unit iu ON iu.id = i.org_unit_id`;
const SCOPE_PATH = 'COALESCE(u.path, iu.path)';
const MAX_NAME_LENGTH = 100;

interface UnitRow {
  id: string;
  kind: string;
  parentId: string | null;
  path: string[];
}
interface InstitutionRow {
  id: string;
  kind: string;
  name: string;
  parentId: string | null;
  path: string[];
}

/** Party organisations in the order of the hierarchy's kinds, then by name. */
const ORG_ORDER = `array_position(ARRAY['DISTRICT_COMMITTEE','STREET_COMMITTEE','DEPARTMENT_COMMITTEE','COMMUNITY_COMMITTEE','COMMUNITY_BRANCH','COMPOUND_BRANCH','WORK_UNIT_BRANCH'], o.kind)`;

/** Party organisations: the tree, its ties to territory and institutions, and secretaries' posts. */
@Injectable()
export class PartyOrgService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByIds(ids: readonly string[]): Promise<PartyOrgRow[]> {
    return queryRows<PartyOrgRow>(this.dataSource, `SELECT ${ORG_COLUMNS} FROM ${ORG_FROM} WHERE o.id = ANY($1::uuid[])`, [ids]);
  }

  async get(caller: Caller, id: string): Promise<PartyOrgRow> {
    const org = (await this.findByIds([id])).at(0);
    if (!org) throw DomainError.notFound('PartyOrg', id);
    requireOrgWithinScope(caller, org);
    return org;
  }

  /** Organisations answering to the caller's territory, ordered by kind (top down), name and id. */
  async list(caller: Caller, args: PartyOrgsArgs & PageArgs): Promise<ConnectionShape<PartyOrg>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (args.kind) where.push(`o.kind = ${params.add(args.kind)}`);
    if (args.parentId) where.push(`o.parent_id = ${params.add(args.parentId)}::uuid`);
    if (args.orgUnitId) where.push(`${SCOPE_PATH} @> ARRAY[${params.add(args.orgUnitId)}::uuid]`);
    if (caller.orgUnitId) where.push(`${SCOPE_PATH} @> ARRAY[${params.add(caller.orgUnitId)}::uuid]`);
    return fetchKeysetPage<PartyOrgRow & { rank: number }, PartyOrg>(
      this.dataSource,
      args,
      {
        select: `${ORG_COLUMNS}, ${ORG_ORDER} AS rank`,
        from: ORG_FROM,
        where,
        params,
        orderBy: [ORG_ORDER, 'o.name', 'o.id'],
        keyOf: (row) => [row.rank, row.name, row.id],
      },
      (rows) => rows.map((row) => PartyOrg.from(row)),
    );
  }

  /** The same page of the organisations directly under each of these (inside the caller's territory), one statement. */
  childrenOf(caller: Caller, parentIds: readonly string[], args: PageArgs): Promise<ConnectionShape<PartyOrg>[]> {
    const params = new SqlParams();
    const where = [`o.parent_id = ANY(${params.add(parentIds)}::uuid[])`];
    if (caller.orgUnitId) where.push(`${SCOPE_PATH} @> ARRAY[${params.add(caller.orgUnitId)}::uuid]`);
    return fetchKeysetPagesByGroup<PartyOrgRow & { rank: number }, PartyOrg>(
      this.dataSource,
      args,
      parentIds,
      {
        select: `${ORG_COLUMNS}, ${ORG_ORDER} AS rank`,
        from: ORG_FROM,
        groupBy: 'o.parent_id',
        where,
        params,
        orderBy: [ORG_ORDER, 'o.name', 'o.id'],
        keyOf: (row) => [row.rank, row.name, row.id],
      },
      (rows) => rows.map(({ rank: _rank, ...row }) => PartyOrg.from(row)),
    );
  }

  async create(caller: Caller, input: CreatePartyOrgInput): Promise<PartyOrgRow> {
    const name = input.name.trim().replace(/\s+/g, ' ');
    if (name.length === 0 || name.length > MAX_NAME_LENGTH)
      throw DomainError.badInput(`name must be 1–${MAX_NAME_LENGTH} characters`, 'INVALID_NAME');
    try {
      const id = await this.dataSource.transaction(async (manager) => {
        // Under the territory tree's lock: a concurrent moveOrgUnit could otherwise change the unit's place between the
        // tie check and the insert, or rewrite the parent's path after we copied it.
        await execute(manager, 'SELECT pg_advisory_xact_lock($1)', [TREE_WRITE_LOCK]);
        const tie = await this.checkTie(manager, input);
        requireOrgWithinScope(caller, { name, scopePath: tie.path });
        const parent = await this.checkParent(manager, input, tie);
        const { id } = await queryOne<{ id: string }>(
          manager,
          `INSERT INTO party_org (id, kind, name, parent_id, path, org_unit_id, institution_id)
           SELECT new.id, $1, $2, $3::uuid, $4::uuid[] || new.id, $5::uuid, $6::uuid FROM (SELECT gen_random_uuid() AS id) new
           RETURNING id`,
          [input.kind, name, parent?.id ?? null, parent?.path ?? [], input.orgUnitId ?? null, input.institutionId ?? null],
        );
        return id;
      });
      return (await this.findByIds([id]))[0];
    } catch (error) {
      throw mapOrgWriteError(error);
    }
  }

  /** The territory unit or institution the new organisation is tied to, checked against its kind. */
  private async checkTie(
    manager: EntityManager,
    input: CreatePartyOrgInput,
  ): Promise<{ unit?: UnitRow; institution?: InstitutionRow; path: string[] }> {
    const unitKind = PARTY_ORG_UNIT_KIND[input.kind];
    if (unitKind !== null) {
      if (!input.orgUnitId || input.institutionId) {
        throw DomainError.badInput(`A ${input.kind} is tied to a ${unitKind} (orgUnitId), not to an institution`, 'INVALID_TIE');
      }
      const unit = await queryFirst<UnitRow>(
        manager,
        `SELECT id, kind, parent_id AS "parentId", path::text[] AS path FROM org_unit WHERE id = $1`,
        [input.orgUnitId],
      );
      if (!unit) throw DomainError.notFound('OrgUnit', input.orgUnitId);
      if (unit.kind !== unitKind) {
        throw DomainError.badInput(`A ${input.kind} is tied to a ${unitKind}, not to a ${unit.kind}`, 'INVALID_TIE', {
          expected: unitKind,
          actual: unit.kind,
        });
      }
      return { unit, path: unit.path };
    }
    if (!input.institutionId || input.orgUnitId) {
      throw DomainError.badInput(`A ${input.kind} is tied to an institution (institutionId), not to a territory unit`, 'INVALID_TIE');
    }
    const institution = await queryFirst<InstitutionRow>(
      manager,
      `SELECT i.id, i.kind, i.name, i.parent_id AS "parentId", u.path::text[] AS path
         FROM institution i JOIN org_unit u ON u.id = i.org_unit_id WHERE i.id = $1`,
      [input.institutionId],
    );
    if (!institution) throw DomainError.notFound('Institution', input.institutionId);
    if (input.kind === PartyOrgKind.DEPARTMENT_COMMITTEE && (institution.kind !== 'DEPARTMENT' || institution.parentId !== null)) {
      throw DomainError.badInput(`A DEPARTMENT_COMMITTEE is tied to a functional department, not to a ${institution.kind}`, 'INVALID_TIE');
    }
    return { institution, path: institution.path };
  }

  private async checkParent(
    manager: EntityManager,
    input: CreatePartyOrgInput,
    tie: { unit?: UnitRow; institution?: InstitutionRow },
  ): Promise<PartyOrgRow | null> {
    const allowed = PARTY_ORG_PARENT_KINDS[input.kind];
    if (allowed.length === 0) {
      if (input.parentId) throw DomainError.badInput(`A ${input.kind} is the root and has no parent`, 'INVALID_PARENT_KIND');
      return null;
    }
    if (!input.parentId) throw DomainError.badInput(`A ${input.kind} needs a parent: ${allowed.join(' or ')}`, 'PARENT_REQUIRED');
    const parent = await queryFirst<PartyOrgRow>(manager, `SELECT ${ORG_COLUMNS} FROM ${ORG_FROM} WHERE o.id = $1 FOR SHARE OF o`, [
      input.parentId,
    ]);
    if (!parent) throw DomainError.notFound('PartyOrg', input.parentId);
    if (!allowed.includes(parent.kind)) {
      throw DomainError.badInput(
        `A ${input.kind} belongs under a ${allowed.join(' or ')}, not under a ${parent.kind}`,
        'INVALID_PARENT_KIND',
        { kind: input.kind, parentKind: parent.kind, allowedParentKinds: allowed },
      );
    }
    const outside = (what: string) => DomainError.badInput(`${what} does not lie under ${parent.name}`, 'TIE_OUTSIDE_PARENT');
    switch (input.kind) {
      case PartyOrgKind.COMMUNITY_COMMITTEE:
      case PartyOrgKind.COMPOUND_BRANCH:
        if (tie.unit!.parentId !== parent.orgUnitId) throw outside(`The ${tie.unit!.kind.toLowerCase()}`);
        break;
      case PartyOrgKind.COMMUNITY_BRANCH:
        if (tie.unit!.id !== parent.orgUnitId) throw outside('The community');
        break;
      case PartyOrgKind.WORK_UNIT_BRANCH: {
        const institution = tie.institution!;
        if (parent.kind === PartyOrgKind.DEPARTMENT_COMMITTEE) {
          if (institution.id !== parent.institutionId && institution.parentId !== parent.institutionId) {
            throw outside(`${institution.name}, neither the department nor one of its sector units,`);
          }
        } else {
          if (!['EMPLOYER', 'SCHOOL'].includes(institution.kind)) {
            throw DomainError.badInput(
              `A work-unit branch under a street committee is an employer's or school's, not a ${institution.kind}'s`,
              'INVALID_TIE',
            );
          }
          if (!institution.path.includes(parent.orgUnitId!)) throw outside(institution.name);
        }
        break;
      }
    }
    return parent;
  }

  /** Appoints a secretary from `startsOn`; the previous secretary's open post ends the day before. */
  async appointSecretary(caller: Caller, partyOrgId: string, memberId: string, startsOn: string): Promise<PartyOrgRow> {
    try {
      await this.dataSource.transaction(async (manager) => {
        const org = await queryFirst<PartyOrgRow>(manager, `SELECT ${ORG_COLUMNS} FROM ${ORG_FROM} WHERE o.id = $1 FOR UPDATE OF o`, [
          partyOrgId,
        ]);
        if (!org) throw DomainError.notFound('PartyOrg', partyOrgId);
        requireOrgWithinScope(caller, org);
        const member = await queryFirst<{ id: string }>(manager, `SELECT id FROM party_member WHERE id = $1`, [memberId]);
        if (!member) throw DomainError.notFound('PartyMember', memberId);
        const open = await queryFirst<SecretaryPostRow>(
          manager,
          `SELECT id, party_member_id AS "partyMemberId", starts_on::text AS "startsOn" FROM party_org_position
            WHERE party_org_id = $1 AND position = 'SECRETARY' AND ends_on IS NULL`,
          [partyOrgId],
        );
        if (open) {
          if (open.partyMemberId === memberId) throw DomainError.conflict('That member already is the secretary', 'ALREADY_SECRETARY');
          if (open.startsOn >= startsOn) {
            throw DomainError.badInput(
              `The current secretary's post began on ${open.startsOn}; a successor starts later`,
              'STARTS_BEFORE_CURRENT_POST',
            );
          }
          await execute(manager, `UPDATE party_org_position SET ends_on = $2::date - 1 WHERE id = $1`, [open.id, startsOn]);
        }
        await execute(
          manager,
          `INSERT INTO party_org_position (party_org_id, party_member_id, position, starts_on) VALUES ($1, $2, 'SECRETARY', $3)`,
          [partyOrgId, memberId, startsOn],
        );
        // households judges work-branch reviews of check-ins by the branch's secretary posts.
        await announceWorkUnitBranches(manager, { branchIds: [partyOrgId] });
      });
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.ExclusionViolation)) {
        throw DomainError.conflict('Another secretary holds the post in that period', 'OVERLAPPING_POST');
      }
      throw error;
    }
    return (await this.findByIds([partyOrgId]))[0];
  }

  /** Current secretaries (as member rows with `partyOrgId`) of the given organisations, on `day`. */
  currentSecretaries(orgIds: readonly string[], day = shanghaiDate()): Promise<(PartyMemberRow & { partyOrgId: string })[]> {
    return queryRows<PartyMemberRow & { partyOrgId: string }>(
      this.dataSource,
      `SELECT p.party_org_id AS "partyOrgId", ${MEMBER_COLUMNS}
         FROM party_org_position p JOIN ${MEMBER_FROM} ON m.id = p.party_member_id
        WHERE p.party_org_id = ANY($1::uuid[]) AND p.position = 'SECRETARY'
          AND p.starts_on <= $2::date AND (p.ends_on IS NULL OR p.ends_on >= $2::date)`,
      [orgIds, day],
    );
  }

  /** The same page of secretary posts of each organisation, latest first: one statement for a page of organisations. */
  secretaryPostsOf(partyOrgIds: readonly string[], args: PageArgs): Promise<ConnectionShape<SecretaryPost>[]> {
    const params = new SqlParams();
    return fetchKeysetPagesByGroup<SecretaryPostRow, SecretaryPost>(
      this.dataSource,
      args,
      partyOrgIds,
      {
        select: `id, party_org_id AS "partyOrgId", party_member_id AS "partyMemberId", starts_on::text AS "startsOn", ends_on::text AS "endsOn"`,
        from: 'party_org_position',
        groupBy: 'party_org_id',
        where: [`party_org_id = ANY(${params.add(partyOrgIds)}::uuid[])`, `position = 'SECRETARY'`],
        params,
        orderBy: ['starts_on::text', 'id'],
        descending: true,
        keyOf: (row) => [row.startsOn, row.id],
      },
      (rows) => rows.map((row) => SecretaryPost.from(row)),
    );
  }

  /** Members with an open registration at the organisation or any branch below it, per organisation. */
  async memberCounts(orgIds: readonly string[]): Promise<Map<string, number>> {
    const rows = await queryRows<{ id: string; count: number }>(
      this.dataSource,
      `SELECT o.id, (SELECT count(DISTINCT r.party_member_id)::int FROM party_org b
                       JOIN branch_registration r ON r.branch_id = b.id AND r.ended_at IS NULL
                      WHERE b.path @> ARRAY[o.id]) AS count
         FROM unnest($1::uuid[]) AS o(id)`,
      [orgIds],
    );
    return new Map(rows.map((row) => [row.id, row.count]));
  }
}

function mapOrgWriteError(error: unknown): unknown {
  const message = error instanceof Error ? error.message : '';
  if (isPostgresError(error, PostgresErrorCode.CheckViolation) && /cannot sit under/.test(message)) {
    return DomainError.badInput(message, 'INVALID_PARENT_KIND');
  }
  if (isPostgresError(error, PostgresErrorCode.UniqueViolation)) {
    const constraint = violatedConstraint(error);
    if (constraint === 'party_org_name')
      return DomainError.conflict('Another organisation under the same parent already has that name', 'DUPLICATE_NAME');
    if (constraint === 'party_org_one_root') return DomainError.conflict('The district committee already exists', 'ALREADY_EXISTS');
    if (constraint === 'party_org_one_per_unit' || constraint === 'party_org_one_per_institution') {
      return DomainError.conflict('That unit or institution already has an organisation of this kind', 'ALREADY_EXISTS');
    }
  }
  return error;
}
