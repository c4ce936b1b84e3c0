import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { isWithinScope, type Caller } from '#libs/auth';
import {
  execute,
  isPostgresError,
  PostgresErrorCode,
  queryFirst,
  queryOne,
  queryRows,
  SqlParams,
  violatedConstraint,
} from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { Territory } from '#libs/territory';
import { CollectionPointKind, WasteStream } from './collection-enums.js';
import type { CollectionPointsArgs, CreateCollectionPointInput, UpdateCollectionPointInput } from './collection-point.inputs.js';
import { CollectionPoint, type CollectionPointRow } from './collection-point.model.js';
import { validateOpeningSchedule, type DailyWindow, type OpeningSchedule, type OpeningWindow } from './opening-schedule.js';

const COLUMNS = `p.id, p.compound_id AS "compoundId", p.name, p.kind, p.location, p.waste_streams AS "wasteStreams", p.schedule,
  p.holiday_noon_opens_at AS "holidayNoonOpensAt", p.holiday_noon_closes_at AS "holidayNoonClosesAt", p.active,
  p.created_by AS "createdBy", p.created_at AS "createdAt", p.updated_at AS "updatedAt"`;
const MAX_NAME_LENGTH = 60;
const MAX_LOCATION_LENGTH = 200;

/** The validated content of a point, ready to write. */
interface PointContent extends OpeningSchedule {
  name: string;
  kind: CollectionPointKind;
  location: string;
  wasteStreams: WasteStream[];
}

