import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  Permission,
  ROLE_PERMISSIONS,
  Role,
  hasPermission,
  isWithinScope,
  partyMemberIdOf,
  requirePermission,
  type Caller,
} from '#libs/auth';
import { addMonths, monthStart, parseMonth, shanghaiMonth } from '#libs/calendar';
import { PostgresErrorCode, SqlParams, execute, isPostgresError, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { fetchKeysetPage, fetchKeysetPagesByGroup, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { PersonalDataAudit, maskName } from '#libs/privacy';
import type { VanguardWeights } from './vanguard-formula.js';
import type { CreateVanguardFormulaInput, UnitAnnualAssessmentArgs, VanguardRankingArgs } from './vanguard.inputs.js';
import {
  UnitAnnualAssessment,
  VanguardComputation,
  VanguardFormula,
  VanguardIndex,
  VanguardIndexYear,
  VanguardUnitType,
  type UnitAssessmentRow,
  type VanguardFormulaRow,
  type VanguardIndexRow,
  type VanguardIndexYearRow,
} from './vanguard.models.js';
import { computeVanguardMonth } from './vanguard-sql.js';

const FORMULA_COLUMNS = `version, to_char(effective_from, 'YYYY-MM') AS "effectiveFrom", weights, description, created_by AS "createdBy",
  created_at AS "createdAt"`;
const INDEX_COLUMNS = `v.party_member_id AS "memberId", pm.name AS "memberName", to_char(v.month, 'YYYY-MM') AS month,
  v.formula_version AS "formulaVersion", v.score, v.parts, v.computed_at AS "computedAt"`;
/** A member's registration with a branch: confirmed by the branch and not ended. */
const OPEN_REGISTRATION = `r.confirmed_at IS NOT NULL AND r.ended_at IS NULL`;
const MAX_DESCRIPTION = 2000;

/** Each member's yearly index in the year of placeholder `year`: the average of their monthly scores, one decimal. */
const yearlySql = (year: string, extraWhere = 'true') => `
  SELECT v.party_member_id, round(avg(v.score), 1) AS score, count(*)::int AS months
    FROM vanguard_index_month v JOIN party_member pm ON pm.id = v.party_member_id
   WHERE v.month >= make_date(${year}::int, 1, 1) AND v.month < make_date(${year}::int + 1, 1, 1) AND ${extraWhere}
   GROUP BY v.party_member_id`;

/** Units assessed together (a page of them): party organisations (each with its subtree) or institutions (each with its sector units). */
export interface AssessedUnits {
  unitType: VanguardUnitType;
  unitIds: readonly string[];
  year: number;
}

/**
 * The vanguard index (锋领指数): computing it for a month, its formula versions, and reading it: a member's month and
 * year, rankings within a party organisation, and unit annual assessments rolled up from members.
 *
 * Who sees what: console roles (VANGUARD_READ) see members of their territory (a member belongs to the community
 * they live in); a party member sees only their own index. Names are masked unless the caller may read personal data.
 */
@Injectable()
export class VanguardService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: PersonalDataAudit,
  ) {}

  // ── the formula ────────────────────────────────────────────────────────────────────────────────────────────────

  async formulas(caller: Caller): Promise<VanguardFormula[]> {
    requirePermission(caller, Permission.VANGUARD_READ);
    const rows = await queryRows<VanguardFormulaRow>(this.dataSource, `SELECT ${FORMULA_COLUMNS} FROM vanguard_formula ORDER BY version`);
    return rows.map((row) => VanguardFormula.from(row));
  }

  /**
   * Publishes a new version from a month after the current one (Asia/Shanghai), so no month already begun changes
   * its formula. BAD_USER_INPUT: NOT_A_FUTURE_MONTH, MAXIMA_NOT_100, INVALID_WEIGHT, INVALID_DESCRIPTION;
   * CONFLICT FORMULA_MONTH_TAKEN when a version already starts that month.
   */
  async createFormula(caller: Caller, input: CreateVanguardFormulaInput, now: Date = new Date()): Promise<VanguardFormula> {
    requirePermission(caller, Permission.VANGUARD_MANAGE);
    const month = parseMonth(input.effectiveFrom, 'effectiveFrom');
    const current = shanghaiMonth(now);
    if (month <= current) {
      throw DomainError.badInput('effectiveFrom must be a month after the current one', 'NOT_A_FUTURE_MONTH', {
        earliest: addMonths(current, 1),
      });
    }
    const description = input.description.trim();
    if (description.length < 1 || description.length > MAX_DESCRIPTION) {
      throw DomainError.badInput(`description must have 1–${MAX_DESCRIPTION} characters`, 'INVALID_DESCRIPTION');
    }
    const numbers = {
      householdGradeMaximum: input.householdGradeMaximum,
      qualifiedPoints: input.qualifiedPoints,
      basicallyQualifiedPoints: input.basicallyQualifiedPoints,
      unqualifiedPoints: input.unqualifiedPoints,
      checkInsMaximum: input.checkInsMaximum,
      dutiesMaximum: input.dutiesMaximum,
      volunteerHoursMaximum: input.volunteerHoursMaximum,
      volunteerFullAtHours: input.volunteerFullAtHours,
    };
    for (const [field, value] of Object.entries(numbers)) {
      if (!Number.isFinite(value) || value < 0) throw DomainError.badInput(`${field} must be a number ≥ 0`, 'INVALID_WEIGHT', { field });
    }
    for (const field of ['qualifiedPoints', 'basicallyQualifiedPoints', 'unqualifiedPoints'] as const) {
      if (input[field] > input.householdGradeMaximum) {
        throw DomainError.badInput(`${field} exceeds householdGradeMaximum`, 'INVALID_WEIGHT', { field });
      }
    }
    if (!(input.volunteerFullAtHours > 0))
      throw DomainError.badInput('volunteerFullAtHours must be above 0', 'INVALID_WEIGHT', { field: 'volunteerFullAtHours' });
    const total = input.householdGradeMaximum + input.checkInsMaximum + input.dutiesMaximum + input.volunteerHoursMaximum;
    if (Math.abs(total - 100) > 1e-9) throw DomainError.badInput('The four maxima must add up to 100', 'MAXIMA_NOT_100', { total });
    const weights: VanguardWeights = {
      householdGrade: {
        maximum: input.householdGradeMaximum,
        points: {
          QUALIFIED: input.qualifiedPoints,
          BASICALLY_QUALIFIED: input.basicallyQualifiedPoints,
          UNQUALIFIED: input.unqualifiedPoints,
        },
      },
      checkIns: { maximum: input.checkInsMaximum },
      duties: { maximum: input.dutiesMaximum },
      volunteerHours: { maximum: input.volunteerHoursMaximum, fullAtHours: input.volunteerFullAtHours },
    };
    try {
      const row = await this.dataSource.transaction(async (manager) => {
        // Versions are numbered in the order they are published.
        await execute(manager, `LOCK TABLE vanguard_formula IN SHARE ROW EXCLUSIVE MODE`);
        return queryOne<VanguardFormulaRow>(
          manager,
          `INSERT INTO vanguard_formula (version, effective_from, weights, description, created_by)
           SELECT coalesce(max(version), 0) + 1, $1::date, $2::jsonb, $3, $4 FROM vanguard_formula
           RETURNING ${FORMULA_COLUMNS}`,
          [monthStart(month), JSON.stringify(weights), description, caller.userId],
        );
      });
      return VanguardFormula.from(row);
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.UniqueViolation)) {
        throw DomainError.conflict(`A formula version already starts in ${month}`, 'FORMULA_MONTH_TAKEN', { effectiveFrom: month });
      }
      throw error;
    }
  }

  // ── computing ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** Computes every party member's index of `month` now (idempotent: unchanged scores are not rewritten). */
  async compute(caller: Caller, month: string): Promise<VanguardComputation> {
    requirePermission(caller, Permission.VANGUARD_MANAGE);
    parseMonth(month);
    const { members, changed } = await this.dataSource.transaction((manager) => computeVanguardMonth(manager, monthStart(month)));
    const { version } = await queryOne<{ version: number }>(
      this.dataSource,
      `SELECT version FROM vanguard_formula WHERE effective_from <= $1::date ORDER BY effective_from DESC LIMIT 1`,
      [monthStart(month)],
    );
    return Object.assign(new VanguardComputation(), { month, formulaVersion: version, members, changed });
  }

  // ── reading ────────────────────────────────────────────────────────────────────────────────────────────────────

  /** A member's index of a month; null when it has not been computed. */
  async index(caller: Caller, memberId: string, month: string): Promise<VanguardIndex | null> {
    await this.requireMemberVisible(caller, memberId);
    const rows = await queryRows<VanguardIndexRow>(
      this.dataSource,
      `SELECT ${INDEX_COLUMNS} FROM vanguard_index_month v JOIN party_member pm ON pm.id = v.party_member_id
        WHERE v.party_member_id = $1 AND v.month = $2::date`,
      [memberId, monthStart(parseMonth(month))],
    );
    const row = (await this.withNames(caller, rows)).at(0);
    return row ? VanguardIndex.from(row) : null;
  }

  /** A member's yearly index: the average of their monthly scores in the year; null without any. */
  async year(caller: Caller, memberId: string, year: number): Promise<VanguardIndexYear | null> {
    await this.requireMemberVisible(caller, memberId);
    const rows = await queryRows<VanguardIndexYearRow>(
      this.dataSource,
      `SELECT y.party_member_id AS "memberId", pm.name AS "memberName", y.year, y.score, y.months
         FROM vanguard_index_year y JOIN party_member pm ON pm.id = y.party_member_id
        WHERE y.party_member_id = $1 AND y.year = $2`,
      [memberId, requireYear(year)],
    );
    const row = (await this.withNames(caller, rows)).at(0);
    return row ? VanguardIndexYear.from(row) : null;
  }

  /** Members of a branch or committee (registered with a branch in its subtree) by their score of the month, best first. */
  async ranking(caller: Caller, args: VanguardRankingArgs): Promise<ConnectionShape<VanguardIndex>> {
    this.requireConsoleReader(caller);
    await this.requirePartyOrgVisible(caller, args.partyOrgId);
    const params = new SqlParams();
    const where = [
      `v.month = ${params.add(monthStart(parseMonth(args.month)))}::date`,
      `EXISTS (SELECT 1 FROM branch_registration r JOIN party_org b ON b.id = r.branch_id
                WHERE r.party_member_id = v.party_member_id AND ${OPEN_REGISTRATION} AND b.path @> ARRAY[${params.add(args.partyOrgId)}::uuid])`,
      ...this.scopeConditions(caller, params),
    ];
    return fetchKeysetPage<VanguardIndexRow, VanguardIndex>(
      this.dataSource,
      args,
      {
        select: INDEX_COLUMNS,
        from: 'vanguard_index_month v JOIN party_member pm ON pm.id = v.party_member_id',
        where,
        params,
        orderBy: ['v.score', 'v.party_member_id'],
        keyOf: (row) => [row.score, row.memberId],
        descending: true,
      },
      async (rows) => (await this.withNames(caller, rows)).map((row) => VanguardIndex.from(row)),
    );
  }

  /**
   * 单位年度考核: per party organisation of a subtree (each rolled up over the members registered with a branch
   * under it) or per work unit (an institution and, for a department, its sector units), the members counted, their
   * average yearly index and the share at 80 or above. Shallowest first, then by name.
   */
  async unitAssessment(caller: Caller, args: UnitAnnualAssessmentArgs): Promise<ConnectionShape<UnitAnnualAssessment>> {
    this.requireConsoleReader(caller);
    const year = requireYear(args.year);
    if (args.partyOrgId && args.institutionId) {
      throw DomainError.badInput('Give a party organisation or an institution, not both', 'ONE_UNIT_ONLY');
    }
    const params = new SqlParams();
    const y = params.add(year);
    const yearly = yearlySql(y, this.scopeConditions(caller, params).join(' AND ') || 'true');
    const rolled = (memberUnits: string) => `
      yearly AS MATERIALIZED (${yearly}),
      member_units AS (${memberUnits}),
      rolled AS (
        SELECT mu.unit_id, count(*)::int AS members, round(avg(y.score), 1) AS average,
               round(count(*) FILTER (WHERE y.score >= 80)::numeric / count(*), 4) AS share
          FROM member_units mu JOIN yearly y USING (party_member_id) GROUP BY mu.unit_id)`;
    const assessed = `${y}::int AS year, coalesce(r.members, 0) AS "membersCounted", r.average AS "averageIndex", r.share AS "shareAtLeast80"`;
    let from: string;
    if (args.institutionId) {
      const institution = await queryFirst<{ id: string }>(this.dataSource, `SELECT id FROM institution WHERE id = $1`, [
        args.institutionId,
      ]);
      if (!institution) throw DomainError.notFound('Institution', args.institutionId);
      const root = params.add(args.institutionId);
      from = `(WITH ${rolled(`
          SELECT DISTINCT y.party_member_id, unit_id
            FROM yearly y JOIN party_member pm ON pm.id = y.party_member_id JOIN institution i ON i.id = pm.institution_id
           CROSS JOIN LATERAL unnest(array_remove(ARRAY[i.id, i.parent_id], NULL)) AS unit_id`)}
        SELECT '${VanguardUnitType.WORK_UNIT}' AS "unitType", i.id AS "unitId", i.kind AS "unitKind", i.name, ${assessed},
               CASE WHEN i.id = ${root}::uuid THEN 1 ELSE 2 END AS depth
          FROM institution i LEFT JOIN rolled r ON r.unit_id = i.id
         WHERE i.id = ${root}::uuid OR i.parent_id = ${root}::uuid) AS a`;
    } else {
      const rootId = args.partyOrgId ?? (await this.districtCommitteeId());
      await this.requirePartyOrgVisible(caller, rootId);
      const root = params.add(rootId);
      from = `(WITH ${rolled(`
          SELECT DISTINCT r.party_member_id, unit_id
            FROM branch_registration r JOIN party_org b ON b.id = r.branch_id CROSS JOIN LATERAL unnest(b.path) AS unit_id
           WHERE ${OPEN_REGISTRATION} AND r.party_member_id IN (SELECT party_member_id FROM yearly)`)}
        SELECT '${VanguardUnitType.PARTY_ORG}' AS "unitType", o.id AS "unitId", o.kind AS "unitKind", o.name, ${assessed},
               cardinality(o.path) AS depth
          FROM party_org o LEFT JOIN rolled r ON r.unit_id = o.id
         WHERE o.path @> ARRAY[${root}::uuid]) AS a`;
    }
    return fetchKeysetPage<UnitAssessmentRow & { depth: number }, UnitAnnualAssessment>(
      this.dataSource,
      args,
      {
        select: 'a.*',
        from,
        where: [],
        params,
        orderBy: ['a.depth', 'a.name', 'a."unitId"'],
        keyOf: (row) => [row.depth, row.name, row.unitId],
      },
      (rows) => rows.map((row) => UnitAnnualAssessment.from(row)),
    );
  }

  /**
   * The members behind each unit's assessment, with their yearly index, best first: the same page (first/after) of
   * every unit, in the order of `units.unitIds`, from one query whatever the number of units (and one count query
   * if a client asks for totalCount), so a page of assessments with their members is not a query per unit.
   */
  async unitMembers(caller: Caller, units: AssessedUnits, args: PageArgs): Promise<ConnectionShape<VanguardIndexYear>[]> {
    const params = new SqlParams();
    const y = params.add(units.year);
    const ids = params.add(units.unitIds);
    // Each (member, unit) once, as the roll-up counts them: a member registered with two branches of a committee,
    // or working at a sector unit of a department, is one member of it.
    const memberUnits =
      units.unitType === VanguardUnitType.PARTY_ORG
        ? `SELECT DISTINCT r.party_member_id, unit_id
             FROM branch_registration r JOIN party_org b ON b.id = r.branch_id CROSS JOIN LATERAL unnest(b.path) AS unit_id
            WHERE ${OPEN_REGISTRATION} AND b.path && ${ids}::uuid[] AND unit_id = ANY(${ids}::uuid[])`
        : `SELECT pm.id AS party_member_id, i.unit_id
             FROM (SELECT id, id AS unit_id FROM institution WHERE id = ANY(${ids}::uuid[])
                   UNION ALL SELECT id, parent_id FROM institution WHERE parent_id = ANY(${ids}::uuid[])) AS i
             JOIN party_member pm ON pm.institution_id = i.id`;
    return fetchKeysetPagesByGroup<VanguardIndexYearRow, VanguardIndexYear>(
      this.dataSource,
      args,
      units.unitIds,
      {
        select: `y.party_member_id AS "memberId", pm.name AS "memberName", ${y}::int AS year, y.score, y.months`,
        from: `(${memberUnits}) AS mu JOIN (${yearlySql(y)}) AS y ON y.party_member_id = mu.party_member_id JOIN party_member pm ON pm.id = y.party_member_id`,
        groupBy: 'mu.unit_id',
        where: this.scopeConditions(caller, params),
        params,
        orderBy: ['y.score', 'y.party_member_id'],
        keyOf: (row) => [row.score, row.memberId],
        descending: true,
      },
      async (rows) => (await this.withNames(caller, rows)).map((row) => VanguardIndexYear.from(row)),
    );
  }

  // ── who may see what ───────────────────────────────────────────────────────────────────────────────────────────

  /** True when the caller reads the index as staff (any role but PARTY_MEMBER granting VANGUARD_READ). */
  private isConsoleReader(caller: Caller): boolean {
    return caller.roles.some((role) => role !== Role.PARTY_MEMBER && ROLE_PERMISSIONS[role].includes(Permission.VANGUARD_READ));
  }

  private requireConsoleReader(caller: Caller): void {
    requirePermission(caller, Permission.VANGUARD_READ);
    if (!this.isConsoleReader(caller))
      throw DomainError.forbidden('A party member may read only their own vanguard index', 'OWN_INDEX_ONLY');
  }

  /** Staff see members who live in their territory; a party member only themselves. */
  private async requireMemberVisible(caller: Caller, memberId: string): Promise<void> {
    requirePermission(caller, Permission.VANGUARD_READ);
    const member = await queryFirst<{ userId: string | null; path: string[] | null }>(
      this.dataSource,
      `SELECT pm.user_id AS "userId", u.path::text[] AS path FROM party_member pm LEFT JOIN org_unit u ON u.id = pm.community_id WHERE pm.id = $1`,
      [memberId],
    );
    if (!member) throw DomainError.notFound('PartyMember', memberId);
    if (this.isConsoleReader(caller)) {
      if (isWithinScope(caller, member.path ?? [])) return;
      throw DomainError.forbidden('That party member lives outside your territory', 'OUT_OF_SCOPE');
    }
    // The member's account (user_id), or their phone login member-<id>, the one households' check-ins know them by.
    if (member.userId !== caller.userId && memberId !== partyMemberIdOf(caller)) {
      throw DomainError.forbidden('A party member may read only their own vanguard index', 'OWN_INDEX_ONLY');
    }
  }

  /**
   * A party organisation a caller may ask about: one tied to a unit inside their territory or above it (a community
   * secretary may rank the street committee's members and sees only those of their community), or a work-unit one.
   */
  private async requirePartyOrgVisible(caller: Caller, partyOrgId: string): Promise<void> {
    const org = await queryFirst<{ id: string; path: string[] | null }>(
      this.dataSource,
      `SELECT o.id, u.path::text[] AS path FROM party_org o LEFT JOIN org_unit u ON u.id = o.org_unit_id WHERE o.id = $1`,
      [partyOrgId],
    );
    if (!org) throw DomainError.notFound('PartyOrg', partyOrgId);
    if (org.path === null || isWithinScope(caller, org.path)) return;
    const unitId = org.path[org.path.length - 1];
    const mine = await queryFirst<{ path: string[] }>(this.dataSource, `SELECT path::text[] AS path FROM org_unit WHERE id = $1`, [
      caller.orgUnitId,
    ]);
    if (!mine?.path.includes(unitId)) throw DomainError.forbidden('That party organisation is outside your territory', 'OUT_OF_SCOPE');
  }

  private scopeConditions(caller: Caller, params: SqlParams): string[] {
    return caller.orgUnitId === null
      ? []
      : [`pm.community_id IN (SELECT id FROM org_unit WHERE path @> ARRAY[${params.add(caller.orgUnitId)}::uuid])`];
  }

  private async districtCommitteeId(): Promise<string> {
    const root = await queryFirst<{ id: string }>(this.dataSource, `SELECT id FROM party_org WHERE kind = 'DISTRICT_COMMITTEE'`);
    if (!root) throw DomainError.notFound('PartyOrg', 'DISTRICT_COMMITTEE');
    return root.id;
  }

  /** Masks member names unless the caller may read personal data, in which case the read is recorded. */
  private async withNames<Row extends { memberId: string; memberName: string }>(caller: Caller, rows: Row[]): Promise<Row[]> {
    if (hasPermission(caller, Permission.PERSONAL_DATA_READ)) {
      await this.audit.recordRead(
        caller,
        'PartyMember',
        rows.map((row) => row.memberId),
      );
      return rows;
    }
    return rows.map((row) => ({ ...row, memberName: maskName(row.memberName) }));
  }
}

function requireYear(year: number): number {
  if (!Number.isInteger(year) || year < 2000 || year > 2100)
    throw DomainError.badInput('year must be between 2000 and 2100', 'INVALID_YEAR');
  return year;
}
