import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { ServiceName } from '#libs/messaging';
import { errorCodes, postGraphQL } from '#libs/testing';
import { enrolInstitution, redeemEnrolment, startPlatform, type TestPlatform } from '#tools/test-platform';

const ISSUE = `mutation($institution: ID!, $label: String!, $contact: String!, $phone: String, $hours: Int) {
  issueInstitutionEnrolment(institutionId: $institution, label: $label, contactName: $contact, contactPhone: $phone, expiresInHours: $hours) {
    code enrolment { id state label contactName contactPhone issuedBy expiresAt institution { id } } } }`;
const CANCEL = `mutation($id: ID!) { cancelInstitutionEnrolment(id: $id) { id state contactName contactPhone cancelledAt } }`;
const ENROLMENTS = `query($institution: ID, $state: InstitutionEnrolmentState) {
  institutionEnrolments(institutionId: $institution, state: $state, first: 50) { totalCount edges { node { id state contactName contactPhone apiKeyId } } } }`;
const KEYS = `query($institution: ID) { institutionApiKeys(institutionId: $institution, first: 50) {
  edges { node { id prefix label active issuedBy createdBy revokedAt } } } }`;
const ROTATE = `mutation($id: ID!, $overlap: Int) { rotateInstitutionApiKey(id: $id, overlapHours: $overlap) { secret apiKey { id prefix issuedBy } } }`;
const REVOKE = `mutation($id: ID!, $cascade: Boolean) { revokeInstitutionApiKey(id: $id, cascade: $cascade) { id active revokedAt } }`;
const AUDIT = `query($institution: ID, $key: ID, $kind: ApiKeyAuditKind) { apiKeyAuditEvents(institutionId: $institution, apiKeyId: $key, kind: $kind, first: 100) {
  totalCount edges { node { id kind institution { id } apiKeyId enrolmentId issuedBy actor entity entityIds } } } }`;
const MY_NOTICES = `query { myNotices(first: 5) { edges { node { id residentName } } } }`;
const MUTATION_FIELDS = `{ __type(name: "Mutation") { fields { name type { name ofType { name ofType { name } } } } } }`;

