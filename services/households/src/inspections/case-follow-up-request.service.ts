import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { SqlParams } from '#libs/database';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { Territory } from '#libs/territory';
import { CaseFollowUpRequest, type CaseFollowUpRequestRow, type CaseFollowUpRequestsArgs } from './case-follow-up-request.models.js';

const COLUMNS = `r.case_id AS "caseId", r.household_id AS "householdId", h.compound_id AS "compoundId", r.due_on::text AS "dueOn",
  r.status, r.requested_at AS "requestedAt", r.inspection_id AS "inspectionId", r.inspection_result AS "inspectionResult",
  r.inspected_at AS "inspectedAt", r.fulfilled_at AS "fulfilledAt"`;

@Injectable()
export class CaseFollowUpRequestService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  /** Follow-up requests of households in a unit of the caller's territory, earliest due date first. */
  async list(caller: Caller, args: CaseFollowUpRequestsArgs): Promise<ConnectionShape<CaseFollowUpRequest>> {
    const unit = await this.territory.requireInScope(caller, args.orgUnitId);
    const params = new SqlParams();
    const where = [`h.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${params.add(unit.id)}::uuid])`];
    if (args.status) where.push(`r.status = ${params.add(args.status)}`);
    return fetchKeysetPage<CaseFollowUpRequestRow, CaseFollowUpRequest>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'case_follow_up_request r JOIN household h ON h.id = r.household_id',
        where,
        params,
        orderBy: ['r.due_on', 'r.case_id'],
        keyOf: (row) => [row.dueOn, row.caseId],
      },
      (rows) => rows.map((row) => CaseFollowUpRequest.from(row)),
    );
  }
}
