import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { canSeeHousehold, type Caller } from '#libs/auth';
import { monthStart, parseMonth } from '#libs/calendar';
import { SqlParams, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { Idempotency } from '#libs/idempotency';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { requireVisibleHousehold } from '../households/household-place.js';
import { CitingRecord, UploadService } from '../uploads/upload.service.js';
import { fulfilFollowUpRequests } from './case-follow-up-sql.js';
import { InspectionResult } from './inspection-enums.js';
import type { InspectionRow } from './inspection.entity.js';
import { Inspection, type InspectionsArgs, type RecordInspectionInput } from './inspection.models.js';

const COLUMNS = `i.id, i.household_id AS "householdId", i.kind, i.result, i.issues, i.inspector_id AS "inspectorId",
  i.inspected_at AS "inspectedAt", i.month, i.photo_ids::text[] AS "photoIds", i.note, i.created_at AS "createdAt",
  i.set_aside_at AS "setAsideAt", i.citizen_report_id AS "citizenReportId"`;
/** Phones' clocks drift; an inspection a few minutes "in the future" is a clock, not a forgery. */
const CLOCK_SKEW_MS = 5 * 60_000;
const OLDEST_MS = 366 * 86400_000;

@Injectable()
export class InspectionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly idempotency: Idempotency,
    private readonly uploads: UploadService,
  ) {}

  async get(id: string): Promise<Inspection> {
    const row = await queryFirst<InspectionRow>(this.dataSource, `SELECT ${COLUMNS} FROM inspection i WHERE i.id = $1`, [id]);
    if (!row) throw DomainError.notFound('Inspection', id);
    return Inspection.from(row);
  }

  /**
   * For entity references (a citizen report's linked inspection): the inspections among `ids` whose household the
   * caller may see (their territory, or a resident's own), in `ids` order; others are null.
   */
  async findVisible(caller: Caller, ids: readonly string[]): Promise<(Inspection | null)[]> {
    const rows = await queryRows<InspectionRow & { path: string[] }>(
      this.dataSource,
      `SELECT ${COLUMNS}, t.path::text[] AS path
         FROM inspection i JOIN household h ON h.id = i.household_id JOIN territory_unit t ON t.id = h.compound_id
        WHERE i.id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(
      rows
        .filter((row) => canSeeHousehold(caller, row.householdId, row.path))
        .map(({ path: _path, ...row }) => [row.id, Inspection.from(row)]),
    );
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** Records evidence once per idempotency key; the household must be inside the caller's territory. */
  async record(caller: Caller, input: RecordInspectionInput, idempotencyKey: string, now = new Date()): Promise<Inspection> {
    const issues = [...new Set(input.issues)];
    if (input.result === InspectionResult.PASS && issues.length > 0) {
      throw DomainError.badInput('A passed inspection has no issues', 'ISSUES_ON_PASS');
    }
    if (input.result !== InspectionResult.PASS && issues.length === 0) {
      throw DomainError.badInput('Name at least one issue for a MINOR_ISSUE or FAIL', 'ISSUE_REQUIRED');
    }
    const at = input.inspectedAt.getTime();
    if (Number.isNaN(at)) throw DomainError.badInput('inspectedAt is not a time', 'INVALID_TIME');
    if (at > now.getTime() + CLOCK_SKEW_MS) throw DomainError.badInput('inspectedAt is in the future', 'FUTURE_DATE');
    if (at < now.getTime() - OLDEST_MS) throw DomainError.badInput('inspectedAt is more than a year ago', 'TOO_OLD');
    if (input.note && input.note.length > 500) throw DomainError.badInput('note is longer than 500 characters', 'NOTE_TOO_LONG');
    const photoIds = [...new Set(input.photoIds)];

    const { id } = await this.idempotency.run(
      caller,
      idempotencyKey,
      'recordInspection',
      { ...input, issues, photoIds },
      async (manager) => {
        await requireVisibleHousehold(manager, caller, input.householdId);
        const row = await queryOne<{ id: string }>(
          manager,
          `INSERT INTO inspection (household_id, kind, result, issues, inspector_id, inspected_at, photo_ids, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[], $8) RETURNING id`,
          [input.householdId, input.kind, input.result, issues, caller.userId, input.inspectedAt, photoIds, input.note ?? null],
        );
        // The photos become this inspection's evidence: the inspector's own uploads, never cited before (else nothing is written).
        await this.uploads.cite(manager, caller, photoIds, {
          kind: CitingRecord.INSPECTION,
          recordId: row.id,
          householdId: input.householdId,
        });
        // An inspection on or after a case's due date answers its follow-up request, reported to enforcement in this transaction.
        await fulfilFollowUpRequests(manager, input.householdId, row.id);
        return { id: row.id };
      },
    );
    return this.get(id);
  }

  /** A household's inspections, newest first. */
  async list(caller: Caller, args: InspectionsArgs): Promise<ConnectionShape<Inspection>> {
    await requireVisibleHousehold(this.dataSource, caller, args.householdId);
    const params = new SqlParams();
    const where = [`i.household_id = ${params.add(args.householdId)}`];
    if (args.month) where.push(`i.month = ${params.add(monthStart(parseMonth(args.month)))}`);
    return fetchKeysetPage<InspectionRow, Inspection>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'inspection i',
        where,
        params,
        orderBy: ['i.inspected_at', 'i.id'],
        keyOf: (row) => [row.inspectedAt.toISOString(), row.id],
        descending: true,
      },
      (rows) => rows.map((row) => Inspection.from(row)),
    );
  }
}
