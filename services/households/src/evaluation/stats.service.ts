import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { monthStart, parseMonth } from '#libs/calendar';
import { queryRows } from '#libs/database';
import { OrgUnitRef } from '#libs/references';
import { Territory } from '#libs/territory';
import { ratio } from '../metrics/metric-definitions.js';
import { SortingStats } from './evaluation.models.js';

interface CountsRow {
  unit_id: string | null;
  households: number;
  evaluated: number;
  qualified: number;
  basically: number;
  unqualified: number;
  upgrades: number;
}

/** Dashboard figures from the monthly grades, for a unit and each unit directly below it, in one query. */
@Injectable()
export class StatsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  async sortingStats(caller: Caller, orgUnitId: string, monthArg: string): Promise<SortingStats> {
    const month = parseMonth(monthArg);
    const unit = await this.territory.requireInScope(caller, orgUnitId);
    const childLevel = unit.path.length + 1;
    // GROUPING SETS: the unit's total (unit_id NULL) and one row per child unit, from the same scan.
    const rows = await queryRows<CountsRow>(
      this.dataSource,
      `SELECT CASE WHEN grouping(t.path[$3]) = 0 THEN t.path[$3] END AS unit_id,
              count(*)::int AS households,
              count(*) FILTER (WHERE g.status = 'GRADED')::int AS evaluated,
              count(*) FILTER (WHERE g.grade = 'QUALIFIED')::int AS qualified,
              count(*) FILTER (WHERE g.grade = 'BASICALLY_QUALIFIED')::int AS basically,
              count(*) FILTER (WHERE g.grade = 'UNQUALIFIED')::int AS unqualified,
              count(*) FILTER (WHERE g.previous_grade = 'UNQUALIFIED' AND g.grade = 'QUALIFIED')::int AS upgrades
         FROM household h
         JOIN territory_unit t ON t.id = h.compound_id
         LEFT JOIN monthly_grade g ON g.month = $2 AND g.household_id = h.id
        WHERE t.path @> ARRAY[$1::uuid]
        GROUP BY GROUPING SETS ((), (t.path[$3]))`,
      [unit.id, monthStart(month), childLevel],
    );
    const totals = rows.find((row) => row.unit_id === null) ?? emptyCounts();
    const childRows = rows.filter((row) => row.unit_id !== null && unit.kind !== 'COMPOUND');
    // Units below with no households still appear, with zeros.
    const children =
      unit.kind === 'COMPOUND'
        ? []
        : await queryRows<{ id: string }>(this.dataSource, `SELECT id FROM territory_unit WHERE parent_id = $1 ORDER BY code`, [unit.id]);
    return {
      ...toStats(unit.id, month, totals),
      children: children.map(({ id }) => ({
        ...toStats(id, month, childRows.find((row) => row.unit_id === id) ?? emptyCounts()),
        children: [],
      })),
    };
  }
}

function emptyCounts(): CountsRow {
  return { unit_id: null, households: 0, evaluated: 0, qualified: 0, basically: 0, unqualified: 0, upgrades: 0 };
}

function toStats(unitId: string, month: string, counts: CountsRow): Omit<SortingStats, 'children'> {
  return {
    orgUnit: OrgUnitRef.of(unitId),
    month,
    households: counts.households,
    evaluated: counts.evaluated,
    noEvidence: counts.households - counts.evaluated,
    qualified: counts.qualified,
    basicallyQualified: counts.basically,
    unqualified: counts.unqualified,
    qualifiedRate: ratio(counts.qualified, counts.evaluated),
    basicallyQualifiedRate: ratio(counts.basically, counts.evaluated),
    unqualifiedRate: ratio(counts.unqualified, counts.evaluated),
    passRate: ratio(counts.qualified + counts.basically, counts.evaluated),
    coverage: ratio(counts.evaluated, counts.households),
    upgrades: counts.upgrades,
  };
}
