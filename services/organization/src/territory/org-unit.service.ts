import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isWithinScope, requireWithinScope, type Caller } from '#libs/auth';
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
import { EventType, Outbox, OutboxRelay, type EventPayload } from '#libs/messaging';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import type { CreateOrgUnitInput } from './org-unit.inputs.js';
import type { OrgUnitsArgs } from './org-units.args.js';
import { ORG_UNIT_LEVELS, OrgUnitKind, parentKindOf } from './org-unit-kind.js';
import type { OrgUnitRow } from './org-unit.entity.js';
import { OrgUnit } from './org-unit.model.js';
import { TREE_WRITE_LOCK } from './tree-write-lock.js';
import { planPartyOrgsFollowing, reparentPartyOrgs, requireDestinationsFor, type UnitMove } from '../party/party-org-relocation.js';

const MAX_NAME_LENGTH = 64;
const CODE_PATTERN = /^\d{6,20}$/;

const COLUMNS = `id, kind, code, name, parent_id AS "parentId", path::text[] AS path, version,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

/** The territory tree: reads scoped to the caller, and edits that keep it a tree with kinds in order. */
@Injectable()
export class OrgUnitService {
  private readonly logger = new Logger(OrgUnitService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: Outbox,
    private readonly relay: OutboxRelay,
  ) {}

  /** One query for any number of ids; rows come back in no particular order. */
  findByIds(ids: readonly string[]): Promise<OrgUnitRow[]> {
    return queryRows<OrgUnitRow>(this.dataSource, `SELECT ${COLUMNS} FROM org_unit WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async get(caller: Caller, id: string): Promise<OrgUnitRow> {
    const unit = (await this.findByIds([id])).at(0);
    if (!unit) throw DomainError.notFound('OrgUnit', id);
    requireWithinScope(caller, unit.path);
    return unit;
  }

  /** Units the caller may see, ordered by code, optionally of one kind and/or under one parent. */
  async list(caller: Caller, args: OrgUnitsArgs): Promise<ConnectionShape<OrgUnit>> {
    if (args.parentId) {
      const parent = (await this.findByIds([args.parentId])).at(0);
      if (!parent) throw DomainError.notFound('OrgUnit', args.parentId);
    }
    const params = new SqlParams();
    const where: string[] = [];
    if (args.kind) where.push(`kind = ${params.add(args.kind)}`);
    if (args.parentId) where.push(`parent_id = ${params.add(args.parentId)}`);
    if (caller.orgUnitId) where.push(`path @> ARRAY[${params.add(caller.orgUnitId)}::uuid]`);
    return fetchKeysetPage<OrgUnitRow, OrgUnit>(
      this.dataSource,
      args,
      { select: COLUMNS, from: 'org_unit', where, params, orderBy: ['code'], keyOf: (row) => [row.code] },
      (rows) => rows.map((row) => OrgUnit.from(row)),
    );
  }

  async create(caller: Caller, input: CreateOrgUnitInput): Promise<OrgUnitRow> {
    const name = validName(input.name);
    const code = input.code == null ? null : validCode(input.code);
    return this.write(async (manager) => {
      const expectedParentKind = parentKindOf(input.kind);
      let parent: OrgUnitRow | null = null;
      if (expectedParentKind === null) {
        if (input.parentId) throw DomainError.badInput('A DISTRICT has no parent', 'INVALID_PARENT_KIND');
        if (caller.orgUnitId !== null) throw DomainError.forbidden('Only a district-wide administrator creates districts', 'OUT_OF_SCOPE');
        if (!code) throw DomainError.badInput('A DISTRICT needs its administrative code', 'CODE_REQUIRED');
      } else {
        if (!input.parentId) throw DomainError.badInput(`A ${input.kind} needs a ${expectedParentKind} parent`, 'PARENT_REQUIRED');
        parent = await this.lockedUnit(manager, input.parentId);
        requireWithinScope(caller, parent.path);
        requireParentKind(input.kind, parent);
      }
      const unit = await queryOne<OrgUnitRow>(
        manager,
        `INSERT INTO org_unit (id, kind, code, name, parent_id, path, version)
         SELECT new.id, $1, $2, $3, $4::uuid, $5::uuid[] || new.id, 1 FROM (SELECT gen_random_uuid() AS id) new
         RETURNING ${COLUMNS}`,
        [input.kind, code ?? (await nextChildCode(manager, parent!)), name, parent?.id ?? null, parent?.path ?? []],
      );
      return { result: unit, changed: [unit] };
    });
  }

  async rename(caller: Caller, id: string, newName: string): Promise<OrgUnitRow> {
    const name = validName(newName);
    return this.write(async (manager) => {
      const unit = await this.lockedUnit(manager, id);
      requireWithinScope(caller, unit.path);
      if (unit.name === name) return { result: unit, changed: [] };
      const renamed = await queryOne<OrgUnitRow>(
        manager,
        `UPDATE org_unit SET name = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, name],
      );
      return { result: renamed, changed: [renamed] };
    });
  }

  /**
   * Re-parents a unit with its whole subtree; every moved row gets its new path in one statement. The party
   * organisations tied to the moved units follow them in the same transaction, or the move is refused
   * (`CONFLICT` / `NO_PARTY_ORG_AT_DESTINATION`) when the destination has no committee for them.
   */
  async move(caller: Caller, id: string, newParentId: string): Promise<OrgUnitRow> {
    if (id === newParentId) throw DomainError.badInput('A unit cannot be its own parent', 'CYCLE');
    return this.write(async (manager) => {
      const unit = await this.lockedUnit(manager, id);
      const parent = await this.lockedUnit(manager, newParentId);
      requireWithinScope(caller, unit.path);
      requireWithinScope(caller, parent.path);
      if (unit.parentId === null) throw DomainError.badInput('The district is the root and cannot be moved', 'CANNOT_MOVE_ROOT');
      if (parent.path.includes(unit.id)) {
        throw DomainError.badInput(`Moving ${unit.name} under ${parent.name} would make a cycle: ${parent.name} lies inside it`, 'CYCLE');
      }
      requireParentKind(unit.kind, parent);
      if (unit.parentId === parent.id) return { result: unit, changed: [] };
      // The party organisations tied to the moved units follow them (party-org-relocation.ts); planned and checked
      // before anything is written, so a move whose committee would have nowhere to go leaves both trees untouched.
      const unitMove: UnitMove = {
        unitId: unit.id,
        unitName: unit.name,
        newParentId: parent.id,
        newParentName: parent.name,
        newParentPath: parent.path,
        depth: unit.path.length,
      };
      const following = await planPartyOrgsFollowing(manager, unitMove);
      requireDestinationsFor(unitMove, following);
      const moved = await queryRows<OrgUnitRow>(
        manager,
        `UPDATE org_unit
            SET path = $3::uuid[] || path[$4:],
                parent_id = CASE WHEN id = $1 THEN $2::uuid ELSE parent_id END,
                version = version + 1,
                updated_at = now()
          WHERE path @> ARRAY[$1::uuid]
          RETURNING ${COLUMNS}`,
        [unit.id, parent.id, parent.path, unit.path.length],
      );
      const repathed = await reparentPartyOrgs(manager, following);
      if (following.length > 0) {
        this.logger.log(
          `Moved ${unit.name} under ${parent.name}: ${following.length} party organisation(s) re-parented, ${repathed.length} path(s) rewritten`,
        );
      }
      return { result: moved.find((row) => row.id === unit.id)!, changed: moved };
    });
  }

  /** Runs a tree edit under the tree lock, records the changed units in the outbox, maps constraint errors. */
  private async write(work: (manager: EntityManager) => Promise<{ result: OrgUnitRow; changed: OrgUnitRow[] }>): Promise<OrgUnitRow> {
    try {
      const { result, changed } = await this.dataSource.transaction(async (manager) => {
        await execute(manager, 'SELECT pg_advisory_xact_lock($1)', [TREE_WRITE_LOCK]);
        const outcome = await work(manager);
        if (outcome.changed.length > 0) {
          const payload: EventPayload<EventType.TerritoryChanged> = { units: outcome.changed.map(snapshot) };
          await this.outbox.record(manager, [{ type: EventType.TerritoryChanged, payload }]);
        }
        return outcome;
      });
      if (changed.length > 0) this.relay.kick();
      return result;
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.UniqueViolation)) {
        const constraint = violatedConstraint(error);
        if (constraint === 'org_unit_sibling_name') {
          throw DomainError.conflict('Another unit under the same parent already has that name', 'DUPLICATE_NAME');
        }
        if (constraint === 'org_unit_code') throw DomainError.conflict('That code is already used', 'DUPLICATE_CODE');
        // Checked before the move writes (requireDestinationsFor); mapped here too so it can never surface as a 500.
        if (constraint === 'party_org_name') {
          throw DomainError.conflict(
            'A party organisation of the same name already sits under the destination committee',
            'DUPLICATE_NAME',
          );
        }
      }
      throw error;
    }
  }

  private async lockedUnit(manager: EntityManager, id: string): Promise<OrgUnitRow> {
    const unit = await queryFirst<OrgUnitRow>(manager, `SELECT ${COLUMNS} FROM org_unit WHERE id = $1 FOR UPDATE`, [id]);
    if (!unit) throw DomainError.notFound('OrgUnit', id);
    return unit;
  }
}

export function canSee(caller: Caller, unit: Pick<OrgUnitRow, 'path'>): boolean {
  return isWithinScope(caller, unit.path);
}

function requireParentKind(kind: OrgUnitKind, parent: OrgUnitRow): void {
  const expected = parentKindOf(kind);
  if (parent.kind !== expected) {
    throw DomainError.badInput(`A ${kind} belongs under a ${expected ?? 'nothing'}, not under a ${parent.kind}`, 'INVALID_PARENT_KIND', {
      kind,
      parentKind: parent.kind,
      expectedParentKind: expected,
      order: ORG_UNIT_LEVELS,
    });
  }
}

/**
 * The next free code under `parent`. Streets and communities follow the 12-digit statistical division codes
 * (county 6 digits, then 3 for the street, 3 for the community: 330212001000 → 330212001009); compounds, which have
 * no official code, take the community's code plus a 3-digit number. Runs under the tree lock, so no two creations
 * pick the same number; numbers of units that have since moved elsewhere are not reused.
 */
async function nextChildCode(manager: EntityManager, parent: OrgUnitRow): Promise<string> {
  const statistical = /^\d{12}$/.test(parent.code) && parent.kind !== OrgUnitKind.COMMUNITY;
  const prefix = statistical ? parent.code.slice(0, parent.kind === OrgUnitKind.DISTRICT ? 6 : 9) : parent.code;
  // Every code of the child's length under the prefix, not only the parent's children today: a unit moved to another
  // parent keeps its code (codes are unique district-wide), and numbering after the remaining children would reuse it.
  const { last } = await queryOne<{ last: number | null }>(
    manager,
    `SELECT max(substr(code, $1 + 1, 3)::int) AS last FROM org_unit
      WHERE starts_with(code, $2) AND length(code) = $3 AND substr(code, $1 + 1, 3) ~ '^[0-9]{3}$'`,
    [prefix.length, prefix, statistical ? 12 : prefix.length + 3],
  );
  const next = String((last ?? 0) + 1).padStart(3, '0');
  if (next.length > 3) throw DomainError.conflict(`${parent.name} has no free codes left; give one explicitly`, 'NO_FREE_CODE');
  return (prefix + next).padEnd(statistical ? 12 : prefix.length + 3, '0');
}

function validName(raw: string): string {
  const name = raw.trim().replace(/\s+/g, ' ');
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw DomainError.badInput(`name must be 1–${MAX_NAME_LENGTH} characters`, 'INVALID_NAME');
  }
  return name;
}

function validCode(raw: string): string {
  if (!CODE_PATTERN.test(raw)) throw DomainError.badInput('code must be 6–20 digits', 'INVALID_CODE');
  return raw;
}

function snapshot(unit: OrgUnitRow) {
  return {
    id: unit.id,
    parentId: unit.parentId,
    kind: unit.kind,
    code: unit.code,
    name: unit.name,
    path: unit.path,
    version: unit.version,
  };
}
