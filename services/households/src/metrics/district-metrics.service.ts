import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { addMonths, monthStart, parseMonth, shanghaiMonth } from '#libs/calendar';
import { queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { Territory, type TerritoryUnit } from '#libs/territory';
import {
  HARMLESS_DESTINATIONS,
  MetricKey,
  METRICS,
  RECYCLING_DESTINATIONS,
  ratio,
  UTILISATION_DESTINATIONS,
  type MetricFigure,
  type UnitMetrics,
} from './metric-definitions.js';

/** The longest range of months one request may ask for: three years of monthly figures. */
export const MAX_METRIC_MONTHS = 36;

/** One month of one unit (or of the unit asked for, when `child_id` is null), as the roll-up query returns it. */
interface SumsRow {
  month: string;
  child_id: string | null;
  households: number;
  served_households: number;
  collection_records: number;
  collected_kg: string;
  recycled_kg: string;
  utilised_kg: string;
  utilisation_base_kg: string;
  harmless_kg: string;
  grade_records: number;
  graded: number;
  passed: number;
  letter_households: number;
  letters: number;
  unqualified_before: number;
  upgraded: number;
}

const HARMLESS_SQL = Object.entries(HARMLESS_DESTINATIONS)
  .map(([stream, destinations]) => `(t.stream = '${stream}' AND t.destination IN (${destinations.map((d) => `'${d}'`).join(', ')}))`)
  .join(' OR ');
const inList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/**
 * The roll-up, in one statement. Every figure is first summed per compound and month (the leaves of the territory
 * tree, where households and collection records live), then summed again over GROUPING SETS: the unit asked for
 * (child_id NULL) and each unit directly below it (for a compound, which has none, both sets give the same row). Numerators and denominators are sums, never averages, so a
 * unit's figure always equals what its children add up to, and what the raw records give for the whole unit.
 *
 * $1 the unit, $2 the first month's first day, $3 the last month's first day, $4 the level of the units below.
 */
export const ROLL_UP_SQL = `
WITH compound AS (
  SELECT id, path[$4] AS child_id FROM territory_unit WHERE path @> ARRAY[$1::uuid] AND kind = 'COMPOUND'
),
month AS (
  SELECT generate_series($2::date, $3::date, interval '1 month')::date AS month
),
household_count AS (
  SELECT h.compound_id, count(*)::int AS households FROM household h JOIN compound c ON c.id = h.compound_id GROUP BY 1
),
collected AS (
  -- From the monthly totals the collection_record triggers keep (migration 1796000000280), not the daily records.
  SELECT t.month, t.compound_id, sum(t.records)::int AS records,
         sum(t.weight_kg) AS collected_kg,
         coalesce(sum(t.weight_kg) FILTER (WHERE t.destination IN (${inList(RECYCLING_DESTINATIONS)})), 0) AS recycled_kg,
         coalesce(sum(t.weight_kg) FILTER (WHERE t.destination IN (${inList(UTILISATION_DESTINATIONS)})), 0) AS utilised_kg,
         coalesce(sum(t.weight_kg) FILTER (WHERE t.destination <> 'HAZARDOUS_TREATMENT'), 0) AS utilisation_base_kg,
         coalesce(sum(t.weight_kg) FILTER (WHERE ${HARMLESS_SQL}), 0) AS harmless_kg
    FROM collection_month_total t JOIN compound c ON c.id = t.compound_id
   WHERE t.month BETWEEN $2::date AND $3::date
   GROUP BY 1, 2
),
graded AS (
  -- From the monthly counts the monthly_grade and household triggers keep (migration 1796000000290), not the grades.
  SELECT t.month, t.compound_id, t.grade_records, t.graded, t.passed, t.unqualified_before, t.upgraded
    FROM grade_month_total t JOIN compound c ON c.id = t.compound_id
   WHERE t.month BETWEEN $2::date AND $3::date
),
letter AS (
  -- Letters signed by each month's last day, from the counts per signing month the commitment_letter and household
  -- triggers keep (migration 1796000000290); a household that signed twice counts once, by its first letter.
  SELECT m.month, t.compound_id, sum(t.first_letters)::int AS letter_households, sum(t.letters)::int AS letters
    FROM month m JOIN letter_month_total t ON t.month <= m.month JOIN compound c ON c.id = t.compound_id
   GROUP BY 1, 2
)
SELECT to_char(m.month, 'YYYY-MM') AS month,
       CASE WHEN grouping(c.child_id) = 0 THEN c.child_id END AS child_id,
       coalesce(sum(hc.households), 0)::int AS households,
       coalesce(sum(hc.households) FILTER (WHERE co.records > 0), 0)::int AS served_households,
       coalesce(sum(co.records), 0)::int AS collection_records,
       coalesce(sum(co.collected_kg), 0)::text AS collected_kg,
       coalesce(sum(co.recycled_kg), 0)::text AS recycled_kg,
       coalesce(sum(co.utilised_kg), 0)::text AS utilised_kg,
       coalesce(sum(co.utilisation_base_kg), 0)::text AS utilisation_base_kg,
       coalesce(sum(co.harmless_kg), 0)::text AS harmless_kg,
       coalesce(sum(gr.grade_records), 0)::int AS grade_records,
       coalesce(sum(gr.graded), 0)::int AS graded,
       coalesce(sum(gr.passed), 0)::int AS passed,
       coalesce(sum(le.letter_households), 0)::int AS letter_households,
       coalesce(sum(le.letters), 0)::int AS letters,
       coalesce(sum(gr.unqualified_before), 0)::int AS unqualified_before,
       coalesce(sum(gr.upgraded), 0)::int AS upgraded
  FROM month m
 CROSS JOIN compound c
  LEFT JOIN household_count hc ON hc.compound_id = c.id
  LEFT JOIN collected co ON co.month = m.month AND co.compound_id = c.id
  LEFT JOIN graded gr ON gr.month = m.month AND gr.compound_id = c.id
  LEFT JOIN letter le ON le.month = m.month AND le.compound_id = c.id
 GROUP BY GROUPING SETS ((m.month), (m.month, c.child_id))
 ORDER BY 1`;

export interface MetricsOfMonth {
  unit: UnitMetrics;
  /** The units directly below, in code order (none below a compound, or when not asked for). */
  children: UnitMetrics[];
}

/**
 * The district's headline figures for any unit of the territory and any month, computed each time they are
 * asked for from the registry and three monthly summaries that triggers keep exact in the transaction writing the rows
 * they count (collection_month_total, grade_month_total, letter_month_total). Nothing is cached, so a late
 * import or a corrected grade shows at once. Households are those of the registry now (it keeps no history of moves);
 * grades and letters count in the compound their household is in.
 */
@Injectable()
export class DistrictMetricsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  /** Every month from `from` to `to` (YYYY-MM, inclusive, oldest first), each with the units directly below when asked. */
  async metrics(caller: Caller, orgUnitId: string, from: string, to: string, withChildren: boolean): Promise<MetricsOfMonth[]> {
    const months = monthRange(from, to);
    const unit = await this.territory.requireInScope(caller, orgUnitId);
    const rows = await queryRows<SumsRow>(this.dataSource, ROLL_UP_SQL, [
      unit.id,
      monthStart(months[0]),
      monthStart(months.at(-1)!),
      unit.path.length + 1,
    ]);
    const children =
      withChildren && unit.kind !== 'COMPOUND'
        ? await queryRows<TerritoryUnit>(
            this.dataSource,
            `SELECT id, kind, code, name, path::text[] AS path FROM territory_unit WHERE parent_id = $1 ORDER BY code`,
            [unit.id],
          )
        : [];
    return months.map((month) => {
      const ofMonth = rows.filter((row) => row.month === month);
      const sums = (childId: string | null) => ofMonth.find((row) => row.child_id === childId) ?? emptySums(month, childId);
      return {
        unit: toUnitMetrics(unit, month, sums(null)),
        children: children.map((child) => toUnitMetrics(child, month, sums(child.id))),
      };
    });
  }
}

