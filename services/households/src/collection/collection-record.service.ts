import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isWithinScope, type Caller } from '#libs/auth';
import { shanghaiDate } from '#libs/calendar';
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
import { DomainError, isUuid } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { Territory } from '#libs/territory';
import { checkImportFile, MAX_LISTED_ERRORS, rowKey, type ImportError, type ImportRow } from './collection-import-file.js';
import { CollectionLimits } from './collection-limits.js';
import {
  CollectionImport,
  CollectionImportResult,
  CollectionRecord,
  type CollectionRecordRow,
  type CollectionRecordsArgs,
  type RecordCollectionInput,
} from './collection-record.model.js';

const COLUMNS = `r.id, r.compound_id AS "compoundId", r.collection_point_id AS "collectionPointId", r.day::text AS day, r.stream,
  r.weight_kg::text AS "weightKg", r.destination, r.vehicle, r.operator, r.source, r.import_id AS "importId",
  r.recorded_by AS "recordedBy", r.recorded_at AS "recordedAt"`;
const IMPORT_COLUMNS = `i.id, i.file_name AS "fileName", i.content_sha256 AS sha256, i.row_count AS "rowCount", i.total_kg::text AS "totalKg",
  i.imported_by AS "importedBy", i.imported_at AS "importedAt"`;