describe('institution API keys by enrolment', () => {
  let platform: TestPlatform;
  let officer: string;
  /** An institution with notices (so reading through its key reads names), and another one. */
  let institution: string;
  let otherInstitution: string;

  const asInstitution = (key: string, query: string, variables: Record<string, unknown> = {}) =>
    postGraphQL(platform.gatewayUrl, query, variables, { 'x-api-key': key });
  const notifications = () => platform.database(ServiceName.Notifications);
  const issue = async (variables: Record<string, unknown> = {}) => {
    const response: any = await platform.query(officer, ISSUE, {
      institution,
      label: '教务系统',
      contact: '王建国',
      phone: '13812345678',
      ...variables,
    });
    expect(response.errors).toBeUndefined();
    return response.data.issueInstitutionEnrolment as {
      code: string;
      enrolment: { id: string; state: string; contactName: string; contactPhone: string };
    };
  };

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1 });
    // The member of staff who issues codes: every key and every read through it leads back to them.
    officer = await platform.token([Role.DISTRICT_ADMIN], null, 'officer-li');
    [{ id: institution }, { id: otherInstitution }] = await notifications().query(
      `SELECT institution_id AS id FROM notice GROUP BY institution_id ORDER BY count(*) DESC, institution_id LIMIT 2`,
    );
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('gives staff a one-time code, never a secret, and the institution its key for the code, once', async () => {
    const { code, enrolment } = await issue();
    expect(code).toMatch(/^wse_[a-z2-7]{32}$/);
    // The answer to staff names no key and holds no secret; the contact is personal data, masked for this role.
    const answer = JSON.stringify(enrolment);
    expect(answer).not.toContain('wsk_');
    expect(enrolment).toMatchObject({ state: 'OPEN', contactName: '王*国', contactPhone: '138****5678', issuedBy: 'officer-li' });
    expect(
      await notifications().query(`SELECT count(*)::int AS n FROM institution_api_key WHERE institution_id = $1`, [institution]),
    ).toEqual([{ n: 0 }]);
    expect(JSON.stringify(await notifications().query(`SELECT * FROM institution_enrolment`))).not.toContain(code.slice(4));

    const redeemed = await redeemEnrolment(platform, code);
    expect(redeemed.status).toBe(201);
    const { secret, apiKey } = redeemed.body;
    expect(secret.startsWith(`${apiKey.prefix}_`)).toBe(true);
    expect(apiKey).toMatchObject({ institutionId: institution, label: '教务系统', issuedBy: 'officer-li', active: true });
    const read: any = await asInstitution(secret, MY_NOTICES);
    expect(read.errors).toBeUndefined();
    expect(read.data.myNotices.edges.length).toBeGreaterThan(0);

    // Redeeming again is refused and makes no second key.
    const again = await redeemEnrolment(platform, code);
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'CONFLICT', reason: 'ENROLMENT_CODE_USED' } } });
    expect(
      await notifications().query(`SELECT count(*)::int AS n FROM institution_api_key WHERE institution_id = $1`, [institution]),
    ).toEqual([{ n: 1 }]);
    // The contact was needed only until the code was redeemed.
    const listed: any = await platform.query(officer, ENROLMENTS, { institution });
    expect(listed.data.institutionEnrolments.edges.map((edge: any) => edge.node)).toEqual([
      { id: enrolment.id, state: 'REDEEMED', contactName: null, contactPhone: null, apiKeyId: apiKey.id },
    ]);

    // No staff-facing answer carries the secret, and no operation but the institution's own rotation answers one.
    const keys: any = await platform.query(officer, KEYS, { institution });
    expect(keys.errors).toBeUndefined();
    expect(JSON.stringify(keys.data)).not.toContain(secret.slice(15));
    const mutations: any = await platform.query(officer, MUTATION_FIELDS);
    const typeName = (type: any): string => type.name ?? typeName(type.ofType);
    expect(
      mutations.data.__type.fields.filter((field: any) => typeName(field.type) === 'IssuedApiKey').map((field: any) => field.name),
    ).toEqual(['rotateInstitutionApiKey']);
    expect(
      errorCodes(
        await platform.query(officer, `mutation { createInstitutionApiKey(institutionId: "${institution}", label: "x") { secret } }`),
      ),
    ).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(errorCodes(await platform.query(officer, ROTATE, { id: apiKey.id }))).toEqual(['FORBIDDEN']);
  });

  it('refuses expired, cancelled, unknown and malformed codes, creating nothing', async () => {
    const expired = await issue({ institution: otherInstitution, hours: 1 });
    await notifications().query(`UPDATE institution_enrolment SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      expired.enrolment.id,
    ]);
    expect(await redeemEnrolment(platform, expired.code)).toMatchObject({
      status: 409,
      body: { error: { reason: 'ENROLMENT_CODE_EXPIRED' } },
    });

    const cancelled = await issue({ institution: otherInstitution });
    const closed: any = await platform.query(officer, CANCEL, { id: cancelled.enrolment.id });
    expect(closed.data.cancelInstitutionEnrolment).toMatchObject({ state: 'CANCELLED', contactName: null, contactPhone: null });
    expect(await redeemEnrolment(platform, cancelled.code)).toMatchObject({
      status: 409,
      body: { error: { reason: 'ENROLMENT_CANCELLED' } },
    });
    expect(errorCodes(await platform.query(officer, CANCEL, { id: cancelled.enrolment.id }))).toEqual(['CONFLICT']);

    expect(await redeemEnrolment(platform, `wse_${'a'.repeat(32)}`)).toMatchObject({
      status: 404,
      body: { error: { reason: 'UNKNOWN_ENROLMENT_CODE' } },
    });
    expect(await redeemEnrolment(platform, 'not-a-code')).toMatchObject({
      status: 400,
      body: { error: { reason: 'MALFORMED_ENROLMENT_CODE' } },
    });
    expect(
      await notifications().query(`SELECT count(*)::int AS n FROM institution_api_key WHERE institution_id = $1`, [otherInstitution]),
    ).toEqual([{ n: 0 }]);
    const states: any = await platform.query(officer, ENROLMENTS, { institution: otherInstitution });
    expect(states.data.institutionEnrolments.edges.map((edge: any) => edge.node.state).sort()).toEqual(['CANCELLED', 'EXPIRED']);

    // Bad input is refused before anything is written.
    expect(errorCodes(await platform.query(officer, ISSUE, { institution: otherInstitution, label: '教务系统', contact: ' ' }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(
      errorCodes(await platform.query(officer, ISSUE, { institution: otherInstitution, label: '教务系统', contact: '王', hours: 0 })),
    ).toEqual(['BAD_USER_INPUT']);
    expect(
      errorCodes(
        await platform.query(officer, ISSUE, { institution: '00000000-0000-4000-8000-000000000000', label: '教务系统', contact: '王' }),
      ),
    ).toEqual(['NOT_FOUND']);
    expect((await platform.query(officer, ENROLMENTS, { institution: otherInstitution })).data!.institutionEnrolments.totalCount).toBe(2);
  });

  it('lets only staff with API_KEY_MANAGE issue codes and read enrolments and the audit', async () => {
    const street = await platform.token([Role.STREET_ADMIN], platform.plan.streets[0].id);
    expect(errorCodes(await platform.query(street, ISSUE, { institution, label: '教务系统', contact: '王' }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await platform.query(street, ENROLMENTS, {}))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await platform.query(street, AUDIT, {}))).toEqual(['FORBIDDEN']);
    const { key } = await enrolInstitution(platform, otherInstitution, { staffToken: officer });
    expect(errorCodes(await asInstitution(key, ISSUE, { institution: otherInstitution, label: '教务系统', contact: '王' }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(errorCodes(await asInstitution(key, AUDIT, {}))).toEqual(['FORBIDDEN']);
  });

  it('revokes a key with the keys rotated from it, unless told not to', async () => {
    const first = await enrolInstitution(platform, institution, { staffToken: officer, label: '轮换' });
    const second: any = (await asInstitution(first.key, ROTATE, { id: first.apiKeyId, overlap: 24 })).data!.rotateInstitutionApiKey;
    const third: any = (await asInstitution(second.secret, ROTATE, { id: second.apiKey.id, overlap: 24 })).data!.rotateInstitutionApiKey;
    expect(third.apiKey.issuedBy).toBe('officer-li');
    const revoked: any = await platform.query(officer, REVOKE, { id: first.apiKeyId });
    expect(revoked.data.revokeInstitutionApiKey).toMatchObject({ id: first.apiKeyId, active: false });
    for (const key of [first.key, second.secret, third.secret]) {
      expect((await asInstitution(key, MY_NOTICES)).errors![0].extensions!.reason).toBe('API_KEY_REVOKED');
    }

    const kept = await enrolInstitution(platform, institution, { staffToken: officer, label: '保留' });
    const successor: any = (await asInstitution(kept.key, ROTATE, { id: kept.apiKeyId, overlap: 24 })).data!.rotateInstitutionApiKey;
    expect((await platform.query(officer, REVOKE, { id: kept.apiKeyId, cascade: false })).errors).toBeUndefined();
    expect((await asInstitution(kept.key, MY_NOTICES)).errors![0].extensions!.reason).toBe('API_KEY_REVOKED');
    expect((await asInstitution(successor.secret, MY_NOTICES)).errors).toBeUndefined();
  });

  it('audits issuing, redeeming, rotating, revoking and every read of names through a key, naming institution, key and issuer', async () => {
    const enrolled = await enrolInstitution(platform, institution, { staffToken: officer, label: '审计' });
    const read: any = await asInstitution(enrolled.key, MY_NOTICES);
    const noticeIds = read.data.myNotices.edges.map((edge: any) => edge.node.id);
    const rotated: any = (await asInstitution(enrolled.key, ROTATE, { id: enrolled.apiKeyId, overlap: 0 })).data!.rotateInstitutionApiKey;
    await platform.query(officer, REVOKE, { id: rotated.apiKey.id });

    const events: any = await platform.query(officer, AUDIT, { institution });
    expect(events.errors).toBeUndefined();
    const mine = events.data.apiKeyAuditEvents.edges
      .map((edge: any) => edge.node)
      .filter((event: any) => event.enrolmentId === enrolled.enrolmentId);
    const base = { institution: { id: institution }, enrolmentId: enrolled.enrolmentId, issuedBy: 'officer-li' };
    // Newest first.
    expect(mine).toEqual([
      expect.objectContaining({ ...base, kind: 'KEY_REVOKED', apiKeyId: rotated.apiKey.id, actor: 'officer-li' }),
      expect.objectContaining({ ...base, kind: 'KEY_ROTATED', apiKeyId: rotated.apiKey.id, actor: `api-key:${enrolled.prefix}` }),
      expect.objectContaining({
        ...base,
        kind: 'UNMASKED_READ',
        apiKeyId: enrolled.apiKeyId,
        actor: `api-key:${enrolled.prefix}`,
        entity: 'Notice',
        entityIds: noticeIds,
      }),
      expect.objectContaining({
        ...base,
        kind: 'ENROLMENT_REDEEMED',
        apiKeyId: enrolled.apiKeyId,
        actor: `enrolment:${enrolled.enrolmentId}`,
      }),
      expect.objectContaining({ ...base, kind: 'ENROLMENT_ISSUED', apiKeyId: null, actor: 'officer-li' }),
    ]);
    const reads: any = await platform.query(officer, AUDIT, { key: enrolled.apiKeyId, kind: 'UNMASKED_READ' });
    expect(reads.data.apiKeyAuditEvents.totalCount).toBe(1);
  });

  it('limits enrolment attempts per client address, so codes cannot be tried in bulk', async () => {
    // This file's earlier tests made about ten attempts from this address; the limit is 20 an hour.
    let refused: { status: number; body: any } | undefined;
    let retryAfter: string | null = null;
    for (let attempt = 0; attempt < 25 && !refused; attempt++) {
      const response = await fetch(new URL('/api-keys/enrol', platform.gatewayUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: `wse_${'b'.repeat(32)}` }),
      });
      if (response.status === 429) {
        refused = { status: 429, body: await response.json() };
        retryAfter = response.headers.get('retry-after');
      } else {
        expect(response.status).toBe(404);
        await response.arrayBuffer();
      }
    }
    expect(refused?.body).toMatchObject({ error: { code: 'RATE_LIMITED', retryAfter: Number(retryAfter) } });
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