/** Validates a range of months: each YYYY-MM, `from` ≤ `to` ≤ this month, at most MAX_METRIC_MONTHS of them. */
export function monthRange(fromArg: string, toArg: string, currentMonth = shanghaiMonth()): string[] {
  const from = parseMonth(fromArg, 'from');
  const to = parseMonth(toArg, 'to');
  if (to > currentMonth)
    throw DomainError.badInput(`${to} has not begun yet (this month is ${currentMonth})`, 'FUTURE_MONTH', { currentMonth });
  if (from > to) throw DomainError.badInput('from must not be after to', 'INVALID_RANGE');
  const months = [from];
  while (months.at(-1)! < to) months.push(addMonths(months.at(-1)!, 1));
  if (months.length > MAX_METRIC_MONTHS) {
    throw DomainError.badInput(`Ask for at most ${MAX_METRIC_MONTHS} months at a time`, 'RANGE_TOO_LONG', { maxMonths: MAX_METRIC_MONTHS });
  }
  return months;
}

function emptySums(month: string, childId: string | null): SumsRow {
  return {
    month,
    child_id: childId,
    households: 0,
    served_households: 0,
    collection_records: 0,
    collected_kg: '0',
    recycled_kg: '0',
    utilised_kg: '0',
    utilisation_base_kg: '0',
    harmless_kg: '0',
    grade_records: 0,
    graded: 0,
    passed: 0,
    letter_households: 0,
    letters: 0,
    unqualified_before: 0,
    upgraded: 0,
  };
}

function toUnitMetrics(unit: TerritoryUnit, month: string, sums: SumsRow): UnitMetrics {
  const collected = Number(sums.collected_kg);
  const parts: Record<MetricKey, [numerator: number, denominator: number, records: number]> = {
    [MetricKey.COLLECTION_COVERAGE]: [sums.served_households, sums.households, sums.collection_records],
    [MetricKey.RECYCLING_RATE]: [Number(sums.recycled_kg), collected, sums.collection_records],
    [MetricKey.RESOURCE_UTILISATION_RATE]: [Number(sums.utilised_kg), Number(sums.utilisation_base_kg), sums.collection_records],
    [MetricKey.HARMLESS_TREATMENT_RATE]: [Number(sums.harmless_kg), collected, sums.collection_records],
    [MetricKey.SORTING_PASS_RATE]: [sums.passed, sums.graded, sums.grade_records],
    [MetricKey.COMMITMENT_LETTER_COVERAGE]: [sums.letter_households, sums.households, sums.letters],
    [MetricKey.UPGRADE_RATE]: [sums.upgraded, sums.unqualified_before, sums.unqualified_before],
  };
  const figures: MetricFigure[] = METRICS.map(({ key }) => {
    const [numerator, denominator, recordCount] = parts[key];
    return { key, numerator, denominator, value: ratio(numerator, denominator), recordCount };
  });
  return {
    unitId: unit.id,
    unitCode: unit.code,
    unitName: unit.name,
    unitKind: unit.kind,
    month,
    households: sums.households,
    collectedKg: collected,
    figures,
  };
}
