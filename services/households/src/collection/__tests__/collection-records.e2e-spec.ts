import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import type { PlanUnit } from '#libs/demo-data';
import { ServiceName } from '#libs/messaging';
import { errorCodes, type GraphQLResponse } from '#libs/testing';
import { startPlatform, type TestPlatform } from '#tools/test-platform';

const IMPORT = `mutation($csv: String!, $fileName: String) {
  importCollectionRecords(csv: $csv, fileName: $fileName) { alreadyImported import { id fileName sha256 rowCount totalKg importedBy } }
}`;
const RECORDS = `query($point: ID, $compound: ID, $org: ID, $from: LocalDate, $to: LocalDate, $stream: WasteStream, $first: Int, $after: String) {
  collectionRecords(collectionPointId: $point, compoundId: $compound, orgUnitId: $org, from: $from, to: $to, stream: $stream, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id day stream streamLabelZh weightKg destination destinationLabelZh vehicle operator source sourceLabelZh importId
      collectionPointId collectionPoint { id name } compound { id } } }
  }
}`;
const RECORD = `mutation($input: RecordCollectionInput!) {
  recordCollection(input: $input) { id day stream weightKg destination source importId collectionPointId compound { id } }
}`;
const IMPORTS = `query { collectionImports(first: 100) { totalCount edges { node { id fileName rowCount totalKg } } } }`;

const HEADER = 'date,collection_point_id,stream,weight_kg,destination,vehicle,operator';
/** A Shanghai date `days` from today. */
const shanghaiDate = (days = 0) => new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
const csvOf = (...lines: string[]) => [HEADER, ...lines].join('\r\n') + '\r\n';

interface Point {
  id: string;
  compoundId: string;
  kind: string;
}

