import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { addMonths, monthBeginsAt, parseMonth } from '#libs/calendar';
import { SqlParams } from '#libs/database';
import { fetchKeysetPage, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { InstitutionRef } from '#libs/references';
import { CaseService, caseUnder } from './case.service.js';
import { PropertyCompanyAssessment } from './case.models.js';

/** Points off 100 per case of the month; the score never goes below 0. */
export const ASSESSMENT_POINTS = { opened: 2, notRectified: 5, penalised: 10 } as const;

interface AssessmentRow {
  institutionId: string;
  casesOpened: number;
  casesNotRectified: number;
  casesPenalised: number;
  score: number;
  caseIds: string[];
}

/**
 * Property companies' monthly assessment from their cases (history transitions in the Shanghai month):
 * score = max(0, 100 − 2 × opened − 5 × not rectified − 10 × penalised), where "penalised" leaves out penalties
 * since overturned on appeal or revoked. A company without cases in the month scores 100.
 */
@Injectable()
export class AssessmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: CaseService,
  ) {}

  /** Companies with cases in the month, worst score first. */
  async list(caller: Caller, month: string, page: PageArgs): Promise<ConnectionShape<PropertyCompanyAssessment>> {
    const params = new SqlParams();
    const from = this.scores(caller, parseMonth(month), params, null);
    return fetchKeysetPage<AssessmentRow, PropertyCompanyAssessment>(
      this.dataSource,
      page,
      { select: 's.*', from, where: [], params, orderBy: ['s.score', 's."institutionId"'], keyOf: (row) => [row.score, row.institutionId] },
      (rows) => this.present(month, rows),
    );
  }

  async ofCompany(caller: Caller, institutionId: string, month: string): Promise<PropertyCompanyAssessment> {
    const params = new SqlParams();
    const from = this.scores(caller, parseMonth(month), params, institutionId);
    const rows: AssessmentRow[] = await this.dataSource.query(`SELECT s.* FROM ${from}`, params.values);
    const row = rows[0] ?? { institutionId, casesOpened: 0, casesNotRectified: 0, casesPenalised: 0, score: 100, caseIds: [] };
    return (await this.present(month, [row]))[0];
  }

  private scores(caller: Caller, month: string, params: SqlParams, institutionId: string | null): string {
    const where = [
      `c.target_kind = 'PROPERTY_COMPANY'`,
      `h.to_state IN ('OPENED', 'NOT_RECTIFIED', 'PENALISED')`,
      `h.at >= ${params.add(monthBeginsAt(month))}`,
      `h.at < ${params.add(monthBeginsAt(addMonths(month, 1)))}`,
    ];
    if (caller.orgUnitId) where.push(caseUnder(params.add(caller.orgUnitId)));
    if (institutionId) where.push(`c.institution_id = ${params.add(institutionId)}::uuid`);
    const { opened, notRectified, penalised } = ASSESSMENT_POINTS;
    return `(
      SELECT k.institution_id AS "institutionId",
             (count(*) FILTER (WHERE k.opened))::int AS "casesOpened",
             (count(*) FILTER (WHERE k.not_rectified))::int AS "casesNotRectified",
             (count(*) FILTER (WHERE k.penalised))::int AS "casesPenalised",
             greatest(0, 100 - ${opened} * count(*) FILTER (WHERE k.opened) - ${notRectified} * count(*) FILTER (WHERE k.not_rectified)
                         - ${penalised} * count(*) FILTER (WHERE k.penalised))::int AS score,
             array_agg(k.case_id::text ORDER BY k.case_id) AS "caseIds"
        FROM (SELECT c.institution_id, c.id AS case_id,
                     bool_or(h.to_state = 'OPENED') AS opened,
                     bool_or(h.to_state = 'NOT_RECTIFIED') AS not_rectified,
                     bool_or(h.to_state = 'PENALISED' AND c.state NOT IN ('OVERTURNED', 'REVOKED')) AS penalised
                FROM case_history h JOIN enforcement_case c ON c.id = h.case_id
               WHERE ${where.join(' AND ')}
               GROUP BY c.institution_id, c.id) k
       WHERE k.opened OR k.not_rectified OR k.penalised
       GROUP BY k.institution_id) s`;
  }

  private async present(month: string, rows: AssessmentRow[]): Promise<PropertyCompanyAssessment[]> {
    const cases = await this.cases.findMany(rows.flatMap((row) => row.caseIds));
    return rows.map((row) =>
      Object.assign(new PropertyCompanyAssessment(), {
        ...row,
        month,
        institution: InstitutionRef.of(row.institutionId),
        cases: cases.filter((c) => row.caseIds.includes(c.id)),
      }),
    );
  }
}
