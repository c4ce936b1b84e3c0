import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { actsForWholeDistrict, propertyCompanyOf, type Caller } from '#libs/auth';
import { addMonths, monthBeginsAt, monthStart, parseMonth } from '#libs/calendar';
import { SqlParams, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { InstitutionRef, OrgUnitRef } from '#libs/references';
import { CaseService } from './case.service.js';
import { PropertyAssessmentParts, PropertyCompanyAssessment } from './case.models.js';
import {
  CASE_POINTS,
  POINTS_PER_REPORT,
  PROPERTY_ASSESSMENT_RULE_SETS,
  type PropertyAssessmentWeights,
} from './property-assessment-rules.js';
import { PropertyAssessmentWeights as WeightsModel } from './property-assessment-rules.models.js';

/** Any id no rule set belongs to: asks for the default rules. */
const NO_STREET = '00000000-0000-0000-0000-000000000000';

interface AssessmentRow {
  institutionId: string;
  streetId: string | null;
  score: number;
  ruleSetVersion: number;
  weights: PropertyAssessmentWeights;
  parts: PropertyAssessmentParts;
  casesOpened: number;
  casesNotRectified: number;
  casesRectified: number;
  casesPenalised: number;
  householdsGraded: number;
  householdsPassed: number;
  citizenReports: number;
  caseIds: string[];
}

interface Filter {
  company?: string;
  streetId?: string | null;
}

/**
 * Property companies' monthly assessment (物业管理考核), per company and street, under the street's rules in force for
 * the month (see property-assessment-rules.ts): from the cases against the company (history transitions in the
 * Shanghai month, in the street), the month's grades of its households in its compounds there, and citizen reports
 * about those compounds. Computed in one statement from the rows, so it is never stale.
 *
 * Staff see the cases, compounds and reports of their territory; a property manager their own company's, wherever.
 */
@Injectable()
export class AssessmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cases: CaseService,
  ) {}

  /** Companies with cases or graded compounds in the month, worst score first. */
  async list(caller: Caller, month: string, page: PageArgs, streetId?: string | null): Promise<ConnectionShape<PropertyCompanyAssessment>> {
    const params = new SqlParams();
    const company = propertyCompanyOf(caller) ?? undefined;
    const from = this.scores(caller, parseMonth(month), params, { company, streetId });
    return fetchKeysetPage<AssessmentRow, PropertyCompanyAssessment>(
      this.dataSource,
      page,
      {
        select: 's.*',
        from,
        where: [],
        params,
        orderBy: ['s.score', 's."institutionId"', 's."streetId"'],
        keyOf: (row) => [row.score, row.institutionId, row.streetId],
      },
      (rows) => this.present(month, rows),
    );
  }

  /**
   * One company's month in one street: the street named, or the only street it had anything in. A company with nothing
   * in the month scores 100 under the street's (or the default) rules; one active in several streets needs `streetId`.
   */
  async ofCompany(caller: Caller, institutionId: string, month: string, streetId?: string | null): Promise<PropertyCompanyAssessment> {
    const own = propertyCompanyOf(caller);
    if (own && own !== institutionId) throw DomainError.forbidden("A property manager sees their own company's assessment", 'OUT_OF_SCOPE');
    const params = new SqlParams();
    const from = this.scores(caller, parseMonth(month), params, { company: institutionId, streetId });
    const rows = await queryRows<AssessmentRow>(this.dataSource, `SELECT s.* FROM ${from}`, params.values);
    if (rows.length > 1) {
      throw DomainError.badInput('The company was assessed in several streets this month: name one with streetId', 'STREET_REQUIRED', {
        streetIds: rows.map((row) => row.streetId),
      });
    }
    if (rows.length === 1) return (await this.present(month, rows))[0];
    const rules = await PROPERTY_ASSESSMENT_RULE_SETS.requireInForce(this.dataSource, streetId ?? NO_STREET, month);
    const nothing: AssessmentRow = {
      institutionId,
      streetId: streetId ?? null,
      score: 100,
      ruleSetVersion: rules.version,
      weights: rules.rules,
      parts: { cases: 100, rectification: 100, compoundPassRate: 100, citizenReports: 100 },
      casesOpened: 0,
      casesNotRectified: 0,
      casesRectified: 0,
      casesPenalised: 0,
      householdsGraded: 0,
      householdsPassed: 0,
      citizenReports: 0,
      caseIds: [],
    };
    return (await this.present(month, [nothing]))[0];
  }

  /**
   * Where the caller's reach limits the units counted (alias `t` is the unit's territory row). A property manager's
   * is their company (the filter `company`, which ofCompany and list set to it), not a territory.
   */
  private reach(caller: Caller, params: SqlParams): string[] {
    if (propertyCompanyOf(caller)) return [];
    if (caller.orgUnitId) return [`t.path @> ARRAY[${params.add(caller.orgUnitId)}::uuid]`];
    return actsForWholeDistrict(caller) ? [] : ['false'];
  }

  private scores(caller: Caller, month: string, params: SqlParams, filter: Filter): string {
    const starts = params.add(monthBeginsAt(month));
    const ends = params.add(monthBeginsAt(addMonths(month, 1)));
    const monthDate = params.add(monthStart(month));
    const common = this.reach(caller, params);
    if (filter.streetId) common.push(`st.id = ${params.add(filter.streetId)}::uuid`);
    const company = filter.company ? params.add(filter.company) : null;
    const caseWhere = [...common, ...(company ? [`c.institution_id = ${company}::uuid`] : [])];
    const gradeWhere = [...common, ...(company ? [`g.property_company_id = ${company}::uuid`] : [])];
    const { opened, notRectified, penalised } = CASE_POINTS;
    const weighted = (part: string, weight: string) => `${part} * (r.rules->>'${weight}')::float8`;
    return `(
      WITH case_flags AS (
        SELECT c.institution_id AS company, st.id AS street_id, c.id AS case_id,
               bool_or(h.to_state = 'OPENED') AS opened,
               bool_or(h.to_state = 'NOT_RECTIFIED') AS not_rectified,
               bool_or(h.to_state = 'CLOSED') AS rectified,
               bool_or(h.to_state = 'PENALISED' AND c.state NOT IN ('OVERTURNED', 'REVOKED')) AS penalised
          FROM case_history h
          JOIN enforcement_case c ON c.id = h.case_id
          JOIN territory_unit t ON t.id = c.org_unit_id
          JOIN territory_unit st ON st.id = ANY(t.path) AND st.kind = 'STREET'
         WHERE c.target_kind = 'PROPERTY_COMPANY' AND h.to_state IN ('OPENED', 'NOT_RECTIFIED', 'CLOSED', 'PENALISED')
           AND h.at >= ${starts} AND h.at < ${ends} ${caseWhere.map((w) => `AND ${w}`).join(' ')}
         GROUP BY c.institution_id, st.id, c.id
      ), case_totals AS (
        SELECT company, street_id,
               (count(*) FILTER (WHERE opened))::int AS opened, (count(*) FILTER (WHERE not_rectified))::int AS not_rectified,
               (count(*) FILTER (WHERE rectified))::int AS rectified, (count(*) FILTER (WHERE penalised))::int AS penalised,
               array_agg(case_id::text ORDER BY case_id) AS case_ids
          FROM case_flags GROUP BY company, street_id
      ), compounds AS (
        SELECT g.property_company_id AS company, st.id AS street_id, g.compound_id, g.graded, g.passed
          FROM property_compound_grades g
          JOIN territory_unit t ON t.id = g.compound_id
          JOIN territory_unit st ON st.id = ANY(t.path) AND st.kind = 'STREET'
         WHERE g.month = ${monthDate}::date ${gradeWhere.map((w) => `AND ${w}`).join(' ')}
      ), compound_totals AS (
        SELECT company, street_id, sum(graded)::int AS graded, sum(passed)::int AS passed FROM compounds GROUP BY company, street_id
      ), report_totals AS (
        SELECT k.company, k.street_id, count(DISTINCT cr.id)::int AS reports
          FROM compounds k JOIN citizen_report cr ON cr.unit_path @> ARRAY[k.compound_id]
         WHERE cr.submitted_at >= ${starts} AND cr.submitted_at < ${ends} AND cr.status NOT IN ('REJECTED', 'DUPLICATE')
         GROUP BY k.company, k.street_id
      ), counts AS (
        SELECT k.company, k.street_id,
               coalesce(ct.opened, 0) AS opened, coalesce(ct.not_rectified, 0) AS not_rectified,
               coalesce(ct.rectified, 0) AS rectified, coalesce(ct.penalised, 0) AS penalised, coalesce(ct.case_ids, '{}') AS case_ids,
               coalesce(gt.graded, 0) AS graded, coalesce(gt.passed, 0) AS passed, coalesce(rt.reports, 0) AS reports
          FROM (SELECT company, street_id FROM case_totals UNION SELECT company, street_id FROM compound_totals) k
          LEFT JOIN case_totals ct ON ct.company = k.company AND ct.street_id = k.street_id
          LEFT JOIN compound_totals gt ON gt.company = k.company AND gt.street_id = k.street_id
          LEFT JOIN report_totals rt ON rt.company = k.company AND rt.street_id = k.street_id
      )
      SELECT n.company AS "institutionId", n.street_id AS "streetId", r.version AS "ruleSetVersion", r.rules AS weights,
             round((${weighted('p.cases', 'cases')} + ${weighted('p.rectification', 'rectification')}
                    + ${weighted('p.pass_rate', 'compoundPassRate')} + ${weighted('p.reports', 'citizenReports')})::numeric)::int AS score,
             json_build_object('cases', round(p.cases::numeric, 1), 'rectification', round(p.rectification::numeric, 1),
                               'compoundPassRate', round(p.pass_rate::numeric, 1), 'citizenReports', round(p.reports::numeric, 1)) AS parts,
             n.opened AS "casesOpened", n.not_rectified AS "casesNotRectified", n.rectified AS "casesRectified",
             n.penalised AS "casesPenalised", n.graded AS "householdsGraded", n.passed AS "householdsPassed",
             n.reports AS "citizenReports", n.case_ids AS "caseIds"
        FROM counts n
       CROSS JOIN LATERAL (
         SELECT greatest(0, 100 - ${opened} * n.opened - ${notRectified} * n.not_rectified - ${penalised} * n.penalised)::float8 AS cases,
                CASE WHEN n.rectified + n.not_rectified = 0 THEN 100 ELSE 100.0 * n.rectified / (n.rectified + n.not_rectified) END::float8 AS rectification,
                CASE WHEN n.graded = 0 THEN 100 ELSE 100.0 * n.passed / n.graded END::float8 AS pass_rate,
                greatest(0, 100 - ${POINTS_PER_REPORT} * n.reports)::float8 AS reports
       ) p
       -- The street's own rules in force for the month, else the default's (as DistrictRuleSets.inForce decides).
       CROSS JOIN LATERAL (
         SELECT version, rules FROM property_assessment_rule_set
          WHERE (district_id = n.street_id OR district_id IS NULL) AND effective_from <= ${monthDate}::date
          ORDER BY district_id IS NULL, effective_from DESC LIMIT 1
       ) r
    ) s`;
  }

  private async present(month: string, rows: AssessmentRow[]): Promise<PropertyCompanyAssessment[]> {
    const cases = await this.cases.findMany(rows.flatMap((row) => row.caseIds));
    return rows.map((row) =>
      Object.assign(new PropertyCompanyAssessment(), {
        ...row,
        month,
        street: row.streetId ? OrgUnitRef.of(row.streetId) : null,
        institution: InstitutionRef.of(row.institutionId),
        weights: WeightsModel.of(row.weights),
        parts: Object.assign(new PropertyAssessmentParts(), row.parts),
        cases: cases.filter((c) => row.caseIds.includes(c.id)),
      }),
    );
  }
}
