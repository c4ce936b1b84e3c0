import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import { Role } from '#libs/auth';
import { addMonths, shanghaiMonth } from '#libs/calendar';
import type { PlanUnit } from '#libs/demo-data';
import { ServiceName } from '#libs/messaging';
import { errorCodes } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { parseCsv } from '../../collection/csv.js';

const FIGURE = 'key numerator denominator value recordCount target formula measuredIn labelZh';
const METRICS = `query($unit: ID!, $month: String!) {
  districtMetrics(orgUnitId: $unit, month: $month) {
    orgUnit { id } month households collectedKg
    collectionCoverage { ${FIGURE} } recyclingRate { ${FIGURE} } resourceUtilisationRate { ${FIGURE} } harmlessTreatmentRate { ${FIGURE} }
    sortingPassRate { ${FIGURE} } commitmentLetterCoverage { ${FIGURE} } upgradesFromUnqualified { ${FIGURE} }
    figures { ${FIGURE} }
    children { orgUnit { id } month households collectedKg figures { ${FIGURE} } children { month } }
  }
}`;
const RANGE = `query($unit: ID!, $from: String!, $to: String!) {
  districtMetricsRange(orgUnitId: $unit, from: $from, to: $to) { month households figures { ${FIGURE} } children { month } }
}`;
const RECORD = `mutation($input: RecordCollectionInput!) { recordCollection(input: $input) { id } }`;

type Figure = {
  key: string;
  numerator: number;
  denominator: number;
  value: number | null;
  recordCount: number;
  target: number | null;
  formula: string;
};
/** [numerator, denominator, value, recordCount] of every figure, by key. */
const figuresOf = (metrics: { figures: Figure[] }) =>
  Object.fromEntries(metrics.figures.map((f) => [f.key, [f.numerator, f.denominator, f.value, f.recordCount]]));

/**
 * The formulas against hand-computed values: street A of the test district, emptied of its seeded households, gets
 * ten households in three compounds of two communities, and a month before the seeded demo year (so no seeded
 * record, grade or letter falls in it) gets eight collection records, grades for two months and five letters.
 */
