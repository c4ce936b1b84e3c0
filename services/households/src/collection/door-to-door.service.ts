import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { canSeeHousehold, isWithinScope, propertyCompanyOf, type Caller } from '#libs/auth';
import { SqlParams, execute, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { Idempotency } from '#libs/idempotency';
import { fetchKeysetPage, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { Territory } from '#libs/territory';
import { DoorToDoorCollectionStatus as Status, WasteStream } from './collection-enums.js';
import { checkNote, checkTransition } from './door-to-door-status.js';
import {
  DoorToDoorCollection,
  type DoorToDoorCollectionRow,
  type DoorToDoorCollectionsArgs,
  type MyDoorToDoorCollectionsArgs,
  type RequestDoorToDoorCollectionInput,
  type StatusChangeRow,
} from './door-to-door.model.js';
import { parseTimeRange, shanghaiToday } from './opening-schedule.js';
import { requireVisibleHousehold } from '../households/household-place.js';
import { compoundListScope } from '../property/property-scope.js';

const COLUMNS = `d.id, d.household_id AS "householdId", d.compound_id AS "compoundId", d.property_company_id AS "propertyCompanyId",
  d.waste_streams AS "wasteStreams", d.preferred_date AS "preferredDate", d.preferred_window AS "preferredWindow", d.note,
  d.status, d.requested_by AS "requestedBy", d.created_at AS "createdAt", d.updated_at AS "updatedAt"`;

type RowWithPath = DoorToDoorCollectionRow & { path: string[] };

@Injectable()
export class DoorToDoorCollectionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly idempotency: Idempotency,
  ) {}

  /**
   * A resident asks for their own household, community staff for a household of their territory; the request goes to
   * the household's property company. Retries with the same idempotency key record it once.
   */
  async request(caller: Caller, input: RequestDoorToDoorCollectionInput, idempotencyKey: string): Promise<DoorToDoorCollection> {
    const wasteStreams = Object.values(WasteStream).filter((stream) => input.wasteStreams.includes(stream));
    if (wasteStreams.length === 0) throw DomainError.badInput('Name at least one waste stream to collect', 'NO_WASTE_STREAM');
    const today = shanghaiToday();
    if (input.preferredDate < today) {
      throw DomainError.badInput('preferredDate is in the past', 'PREFERRED_DATE_IN_PAST', { preferredDate: input.preferredDate, today });
    }
    const window = input.preferredWindow?.trim() ? parseTimeRange(input.preferredWindow, 'preferredWindow') : null;
    const preferredWindow = window ? `${window.opensAt}-${window.closesAt}` : null;
    const note = checkNote(input.note);

    if (caller.householdId !== null && caller.householdId !== input.householdId) {
      throw DomainError.forbidden('A resident may request collection only for their own household', 'NOT_OWN_HOUSEHOLD');
    }
    const household = await requireVisibleHousehold(this.dataSource, caller, input.householdId);

    const request = { householdId: input.householdId, wasteStreams, preferredDate: input.preferredDate, preferredWindow, note };
    const { id } = await this.idempotency.run(caller, idempotencyKey, 'requestDoorToDoorCollection', request, async (manager) => {
      const row = await queryOne<{ id: string }>(
        manager,
        `INSERT INTO door_to_door_collection
           (household_id, compound_id, property_company_id, waste_streams, preferred_date, preferred_window, note, status, requested_by)
         VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8, $9) RETURNING id`,
        [
          input.householdId,
          household.compoundId,
          household.propertyCompanyId,
          wasteStreams,
          input.preferredDate,
          preferredWindow,
          note,
          Status.REQUESTED,
          caller.userId,
        ],
      );
      await recordChange(manager, row.id, null, Status.REQUESTED, caller, note);
      return { id: row.id };
    });
    return this.get(caller, id);
  }

  /**
   * A resident sees their household's requests; staff those of households in their territory; a property manager those
   * addressed to their company (households of the compounds it manages).
   */
  async get(caller: Caller, id: string): Promise<DoorToDoorCollection> {
    const row = await this.findWithPath(this.dataSource.manager, id);
    if (!row) throw DomainError.notFound('DoorToDoorCollection', id);
    if (!mayHandleOrSee(caller, row)) {
      throw DomainError.forbidden('That request is not of a household you may see', 'OUT_OF_SCOPE');
    }
    return DoorToDoorCollection.from(row);
  }

  /**
   * Requests of households in a unit's subtree (default: the caller's territory), by preferred date. A property
   * manager's are those addressed to their company, narrowed to the unit when one is named.
   */
  async list(caller: Caller, args: DoorToDoorCollectionsArgs): Promise<ConnectionShape<DoorToDoorCollection>> {
    const params = new SqlParams();
    const where = await compoundListScope(this.territory, caller, args.orgUnitId, 'd', params);
    if (args.householdId) where.push(`d.household_id = ${params.add(args.householdId)}`);
    return this.page(args, where, params, args.status);
  }

  /** The caller's own household's requests (residents). */
  async listOwn(caller: Caller, args: MyDoorToDoorCollectionsArgs): Promise<ConnectionShape<DoorToDoorCollection>> {
    if (caller.householdId === null) {
      throw DomainError.forbidden('Only a resident signed in for a household has requests of their own', 'NOT_A_RESIDENT');
    }
    const params = new SqlParams();
    return this.page(args, [`d.household_id = ${params.add(caller.householdId)}`], params, args.status);
  }

  /**
   * Staff of the territory, or a manager of the property company the request is addressed to, move a request through
   * its lifecycle; see `DOOR_TO_DOOR_TRANSITIONS`.
   */
  async update(caller: Caller, id: string, to: Status, note: string | null | undefined): Promise<DoorToDoorCollection> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.findWithPath(manager, id);
      if (!row) throw DomainError.notFound('DoorToDoorCollection', id);
      const company = propertyCompanyOf(caller);
      if (company ? row.propertyCompanyId !== company : !isWithinScope(caller, row.path)) {
        throw DomainError.forbidden(
          company ? 'That request is in a compound your property company does not manage' : 'That request is outside your territory',
          'OUT_OF_SCOPE',
        );
      }
      await move(manager, row, to, checkTransition(row.status, to, note), caller);
    });
    return this.get(caller, id);
  }

  /** The requester (the resident of the household, or the worker who asked) withdraws a request before completion. */
  async cancel(caller: Caller, id: string, note: string | null | undefined): Promise<DoorToDoorCollection> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.findWithPath(manager, id);
      if (!row) throw DomainError.notFound('DoorToDoorCollection', id);
      const requester =
        caller.householdId !== null
          ? caller.householdId === row.householdId
          : row.requestedBy === caller.userId && isWithinScope(caller, row.path);
      if (!requester) throw DomainError.forbidden('Only the requester may cancel this request', 'NOT_REQUESTER');
      await move(manager, row, Status.CANCELLED, checkTransition(row.status, Status.CANCELLED, note), caller);
    });
    return this.get(caller, id);
  }

  /** The status histories of requests, oldest change first, in `ids` order. */
  async historyOf(ids: readonly string[]): Promise<StatusChangeRow[][]> {
    const rows = await queryRows<StatusChangeRow>(
      this.dataSource,
      `SELECT collection_id AS "collectionId", from_status AS "fromStatus", to_status AS "toStatus", changed_by AS "changedBy",
              changed_at AS "changedAt", note
         FROM door_to_door_collection_status_change WHERE collection_id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    );
    return ids.map((id) => rows.filter((row) => row.collectionId === id));
  }

  private page(args: PageArgs, where: string[], params: SqlParams, status: Status | null | undefined) {
    if (status) where.push(`d.status = ${params.add(status)}`);
    return fetchKeysetPage<DoorToDoorCollectionRow, DoorToDoorCollection>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'door_to_door_collection d',
        where,
        params,
        orderBy: ['d.preferred_date', 'd.id'],
        keyOf: (row) => [row.preferredDate, row.id],
      },
      (rows) => rows.map((row) => DoorToDoorCollection.from(row)),
    );
  }

  private async findWithPath(manager: EntityManager, id: string): Promise<RowWithPath | undefined> {
    return queryFirst<RowWithPath>(
      manager,
      `SELECT ${COLUMNS}, t.path::text[] AS path FROM door_to_door_collection d JOIN territory_unit t ON t.id = d.compound_id WHERE d.id = $1`,
      [id],
    );
  }
}

/** A property manager: requests addressed to their company; everyone else: households they may see. */
function mayHandleOrSee(caller: Caller, row: RowWithPath): boolean {
  const company = propertyCompanyOf(caller);
  if (company) return row.propertyCompanyId === company;
  return canSeeHousehold(caller, row.householdId, row.path);
}

/**
 * Moves a request on only if its status is still the one the change was checked against, so of two concurrent
 * changes exactly one wins; the other gets CONFLICT (STATUS_CHANGED) and writes nothing.
 */
async function move(manager: EntityManager, row: DoorToDoorCollectionRow, to: Status, note: string | null, caller: Caller): Promise<void> {
  const updated = await execute(
    manager,
    `UPDATE door_to_door_collection SET status = $3, updated_at = now() WHERE id = $1 AND status = $2`,
    [row.id, row.status, to],
  );
  if (updated === 0) {
    throw DomainError.conflict('The request changed while you were updating it; reload and try again', 'STATUS_CHANGED', {
      expected: row.status,
    });
  }
  await recordChange(manager, row.id, row.status, to, caller, note);
}

async function recordChange(manager: EntityManager, id: string, from: Status | null, to: Status, caller: Caller, note: string | null) {
  await execute(
    manager,
    `INSERT INTO door_to_door_collection_status_change (collection_id, from_status, to_status, changed_by, note) VALUES ($1, $2, $3, $4, $5)`,
    [id, from, to, caller.userId, note],
  );
}
