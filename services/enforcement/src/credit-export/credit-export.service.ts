import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Caller } from '#libs/auth';
import { monthStart } from '#libs/calendar';
import { SqlParams, queryOne, queryRows } from '#libs/database';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { caseUnder } from '../cases/case.service.js';
import {
  CREDIT_EXPORT_KIND_LABEL_ZH,
  CREDIT_EXPORT_STATE_LABEL_ZH,
  CREDIT_SYSTEM_LABEL_ZH,
  CreditExport,
  CreditExportAttempt,
  type CreditExportsArgs,
  type DistrictMonthCreditExports,
} from './credit-export.models.js';

const COLUMNS = `e.id, e.case_id AS "caseId", e.kind, e.system, e.retracts_id AS "retractsId", e.payload::text AS "payloadJson", e.state,
  e.attempts, CASE WHEN e.state = 'PENDING' THEN e.next_attempt_at END AS "nextAttemptAt", e.last_error AS "lastError",
  e.delivered_at AS "deliveredAt", e.created_at AS "createdAt",
  to_char(e.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdKey"`;

type Row = Omit<CreditExport, 'kindLabelZh' | 'systemLabelZh' | 'stateLabelZh' | 'attemptLog'> & { createdKey: string };

/** The audit view of the credit/points outbox: every export and every attempt. */
@Injectable()
export class CreditExportService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async list(caller: Caller, args: CreditExportsArgs): Promise<ConnectionShape<CreditExport>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (caller.orgUnitId)
      where.push(`EXISTS (SELECT 1 FROM enforcement_case c WHERE c.id = e.case_id AND ${caseUnder(params.add(caller.orgUnitId))})`);
    if (args.caseId) where.push(`e.case_id = ${params.add(args.caseId)}::uuid`);
    if (args.state) where.push(`e.state = ${params.add(args.state)}`);
    return fetchKeysetPage<Row, CreditExport>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'credit_export e',
        where,
        params,
        orderBy: ['e.created_at', 'e.id'],
        keyOf: (row) => [row.createdKey, row.id],
      },
      (rows) => this.present(rows),
    );
  }

  /**
   * The exports recorded in a month (YYYY-MM, Asia/Shanghai) by state, for the month at a glance. The month's bounds
   * are instants of Asia/Shanghai, so the range scan uses credit_export_created.
   */
  ofMonth(month: string): Promise<DistrictMonthCreditExports> {
    return queryOne<DistrictMonthCreditExports>(
      this.dataSource,
      `SELECT count(*) FILTER (WHERE state = 'PENDING')::int AS due, count(*) FILTER (WHERE state = 'DELIVERED')::int AS sent,
              count(*) FILTER (WHERE state = 'FAILED')::int AS failed, count(*) FILTER (WHERE state = 'CANCELLED')::int AS cancelled
         FROM credit_export
        WHERE created_at >= $1::date::timestamp AT TIME ZONE 'Asia/Shanghai'
          AND created_at < ($1::date + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai'`,
      [monthStart(month)],
    );
  }

  private async present(rows: Row[]): Promise<CreditExport[]> {
    const attempts =
      rows.length === 0
        ? []
        : await queryRows<{
            exportId: string;
            attempt: number;
            attemptedAt: Date;
            statusCode: number | null;
            error: string | null;
            durationMs: number;
          }>(
            this.dataSource,
            `SELECT export_id AS "exportId", attempt, attempted_at AS "attemptedAt", status_code AS "statusCode", error, duration_ms AS "durationMs"
         FROM credit_export_attempt WHERE export_id = ANY($1::uuid[]) ORDER BY export_id, attempt`,
            [rows.map((row) => row.id)],
          );
    return rows.map(({ createdKey: _key, ...row }) =>
      Object.assign(new CreditExport(), {
        ...row,
        kindLabelZh: CREDIT_EXPORT_KIND_LABEL_ZH[row.kind],
        systemLabelZh: CREDIT_SYSTEM_LABEL_ZH[row.system],
        stateLabelZh: CREDIT_EXPORT_STATE_LABEL_ZH[row.state],
        attemptLog: attempts
          .filter((a) => a.exportId === row.id)
          .map(({ exportId: _id, ...a }) => Object.assign(new CreditExportAttempt(), a)),
      }),
    );
  }
}
