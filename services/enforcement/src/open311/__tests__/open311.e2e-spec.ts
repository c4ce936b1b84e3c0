import { randomUUID } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { XMLParser } from 'fast-xml-parser';
import { Role } from '#libs/auth';
import { shanghaiDate } from '#libs/calendar';
import type { DistrictPlan } from '#libs/demo-data';
import { ServiceName } from '#libs/messaging';
import { enrolInstitution, startPlatform, type TestPlatform } from '#tools/test-platform';

/** The fields GeoReport v2 defines for a service request, and the only ones we answer with. */
const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
].sort();
const SERVICE_FIELDS = ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'].sort();

// A real XML parser, as an Open311 client would use; repeated elements always come back as lists.
const xml = new XMLParser({ isArray: (name) => ['service', 'request', 'error'].includes(name), parseTagValue: false });

const REVOKE_KEY = `mutation($id: ID!) { revokeInstitutionApiKey(id: $id) { id } }`;
const STAFF_REPORT = `query($id: ID!) { report(id: $id) { channel status submittedByInstitution { id name } } }`;
const SUBMIT = `mutation($input: SubmitReportInput!) { submitReport(input: $input) { id } }`;

describe('Open311 GeoReport v2 through the gateway, as an independent client', () => {
  let platform: TestPlatform;
  let base: string;
  let compound: DistrictPlan['compounds'][number];
  let institution: DistrictPlan['institutions'][number];
  /** An institution's API key, as it enrols for one; and one enrolled and revoked at once. */
  let apiKey: string;
  let revokedKey: string;

  /** What a plain HTTP client sees: status, content type and the raw body. */
  const get = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
  };
  const postForm = async (path: string, form: Record<string, string>) => {
    const response = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
  };
  /** A GET from another client address on this machine (127.0.0.x), as a second client would come. */
  const getFrom = (localAddress: string, path: string) =>
    new Promise<{ status: number; retryAfter: string | null; body: string }>((resolve, reject) => {
      httpGet(`${base}${path}`, { localAddress }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, retryAfter: response.headers['retry-after'] ?? null, body }));
      }).on('error', reject);
    });
  const reportCount = async () =>
    (await platform.database(ServiceName.Enforcement).query(`SELECT count(*)::int AS n FROM citizen_report`))[0].n as number;

  beforeAll(async () => {
    platform = await startPlatform();
    base = platform.gatewayUrl.replace(/\/graphql$/, '/open311/v2');
    compound = platform.plan.compounds[0];
    institution = platform.plan.institutions[0];
    const admin = await platform.token([Role.DISTRICT_ADMIN]);
    apiKey = (await enrolInstitution(platform, institution.id, { staffToken: admin, label: 'Open311 客户端' })).key;
    const revoked = await enrolInstitution(platform, institution.id, { staffToken: admin, label: '已停用' });
    expect((await platform.query(admin, REVOKE_KEY, { id: revoked.apiKeyId })).errors).toBeUndefined();
    revokedKey = revoked.key;
  });

  afterAll(() => platform.stop());

  it('lists the services in JSON and XML with the spec field names', async () => {
    const json = await get('/services.json');
    expect(json.status).toBe(200);
    expect(json.type).toMatch(/^application\/json/);
    const services = JSON.parse(json.body);
    expect(services.length).toBeGreaterThanOrEqual(10);
    for (const service of services) expect(Object.keys(service).sort()).toEqual(SERVICE_FIELDS);
    expect(services.find((s: any) => s.service_code === 'MIXED_WASTE')).toMatchObject({
      service_name: '混投',
      metadata: false,
      type: 'realtime',
      group: '分类投放',
    });

    const asXml = await get('/services.xml');
    expect(asXml.status).toBe(200);
    expect(asXml.type).toMatch(/^text\/xml/);
    const parsed = xml.parse(asXml.body);
    expect(parsed.services.service.map((s: any) => s.service_code)).toEqual(services.map((s: any) => s.service_code));
    expect(parsed.services.service.find((s: any) => s.service_code === 'BIN_OVERFLOW')).toMatchObject({
      service_name: '桶满溢',
      metadata: 'false',
      type: 'realtime',
    });
  });

  it('serves a service definition, and 404 in the spec error format for an unknown one', async () => {
    expect(JSON.parse((await get('/services/BIN_OVERFLOW.json')).body)).toEqual({ service_code: 'BIN_OVERFLOW', attributes: [] });
    const definition = xml.parse((await get('/services/BIN_OVERFLOW.xml')).body);
    expect(definition.service_definition.service_code).toBe('BIN_OVERFLOW');

    const missing = await get('/services/NO_SUCH_SERVICE.json');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual([{ code: 404, description: expect.stringContaining('NO_SUCH_SERVICE') }]);
    const missingXml = await get('/services/NO_SUCH_SERVICE.xml');
    expect(missingXml.status).toBe(404);
    expect(xml.parse(missingXml.body).errors.error).toEqual([{ code: '404', description: expect.stringContaining('NO_SUCH_SERVICE') }]);
  });

  it('files a form-urlencoded request, answers with its id and notice, and shows it without the reporter', async () => {
    const posted = await postForm('/requests.json', {
      service_code: 'BAG_DUMPED',
      lat: '29.816712',
      long: '121.547245',
      description: '路口垃圾袋堆成小山',
      first_name: '小明',
      last_name: '王',
      phone: '13800001234',
      email: 'wang@example.com',
    });
    expect(posted.status).toBe(201);
    const [created] = JSON.parse(posted.body);
    expect(Object.keys(created).sort()).toEqual(['account_id', 'service_notice', 'service_request_id']);
    expect(created.service_notice).toContain('24小时');

    const one = await get(`/requests/${created.service_request_id}.json`);
    expect(one.status).toBe(200);
    const [request] = JSON.parse(one.body);
    expect(Object.keys(request).sort()).toEqual(REQUEST_FIELDS);
    expect(request).toMatchObject({
      service_request_id: created.service_request_id,
      status: 'open',
      service_code: 'BAG_DUMPED',
      service_name: '垃圾包乱丢',
      description: '路口垃圾袋堆成小山',
      lat: 29.817,
      long: 121.547,
      address: null,
      address_id: null,
    });
    expect(Date.parse(request.expected_datetime) - Date.parse(request.requested_datetime)).toBe(24 * 3600_000);
    for (const secret of ['王', '小明', '13800001234', 'wang@example.com'])
      expect(one.body.replace(request.description, '')).not.toContain(secret);

    // Staff see it at once in GraphQL, as an OPEN311 report with the reporter's details (unmasked for those allowed).
    const admin = await platform.token([Role.DISTRICT_ADMIN]);
    const staff: any = await platform.query(
      admin,
      `query($id: ID!) { report(id: $id) { channel status latitude reporter { name phone } } }`,
      { id: created.service_request_id },
    );
    expect(staff.data.report).toMatchObject({
      channel: 'OPEN311',
      status: 'SUBMITTED',
      latitude: 29.816712,
      reporter: { name: '王*明', phone: '138****1234' },
    });
  });

  it('accepts JSON posts and places with address_id at compound level only', async () => {
    const response = await fetch(`${base}/requests.xml`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ service_code: 'BIN_OVERFLOW', address_id: compound.id, description: '桶满了' }),
    });
    expect(response.status).toBe(201);
    const created = xml.parse(await response.text()).service_requests.request[0];
    expect(created.service_request_id).toMatch(/^[0-9a-f-]{36}$/);

    const shown = xml.parse((await get(`/requests/${created.service_request_id}.xml`)).body).service_requests.request[0];
    const names = compound.path.map(
      (id) =>
        [platform.plan.district, ...platform.plan.streets, ...platform.plan.communities, ...platform.plan.compounds].find(
          (u) => u.id === id,
        )!.name,
    );
    expect(shown).toMatchObject({ status: 'open', address_id: compound.id, address: names.join(''), service_code: 'BIN_OVERFLOW' });
    expect(Object.keys(shown).sort()).toEqual(REQUEST_FIELDS);
  });

  it.each([
    ['no location', { service_code: 'BAG_DUMPED', description: '没说在哪' }, 'location'],
    ['an unknown service_code', { service_code: 'NO_SUCH_SERVICE', lat: '29.8', long: '121.5' }, 'NO_SUCH_SERVICE'],
    ['no service_code', { lat: '29.8', long: '121.5' }, 'service_code'],
    ['lat without long', { service_code: 'BAG_DUMPED', lat: '29.8' }, 'lat and long'],
    ['an address_id that is no compound', { service_code: 'BAG_DUMPED', address_id: '00000000-0000-4000-8000-00000000000a' }, 'address_id'],
    [
      'a publish_description that is neither true nor false',
      { service_code: 'BAG_DUMPED', lat: '29.8', long: '121.5', publish_description: 'maybe' },
      'publish_description',
    ],
  ])('refuses %s with 400 in the spec format, JSON and XML, and files nothing', async (_case, form: Record<string, string>, mentions) => {
    const before = await reportCount();
    const json = await postForm('/requests.json', form);
    expect(json.status).toBe(400);
    expect(JSON.parse(json.body)).toEqual([{ code: 400, description: expect.stringContaining(mentions) }]);
    const asXml = await postForm('/requests.xml', form);
    expect(asXml.status).toBe(400);
    expect(asXml.type).toMatch(/^text\/xml/);
    expect(xml.parse(asXml.body).errors.error).toEqual([{ code: '400', description: expect.stringContaining(mentions) }]);
    expect(await reportCount()).toBe(before);
  });

  it('refuses a body that is not JSON with 400 in the spec format', async () => {
    const before = await reportCount();
    const response = await fetch(`${base}/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"service_code": ',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual([{ code: 400, description: expect.any(String) }]);
    expect(await reportCount()).toBe(before);
  });

  it('answers 404 for an unknown request id', async () => {
    const json = await get('/requests/00000000-0000-4000-8000-00000000000b.json');
    expect(json.status).toBe(404);
    expect(JSON.parse(json.body)).toEqual([{ code: 404, description: expect.any(String) }]);
    expect((await get('/requests/not-an-id.xml')).status).toBe(404);
  });

  it('shows a status change made by staff in GraphQL as closed with its status notes', async () => {
    const [created] = JSON.parse(
      (await postForm('/requests.json', { service_code: 'MIXED_WASTE', address_id: compound.id, description: '混投严重' })).body,
    );
    const id = created.service_request_id;
    const street = platform.plan.streets.find((s) => compound.path.includes(s.id))!;
    const admin = await platform.token([Role.STREET_ADMIN], street.id);
    const step = async (mutation: string, vars: Record<string, unknown>) => {
      const response: any = await platform.query(admin, mutation, vars);
      expect(response.errors).toBeUndefined();
    };
    const served: string[] = [];
    const read = async (path: string) => {
      const response = await get(path);
      served.push(response.body);
      return response.body;
    };
    await step(`mutation($id: ID!) { triageReport(id: $id, note: "内部：来电人是物业前员工", publicNote: "已受理") { id } }`, { id });
    const open = JSON.parse(await read(`/requests/${id}.json`))[0];
    expect(open).toMatchObject({ status: 'open', status_notes: '已受理' });

    // A step with only an internal note leaves the public without a note, never with the internal one.
    await step(
      `mutation($id: ID!, $unit: ID!) { assignReport(input: { id: $id, assigneeKind: UNIT, assigneeId: $unit, note: "内部：转社区" }) { id } }`,
      { id, unit: compound.parentId },
    );
    const assigned = JSON.parse(await read(`/requests/${id}.json`))[0];
    expect(assigned).toMatchObject({
      status_notes: null,
      agency_responsible: platform.plan.communities.find((c) => c.id === compound.parentId)!.name,
    });
    await step(`mutation($id: ID!) { startReport(id: $id) { id } }`, { id });
    await step(
      `mutation($id: ID!) { resolveReport(id: $id, note: "内部：约谈物业经理周某", publicNote: "已约谈物业并加强桶边督导") { id } }`,
      { id },
    );

    const closed = xml.parse(await read(`/requests.xml?service_request_id=${id}`)).service_requests.request;
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ service_request_id: id, status: 'closed', status_notes: '已约谈物业并加强桶边督导' });
    expect(Date.parse(closed[0].updated_datetime)).toBeGreaterThanOrEqual(Date.parse(closed[0].requested_datetime));
    await read('/requests.json');
    await read('/requests.xml');
    for (const body of served) expect(body).not.toContain('内部');
  });

  it('publishes the description only of app and Open311 reports whose reporter did not opt out, and never a hotline or observer text', async () => {
    const street = platform.plan.streets.find((s) => compound.path.includes(s.id))!;
    const secretary = await platform.token([Role.COMMUNITY_SECRETARY], compound.parentId, 'secretary-open311');
    const resident = await platform.token([Role.RESIDENT], compound.id, 'resident-open311', randomUUID());
    const submit = async (token: string, input: Record<string, unknown>) => {
      const response: any = await platform.query(token, SUBMIT, {
        input: { categoryCode: 'BAG_DUMPED', compoundId: compound.id, ...input },
      });
      expect(response.errors).toBeUndefined();
      return response.data.submitReport.id as string;
    };
    const post = async (form: Record<string, string>) =>
      JSON.parse((await postForm('/requests.json', { service_code: 'BAG_DUMPED', address_id: compound.id, ...form })).body)[0]
        .service_request_id as string;
    // Observer reports come from accounts on the street's observer roster.
    const rosterKeeper = await platform.token([Role.STREET_ADMIN], street.id, 'street-admin-open311');
    const team: any = await platform.query(
      rosterKeeper,
      `mutation($streetId: ID!) { createObserverTeam(streetId: $streetId, name: "观察小组") { id } }`,
      { streetId: street.id },
    );
    const appointed: any = await platform.query(
      rosterKeeper,
      `mutation($input: AppointObserverInput!) { appointObserver(input: $input) { id } }`,
      {
        input: {
          observerTeamId: team.data.createObserverTeam.id,
          userId: 'observer-open311',
          termFrom: shanghaiDate(),
          termTo: shanghaiDate(),
        },
      },
    );
    expect(appointed.errors).toBeUndefined();
    const observer = await platform.token([Role.RESIDENT], compound.id, 'observer-open311', randomUUID());
    const hidden = {
      hotline: await submit(secretary, { channel: 'HOTLINE', description: '来电：3号楼王阿姨说邻居乱倒垃圾', reporterName: '王阿姨' }),
      observer: await submit(observer, { channel: 'OBSERVER', description: '观察员：5号楼垃圾房门口堆满' }),
      appOptedOut: await submit(resident, { channel: 'APP', description: '随手拍：楼上邻居天天乱丢', publishDescription: false }),
      open311OptedOut: await post({ description: 'Open311：不想公开的描述', publish_description: 'false' }),
    };
    const shown = {
      app: await submit(resident, { channel: 'APP', description: '随手拍：桶边一地垃圾袋' }),
      open311: await post({ description: 'Open311：投放点垃圾袋乱丢' }),
    };
    const hiddenTexts = ['来电：', '王阿姨', '观察员：', '楼上邻居', '不想公开'];
    const ids = [...Object.values(hidden), ...Object.values(shown)];

    const bodies = [
      (await get(`/requests.json?service_request_id=${ids.join(',')}`)).body,
      (await get('/requests.json')).body,
      (await get('/requests.xml')).body,
      ...(await Promise.all(ids.map(async (id) => (await get(`/requests/${id}.xml`)).body))),
    ];
    for (const body of bodies) for (const text of hiddenTexts) expect(body).not.toContain(text);

    const listed = new Map<string, any>(JSON.parse(bodies[0]).map((r: any) => [r.service_request_id, r]));
    for (const id of Object.values(hidden)) expect(listed.get(id).description).toBeNull();
    expect(listed.get(shown.app).description).toBe('随手拍：桶边一地垃圾袋');
    expect(listed.get(shown.open311).description).toBe('Open311：投放点垃圾袋乱丢');
    // Read with an XML parser: a withheld description is an empty element, a public one its text.
    // The whole feed, the demo district's reports included: no hotline or observer report carries its text.
    const unpublished = new Set<string>(
      (
        await platform.database(ServiceName.Enforcement).query(`SELECT id FROM citizen_report WHERE channel IN ('HOTLINE', 'OBSERVER')`)
      ).map((row: { id: string }) => row.id),
    );
    const feed: any[] = JSON.parse(bodies[1]);
    const feedUnpublished = feed.filter((r) => unpublished.has(r.service_request_id));
    expect(feedUnpublished.length).toBeGreaterThan(50);
    expect(feedUnpublished.every((r) => r.description === null)).toBe(true);
    expect(feed.some((r) => !unpublished.has(r.service_request_id) && r.description !== null)).toBe(true);
    const asXml = new Map<string, any>(xml.parse(bodies[2]).service_requests.request.map((r: any) => [r.service_request_id, r]));
    expect(asXml.get(hidden.hotline).description).toBe('');
    expect(asXml.get(shown.app).description).toBe('随手拍：桶边一地垃圾袋');

    // A handler of the street judges the app text private after all: the feed stops showing it.
    const handler = await platform.token([Role.STREET_ADMIN], street.id, 'street-admin-open311');
    expect(
      (await platform.query(handler, `mutation($id: ID!) { withholdReportDescription(id: $id) { id } }`, { id: shown.app })).errors,
    ).toBeUndefined();
    const after = (await get(`/requests/${shown.app}.json`)).body;
    expect(JSON.parse(after)[0].description).toBeNull();
    expect(after).not.toContain('桶边一地垃圾袋');
  });

  it('filters requests by status, service code and dates, within the default window and the limit', async () => {
    const all = JSON.parse((await get('/requests.json')).body);
    expect(all.length).toBeGreaterThan(100);
    expect(all.length).toBeLessThanOrEqual(1000);
    const closed = JSON.parse((await get('/requests.json?status=closed&service_code=MIXED_WASTE,BIN_OVERFLOW')).body);
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((r: any) => r.status === 'closed' && ['MIXED_WASTE', 'BIN_OVERFLOW'].includes(r.service_code))).toBe(true);
    const open = JSON.parse((await get('/requests.json?status=open')).body);
    expect(open.every((r: any) => r.status === 'open')).toBe(true);
    // The demo reports span the last month; a window in 2020 holds none of them.
    expect(JSON.parse((await get('/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z')).body)).toEqual([]);
    // Newest first, and no reporter anywhere in the list.
    const times = all.map((r: any) => Date.parse(r.requested_datetime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    for (const request of all) expect(Object.keys(request).sort()).toEqual(REQUEST_FIELDS);

    for (const [query, mentions] of [
      ['start_date=yesterday', 'start_date'],
      ['status=pending', 'status'],
      ['service_code=NOPE', 'NOPE'],
    ]) {
      const bad = await get(`/requests.json?${query}`);
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.body)).toEqual([{ code: 400, description: expect.stringContaining(mentions) }]);
    }
  });

  it('serves only through the gateway: a direct call to enforcement is refused', async () => {
    const direct = await fetch(`${platform.serviceUrls.get(ServiceName.Enforcement)}/open311/v2/services.json`);
    expect(direct.status).toBe(401);
    expect(await direct.json()).toEqual([{ code: 401, description: expect.any(String) }]);
  });

  it('answers paths outside the spec, and bodies over 64 KiB, at the gateway in the spec format', async () => {
    const unknown = await get('/tokens.xml');
    expect(unknown.status).toBe(404);
    expect(xml.parse(unknown.body).errors.error).toEqual([{ code: '404', description: expect.any(String) }]);
    const before = await reportCount();
    const huge = await postForm('/requests.json', {
      service_code: 'OTHER',
      lat: '29.8',
      long: '121.5',
      description: 'x'.repeat(70 * 1024),
    });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toEqual([{ code: 413, description: expect.any(String) }]);
    expect(await reportCount()).toBe(before);
  });

  it.each([
    ['the x-api-key header', 'header'],
    ['the api_key query parameter', 'query'],
    ['the api_key form field', 'form'],
    ['the api_key field of a JSON body', 'json'],
  ])('files a request with an institution API key in %s and shows staff the institution', async (_place, place) => {
    const fields = { service_code: 'BIN_OVERFLOW', address_id: compound.id, description: '桶满溢（系统上报）' };
    const response = await fetch(`${base}/requests.json${place === 'query' ? `?api_key=${encodeURIComponent(apiKey)}` : ''}`, {
      method: 'POST',
      headers: {
        'content-type': place === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
        ...(place === 'header' ? { 'x-api-key': apiKey } : {}),
      },
      body:
        place === 'json'
          ? JSON.stringify({ ...fields, api_key: apiKey })
          : new URLSearchParams(place === 'form' ? { ...fields, api_key: apiKey } : fields).toString(),
    });
    expect(response.status).toBe(201);
    const [created] = (await response.json()) as Array<Record<string, unknown>>;
    // The answer stays exactly the spec's.
    expect(Object.keys(created).sort()).toEqual(['account_id', 'service_notice', 'service_request_id']);

    const admin = await platform.token([Role.DISTRICT_ADMIN]);
    const staff: any = await platform.query(admin, STAFF_REPORT, { id: created.service_request_id });
    expect(staff.errors).toBeUndefined();
    expect(staff.data.report).toEqual({
      channel: 'OPEN311',
      status: 'SUBMITTED',
      submittedByInstitution: { id: institution.id, name: institution.name },
    });
  });

  it('shows no institution on a request filed without a key', async () => {
    const [created] = JSON.parse((await postForm('/requests.json', { service_code: 'BAG_DUMPED', lat: '29.81', long: '121.54' })).body);
    const staff: any = await platform.query(await platform.token([Role.DISTRICT_ADMIN]), STAFF_REPORT, { id: created.service_request_id });
    expect(staff.data.report.submittedByInstitution).toBeNull();
  });

  it.each([
    // A real key's prefix with another secret: well formed, and no key.
    ['unknown', () => `${apiKey.slice(0, -1)}${apiKey.endsWith('A') ? 'B' : 'A'}`, /not known/],
    ['revoked', () => revokedKey, /revoked/],
    ['malformed', () => 'any-client', /not an API key/],
  ])('refuses a key that is %s with 403 in JSON and XML and files nothing', async (_kind, key, says) => {
    const before = await reportCount();
    const form = { service_code: 'BAG_DUMPED', lat: '29.8', long: '121.5', api_key: key() };
    const json = await postForm('/requests.json', form);
    expect(json.status).toBe(403);
    expect(JSON.parse(json.body)).toEqual([{ code: 403, description: expect.stringMatching(says) }]);
    const asXml = await postForm('/requests.xml', form);
    expect(asXml.status).toBe(403);
    expect(asXml.type).toMatch(/^text\/xml/);
    expect(xml.parse(asXml.body).errors.error).toEqual([{ code: '403', description: expect.stringMatching(says) }]);
    expect(asXml.body).not.toContain(key());
    expect(await reportCount()).toBe(before);
  });

  it('keeps reading public: an api_key on a GET is ignored, even a bad one', async () => {
    const listed = await fetch(`${base}/requests.json?status=open&api_key=not-a-key`, { headers: { 'x-api-key': 'not-a-key' } });
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as unknown[]).length).toBeGreaterThan(0);
    expect((await get('/services.xml?api_key=not-a-key')).status).toBe(200);
  });

  it('limits reads per client address with 429 and Retry-After in the spec format, while another address still reads', async () => {
    let limited = { status: 0, retryAfter: null as string | null, body: '' };
    let served = 0;
    for (let attempt = 0; attempt < 1000 && limited.status !== 429; attempt++) {
      limited = await getFrom('127.0.0.2', '/services.json');
      if (limited.status === 200) served += 1;
    }
    expect(limited.status).toBe(429);
    expect(served).toBeGreaterThan(0);
    expect(JSON.parse(limited.body)).toEqual([{ code: 429, description: expect.stringContaining(`At most ${served} reads a minute`) }]);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(60);
    const asXml = await getFrom('127.0.0.2', '/requests.xml');
    expect(asXml.status).toBe(429);
    expect(xml.parse(asXml.body).errors.error).toEqual([{ code: '429', description: expect.any(String) }]);

    // Another client is not held back by the first one's reads.
    const other = await getFrom('127.0.0.3', '/requests.json?status=open');
    expect(other.status).toBe(200);
    expect((JSON.parse(other.body) as unknown[]).length).toBeGreaterThan(0);
  });

  // Last: it spends this gateway's allowance for 127.0.0.1.
  it('limits new requests per client address with 429 and Retry-After in the spec format, and keeps reading open', async () => {
    const before = await reportCount();
    let limited: Awaited<ReturnType<typeof postForm>> & { retryAfter?: string | null } = { status: 0, type: '', body: '' };
    for (let attempt = 0; attempt < 31 && limited.status !== 429; attempt++) {
      // No service code: refused by enforcement with 400, so nothing is filed, but every POST counts.
      const response = await fetch(`${base}/requests.json`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'description=spam',
      });
      limited = {
        status: response.status,
        type: response.headers.get('content-type') ?? '',
        body: await response.text(),
        retryAfter: response.headers.get('retry-after'),
      };
    }
    expect(limited.status).toBe(429);
    expect(JSON.parse(limited.body)).toEqual([{ code: 429, description: expect.stringMatching(/30 new requests an hour/) }]);
    expect(Number(limited.retryAfter)).toBeGreaterThan(0);
    expect(Number(limited.retryAfter)).toBeLessThanOrEqual(3600);
    expect(await reportCount()).toBe(before);
    expect((await get('/services.json')).status).toBe(200);

    // An institution's key is counted per institution, never against the address: it still files from here.
    const keyed = await postForm('/requests.json', { service_code: 'BAG_DUMPED', lat: '29.8', long: '121.5', api_key: apiKey });
    expect(keyed.status).toBe(201);
    expect(await reportCount()).toBe(before + 1);
  });
});