@Injectable()
export class CollectionRecordService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
    private readonly limits: CollectionLimits,
  ) {}

  /** Records of the caller's territory (or a unit, compound or point of it), by day, compound, point, stream, destination. */
  async list(caller: Caller, args: CollectionRecordsArgs): Promise<ConnectionShape<CollectionRecord>> {
    const params = new SqlParams();
    const where: string[] = [];
    const root = args.orgUnitId ? (await this.territory.requireInScope(caller, args.orgUnitId)).id : caller.orgUnitId;
    if (root) where.push(`r.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${params.add(root)}::uuid])`);
    if (args.compoundId) {
      await this.territory.requireInScope(caller, args.compoundId);
      where.push(`r.compound_id = ${params.add(args.compoundId)}::uuid`);
    }
    if (args.collectionPointId) where.push(`r.collection_point_id = ${params.add(args.collectionPointId)}::uuid`);
    if (args.from) where.push(`r.day >= ${params.add(args.from)}::date`);
    if (args.to) where.push(`r.day <= ${params.add(args.to)}::date`);
    if (args.stream) where.push(`r.stream = ${params.add(args.stream)}`);
    return fetchKeysetPage<CollectionRecordRow, CollectionRecord>(
      this.dataSource,
      args,
      { select: COLUMNS, from: 'collection_record r', where, params, orderBy: ['r.day', 'r.id'], keyOf: (row) => [row.day, row.id] },
      (rows) => rows.map((row) => CollectionRecord.from(row)),
    );
  }

  /** Records one weight by hand; a second record for the same point (or compound), day, stream and destination is CONFLICT. */
  async record(caller: Caller, input: RecordCollectionInput): Promise<CollectionRecord> {
    const today = shanghaiDate();
    if (input.day > today) throw DomainError.badInput(`${input.day} is in the future (today in Shanghai is ${today})`, 'FUTURE_DATE');
    if (!Number.isFinite(input.weightKg) || input.weightKg < 0)
      throw DomainError.badInput('weightKg cannot be negative', 'NEGATIVE_WEIGHT');
    const weight = Math.round(input.weightKg * 100) / 100;
    const vehicle = input.vehicle?.trim() || null;
    const operator = input.operator?.trim() || null;
    if ((vehicle?.length ?? 0) > 40 || (operator?.length ?? 0) > 60)
      throw DomainError.badInput('vehicle ≤ 40, operator ≤ 60 characters', 'TOO_LONG');
    let compoundId: string;
    let pointId: string | null = null;
    if (input.collectionPointId) {
      if (input.compoundId) throw DomainError.badInput('Give collectionPointId or compoundId, not both', 'POINT_OR_COMPOUND');
      pointId = input.collectionPointId;
      const point = await queryFirst<{ compoundId: string; path: string[] }>(
        this.dataSource,
        `SELECT p.compound_id AS "compoundId", t.path::text[] AS path FROM collection_point p JOIN territory_unit t ON t.id = p.compound_id WHERE p.id = $1`,
        [pointId],
      );
      if (!point) throw DomainError.notFound('CollectionPoint', pointId);
      if (!isWithinScope(caller, point.path))
        throw DomainError.forbidden('That collection point is outside your territory', 'OUT_OF_SCOPE');
      compoundId = point.compoundId;
    } else if (input.compoundId) {
      const compound = await this.territory.requireInScope(caller, input.compoundId);
      if (compound.kind !== 'COMPOUND') throw DomainError.badInput(`${compound.name} is not a compound (小区)`, 'NOT_A_COMPOUND');
      compoundId = compound.id;
    } else {
      throw DomainError.badInput('Give a collectionPointId or a compoundId', 'POINT_OR_COMPOUND');
    }
    try {
      const id = await this.dataSource.transaction(async (manager) => {
        // The ceiling applies to a point's (or a compound's own records') whole day, this record included.
        const { total } = await queryOne<{ total: string }>(
          manager,
          `SELECT coalesce(sum(weight_kg), 0)::text AS total FROM collection_record
            WHERE compound_id = $1 AND collection_point_id IS NOT DISTINCT FROM $2::uuid AND day = $3`,
          [compoundId, pointId, input.day],
        );
        if (Number(total) + weight > this.limits.maxKgPerPointDay) {
          throw DomainError.badInput(
            `${Number(total) + weight} kg on ${input.day} would be over the ceiling of ${this.limits.maxKgPerPointDay} kg per point and day`,
            'OVER_CEILING',
            { dayTotalKg: Number(total), ceilingKg: this.limits.maxKgPerPointDay },
          );
        }
        const row = await queryOne<{ id: string }>(
          manager,
          `INSERT INTO collection_record (compound_id, collection_point_id, day, stream, weight_kg, destination, vehicle, operator, source, recorded_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'MANUAL', $9) RETURNING id`,
          [compoundId, pointId, input.day, input.stream, weight, input.destination, vehicle, operator, caller.userId],
        );
        return row.id;
      });
      const row = await queryOne<CollectionRecordRow>(this.dataSource, `SELECT ${COLUMNS} FROM collection_record r WHERE r.id = $1`, [id]);
      return CollectionRecord.from(row);
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.UniqueViolation) && violatedConstraint(error) === 'collection_record_unique') {
        throw DomainError.conflict('That stream to that destination is already recorded for the day', 'ALREADY_RECORDED');
      }
      throw error;
    }
  }

  /**
   * Imports a transfer station's CSV file: all of it or nothing. The file's SHA-256 is the import's unique key, so the
   * same content imports once, also when two imports race (the second waits on the unique key and returns the first).
   */
  async importCsv(caller: Caller, csv: string, fileName: string | null): Promise<CollectionImportResult> {
    const sha256 = createHash('sha256').update(csv, 'utf8').digest('hex');
    const existing = await this.findImport(sha256);
    if (existing) return { import: existing, alreadyImported: true };

    const { rows, errors } = checkImportFile(csv, this.limits.maxKgPerPointDay);
    // Rows that passed the file's own checks are checked against the database too, so one answer lists every error.
    if (rows.length > 0) errors.push(...(await this.checkAgainstDatabase(caller, rows)));
    if (errors.length > 0) {
      // A concurrent import of the same content may have committed while this one checked the file: its rows are then
      // "already recorded", and the answer for this content is that import.
      const meanwhile = await this.findImport(sha256);
      if (meanwhile) return { import: meanwhile, alreadyImported: true };
      errors.sort((a, b) => a.line - b.line);
      throw DomainError.badInput(
        `The file has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was imported`,
        'INVALID_IMPORT_FILE',
        { fileName, errorCount: errors.length, errors: errors.slice(0, MAX_LISTED_ERRORS) },
      );
    }
    try {
      const id = await this.dataSource.transaction(async (manager) => {
        const inserted = await queryFirst<{ id: string }>(
          manager,
          `INSERT INTO collection_import (content_sha256, file_name, row_count, total_kg, imported_by)
           SELECT $1, $2, $3, sum(w), $4 FROM unnest($5::numeric[]) AS w
           ON CONFLICT (content_sha256) DO NOTHING RETURNING id`,
          [sha256, fileName, rows.length, caller.userId, rows.map((row) => row.weightKg)],
        );
        if (!inserted) return null;
        await execute(
          manager,
          `INSERT INTO collection_record (compound_id, collection_point_id, day, stream, weight_kg, destination, vehicle, operator, source, import_id, recorded_by)
           SELECT p.compound_id, p.id, r.day, r.stream, r.weight_kg, r.destination, r.vehicle, r.operator, 'IMPORT', $2, $3
             FROM jsonb_to_recordset($1::jsonb) AS r(point_id uuid, day date, stream text, weight_kg numeric, destination text, vehicle text, operator text)
             JOIN collection_point p ON p.id = r.point_id`,
          [
            JSON.stringify(
              rows.map((row) => ({
                point_id: row.collectionPointId,
                day: row.day,
                stream: row.stream,
                weight_kg: row.weightKg,
                destination: row.destination,
                vehicle: row.vehicle,
                operator: row.operator,
              })),
            ),
            inserted.id,
            caller.userId,
          ],
        );
        return inserted.id;
      });
      const result = await this.findImport(sha256);
      if (!result) throw new Error(`collection import ${sha256} vanished`);
      return { import: result, alreadyImported: id === null };
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.UniqueViolation) && violatedConstraint(error) === 'collection_record_unique') {
        throw DomainError.conflict(
          'A record of the file was written meanwhile; nothing was imported, import again to see which',
          'ALREADY_RECORDED',
        );
      }
      throw error;
    }
  }

  /** Imports newest first: every import for a caller without territory, the caller's own imports otherwise. */
  async listImports(caller: Caller, args: PageArgs): Promise<ConnectionShape<CollectionImport>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (caller.orgUnitId) where.push(`i.imported_by = ${params.add(caller.userId)}`);
    return fetchKeysetPage<CollectionImport, CollectionImport>(
      this.dataSource,
      args,
      {
        select: IMPORT_COLUMNS,
        from: 'collection_import i',
        where,
        params,
        orderBy: ['i.imported_at', 'i.id'],
        keyOf: (row) => [row.importedAt, row.id],
        descending: true,
      },
      (rows) => rows.map((row) => Object.assign(new CollectionImport(), row)),
    );
  }

  private async findImport(sha256: string): Promise<CollectionImport | null> {
    const row = await queryFirst<CollectionImport>(
      this.dataSource,
      `SELECT ${IMPORT_COLUMNS} FROM collection_import i WHERE i.content_sha256 = $1`,
      [sha256],
    );
    return row ? Object.assign(new CollectionImport(), row) : null;
  }

  /**
   * What only the database knows, in one query per kind: unknown points, points outside the caller's territory, records
   * already there for a row's key, and the ceiling per point and day with the records already there.
   */
  private async checkAgainstDatabase(caller: Caller, rows: ImportRow[]): Promise<ImportError[]> {
    const errors: ImportError[] = [];
    const pointIds = [...new Set(rows.map((row) => row.collectionPointId))].filter((id) => isUuid(id));
    const points = await queryRows<{ id: string; path: string[] }>(
      this.dataSource,
      `SELECT p.id, t.path::text[] AS path FROM collection_point p JOIN territory_unit t ON t.id = p.compound_id WHERE p.id = ANY($1::uuid[])`,
      [pointIds],
    );
    const pathOf = new Map(points.map((point) => [point.id, point.path]));
    const known: ImportRow[] = [];
    for (const row of rows) {
      const path = pathOf.get(row.collectionPointId);
      if (!path)
        errors.push({
          line: row.line,
          column: 'collection_point_id',
          code: 'UNKNOWN_COLLECTION_POINT',
          message: `No collection point ${row.collectionPointId}`,
        });
      else if (!isWithinScope(caller, path)) {
        errors.push({
          line: row.line,
          column: 'collection_point_id',
          code: 'OUT_OF_SCOPE',
          message: `Collection point ${row.collectionPointId} is outside your territory`,
        });
      } else known.push(row);
    }
    if (known.length === 0) return errors;
    const payload = JSON.stringify(
      known.map((row) => ({ point_id: row.collectionPointId, day: row.day, stream: row.stream, destination: row.destination })),
    );
    const existing = await queryRows<{ pointId: string; day: string; stream: ImportRow['stream']; destination: ImportRow['destination'] }>(
      this.dataSource,
      `SELECT c.collection_point_id AS "pointId", c.day::text AS day, c.stream, c.destination
         FROM jsonb_to_recordset($1::jsonb) AS r(point_id uuid, day date, stream text, destination text)
         JOIN collection_record c ON c.collection_point_id = r.point_id AND c.day = r.day AND c.stream = r.stream AND c.destination = r.destination`,
      [payload],
    );
    const recorded = new Set(
      existing.map((row) => rowKey({ collectionPointId: row.pointId, day: row.day, stream: row.stream, destination: row.destination })),
    );
    for (const row of known) {
      if (recorded.has(rowKey(row))) {
        errors.push({
          line: row.line,
          column: null,
          code: 'ALREADY_RECORDED',
          message: 'That point, day, stream and destination is already recorded',
        });
      }
    }
    // The ceiling per point and day: this file's rows plus what is already recorded.
    const dayTotals = await queryRows<{ pointId: string; day: string; total: string }>(
      this.dataSource,
      `SELECT c.collection_point_id AS "pointId", c.day::text AS day, sum(c.weight_kg)::text AS total
         FROM collection_record c
         JOIN (SELECT DISTINCT point_id, day FROM jsonb_to_recordset($1::jsonb) AS r(point_id uuid, day date)) r
           ON c.collection_point_id = r.point_id AND c.day = r.day
        GROUP BY 1, 2`,
      [payload],
    );
    const totals = new Map(dayTotals.map((row) => [`${row.pointId}|${row.day}`, Number(row.total)]));
    const firstLine = new Map<string, number>();
    for (const row of known) {
      const key = `${row.collectionPointId}|${row.day}`;
      totals.set(key, (totals.get(key) ?? 0) + Number(row.weightKg));
      if (!firstLine.has(key)) firstLine.set(key, row.line);
    }
    for (const [key, total] of totals) {
      if (total > this.limits.maxKgPerPointDay && firstLine.has(key)) {
        const [pointId, day] = key.split('|');
        errors.push({
          line: firstLine.get(key)!,
          column: 'weight_kg',
          code: 'OVER_CEILING',
          message: `${Math.round(total * 100) / 100} kg at point ${pointId} on ${day} is over the ceiling of ${this.limits.maxKgPerPointDay} kg per point and day`,
        });
      }
    }
    return errors;
  }
}
