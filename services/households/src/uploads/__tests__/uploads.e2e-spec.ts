import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import exifr from 'exifr';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role, signCaller } from '#libs/auth';
import { ServiceName } from '#libs/messaging';
import { startPlatform, type TestPlatform } from '#tools/test-platform';
import { MAX_PHOTO_BYTES, MAX_UPLOAD_REQUEST_BYTES } from '#libs/platform';
import { JPEG, WEBP, jpegWithExif, png } from './photos.js';

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

interface UploadOptions {
  name?: string;
  type?: string;
  field?: string;
  headers?: Record<string, string>;
  url?: string;
}

/** A small quota, set for this file's households: the quota test fills it with rows rather than requests. */
const DAILY_QUOTA = 40;

describe('photo uploads through the gateway', () => {
  let platform: TestPlatform;
  let uploadsUrl: string;
  let uploadDir: string;
  const previousUploadDir = process.env.UPLOAD_DIR;
  const previousQuota = process.env.UPLOAD_DAILY_QUOTA;

  const database = () => platform.database(ServiceName.Households);
  const uploadCount = async (): Promise<number> => (await database().query(`SELECT count(*)::int AS count FROM upload`))[0].count;
  /** Every file in the upload directory, temporary ones included. */
  const storedFiles = () =>
    readdirSync(uploadDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
  const bearer = (token: string | null): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

  /** POSTs `bytes` as a browser or phone app would: multipart/form-data with one file part. */
  async function upload(token: string | null, bytes: Uint8Array, options: UploadOptions = {}): Promise<Answer> {
    const form = new FormData();
    form.append(options.field ?? 'file', new Blob([bytes], { type: options.type ?? 'application/octet-stream' }), options.name ?? 'photo');
    const response = await fetch(options.url ?? uploadsUrl, {
      method: 'POST',
      body: form,
      headers: { ...bearer(token), ...options.headers },
    });
    return { status: response.status, body: await response.json(), headers: response.headers };
  }

  async function download(token: string | null, id: string, url = uploadsUrl): Promise<Answer & { bytes: Buffer }> {
    const response = await fetch(`${url}/${id}`, { headers: bearer(token) });
    const bytes = Buffer.from(await response.arrayBuffer());
    const json = response.headers.get('content-type')?.startsWith('application/json');
    return { status: response.status, body: json ? JSON.parse(bytes.toString()) : null, headers: response.headers, bytes };
  }

  /** GETs `path` from the gateway exactly as written, without URL normalisation. */
  function rawGet(path: string, token: string): Promise<{ status: number; body: unknown }> {
    const gateway = new URL(uploadsUrl);
    return new Promise((resolve, reject) => {
      const req = request({ host: gateway.hostname, port: gateway.port, path, headers: bearer(token) }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  /** Runs `work` and expects it to leave no upload row and no file behind. */
  async function leavesNothing(work: () => Promise<void>): Promise<void> {
    const [rows, files] = [await uploadCount(), storedFiles()];
    await work();
    expect(await uploadCount()).toBe(rows);
    expect(storedFiles()).toEqual(files);
  }

  const inspector = () => platform.token([Role.INSPECTOR], platform.plan.streets[0].id, 'inspector-li');

  beforeAll(async () => {
    uploadDir = mkdtempSync(join(tmpdir(), 'waste-uploads-'));
    // Read by households at start (its photo directory and daily quota); it runs in this process.
    process.env.UPLOAD_DIR = uploadDir;
    process.env.UPLOAD_DAILY_QUOTA = String(DAILY_QUOTA);
    platform = await startPlatform({ inProcess: ServiceName.Households, households: 20 });
    uploadsUrl = platform.gatewayUrl.replace(/\/graphql$/, '/uploads');
  });

  afterAll(() => platform.stop());
  afterAll(() => {
    if (previousUploadDir === undefined) delete process.env.UPLOAD_DIR;
    else process.env.UPLOAD_DIR = previousUploadDir;
    if (previousQuota === undefined) delete process.env.UPLOAD_DAILY_QUOTA;
    else process.env.UPLOAD_DAILY_QUOTA = previousQuota;
    rmSync(uploadDir, { recursive: true, force: true });
  });

  it.each([
    ['PNG', png(), 'image/png', 'photo.png'],
    ['JPEG', JPEG, 'image/jpeg', 'IMG_0001.JPG'],
    ['WebP', WEBP, 'image/webp', 'photo.webp'],
  ])('stores a %s and gives the same bytes and type back', async (_, bytes, type, name) => {
    const created = await upload(await inspector(), bytes, { type, name });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      contentType: type,
      sizeBytes: bytes.length,
      sha256: sha256(bytes),
      capturedAt: null,
    });

    const [row] = await database().query(`SELECT content_type, size_bytes, sha256, storage_key, uploaded_by FROM upload WHERE id = $1`, [
      created.body.id,
    ]);
    expect(row).toMatchObject({ content_type: type, size_bytes: bytes.length, sha256: sha256(bytes), uploaded_by: 'inspector-li' });
    expect(readFileSync(join(uploadDir, row.storage_key))).toEqual(bytes);

    const fetched = await download(await inspector(), created.body.id);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe(type);
    expect(fetched.bytes).toEqual(bytes);
  });

  it('records the type the bytes have, not the declared type or the file name', async () => {
    const bytes = png({ rgb: [1, 2, 3] });
    const created = await upload(await inspector(), bytes, { type: 'image/jpeg', name: 'photo.jpg' });
    expect(created.status).toBe(201);
    expect(created.body.contentType).toBe('image/png');
    const fetched = await download(await inspector(), created.body.id);
    expect(fetched.headers.get('content-type')).toBe('image/png');
  });

  it('refuses a text file named .jpg with 415 and writes nothing', async () => {
    await leavesNothing(async () => {
      const refused = await upload(await inspector(), Buffer.from('not a photo at all\n'), { type: 'image/jpeg', name: 'photo.jpg' });
      expect(refused.status).toBe(415);
      expect(refused.body).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.stringContaining('image/jpeg') } });
    });
  });

  it('accepts a photo of exactly 5 MB, storing it without the chunks that draw nothing', async () => {
    // The padding is a private chunk, which could carry anything: it goes with the rest of the metadata.
    const created = await upload(await inspector(), png({ size: MAX_PHOTO_BYTES }), { type: 'image/png' });
    expect(created.status).toBe(201);
    expect(created.body.sizeBytes).toBe(png().length);
    expect((await download(await inspector(), created.body.id)).bytes).toEqual(png());
  });

  it('refuses 5 MB + 1 byte with 413, leaving no row and no file', async () => {
    await leavesNothing(async () => {
      const refused = await upload(await inspector(), png({ size: MAX_PHOTO_BYTES + 1 }), { type: 'image/png' });
      expect(refused.status).toBe(413);
      expect(refused.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  it('refuses at the gateway a request that declares more than 5 MB, before its body is sent', async () => {
    const token = await inspector();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(uploadsUrl, {
        method: 'POST',
        headers: { ...bearer(token), 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(10 * 1024 * 1024) },
      });
      req.on('response', (response) => {
        resolve(response.statusCode!);
        req.destroy();
      });
      req.on('error', reject);
      // Only the first bytes of the 10 MB are ever sent: the answer cannot wait for the rest.
      req.write('--x\r\n');
    });
    expect(status).toBe(413);
  });

  it('cuts off at the gateway a body without a length once it passes the limit, without waiting for its end', async () => {
    const token = await inspector();
    await leavesNothing(async () => {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request(uploadsUrl, {
          method: 'POST',
          headers: { ...bearer(token), 'content-type': 'multipart/form-data; boundary=x', 'transfer-encoding': 'chunked' },
        });
        req.on('response', (response) => {
          resolve(response.statusCode!);
          req.destroy();
        });
        req.on('error', reject);
        req.write('--x\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n');
        req.write(png({ size: MAX_UPLOAD_REQUEST_BYTES + 1 }));
        // The request is never ended: only a limit counted as the bytes stream can answer it.
      });
      expect(status).toBe(413);
    });
  });

  it('answers a missing file or another field with 400 BAD_USER_INPUT', async () => {
    await leavesNothing(async () => {
      const wrongField = await upload(await inspector(), png(), { field: 'photo' });
      expect(wrongField.status).toBe(400);
      expect(wrongField.body.error.code).toBe('BAD_USER_INPUT');

      const noForm = await fetch(uploadsUrl, { method: 'POST', headers: bearer(await inspector()), body: 'hello' });
      expect(noForm.status).toBe(400);
      expect(((await noForm.json()) as any).error.code).toBe('BAD_USER_INPUT');

      const empty = await upload(await inspector(), Buffer.alloc(0));
      expect(empty.status).toBe(400);
      expect(empty.body.error.code).toBe('BAD_USER_INPUT');
    });
  });

  it('answers a request without a token, or with a forged one, with 401 and stores nothing', async () => {
    const { body: stored } = await upload(await inspector(), png());
    const { signAccessToken } = await import('#libs/auth');
    const forged = await signAccessToken(
      { sub: 'mallory', roles: [Role.INSPECTOR], orgUnitId: platform.plan.streets[0].id },
      'x'.repeat(40),
    );
    await leavesNothing(async () => {
      for (const token of [null, forged]) {
        const refused = await upload(token, png());
        expect(refused.status).toBe(401);
        expect(refused.body.error.code).toBe('UNAUTHENTICATED');
        const read = await download(token, stored.id);
        expect(read.status).toBe(401);
        expect(read.body.error.code).toBe('UNAUTHENTICATED');
      }
    });
  });

  it('answers a role without UPLOAD_CREATE (a work-unit branch secretary) with 403 on upload, and 404 for a photo no check-in of theirs cites', async () => {
    const { body: stored } = await upload(await inspector(), png());
    const secretary = await platform.token([Role.BRANCH_SECRETARY]);
    await leavesNothing(async () => {
      const refused = await upload(secretary, png());
      expect(refused.status).toBe(403);
      expect(refused.body.error).toEqual({
        code: 'FORBIDDEN',
        reason: 'MISSING_PERMISSION',
        message: expect.stringContaining('UPLOAD_CREATE'),
      });
    });
    // Reviewers of check-ins may read check-in photos, so they reach the route; this photo is not one.
    const read = await download(secretary, stored.id);
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('NOT_FOUND');
    expect(read.bytes.includes(png())).toBe(false);
  });

  it('makes households refuse a direct call that the gateway did not sign', async () => {
    const direct = `${platform.serviceUrls.get(ServiceName.Households)}/uploads`;
    const { body: stored } = await upload(await inspector(), png());
    const forgedCaller = signCaller(
      { userId: 'mallory', roles: [Role.INSPECTOR], orgUnitId: null, householdId: null, institutionId: null, requestId: 'forged-request' },
      'not-the-platform-secret-0123456789abcdef',
    );
    // Even the services' own shared secret opens no route the gateway passes through: only its EdDSA signature does.
    const servicesSecret = signCaller(
      { userId: 'mallory', roles: [Role.INSPECTOR], orgUnitId: null, householdId: null, institutionId: null, requestId: 'service-secret' },
      platform.env.CONTEXT_SIGNING_SECRET,
    );
    await leavesNothing(async () => {
      for (const headers of [{ authorization: `Bearer ${await inspector()}` }, forgedCaller, servicesSecret]) {
        const refused = await upload(null, png(), { url: direct, headers });
        expect(refused.status).toBe(401);
        expect(refused.body.error.code).toBe('UNAUTHENTICATED');
        const read = await fetch(`${direct}/${stored.id}`, { headers });
        expect(read.status).toBe(401);
        expect(((await read.json()) as any).error.code).toBe('UNAUTHENTICATED');
      }
    });
  });

  it('answers an unknown id with 404 NOT_FOUND and an invalid one with 400 BAD_USER_INPUT', async () => {
    const unknown = await download(await inspector(), '0b6f6a55-3c1e-4a43-9a57-1f2a3b4c5d6e');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    for (const invalid of ['not-an-id', '..', '%2E%2E', '..%2Fgraphql', '%2E%2E%2Fhealth']) {
      // Sent as written: fetch would resolve the dot segments itself before the gateway saw them.
      const answer = await rawGet(`/uploads/${invalid}`, await inspector());
      expect(answer).toEqual({
        status: 400,
        body: { error: { code: 'BAD_USER_INPUT', reason: 'INVALID_ID', message: 'id must be an id (UUID)', details: { field: 'id' } } },
      });
    }
  });

  it('removes the stored file when the upload row cannot be written', async () => {
    await database().query(`ALTER TABLE upload ADD CONSTRAINT e2e_refuse_every_upload CHECK (false) NOT VALID`);
    try {
      await leavesNothing(async () => {
        const failed = await upload(await inspector(), png());
        expect(failed.status).toBe(500);
        expect(failed.body.error.code).toBe('INTERNAL_SERVER_ERROR');
      });
    } finally {
      await database().query(`ALTER TABLE upload DROP CONSTRAINT e2e_refuse_every_upload`);
    }
  });

  it('answers a retry with the same Idempotency-Key with the first upload, storing it once', async () => {
    const token = await inspector();
    const bytes = png({ rgb: [9, 9, 9] });
    const headers = { 'idempotency-key': 'phone-upload-0001' };
    const rows = await uploadCount();
    const files = storedFiles().length;
    const first = await upload(token, bytes, { headers });
    const retry = await upload(token, bytes, { headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(await uploadCount()).toBe(rows + 1);
    expect(storedFiles()).toHaveLength(files + 1);

    await leavesNothing(async () => {
      const reused = await upload(token, png({ rgb: [8, 8, 8] }), { headers });
      expect(reused.status).toBe(409);
      expect(reused.body.error.code).toBe('CONFLICT');
    });
  });

  describe('evidence and who may read it', () => {
    const RECORD = `mutation($input: RecordInspectionInput!, $key: String!) { recordInspection(input: $input, idempotencyKey: $key) { id photoIds } }`;
    const street = (n: number) => platform.plan.streets[n].id;
    const volunteer = (n: number, name: string) => platform.token([Role.VOLUNTEER], street(n), name);

    /** A household whose compound lies in street `n`. */
    async function householdIn(n: number): Promise<string> {
      const [row] = await database().query(
        `SELECT h.id FROM household h JOIN territory_unit t ON t.id = h.compound_id WHERE t.path @> ARRAY[$1::uuid] ORDER BY h.id LIMIT 1`,
        [street(n)],
      );
      return row.id;
    }

    let keys = 0;
    const inspect = (token: string, householdId: string, photoIds: string[]) =>
      platform.query(token, RECORD, {
        input: { householdId, kind: 'DOOR_VISIT', result: 'PASS', inspectedAt: new Date(Date.now() - 60_000).toISOString(), photoIds },
        key: `photo-evidence-${++keys}`,
      }) as Promise<any>;

    const written = async () =>
      (
        await database().query(
          `SELECT (SELECT count(*)::int FROM inspection) AS inspections, (SELECT count(*)::int FROM upload_citation) AS citations`,
        )
      )[0];

    it("lets a volunteer of the photo's street read it once it is evidence, and not a volunteer of another street (404)", async () => {
      const uploader = await volunteer(0, 'volunteer-wang');
      const photo = (await upload(uploader, png({ rgb: [10, 20, 30] }))).body.id;
      const sameStreet = await volunteer(0, 'volunteer-zhao');
      const otherStreet = await volunteer(1, 'volunteer-qian');

      // Not evidence of anything yet: its uploader alone sees it.
      expect((await download(uploader, photo)).status).toBe(200);
      expect((await download(sameStreet, photo)).status).toBe(404);

      const recorded = await inspect(uploader, await householdIn(0), [photo]);
      expect(recorded.errors).toBeUndefined();
      expect(recorded.data.recordInspection.photoIds).toEqual([photo]);

      const fetched = await download(sameStreet, photo);
      expect(fetched.status).toBe(200);
      expect(fetched.bytes).toEqual(png({ rgb: [10, 20, 30] }));
      expect((await download(await platform.token([Role.DISTRICT_ADMIN]), photo)).status).toBe(200);

      // Out of territory reads as not found: the answer does not tell that the photo exists.
      const refused = await download(otherStreet, photo);
      expect(refused.status).toBe(404);
      expect(refused.body.error.code).toBe('NOT_FOUND');
      expect(refused.bytes.includes(png({ rgb: [10, 20, 30] }))).toBe(false);
    });

    it("refuses another person's photo as evidence (FORBIDDEN NOT_YOUR_PHOTO), writing nothing", async () => {
      const theirs = (await upload(await volunteer(0, 'volunteer-sun'), png())).body.id;
      const mine = (await upload(await volunteer(0, 'volunteer-zhou'), png())).body.id;
      const before = await written();
      const refused = await inspect(await volunteer(0, 'volunteer-zhou'), await householdIn(0), [mine, theirs]);
      expect(refused.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_YOUR_PHOTO', details: { ids: [theirs] } });
      expect(refused.errors[0].message).toContain('photos you uploaded yourself');
      expect(await written()).toEqual(before);
      // Neither photo became evidence: each is still its uploader's alone.
      expect((await download(await volunteer(0, 'volunteer-sun'), mine)).status).toBe(404);
    });

    it('refuses a photo that is already evidence of another record (BAD_USER_INPUT PHOTO_ALREADY_CITED), writing nothing', async () => {
      const token = await volunteer(0, 'volunteer-wu');
      const photo = (await upload(token, png())).body.id;
      const household = await householdIn(0);
      expect((await inspect(token, household, [photo])).errors).toBeUndefined();
      const before = await written();
      const again = await inspect(token, household, [photo]);
      expect(again.errors[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'PHOTO_ALREADY_CITED',
        details: { ids: [photo] },
      });
      expect(await written()).toEqual(before);
    });

    it('answers whether a photo is cited with one index lookup on upload_citation', async () => {
      const [plan] = await database().query(
        `EXPLAIN (FORMAT JSON) SELECT EXISTS (SELECT 1 FROM upload_citation c WHERE c.upload_id = $1)`,
        ['0b6f6a55-3c1e-4a43-9a57-1f2a3b4c5d6e'],
      );
      expect(JSON.stringify(plan)).toMatch(/upload_citation_pkey/);
    });
  });

  it('strips GPS and every other EXIF tag from a stored photo, keeping the capture time as its own field', async () => {
    const sent = jpegWithExif({ latitude: 29.8683, longitude: 121.544, takenAt: '2026:11:03 08:15:42' });
    expect(await exifr.gps(sent)).toBeDefined();
    const created = await upload(await inspector(), sent, { type: 'image/jpeg', name: 'IMG_0002.JPG' });
    expect(created.status).toBe(201);
    expect(created.body.capturedAt).toBe('2026-11-03 08:15:42');

    const [row] = await database().query(
      `SELECT storage_key, to_char(captured_at, 'YYYY-MM-DD HH24:MI:SS') AS captured FROM upload WHERE id = $1`,
      [created.body.id],
    );
    expect(row.captured).toBe('2026-11-03 08:15:42');
    const onDisk = readFileSync(join(uploadDir, row.storage_key));
    const served = (await download(await inspector(), created.body.id)).bytes;
    for (const bytes of [onDisk, served]) {
      expect(await exifr.gps(bytes)).toBeUndefined();
      expect(await exifr.parse(bytes)).toBeUndefined();
      expect(bytes.includes(Buffer.from('TestPhone'))).toBe(false);
    }
    expect(served).toEqual(JPEG);
    expect(created.body.sha256).toBe(sha256(JPEG));
  });

  it('serves a photo stored before metadata was stripped on ingest without its EXIF', async () => {
    const [{ id }] = await database().query(
      `INSERT INTO upload (content_type, size_bytes, sha256, storage_key, uploaded_by, metadata_stripped)
       VALUES ('image/jpeg', 1000, encode(sha256(random()::text::bytea), 'hex'), 'legacy/' || gen_random_uuid() || '.jpg', 'inspector-li', false) RETURNING id`,
    );
    const [{ storage_key: key }] = await database().query(`SELECT storage_key FROM upload WHERE id = $1`, [id]);
    mkdirSync(join(uploadDir, 'legacy'), { recursive: true });
    writeFileSync(join(uploadDir, key), jpegWithExif({ latitude: 29.8683, longitude: 121.544, takenAt: '2025:01:02 03:04:05' }));
    const served = await download(await inspector(), id);
    expect(served.status).toBe(200);
    expect(await exifr.gps(served.bytes)).toBeUndefined();
    expect(served.bytes).toEqual(JPEG);
    expect(served.headers.get('etag')).toBe(`"${sha256(JPEG)}"`);
  });

  it(`refuses a caller's photo beyond ${DAILY_QUOTA} today with 429, storing nothing, while others still upload`, async () => {
    const busy = await platform.token([Role.INSPECTOR], platform.plan.streets[0].id, 'inspector-busy');
    // Yesterday's photos do not count; today's are one short of the quota.
    await database().query(
      `INSERT INTO upload (content_type, size_bytes, sha256, storage_key, uploaded_by, created_at)
       SELECT 'image/png', 100, md5(n::text), 'quota/' || n || '.png', 'inspector-busy',
              CASE WHEN n <= 5 THEN now() - interval '1 day 1 minute' ELSE now() END
         FROM generate_series(1, $1::int + 4) AS n`,
      [DAILY_QUOTA],
    );
    expect((await upload(busy, png())).status).toBe(201);
    await leavesNothing(async () => {
      const refused = await upload(busy, png());
      expect(refused.status).toBe(429);
      expect(refused.body.error).toEqual({ code: 'TOO_MANY_REQUESTS', message: expect.stringContaining(`(${DAILY_QUOTA})`) });
    });
    expect((await upload(await inspector(), png())).status).toBe(201);
  });
});