describe('district metrics: formulas, roll-up and provenance through the gateway', () => {
  let platform: TestPlatform;
  let streetA: PlanUnit;
  let streetB: PlanUnit;
  let a1: PlanUnit;
  let a2: PlanUnit;
  let adminA: string;
  let districtAdmin: string;
  const month = addMonths(shanghaiMonth(), -14);
  const before = addMonths(month, -1);
  const db = () => platform.database(ServiceName.Households);

  beforeAll(async () => {
    platform = await startPlatform();
    const { plan } = platform;
    [streetA, streetB] = plan.streets;
    [a1, a2] = plan.communities.filter((c) => c.parentId === streetA.id);
    const [c11, c12] = plan.compounds.filter((c) => c.parentId === a1.id);
    const [c21] = plan.compounds.filter((c) => c.parentId === a2.id);
    adminA = await platform.token([Role.STREET_ADMIN], streetA.id);
    districtAdmin = await platform.token([Role.DISTRICT_ADMIN], null);

    // Street A keeps only the fixture's households: 4 in c11, 2 in c12, 4 in c21.
    await db().query(`DELETE FROM household WHERE compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[$1::uuid])`, [
      streetA.id,
    ]);
    const h = Array.from({ length: 10 }, () => randomUUID());
    const compoundOf = [c11, c11, c11, c11, c12, c12, c21, c21, c21, c21];
    await db().query(
      `INSERT INTO household (id, compound_id, building, unit, room, tenure)
       SELECT id, compound_id, 1, 1, 100 + n, 'OWNER' FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS x(id, compound_id, n)`,
      [h, compoundOf.map((c) => c.id)],
    );

    // Collection records of the month, through the API: c11 at its point, c21 at the compound, c12 none.
    const [point11]: { id: string }[] = await db().query(
      `SELECT id FROM collection_point WHERE compound_id = $1 AND kind = 'REGULAR' LIMIT 1`,
      [c11.id],
    );
    const records = [
      { collectionPointId: point11.id, day: `${month}-05`, stream: 'KITCHEN', weightKg: 100.25, destination: 'KITCHEN_TREATMENT' },
      { collectionPointId: point11.id, day: `${month}-05`, stream: 'RECYCLABLE', weightKg: 50, destination: 'RECYCLING_PLANT' },
      { collectionPointId: point11.id, day: `${month}-05`, stream: 'OTHER', weightKg: 40, destination: 'INCINERATION' },
      { collectionPointId: point11.id, day: `${month}-05`, stream: 'HAZARDOUS', weightKg: 2, destination: 'HAZARDOUS_TREATMENT' },
      { collectionPointId: point11.id, day: `${month}-20`, stream: 'OTHER', weightKg: 8, destination: 'LANDFILL' },
      { compoundId: c21.id, day: `${month}-05`, stream: 'KITCHEN', weightKg: 30, destination: 'INCINERATION' },
      { compoundId: c21.id, day: `${month}-05`, stream: 'HAZARDOUS', weightKg: 1, destination: 'INCINERATION' },
      { compoundId: c21.id, day: `${month}-20`, stream: 'RECYCLABLE', weightKg: 20, destination: 'RECYCLING_PLANT' },
      // The last day of the month before and the first of the month after stay out of the month.
      { compoundId: c21.id, day: `${before}-${lastDay(before)}`, stream: 'OTHER', weightKg: 500, destination: 'LANDFILL' },
      { compoundId: c21.id, day: `${addMonths(month, 1)}-01`, stream: 'OTHER', weightKg: 700, destination: 'LANDFILL' },
    ];
    for (const input of records) {
      const response = await platform.query(adminA, RECORD, { input });
      expect(response.errors).toBeUndefined();
    }

    // Grades: the month (h6 has none, h4 had no evidence) and the month before (for upgrades).
    const grades: [string, number, string | null][] = [
      [month, 0, 'QUALIFIED'],
      [month, 1, 'BASICALLY_QUALIFIED'],
      [month, 2, 'UNQUALIFIED'],
      [month, 3, null],
      [month, 4, 'QUALIFIED'],
      [month, 6, 'QUALIFIED'],
      [month, 7, 'BASICALLY_QUALIFIED'],
      [month, 8, 'UNQUALIFIED'],
      [month, 9, 'QUALIFIED'],
      [before, 0, 'UNQUALIFIED'],
      [before, 6, 'UNQUALIFIED'],
      [before, 7, 'UNQUALIFIED'],
      [before, 4, 'QUALIFIED'],
      [before, 8, 'UNQUALIFIED'],
    ];
    await db().query(
      `INSERT INTO monthly_grade (month, household_id, status, grade, score, inspection_count, reasons, rule_set_id, rule_version, run_id)
       SELECT (m || '-01')::date, hh, CASE WHEN g IS NULL THEN 'NO_EVIDENCE' ELSE 'GRADED' END, g, NULL, 1, '[]', gen_random_uuid(), 1, gen_random_uuid()
         FROM unnest($1::text[], $2::uuid[], $3::text[]) AS x(m, hh, g)`,
      [grades.map(([m]) => m), grades.map(([, i]) => h[i]), grades.map(([, , g]) => g)],
    );

    // Letters: h1 twice (the month before and in the month), h5 on the month's last day, h7 after the month, h10 long before.
    const letters: [number, string][] = [
      [0, `${before}-10`],
      [0, `${month}-03`],
      [4, `${month}-${lastDay(month)}`],
      [6, `${addMonths(month, 1)}-02`],
      [9, `${addMonths(month, -3)}-15`],
    ];
    await db().query(
      `WITH signer AS (
         INSERT INTO resident (household_id, name, occupation, birth_date)
         SELECT DISTINCT hh, '测试', 'RETIRED', DATE '1960-05-01' FROM unnest($1::uuid[]) AS hh RETURNING id, household_id)
       INSERT INTO commitment_letter (household_id, signer_resident_id, signed_on, recorded_by)
       SELECT x.hh, s.id, x.d::date, 'test' FROM unnest($1::uuid[], $2::text[]) AS x(hh, d) JOIN signer s ON s.household_id = x.hh`,
      [letters.map(([i]) => h[i]), letters.map(([, d]) => d)],
    );
  });

  const report = (token: string | null, path: string) =>
    fetch(`${platform.gatewayUrl.replace(/\/graphql$/, '')}/reports/monthly/${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  afterAll(() => platform.stop());

  it('computes every figure of a street, and of each community in it, as the hand-computed fractions', async () => {
    const response: any = await platform.query(adminA, METRICS, { unit: streetA.id, month });
    expect(response.errors).toBeUndefined();
    const street = response.data.districtMetrics;
    expect(street).toMatchObject({ orgUnit: { id: streetA.id }, month, households: 10, collectedKg: 251.25 });
    expect(figuresOf(street)).toEqual({
      COLLECTION_COVERAGE: [8, 10, 0.8, 8],
      RECYCLING_RATE: [170.25, 251.25, 0.6776, 8],
      RESOURCE_UTILISATION_RATE: [241.25, 249.25, 0.9679, 8],
      HARMLESS_TREATMENT_RATE: [250.25, 251.25, 0.996, 8],
      SORTING_PASS_RATE: [6, 8, 0.75, 9],
      COMMITMENT_LETTER_COVERAGE: [3, 10, 0.3, 4],
      UPGRADE_RATE: [2, 4, 0.5, 4],
    });
    // The named fields are the same figures, with their formula and the published target where there is one.
    expect(street.recyclingRate).toMatchObject({
      key: 'RECYCLING_RATE',
      numerator: 170.25,
      target: 0.71,
      measuredIn: 'KILOGRAMS',
      labelZh: '回收利用率',
    });
    expect(street.recyclingRate.formula).toMatch(/recycling plants and kitchen-waste treatment/);
    expect(street.upgradesFromUnqualified).toMatchObject({
      key: 'UPGRADE_RATE',
      numerator: 2,
      denominator: 4,
      target: null,
      measuredIn: 'HOUSEHOLDS',
    });

    const byId = new Map(street.children.map((child: any) => [child.orgUnit.id, child]));
    expect(street.children.length).toBe(platform.plan.communities.filter((c) => c.parentId === streetA.id).length);
    expect(figuresOf(byId.get(a1.id) as any)).toEqual({
      COLLECTION_COVERAGE: [4, 6, 0.6667, 5],
      RECYCLING_RATE: [150.25, 200.25, 0.7503, 5],
      RESOURCE_UTILISATION_RATE: [190.25, 198.25, 0.9596, 5],
      HARMLESS_TREATMENT_RATE: [200.25, 200.25, 1, 5],
      SORTING_PASS_RATE: [3, 4, 0.75, 5],
      COMMITMENT_LETTER_COVERAGE: [2, 6, 0.3333, 3],
      UPGRADE_RATE: [1, 1, 1, 1],
    });
    expect(figuresOf(byId.get(a2.id) as any)).toEqual({
      COLLECTION_COVERAGE: [4, 4, 1, 3],
      RECYCLING_RATE: [20, 51, 0.3922, 3],
      RESOURCE_UTILISATION_RATE: [51, 51, 1, 3],
      HARMLESS_TREATMENT_RATE: [50, 51, 0.9804, 3],
      SORTING_PASS_RATE: [3, 4, 0.75, 4],
      COMMITMENT_LETTER_COVERAGE: [1, 4, 0.25, 1],
      UPGRADE_RATE: [1, 3, 0.3333, 3],
    });
    // A community without households or records has zeros, and no value where there is nothing to divide by.
    const empty = street.children.find((child: any) => child.orgUnit.id !== a1.id && child.orgUnit.id !== a2.id);
    expect(figuresOf(empty).RECYCLING_RATE).toEqual([0, 0, null, 0]);
    expect(empty.households).toBe(0);
  });

  it('computes a compound on its own, with nothing below it', async () => {
    const [c11] = platform.plan.compounds.filter((c) => c.parentId === a1.id);
    const response: any = await platform.query(adminA, METRICS, { unit: c11.id, month });
    expect(response.errors).toBeUndefined();
    expect(response.data.districtMetrics).toMatchObject({ households: 4, collectedKg: 200.25, children: [] });
    expect(figuresOf(response.data.districtMetrics)).toMatchObject({
      COLLECTION_COVERAGE: [4, 4, 1, 5],
      RECYCLING_RATE: [150.25, 200.25, 0.7503, 5],
      SORTING_PASS_RATE: [2, 3, 0.6667, 4],
      COMMITMENT_LETTER_COVERAGE: [1, 4, 0.25, 2],
      UPGRADE_RATE: [1, 1, 1, 1],
    });
  });

  it('gives a range of months oldest first, the month before with its own figures', async () => {
    const response: any = await platform.query(adminA, RANGE, { unit: streetA.id, from: before, to: month });
    expect(response.errors).toBeUndefined();
    const [first, second] = response.data.districtMetricsRange;
    expect([first.month, second.month, first.children, second.children]).toEqual([before, month, [], []]);
    expect(figuresOf(first)).toEqual({
      COLLECTION_COVERAGE: [4, 10, 0.4, 1],
      RECYCLING_RATE: [0, 500, 0, 1],
      RESOURCE_UTILISATION_RATE: [0, 500, 0, 1],
      HARMLESS_TREATMENT_RATE: [500, 500, 1, 1],
      SORTING_PASS_RATE: [1, 5, 0.2, 5],
      COMMITMENT_LETTER_COVERAGE: [2, 10, 0.2, 2],
      UPGRADE_RATE: [0, 0, null, 0],
    });
    expect(figuresOf(second)).toEqual(
      figuresOf((await platform.query(adminA, METRICS, { unit: streetA.id, month })).data!.districtMetrics),
    );
  });

  it('rolls up: the district equals the sum of its streets, and the raw records of the whole district, for a month of the demo year', async () => {
    const demoMonth = addMonths(shanghaiMonth(), -1);
    const response: any = await platform.query(districtAdmin, METRICS, { unit: platform.plan.district.id, month: demoMonth });
    expect(response.errors).toBeUndefined();
    const district = response.data.districtMetrics;
    expect(district.children.map((child: any) => child.orgUnit.id)).toEqual(platform.plan.streets.map((s) => s.id));
    for (const [index, figure] of district.figures.entries() as IterableIterator<[number, Figure]>) {
      const sum = (pick: (f: Figure) => number) =>
        district.children.reduce((total: number, child: any) => total + pick(child.figures[index]), 0);
      expect([figure.key, round2(sum((f) => f.numerator)), round2(sum((f) => f.denominator)), sum((f) => f.recordCount)]).toEqual([
        figure.key,
        figure.numerator,
        figure.denominator,
        figure.recordCount,
      ]);
    }

    // The same figures straight from the raw rows, with no territory tree at all: every row of the database is in the district.
    const first = `${demoMonth}-01`;
    const [raw] = await db().query(
      `SELECT (SELECT count(*)::int FROM household) AS households,
              (SELECT count(*)::int FROM household WHERE compound_id IN (SELECT compound_id FROM collection_record
                 WHERE day >= $1::date AND day < $1::date + interval '1 month')) AS served,
              (SELECT count(*)::int FROM collection_record WHERE day >= $1::date AND day < $1::date + interval '1 month') AS records,
              (SELECT sum(weight_kg)::float8 FROM collection_record WHERE day >= $1::date AND day < $1::date + interval '1 month') AS total,
              (SELECT sum(weight_kg)::float8 FROM collection_record WHERE day >= $1::date AND day < $1::date + interval '1 month'
                  AND destination IN ('RECYCLING_PLANT', 'KITCHEN_TREATMENT')) AS recycled,
              (SELECT count(*)::int FROM monthly_grade g JOIN household h ON h.id = g.household_id WHERE g.month = $1::date AND g.status = 'GRADED') AS graded,
              (SELECT count(*)::int FROM monthly_grade g JOIN household h ON h.id = g.household_id
                WHERE g.month = $1::date AND g.grade IN ('QUALIFIED', 'BASICALLY_QUALIFIED')) AS passed,
              (SELECT count(DISTINCT l.household_id)::int FROM commitment_letter l WHERE l.signed_on < $1::date + interval '1 month') AS signed`,
      [first],
    );
    const figures = figuresOf(district);
    expect(figures.COLLECTION_COVERAGE.slice(0, 2)).toEqual([raw.served, raw.households]);
    expect(figures.RECYCLING_RATE.slice(0, 2)).toEqual([round2(raw.recycled), round2(raw.total)]);
    expect(figures.RECYCLING_RATE[3]).toBe(raw.records);
    expect(figures.SORTING_PASS_RATE.slice(0, 2)).toEqual([raw.passed, raw.graded]);
    expect(figures.COMMITMENT_LETTER_COVERAGE.slice(0, 2)).toEqual([raw.signed, raw.households]);
    expect(district.collectedKg).toBe(round2(raw.total));

    // The monthly totals the figures read are exactly the daily records summed, for every compound, month, stream and destination.
    const [{ differences }] = await db().query(
      `SELECT count(*)::int AS differences FROM (
         (SELECT compound_id, date_trunc('month', day)::date AS month, stream, destination, count(*)::int AS records, sum(weight_kg) AS kg
            FROM collection_record GROUP BY 1, 2, 3, 4
          EXCEPT SELECT compound_id, month, stream, destination, records, weight_kg FROM collection_month_total)
         UNION ALL
         (SELECT compound_id, month, stream, destination, records, weight_kg FROM collection_month_total
          EXCEPT SELECT compound_id, date_trunc('month', day)::date, stream, destination, count(*)::int, sum(weight_kg) FROM collection_record GROUP BY 1, 2, 3, 4)
       ) d`,
    );
    expect(differences).toBe(0);
    // And so are the monthly grade counts: the grades of the households in the registry, every compound and month.
    const [{ gradeDifferences }] = await db().query(
      `WITH raw AS (
         SELECT compound_id, month, sum(grade_records)::int AS grade_records, sum(graded)::int AS graded, sum(passed)::int AS passed,
                sum(unqualified_before)::int AS unqualified_before, sum(upgraded)::int AS upgraded
           FROM (SELECT h.compound_id, g.month, 1 AS grade_records, (g.status = 'GRADED')::int AS graded,
                        coalesce(g.grade IN ('QUALIFIED', 'BASICALLY_QUALIFIED'), false)::int AS passed, 0 AS unqualified_before, 0 AS upgraded
                   FROM monthly_grade g JOIN household h ON h.id = g.household_id
                 UNION ALL
                 SELECT h.compound_id, (p.month + interval '1 month')::date, 0, 0, 0, 1, (n.grade IS NOT DISTINCT FROM 'QUALIFIED')::int
                   FROM monthly_grade p JOIN household h ON h.id = p.household_id
                   LEFT JOIN monthly_grade n ON n.household_id = p.household_id AND n.month = (p.month + interval '1 month')::date
                  WHERE p.grade = 'UNQUALIFIED') counted
          GROUP BY 1, 2),
       kept AS (SELECT compound_id, month, grade_records, graded, passed, unqualified_before, upgraded FROM grade_month_total)
       SELECT count(*)::int AS "gradeDifferences" FROM ((SELECT * FROM raw EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM raw)) d`,
    );
    expect(gradeDifferences).toBe(0);
    // And the letters per signing month, each household's first letter flagged.
    const [{ letterDifferences }] = await db().query(
      `WITH raw AS (
         SELECT h.compound_id, date_trunc('month', l.signed_on)::date AS month, count(*)::int AS letters,
                count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM commitment_letter e WHERE e.household_id = l.household_id AND e.signed_on < l.signed_on))::int AS first
           FROM commitment_letter l JOIN household h ON h.id = l.household_id GROUP BY 1, 2),
       kept AS (SELECT compound_id, month, letters, first_letters FROM letter_month_total)
       SELECT count(*)::int AS "letterDifferences" FROM ((SELECT * FROM raw EXCEPT SELECT * FROM kept) UNION ALL (SELECT * FROM kept EXCEPT SELECT * FROM raw)) d`,
    );
    expect(letterDifferences).toBe(0);

    // The demo year is shaped to land near the district's published figures.
    expect(figures.RECYCLING_RATE[2]).toBeGreaterThan(0.69);
    expect(figures.RECYCLING_RATE[2]).toBeLessThan(0.73);
    expect([figures.RESOURCE_UTILISATION_RATE[2], figures.HARMLESS_TREATMENT_RATE[2], figures.COLLECTION_COVERAGE[2]]).toEqual([1, 1, 1]);
    expect(figures.SORTING_PASS_RATE[2]).toBeGreaterThanOrEqual(0.85);
  });

  it('downloads the monthly report as CSV: the street figures, then each community, with formulas', async () => {
    const response = await report(adminA, `${streetA.id}/${month}.csv`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="metrics-${streetA.code}-${month}.csv"`);
    const text = await response.text();
    const [header, ...rows] = parseCsv(text).map((record) => record.fields);
    expect(header).toEqual([
      'month',
      'unit_code',
      'unit_name',
      'unit_kind',
      'metric',
      'metric_zh',
      'numerator',
      'denominator',
      'measured_in',
      'value',
      'target',
      'record_count',
      'formula',
    ]);
    const communities = platform.plan.communities.filter((c) => c.parentId === streetA.id);
    expect(rows.length).toBe(7 * (1 + communities.length));
    const row = (unit: PlanUnit, metric: string) => {
      const found = rows.find((fields) => fields[1] === unit.code && fields[4] === metric)!;
      return Object.fromEntries(header.map((name, index) => [name, found[index]]));
    };
    expect(row(streetA, 'RECYCLING_RATE')).toMatchObject({
      month,
      unit_name: streetA.name,
      unit_kind: 'STREET',
      metric_zh: '回收利用率',
      numerator: '170.25',
      denominator: '251.25',
      measured_in: 'KILOGRAMS',
      value: '0.6776',
      record_count: '8',
      formula: expect.stringMatching(/recycling plants/),
    });
    expect(row(a2, 'UPGRADE_RATE')).toMatchObject({ numerator: '1', denominator: '3', value: '0.3333', record_count: '3', target: '' });
  });

  it('renders the monthly report as a printable page with a chart per figure: a bar per community and the street, and a 12-month trend', async () => {
    const response = await report(adminA, `${streetA.id}/${month}.html`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await response.text();
    // The page is polyglot markup: after its doctype, well-formed XML that a real parser reads.
    const document = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_' }).parse(html);
    const charts = findAll(document, 'svg');
    expect(charts.map((svg) => svg['@_data-metric'])).toEqual([
      'COLLECTION_COVERAGE',
      'RECYCLING_RATE',
      'RESOURCE_UTILISATION_RATE',
      'HARMLESS_TREATMENT_RATE',
      'SORTING_PASS_RATE',
      'COMMITMENT_LETTER_COVERAGE',
      'UPGRADE_RATE',
    ]);
    const recycling = charts[1];
    const bars = Object.fromEntries(
      findAll(recycling, 'rect')
        .filter((rect) => rect['@_data-unit'])
        .map((rect) => [rect['@_data-unit'], rect['@_data-value']]),
    );
    const communities = platform.plan.communities.filter((c) => c.parentId === streetA.id);
    expect(Object.keys(bars).sort()).toEqual([streetA.code, ...communities.map((c) => c.code)].sort());
    expect([bars[streetA.code], bars[a1.code], bars[a2.code]]).toEqual(['0.6776', '0.7503', '0.3922']);
    // Twelve months up to the report's: a point where there is a value, a dash where nothing was collected.
    const [trend] = findAll(recycling, 'g').filter((group) => group['@_class'] === 'trend');
    expect(trend['@_data-months']).toBe('12');
    expect(findAll(trend, 'circle').map((point) => [point['@_data-month'], point['@_data-value']])).toEqual([
      [before, '0.0000'],
      [month, '0.6776'],
    ]);
    expect(findAll(trend, 'text').filter((label) => label['@_data-month']).length).toBe(10);
  });

  it('keeps reports to the territory and role of the caller, and refuses what is not a report', async () => {
    expect((await report(null, `${streetA.id}/${month}.csv`)).status).toBe(401);
    const adminB = await platform.token([Role.STREET_ADMIN], streetB.id);
    const forbidden = await report(adminB, `${streetA.id}/${month}.html`);
    expect([forbidden.status, ((await forbidden.json()) as any).error]).toEqual([
      403,
      expect.objectContaining({ code: 'FORBIDDEN', reason: 'OUT_OF_SCOPE' }),
    ]);
    const resident = await platform.token([Role.RESIDENT], a1.id, 'resident', randomUUID());
    expect((await report(resident, `${streetA.id}/${month}.csv`)).status).toBe(403);
    const badMonth = await report(adminA, `${streetA.id}/2026-13.csv`);
    expect([badMonth.status, ((await badMonth.json()) as any).error.reason]).toEqual([400, 'INVALID_MONTH']);
    expect((await report(adminA, `${streetA.id}/${month}.pdf`)).status).toBe(404);
  });

  it('shows a correction made in the database at once: a weight changed, a record removed', async () => {
    const fixture = `compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[$1::uuid]) AND day >= $2::date AND day < $2::date + interval '1 month'`;
    await db().query(`UPDATE collection_record SET weight_kg = 25 WHERE ${fixture} AND stream = 'RECYCLABLE' AND weight_kg = 20`, [
      streetA.id,
      `${month}-01`,
    ]);
    await db().query(`DELETE FROM collection_record WHERE ${fixture} AND destination = 'LANDFILL'`, [streetA.id, `${month}-01`]);
    const response: any = await platform.query(adminA, METRICS, { unit: streetA.id, month });
    expect(response.errors).toBeUndefined();
    const figures = figuresOf(response.data.districtMetrics);
    expect([figures.COLLECTION_COVERAGE, figures.RECYCLING_RATE, figures.HARMLESS_TREATMENT_RATE]).toEqual([
      [8, 10, 0.8, 7],
      [175.25, 248.25, 0.7059, 7],
      [247.25, 248.25, 0.996, 7],
    ]);
  });

  it('keeps each caller to their territory and refuses bad months with a reason', async () => {
    const adminB = await platform.token([Role.STREET_ADMIN], streetB.id);
    const other: any = await platform.query(adminB, METRICS, { unit: streetA.id, month });
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    expect(other.errors[0].extensions.reason).toBe('OUT_OF_SCOPE');

    const reasons = async (query: string, variables: Record<string, unknown>) => {
      const response: any = await platform.query(adminA, query, variables);
      return [errorCodes(response)[0], response.errors?.[0]?.extensions?.reason];
    };
    expect(await reasons(METRICS, { unit: streetA.id, month: '2026-13' })).toEqual(['BAD_USER_INPUT', 'INVALID_MONTH']);
    expect(await reasons(METRICS, { unit: streetA.id, month: addMonths(shanghaiMonth(), 1) })).toEqual(['BAD_USER_INPUT', 'FUTURE_MONTH']);
    expect(await reasons(RANGE, { unit: streetA.id, from: month, to: before })).toEqual(['BAD_USER_INPUT', 'INVALID_RANGE']);
    expect(await reasons(RANGE, { unit: streetA.id, from: addMonths(month, -36), to: month })).toEqual([
      'BAD_USER_INPUT',
      'RANGE_TOO_LONG',
    ]);
    expect(await reasons(METRICS, { unit: randomUUID(), month })).toEqual(['NOT_FOUND', undefined]);
  });
});

type XmlNode = Record<string, any>;

/** Every element named `tag` under `node`, as fast-xml-parser nests them. */
function findAll(node: unknown, tag: string): XmlNode[] {
  const found: XmlNode[] = [];
  const visit = (value: unknown, name: string | null) => {
    if (Array.isArray(value)) return value.forEach((item) => visit(item, name));
    if (name === tag && typeof value === 'object' && value !== null) found.push(value);
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) if (!key.startsWith('@_') && key !== '#text') visit(child, key);
  };
  visit(node, null);
  return found;
}

function lastDay(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return String(new Date(Date.UTC(year, m, 0)).getUTCDate()).padStart(2, '0');
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
