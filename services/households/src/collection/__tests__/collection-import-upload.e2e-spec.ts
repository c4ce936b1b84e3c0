import { createHash, randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import type { PlanUnit } from '#libs/demo-data';
import { ServiceName } from '#libs/messaging';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { MAX_COLLECTION_IMPORT_FILE_BYTES, MAX_COLLECTION_IMPORT_REQUEST_BYTES } from '#libs/platform';

const HEADER = 'date,collection_point_id,stream,weight_kg,destination,vehicle,operator';
const HEADER_ZH = '日期,投放点编号,垃圾类别,重量(kg),去向,车辆,操作员';
/** Today in Shanghai: the demo year fills only the 12 whole months before this one, so today's keys are free. */
const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const csvOf = (header: string, ...lines: string[]) => [header, ...lines].join('\r\n') + '\r\n';

interface Point {
  id: string;
  compoundId: string;
}
interface Answer {
  status: number;
  body: any;
}
interface ImportError {
  line: number;
  column: string | null;
  code: string;
  message: string;
}

describe('CSV files of collection records uploaded through the gateway (POST /collection-imports)', () => {
  let platform: TestPlatform;
  let importsUrl: string;
  let pointsA: Point[];
  let pointB: Point;
  let adminA: string;

  const db = () => platform.database(ServiceName.Households);
  const recordCount = async (): Promise<number> =>
    (await db().query(`SELECT count(*)::int AS count FROM collection_record WHERE day = $1`, [today]))[0].count;
  const importCount = async (): Promise<number> => (await db().query(`SELECT count(*)::int AS count FROM collection_import`))[0].count;
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

  /** POSTs `bytes` as a browser would: multipart/form-data with the one file part. */
  async function upload(token: string | null, bytes: Uint8Array, name = 'station.csv'): Promise<Answer> {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'text/csv' }), name);
    const response = await fetch(importsUrl, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, body: await response.json() };
  }

  /** Expects `work` to write no import and no record. */
  async function importsNothing(work: () => Promise<void>): Promise<void> {
    const [imports, records] = [await importCount(), await recordCount()];
    await work();
    expect(await importCount()).toBe(imports);
    expect(await recordCount()).toBe(records);
  }

  beforeAll(async () => {
    platform = await startPlatform();
    importsUrl = platform.gatewayUrl.replace(/\/graphql$/, '/collection-imports');
    const [a, b] = platform.plan.streets;
    const regularPointsIn = (street: PlanUnit): Promise<Point[]> =>
      db().query(
        `SELECT p.id, p.compound_id AS "compoundId" FROM collection_point p JOIN territory_unit t ON t.id = p.compound_id
        WHERE t.path @> ARRAY[$1::uuid] AND p.kind = 'REGULAR' ORDER BY p.compound_id, p.id`,
        [street.id],
      );
    pointsA = await regularPointsIn(a);
    [pointB] = await regularPointsIn(b);
    adminA = await platform.token([Role.STREET_ADMIN], a.id, 'street-admin-a');
  });

  afterAll(() => platform.stop());

  it('imports a valid file (BOM, CRLF, Chinese header and labels) with 201, every row and the totals; the same bytes again answer 200', async () => {
    const [p1, p2] = pointsA;
    const bytes = Buffer.from(
      '\uFEFF' +
        csvOf(
          HEADER_ZH,
          `${today},${p1.id},厨余垃圾,120.50,厨余处理,浙B·12345,"王师傅, 李师傅"`,
          `${today},${p1.id},RECYCLABLE,60.25,再生资源利用,浙B·12345,`,
          `${today},${p2.id},其他垃圾,74,INCINERATION,,`,
        ),
    );
    const before = await recordCount();
    const created = await upload(adminA, bytes, '转运站-1.csv');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      alreadyImported: false,
      import: {
        id: expect.any(String),
        fileName: '转运站-1.csv',
        sha256: sha256(bytes),
        rowCount: 3,
        totalKg: '254.75',
        importedBy: 'street-admin-a',
        importedAt: expect.any(String),
      },
    });
    const rows = await db().query(
      `SELECT collection_point_id AS point, compound_id AS compound, stream, weight_kg::text AS kg, destination, vehicle, operator, source
         FROM collection_record WHERE import_id = $1 ORDER BY weight_kg DESC`,
      [created.body.import.id],
    );
    expect(rows).toEqual([
      {
        point: p1.id,
        compound: p1.compoundId,
        stream: 'KITCHEN',
        kg: '120.50',
        destination: 'KITCHEN_TREATMENT',
        vehicle: '浙B·12345',
        operator: '王师傅, 李师傅',
        source: 'IMPORT',
      },
      {
        point: p2.id,
        compound: p2.compoundId,
        stream: 'OTHER',
        kg: '74.00',
        destination: 'INCINERATION',
        vehicle: null,
        operator: null,
        source: 'IMPORT',
      },
      {
        point: p1.id,
        compound: p1.compoundId,
        stream: 'RECYCLABLE',
        kg: '60.25',
        destination: 'RECYCLING_PLANT',
        vehicle: '浙B·12345',
        operator: null,
        source: 'IMPORT',
      },
    ]);
    expect(await recordCount()).toBe(before + 3);

    await importsNothing(async () => {
      const again = await upload(adminA, bytes, 'renamed.csv');
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ ...created.body, alreadyImported: true });
    });
  });

  it('accepts the English header too, and the file imported by upload is the one GraphQL knows', async () => {
    const [, , p3] = pointsA;
    const csv = csvOf(HEADER, `${today},${p3.id},HAZARDOUS,3.75,HAZARDOUS_TREATMENT,,`);
    const created = await upload(adminA, Buffer.from(csv));
    expect(created.status).toBe(201);
    expect(created.body.import).toMatchObject({ fileName: 'station.csv', rowCount: 1, totalKg: '3.75' });
    const viaGraphQL: any = await platform.query(
      adminA,
      `mutation($csv: String!) { importCollectionRecords(csv: $csv) { alreadyImported import { id } } }`,
      { csv },
    );
    expect(viaGraphQL.data.importCollectionRecords).toEqual({ alreadyImported: true, import: { id: created.body.import.id } });
  });

  it('refuses a file with errors with 400 INVALID_IMPORT_FILE, listing each by line and column, and imports none of its rows', async () => {
    const [, , , p4] = pointsA;
    const csv = csvOf(
      HEADER,
      `${today},${p4.id},KITCHEN,10,KITCHEN_TREATMENT,,`,
      `${today},${p4.id},OTHER,-5,INCINERATION,,`,
      `2026-02-30,${p4.id},RECYCLABLE,5,RECYCLING_PLANT,,`,
      `${today},${randomUUID()},OTHER,5,INCINERATION,,`,
      `${today},${p4.id},KITCHEN,10,KITCHEN_TREATMENT,,`,
      `${today},${p4.id},OTHER,5`,
    );
    await importsNothing(async () => {
      const refused = await upload(adminA, Buffer.from(csv), 'bad.csv');
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_IMPORT_FILE',
        message: expect.stringContaining('5 errors'),
        details: { fileName: 'bad.csv', errorCount: 5 },
      });
      const errors = refused.body.error.details.errors as ImportError[];
      expect(errors.map((e) => [e.line, e.column, e.code])).toEqual([
        [3, 'weight_kg', 'NEGATIVE_WEIGHT'],
        [4, 'date', 'INVALID_DATE'],
        [5, 'collection_point_id', 'UNKNOWN_COLLECTION_POINT'],
        [6, null, 'DUPLICATE_ROW'],
        [7, null, 'COLUMN_COUNT'],
      ]);
      expect(errors.every((e) => typeof e.message === 'string' && e.message.length > 0)).toBe(true);
    });
  });

  it('refuses a file saved as GBK (bytes that are not UTF-8) with an ENCODING error on their line', async () => {
    const [, , , p4] = pointsA;
    const [head, tail] = csvOf(
      HEADER,
      `${today},${p4.id},KITCHEN,5,KITCHEN_TREATMENT,,`,
      `${today},${p4.id},OTHER,5,INCINERATION,,MARK`,
    ).split('MARK');
    // 0xC0 0xAC: GBK for 莱, never valid in UTF-8.
    const bytes = Buffer.concat([Buffer.from(head), Buffer.from([0xc0, 0xac]), Buffer.from(tail)]);
    await importsNothing(async () => {
      const refused = await upload(adminA, bytes);
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_IMPORT_FILE' });
      expect(refused.body.error.details.errors).toEqual([expect.objectContaining({ line: 3, column: null, code: 'ENCODING' })]);
    });
  });

  it('answers no token with 401 UNAUTHENTICATED and a role without COLLECTION_RECORD_MANAGE with 403 FORBIDDEN', async () => {
    const [, , , , p5] = pointsA;
    const bytes = Buffer.from(csvOf(HEADER, `${today},${p5.id},OTHER,5,INCINERATION,,`));
    await importsNothing(async () => {
      const anonymous = await upload(null, bytes);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
      const officer = await upload(await platform.token([Role.BUREAU_OFFICER]), bytes);
      expect(officer.status).toBe(403);
      expect(officer.body.error).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'MISSING_PERMISSION',
        message: expect.stringContaining('COLLECTION_RECORD_MANAGE'),
      });
    });
  });

  it("refuses a point outside the caller's street as OUT_OF_SCOPE on its line", async () => {
    const [p1] = pointsA;
    const bytes = Buffer.from(csvOf(HEADER, `${today},${pointB.id},KITCHEN,7,KITCHEN_TREATMENT,,`, `${today},${p1.id},OTHER,6,LANDFILL,,`));
    await importsNothing(async () => {
      const refused = await upload(adminA, bytes);
      expect(refused.status).toBe(400);
      expect(refused.body.error.reason).toBe('INVALID_IMPORT_FILE');
      expect(refused.body.error.details.errors).toEqual([
        expect.objectContaining({ line: 2, column: 'collection_point_id', code: 'OUT_OF_SCOPE' }),
      ]);
    });
  });

  it('answers a missing file with 400 BAD_USER_INPUT', async () => {
    const form = new FormData();
    form.append('csv', new Blob(['date']), 'station.csv');
    const response = await fetch(importsUrl, { method: 'POST', body: form, headers: { authorization: `Bearer ${adminA}` } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('refuses a file over 10 MiB with 413 PAYLOAD_TOO_LARGE, and the gateway a request that declares more than its limit', async () => {
    const [, , , , , p6] = pointsA;
    const line = `${today},${p6.id},OTHER,5,INCINERATION,,\r\n`;
    const big = Buffer.alloc(MAX_COLLECTION_IMPORT_FILE_BYTES + 1, ' ');
    big.write(`${HEADER}\r\n${line}`);
    await importsNothing(async () => {
      const refused = await upload(adminA, big);
      expect(refused.status).toBe(413);
      expect(refused.body.error).toEqual({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('10 MiB') });
    });

    const status = await new Promise<number>((resolve, reject) => {
      const req = request(importsUrl, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${adminA}`,
          'content-type': 'multipart/form-data; boundary=x',
          'content-length': String(MAX_COLLECTION_IMPORT_REQUEST_BYTES + 1),
        },
      });
      req.on('response', (response) => {
        resolve(response.statusCode!);
        req.destroy();
      });
      req.on('error', reject);
      // Only the first bytes are ever sent: the gateway answers from the declared length.
      req.write('--x\r\n');
    });
    expect(status).toBe(413);
  });
});