describe('collection records and their CSV import through the gateway', () => {
  let platform: TestPlatform;
  let streetA: PlanUnit;
  let streetB: PlanUnit;
  let pointsA: Point[];
  let pointB: Point;
  let adminA: string;
  const today = shanghaiDate();

  const db = () => platform.database(ServiceName.Households);
  const todaysRecords = async () =>
    (await db().query(`SELECT count(*)::int AS count FROM collection_record WHERE day = $1`, [today]))[0].count as number;
  const importErrors = (response: GraphQLResponse) =>
    response.errors?.[0]?.extensions?.details?.errors as { line: number; column: string | null; code: string; message: string }[];

  beforeAll(async () => {
    platform = await startPlatform();
    [streetA, streetB] = platform.plan.streets;
    const pointsIn = (street: PlanUnit): Promise<Point[]> =>
      db().query(
        `SELECT p.id, p.compound_id AS "compoundId", p.kind FROM collection_point p JOIN territory_unit t ON t.id = p.compound_id
        WHERE t.path @> ARRAY[$1::uuid] ORDER BY p.compound_id, p.kind`,
        [street.id],
      );
    pointsA = (await pointsIn(streetA)).filter((p) => p.kind === 'REGULAR');
    [pointB] = (await pointsIn(streetB)).filter((p) => p.kind === 'REGULAR');
    adminA = await platform.token([Role.STREET_ADMIN], streetA.id);
  });

  afterAll(() => platform.stop());

  it('seeds a demo year: every point has a record every day of the 12 months before this one, shaped for a ~71% recycling rate', async () => {
    const [year, month] = today.split('-').map(Number);
    const from = new Date(Date.UTC(year - 1, month - 1, 1));
    const to = new Date(Date.UTC(year, month - 1, 1) - 86400_000);
    const days = Math.round((to.getTime() - from.getTime()) / 86400_000) + 1;
    const rows: { points: number; covered: number; minDay: string; maxDay: string; recycling: string; landfill: string }[] =
      await db().query(
        `SELECT (SELECT count(*)::int FROM collection_point) AS points,
              count(*) FILTER (WHERE n = $1)::int AS covered, min(first)::text AS "minDay", max(last)::text AS "maxDay",
              (SELECT round(sum(weight_kg) FILTER (WHERE destination IN ('RECYCLING_PLANT', 'KITCHEN_TREATMENT')) / sum(weight_kg), 3)::text
                 FROM collection_record) AS recycling,
              (SELECT coalesce(sum(weight_kg), 0)::text FROM collection_record WHERE destination = 'LANDFILL') AS landfill
         FROM (SELECT collection_point_id, count(DISTINCT day) AS n, min(day) AS first, max(day) AS last
                 FROM collection_record GROUP BY 1) per_point`,
        [days],
      );
    expect(rows[0]).toEqual({
      points: rows[0].points,
      covered: rows[0].points,
      minDay: from.toISOString().slice(0, 10),
      maxDay: to.toISOString().slice(0, 10),
      recycling: expect.stringMatching(/^0\.7[01]\d$/),
      landfill: '0',
    });
    expect(rows[0].points).toBeGreaterThan(10);
  });

  it('imports a valid file (BOM, CRLF, quoted fields, Chinese labels) with every row and the hand-computed totals', async () => {
    const [p1, p2] = pointsA;
    const csv =
      '\uFEFF' +
      csvOf(
        `${today},${p1.id},KITCHEN,120.50,KITCHEN_TREATMENT,浙B·12345,"王师傅, 李师傅"`,
        `${today},${p1.id},可回收物,60.25,再生资源利用,浙B·12345,`,
        `${today},${p2.id},OTHER,74,焚烧发电,,"说""好"""`,
        `${today},${p2.id},HAZARDOUS,3.75,HAZARDOUS_TREATMENT,,`,
      );
    const before = await todaysRecords();
    const response: any = await platform.query(adminA, IMPORT, { csv, fileName: 'station-1.csv' });
    expect(response.errors).toBeUndefined();
    expect(response.data.importCollectionRecords).toMatchObject({
      alreadyImported: false,
      import: { fileName: 'station-1.csv', rowCount: 4, totalKg: '258.50', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(await todaysRecords()).toBe(before + 4);

    const listed: any = await platform.query(adminA, RECORDS, { point: p1.id, from: today, to: today });
    expect(listed.errors).toBeUndefined();
    const nodes = listed.data.collectionRecords.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => [n.stream, n.weightKg, n.destination, n.operator]).sort()).toEqual([
      ['KITCHEN', '120.50', 'KITCHEN_TREATMENT', '王师傅, 李师傅'],
      ['RECYCLABLE', '60.25', 'RECYCLING_PLANT', null],
    ]);
    expect(nodes[0]).toMatchObject({
      source: 'IMPORT',
      sourceLabelZh: '文件导入',
      importId: response.data.importCollectionRecords.import.id,
      collectionPoint: { id: p1.id },
      compound: { id: p1.compoundId },
    });
    const p2Records: any = await platform.query(adminA, RECORDS, { point: p2.id, from: today, to: today, stream: 'OTHER' });
    expect(p2Records.data.collectionRecords.edges[0].node).toMatchObject({
      weightKg: '74.00',
      streamLabelZh: '其他垃圾',
      destinationLabelZh: '焚烧发电',
      operator: '说"好"',
    });

    const imports: any = await platform.query(adminA, IMPORTS);
    expect(imports.data.collectionImports.edges.map((e: any) => e.node.fileName)).toContain('station-1.csv');
  });

  it('refuses a file with errors, listing each by line and column, and imports none of its rows', async () => {
    const [p1, p2] = pointsA;
    const csv = csvOf(
      `${today},${p2.id},KITCHEN,10,KITCHEN_TREATMENT,,`,
      `${today},${p2.id},KITCHEN,-5,KITCHEN_TREATMENT,,`,
      `${shanghaiDate(1)},${p2.id},RECYCLABLE,5,RECYCLING_PLANT,,`,
      `2026-02-30,${p2.id},RECYCLABLE,5,RECYCLING_PLANT,,`,
      `${today},${p2.id},GLASS,5,RECYCLING_PLANT,,`,
      `${today},${p2.id},KITCHEN,10,KITCHEN_TREATMENT,,`,
      `${today},${randomUUID()},OTHER,5,INCINERATION,,`,
      `${today},${p1.id},OTHER,5000.01,INCINERATION,,`,
      `${today},${p2.id},OTHER,5`,
    );
    const before = await todaysRecords();
    const response = await platform.query(adminA, IMPORT, { csv });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors![0].extensions).toMatchObject({ reason: 'INVALID_IMPORT_FILE', details: { errorCount: 8 } });
    expect(importErrors(response).map((e) => [e.line, e.column, e.code])).toEqual([
      [3, 'weight_kg', 'NEGATIVE_WEIGHT'],
      [4, 'date', 'FUTURE_DATE'],
      [5, 'date', 'INVALID_DATE'],
      [6, 'stream', 'INVALID_STREAM'],
      [7, null, 'DUPLICATE_ROW'],
      [8, 'collection_point_id', 'UNKNOWN_COLLECTION_POINT'],
      [9, 'weight_kg', 'OVER_CEILING'],
      [10, null, 'COLUMN_COUNT'],
    ]);
    expect(importErrors(response)[4].message).toContain('line 2');
    expect(await todaysRecords()).toBe(before);
  });

  it("refuses an unknown point, a future date and the ceiling on a point's day (this file plus what is recorded) when alone", async () => {
    const [, , p3] = pointsA;
    const unknown = await platform.query(adminA, IMPORT, { csv: csvOf(`${today},${randomUUID()},OTHER,5,INCINERATION,,`) });
    expect(importErrors(unknown)).toEqual([expect.objectContaining({ line: 2, code: 'UNKNOWN_COLLECTION_POINT' })]);
    const future = await platform.query(adminA, IMPORT, { csv: csvOf(`${shanghaiDate(2)},${p3.id},OTHER,5,INCINERATION,,`) });
    expect(importErrors(future)).toEqual([expect.objectContaining({ line: 2, code: 'FUTURE_DATE', column: 'date' })]);
    const overDay = await platform.query(adminA, IMPORT, {
      csv: csvOf(`${today},${p3.id},OTHER,3000,INCINERATION,,`, `${today},${p3.id},KITCHEN,2500,KITCHEN_TREATMENT,,`),
    });
    expect(importErrors(overDay)).toEqual([expect.objectContaining({ line: 2, code: 'OVER_CEILING', column: 'weight_kg' })]);
    expect(importErrors(overDay)[0].message).toContain('5500');
  });

  it('refuses wrong headers with one error and accepts the Chinese header', async () => {
    const [, , , p4] = pointsA;
    const wrong = await platform.query(adminA, IMPORT, { csv: `date,point,stream,kg\n${today},${p4.id},OTHER,5\n${today},x,y,z\n` });
    expect(importErrors(wrong)).toEqual([expect.objectContaining({ line: 1, column: null, code: 'HEADER' })]);
    const chinese: any = await platform.query(adminA, IMPORT, {
      csv: `日期,投放点编号,垃圾类别,重量(kg),去向,车辆,操作员\n${today},${p4.id},其他垃圾,12.3,焚烧发电,,\n`,
    });
    expect(chinese.errors).toBeUndefined();
    expect(chinese.data.importCollectionRecords.import).toMatchObject({ rowCount: 1, totalKg: '12.30' });
  });

  it('refuses a file that is not UTF-8 (ENCODING) and imports nothing', async () => {
    const [, , , p4] = pointsA;
    const before = await todaysRecords();
    const text = csvOf(`${today},${p4.id},KITCHEN,5,KITCHEN_TREATMENT,,`, `${today},${p4.id},RECYCLABLE,5,RECYCLING_PLANT,,MARK`);
    const json = JSON.stringify({ query: IMPORT, variables: { csv: text } });
    const [head, tail] = json.split('MARK');
    // GBK bytes of 王 (0xCD 0xF5): what a station's spreadsheet saves when not told to use UTF-8.
    const body = Buffer.concat([Buffer.from(head), Buffer.from([0xcd, 0xf5]), Buffer.from(tail)]);
    const response = await fetch(platform.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminA}` },
      body,
    });
    const result = (await response.json()) as GraphQLResponse;
    expect(importErrors(result)).toEqual([expect.objectContaining({ line: 3, code: 'ENCODING' })]);
    expect(await todaysRecords()).toBe(before);
  });

  it('imports the same file once, also when the imports race', async () => {
    const [, , , , p5, p6] = pointsA;
    const csv = csvOf(`${today},${p5.id},KITCHEN,100,KITCHEN_TREATMENT,,`, `${today},${p5.id},OTHER,50,INCINERATION,,`);
    const first: any = await platform.query(adminA, IMPORT, { csv, fileName: 'twice.csv' });
    expect(first.errors).toBeUndefined();
    const after = await todaysRecords();
    const second: any = await platform.query(adminA, IMPORT, { csv, fileName: 'again.csv' });
    expect(second.data.importCollectionRecords).toEqual({ ...first.data.importCollectionRecords, alreadyImported: true });
    expect(await todaysRecords()).toBe(after);

    const racing = csvOf(
      `${today},${p6.id},KITCHEN,80,KITCHEN_TREATMENT,,`,
      `${today},${p6.id},OTHER,40,INCINERATION,,`,
      `${today},${p6.id},RECYCLABLE,30,RECYCLING_PLANT,,`,
    );
    const results: any[] = await Promise.all(Array.from({ length: 8 }, () => platform.query(adminA, IMPORT, { csv: racing })));
    expect(results.flatMap((r) => r.errors ?? [])).toEqual([]);
    const outcomes = results.map((r) => r.data.importCollectionRecords);
    expect(new Set(outcomes.map((o) => o.import.id)).size).toBe(1);
    expect(outcomes.filter((o) => !o.alreadyImported)).toHaveLength(1);
    expect(await todaysRecords()).toBe(after + 3);
  });

  it("keeps to the caller's territory: a point outside it is an error by line, and lists show only the territory", async () => {
    const [p1] = pointsA;
    const adminB = await platform.token([Role.STREET_ADMIN], streetB.id);
    const outside = await platform.query(adminB, IMPORT, {
      csv: csvOf(`${today},${pointB.id},OTHER,5,INCINERATION,,`, `${today},${p1.id},OTHER,6,INCINERATION,,`),
    });
    expect(importErrors(outside)).toEqual([expect.objectContaining({ line: 3, code: 'OUT_OF_SCOPE', column: 'collection_point_id' })]);
    const seen: any = await platform.query(adminB, RECORDS, { from: today, to: today, first: 500 });
    expect(seen.errors).toBeUndefined();
    expect(seen.data.collectionRecords.edges.every((e: any) => e.node.collectionPointId !== p1.id)).toBe(true);
    const foreign = await platform.query(adminB, RECORDS, { org: streetA.id });
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'OUT_OF_SCOPE' });
    const inspector = await platform.token([Role.INSPECTOR], streetA.id);
    expect(errorCodes(await platform.query(inspector, IMPORT, { csv: csvOf(`${today},${p1.id},OTHER,5,INCINERATION,,`) }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  it('records one weight by hand, once per point, day, stream and destination', async () => {
    const [, , , , , , p7] = pointsA;
    const secretary = await platform.token([Role.DISTRICT_ADMIN]);
    const input = {
      collectionPointId: p7.id,
      day: today,
      stream: 'KITCHEN',
      weightKg: 42.456,
      destination: 'KITCHEN_TREATMENT',
      vehicle: '浙B·0001',
    };
    const response: any = await platform.query(secretary, RECORD, { input });
    expect(response.errors).toBeUndefined();
    expect(response.data.recordCollection).toMatchObject({
      weightKg: '42.46',
      source: 'MANUAL',
      importId: null,
      compound: { id: p7.compoundId },
    });
    const again = await platform.query(secretary, RECORD, { input });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_RECORDED' });
    const future = await platform.query(secretary, RECORD, { input: { ...input, day: shanghaiDate(1) } });
    expect(future.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'FUTURE_DATE' });
    const over = await platform.query(secretary, RECORD, {
      input: { ...input, stream: 'OTHER', destination: 'INCINERATION', weightKg: 4990 },
    });
    expect(over.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'OVER_CEILING' });
    const compoundLevel: any = await platform.query(secretary, RECORD, {
      input: { compoundId: p7.compoundId, day: today, stream: 'OTHER', weightKg: 10, destination: 'INCINERATION' },
    });
    expect(compoundLevel.data.recordCollection).toMatchObject({ collectionPointId: null, compound: { id: p7.compoundId } });
    const compoundAgain = await platform.query(secretary, RECORD, {
      input: { compoundId: p7.compoundId, day: today, stream: 'OTHER', weightKg: 11, destination: 'INCINERATION' },
    });
    expect(compoundAgain.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_RECORDED' });
  });
});