@Injectable()
export class CollectionPointService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  async get(caller: Caller, id: string): Promise<CollectionPoint> {
    return CollectionPoint.from(await this.requireInTerritory(this.dataSource.manager, caller, id));
  }

  /** For entity references: the points among `ids` inside the caller's territory, in `ids` order, null for the rest. */
  async findVisible(caller: Caller, ids: readonly string[]): Promise<(CollectionPoint | null)[]> {
    const rows = await queryRows<CollectionPointRow & { path: string[] }>(
      this.dataSource,
      `SELECT ${COLUMNS}, t.path::text[] AS path FROM collection_point p JOIN territory_unit t ON t.id = p.compound_id
        WHERE p.id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.filter((row) => isWithinScope(caller, row.path)).map((row) => [row.id, CollectionPoint.from(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Points of the compounds in a unit's subtree (default: the caller's territory), by compound and name. */
  async list(caller: Caller, args: CollectionPointsArgs): Promise<ConnectionShape<CollectionPoint>> {
    const params = new SqlParams();
    const where: string[] = [];
    const root = args.orgUnitId ? (await this.territory.requireInScope(caller, args.orgUnitId)).id : caller.orgUnitId;
    if (root) where.push(`p.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${params.add(root)}::uuid])`);
    if (args.kind) where.push(`p.kind = ${params.add(args.kind)}`);
    if (args.activeOnly !== false) where.push('p.active');
    return fetchKeysetPage<CollectionPointRow, CollectionPoint>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'collection_point p',
        where,
        params,
        orderBy: ['p.compound_id', 'p.name', 'p.id'],
        keyOf: (row) => [row.compoundId, row.name, row.id],
      },
      (rows) => rows.map((row) => CollectionPoint.from(row)),
    );
  }

  async create(caller: Caller, input: CreateCollectionPointInput): Promise<CollectionPoint> {
    const content = validateContent({
      name: input.name,
      kind: input.kind,
      location: input.location,
      wasteStreams: input.wasteStreams,
      schedule: input.schedule ?? [],
      holidayNoonOpening: input.holidayNoonOpening ?? null,
    });
    const compound = await this.territory.requireInScope(caller, input.compoundId);
    if (compound.kind !== 'COMPOUND') {
      throw DomainError.badInput(`${compound.name} is not a compound (小区)`, 'NOT_A_COMPOUND', { kind: compound.kind });
    }
    const id = await this.write(async (manager) => {
      const row = await queryOne<{ id: string }>(
        manager,
        `INSERT INTO collection_point (compound_id, name, kind, location, waste_streams, schedule, holiday_noon_opens_at, holiday_noon_closes_at, created_by)
         VALUES ($1, $2, $3, $4, $5::text[], $6::jsonb, $7, $8, $9) RETURNING id`,
        [compound.id, ...contentParams(content), caller.userId],
      );
      return row.id;
    });
    return this.get(caller, id);
  }

  /** Applies the given fields, validates the point as a whole, and writes it; the compound never changes. */
  async update(caller: Caller, id: string, input: UpdateCollectionPointInput): Promise<CollectionPoint> {
    await this.write(async (manager) => {
      const current = await this.requireInTerritory(manager, caller, id, true);
      const kind = input.kind ?? current.kind;
      // Becoming a 24-hour point drops the windows unless the input names some (which is then refused).
      const dropWindows = input.kind === CollectionPointKind.LATE_DROP_OFF;
      const currentHoliday = CollectionPoint.from(current).holidayNoonOpening;
      const content = validateContent({
        name: input.name ?? current.name,
        kind,
        location: input.location ?? current.location,
        wasteStreams: input.wasteStreams ?? current.wasteStreams,
        schedule: input.schedule ?? (dropWindows ? [] : current.schedule),
        holidayNoonOpening: input.holidayNoonOpening !== undefined ? input.holidayNoonOpening : dropWindows ? null : currentHoliday,
      });
      await execute(
        manager,
        `UPDATE collection_point SET name = $2, kind = $3, location = $4, waste_streams = $5::text[], schedule = $6::jsonb,
                holiday_noon_opens_at = $7, holiday_noon_closes_at = $8, updated_at = now()
          WHERE id = $1`,
        [id, ...contentParams(content)],
      );
    });
    return this.get(caller, id);
  }

  /** Deactivating keeps the point (and, later, its collection records); an inactive point is never open. */
  async deactivate(caller: Caller, id: string): Promise<CollectionPoint> {
    await this.write(async (manager) => {
      const current = await this.requireInTerritory(manager, caller, id, true);
      if (current.active) await execute(manager, `UPDATE collection_point SET active = false, updated_at = now() WHERE id = $1`, [id]);
    });
    return this.get(caller, id);
  }

  /** The point with its compound's path, provided it lies inside the caller's territory; `lock` holds it for a change. */
  private async requireInTerritory(
    manager: EntityManager,
    caller: Caller,
    id: string,
    lock = false,
  ): Promise<CollectionPointRow & { path: string[] }> {
    const row = await queryFirst<CollectionPointRow & { path: string[] }>(
      manager,
      `SELECT ${COLUMNS}, t.path::text[] AS path FROM collection_point p JOIN territory_unit t ON t.id = p.compound_id
        WHERE p.id = $1 ${lock ? 'FOR UPDATE OF p' : ''}`,
      [id],
    );
    if (!row) throw DomainError.notFound('CollectionPoint', id);
    if (!isWithinScope(caller, row.path)) throw DomainError.forbidden('That collection point is outside your territory', 'OUT_OF_SCOPE');
    return row;
  }

  /** One transaction; a second point of the same name in a compound is a CONFLICT. */
  private async write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.UniqueViolation) && violatedConstraint(error) === 'collection_point_name') {
        throw DomainError.conflict('The compound already has a collection point of that name', 'DUPLICATE_NAME');
      }
      throw error;
    }
  }
}

function validateContent(input: {
  name: string;
  kind: CollectionPointKind;
  location: string;
  wasteStreams: WasteStream[];
  schedule: readonly OpeningWindow[];
  holidayNoonOpening: DailyWindow | null;
}): PointContent {
  const name = input.name.trim();
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) {
    throw DomainError.badInput(`name must be 1–${MAX_NAME_LENGTH} characters`, 'INVALID_NAME');
  }
  const location = input.location.trim();
  if (location.length === 0 || location.length > MAX_LOCATION_LENGTH) {
    throw DomainError.badInput(`location must be 1–${MAX_LOCATION_LENGTH} characters`, 'INVALID_LOCATION');
  }
  const wasteStreams = Object.values(WasteStream).filter((stream) => input.wasteStreams.includes(stream));
  if (wasteStreams.length === 0) throw DomainError.badInput('A collection point accepts at least one waste stream', 'NO_WASTE_STREAM');
  return {
    name,
    kind: input.kind,
    location,
    wasteStreams,
    ...validateOpeningSchedule(input.kind, input.schedule, input.holidayNoonOpening),
  };
}

function contentParams(content: PointContent): unknown[] {
  return [
    content.name,
    content.kind,
    content.location,
    content.wasteStreams,
    JSON.stringify(content.schedule),
    content.holidayNoonOpening?.opensAt ?? null,
    content.holidayNoonOpening?.closesAt ?? null,
  ];
}
