import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Role } from '#libs/auth';
import { addMonths, shanghaiMonth } from '#libs/calendar';
import { ServiceName } from '#libs/messaging';
import { dataOf, errorCodes, postGraphQL, waitFor, type GraphQLResponse } from '#libs/testing';
import { enrolInstitution, startPlatform, type TestPlatform } from '#tools/test-platform';
import { WebhookReceiver, type ReceivedWebhook } from '../../webhooks/__tests__/webhook-receiver.js';

/*
 * The spawned notifications process inherits this environment (testEnvironment() adds WEBHOOK_ALLOWED_HOSTS=127.0.0.1
 * for the receivers): retries a second apart, so a receiver that refuses at first is retried within the test.
 */
process.env.WEBHOOK_RETRY_SCHEDULE_SECONDS = Array(8).fill('1').join(',');
process.env.WEBHOOK_TIMEOUT_MS = '1500';
process.env.WEBHOOK_LEASE_SECONDS = '10';

/** The demo grades the last two complete months; the later one's draft has entries of both kinds. */
const MONTH = addMonths(shanghaiMonth(), -1);

const DISCLOSURES = `query($month: String) { publicDisclosures(month: $month, first: 1) { edges { node { id state } } } }`;
const APPROVE = `mutation($id: ID!) { approvePublicDisclosure(id: $id) { id state } }`;
const PUBLISH = `mutation($id: ID!) { publishPublicDisclosure(id: $id) { id state subject textBody htmlBody publishedAt } }`;
const WITHDRAW = `mutation($id: ID!, $reason: String!) { withdrawPublicDisclosure(id: $id, reason: $reason) { id state } }`;
const STAFF_OUTLETS = `query($id: ID!) { publicDisclosure(id: $id) { entries(first: 500) { edges { node { maskedName place } } }
  outlets(first: 50) { totalCount edges { node { institution { id } sharedAt received webhookState webhookDeliveredAt firstReadAt withdrawalDeliveredAt
    publication { publishedAt url placement acknowledgedAt } } } } } }`;
const REGISTER = `mutation($url: String!) { registerWebhookEndpoint(url: $url) { secret endpoint { id } } }`;
const MEDIA_FIELDS = `id month state publishedAt withdrawnAt subject textBody htmlBody sharedAt publication { publishedAt url placement acknowledgedAt }`;
const MEDIA_ONE = `query($id: ID!) { mediaDisclosure(id: $id) { ${MEDIA_FIELDS} } }`;
const MEDIA_LIST = `query($unacknowledged: Boolean) { mediaDisclosures(first: 20, unacknowledged: $unacknowledged) { totalCount edges { node { ${MEDIA_FIELDS} } } } }`;
const ACKNOWLEDGE = `mutation($id: ID!, $url: String, $placement: String, $publishedAt: DateTime) {
  acknowledgeDisclosurePublication(id: $id, url: $url, placement: $placement, publishedAt: $publishedAt) { id state publication { publishedAt url placement acknowledgedAt } } }`;
const DELIVERIES = `query { webhookDeliveries(first: 50) { edges { node { id webhookId type disclosureId noticeIds state } } } }`;
const REPLAY = `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id webhookId } }`;

interface Client {
  id: string;
  key: string;
  receiver?: WebhookReceiver;
}

describe('public disclosures to media outlets (媒体公示) by API key and signed webhooks', () => {
  let platform: TestPlatform;
  let notifications: () => ReturnType<TestPlatform['database']>;
  let preparer: string;
  let approver: string;
  /** A and B take webhooks (B's receiver is down at first); C only reads through the API; the school is no outlet. */
  let a: Client;
  let b: Client;
  let c: Client;
  let school: Client;
  let mediaIds: string[];
  let disclosureId: string;
  let published: { subject: string; textBody: string; htmlBody: string; publishedAt: string };
  let maskedNames: string[];
  const receivers: WebhookReceiver[] = [];

  const as = <Data = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<Data>> =>
    postGraphQL<Data>(platform.gatewayUrl, query, variables, { 'x-api-key': client.key });

  const ok = dataOf;

  const refusal = (response: GraphQLResponse) => [errorCodes(response), response.errors?.[0]?.extensions?.reason];

  const disclosureWebhooks = (client: Client, type: string): ReceivedWebhook[] =>
    client.receiver!.delivered.filter((r) => r.payload.type === type);

  async function staffOutlets(): Promise<any[]> {
    const data: any = await ok(platform.query(approver, STAFF_OUTLETS, { id: disclosureId }));
    expect(data.publicDisclosure.outlets.totalCount).toBe(data.publicDisclosure.outlets.edges.length);
    return data.publicDisclosure.outlets.edges.map((edge: any) => edge.node);
  }

  const outletOf = (outlets: any[], client: Client) => outlets.find((outlet) => outlet.institution.id === client.id);

  const outletRows = () =>
    notifications().query(`SELECT * FROM disclosure_outlet WHERE disclosure_id = $1 ORDER BY institution_id`, [disclosureId]);

  async function withEndpoint(client: Client, answer: number): Promise<void> {
    client.receiver = await WebhookReceiver.start(answer);
    receivers.push(client.receiver);
    const data: any = await ok(as(client, REGISTER, { url: client.receiver.url }));
    client.receiver.secrets = [data.registerWebhookEndpoint.secret];
  }

  beforeAll(async () => {
    platform = await startPlatform({ streets: 2, households: 400 });
    notifications = () => platform.database(ServiceName.Notifications);
    preparer = await platform.token([Role.DISTRICT_ADMIN], null, 'admin-preparer');
    approver = await platform.token([Role.DISTRICT_ADMIN], null, 'admin-approver');
    await waitFor(
      'the demo months’ notices and disclosure drafts',
      async () => {
        const [{ waiting }] = await notifications().query(
          `SELECT count(*) FILTER (WHERE notices_generated_at IS NULL)::int + 2 - count(*)::int AS waiting FROM evaluated_month`,
        );
        return waiting === 0;
      },
      60_000,
    );
    // The district's media outlets as organization announced them (the demo has four), and a school.
    mediaIds = (await notifications().query(`SELECT id FROM institution_copy WHERE kind = 'MEDIA' ORDER BY id`)).map(
      (row: { id: string }) => row.id,
    );
    expect(mediaIds.length).toBeGreaterThanOrEqual(3);
    const [{ id: schoolId }] = await notifications().query(`SELECT id FROM institution_copy WHERE kind = 'SCHOOL' ORDER BY id LIMIT 1`);
    const enrol = async (id: string): Promise<Client> => ({
      id,
      key: (await enrolInstitution(platform, id, { staffToken: preparer, label: '公示接收' })).key,
    });
    [a, b, c, school] = await Promise.all([enrol(mediaIds[0]), enrol(mediaIds[1]), enrol(mediaIds[2]), enrol(schoolId)]);
    await withEndpoint(a, 200);
    await withEndpoint(b, 503);
    await withEndpoint(school, 200);
    disclosureId = (await ok<any>(platform.query(preparer, DISCLOSURES, { month: MONTH }))).publicDisclosures.edges[0].node.id;
  }, 180_000);

  afterAll(async () => {
    await platform.stop();
    for (const receiver of receivers) await receiver.close();
  });

  it('shares nothing with outlets until the approved disclosure is published', async () => {
    expect((await ok<any>(platform.query(approver, APPROVE, { id: disclosureId }))).approvePublicDisclosure.state).toBe('APPROVED');
    expect(await outletRows()).toEqual([]);
    expect((await ok<any>(as(a, MEDIA_LIST))).mediaDisclosures.totalCount).toBe(0);
    expect(refusal(await as(a, MEDIA_ONE, { id: disclosureId }))).toEqual([['NOT_FOUND'], undefined]);
  });

  it('delivers the published disclosure to every media outlet’s endpoint, signed per Standard Webhooks, with ids only', async () => {
    const data: any = await ok(platform.query(approver, PUBLISH, { id: disclosureId }));
    published = data.publishPublicDisclosure;
    expect(published.textBody.length).toBeGreaterThan(0);
    const staff: any = await ok(platform.query(approver, STAFF_OUTLETS, { id: disclosureId }));
    maskedNames = staff.publicDisclosure.entries.edges.map((edge: any) => edge.node.maskedName);
    expect(maskedNames.length).toBeGreaterThan(0);

    await waitFor('A to receive disclosure.published', () => Promise.resolve(disclosureWebhooks(a, 'disclosure.published').length > 0));
    // B's receiver answered 503 at first; it is retried until it takes it.
    await waitFor('B to be tried', () => Promise.resolve(b.receiver!.received.length > 0));
    b.receiver!.answer = 200;
    await waitFor('B to receive disclosure.published after a retry', () =>
      Promise.resolve(disclosureWebhooks(b, 'disclosure.published').length > 0),
    );

    for (const outlet of [a, b]) {
      const [message] = disclosureWebhooks(outlet, 'disclosure.published');
      // Verified with the standardwebhooks library against the secret the outlet was given.
      expect(message.verifiedBy).toEqual([0]);
      expect(message.webhookId).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(message.payload).toEqual({
        type: 'disclosure.published',
        timestamp: expect.any(String),
        data: { disclosureId, month: MONTH },
      });
      // Nothing of the text travels: no masked name, no place, no subject.
      for (const name of maskedNames) expect(message.body).not.toContain(name);
      expect(message.body).not.toContain(published.subject);
      // Every attempt of one message carries the same webhook-id, so a receiver dedupes retries.
      expect(new Set(outlet.receiver!.received.filter((r) => r.payload.type === 'disclosure.published').map((r) => r.webhookId)).size).toBe(
        1,
      );
    }
    expect(b.receiver!.received.filter((r) => r.payload.type === 'disclosure.published').length).toBeGreaterThan(1);
    // The school, which is not a media outlet, is sent nothing about it.
    expect(school.receiver!.received.filter((r) => r.payload.type.startsWith('disclosure.'))).toEqual([]);
  });

  it('lets each outlet read the published text with its key; another institution’s key reads nothing', async () => {
    const read: any = await ok(as(a, MEDIA_ONE, { id: disclosureId }));
    expect(read.mediaDisclosure).toEqual({
      id: disclosureId,
      month: MONTH,
      state: 'PUBLISHED',
      publishedAt: published.publishedAt,
      withdrawnAt: null,
      subject: published.subject,
      textBody: published.textBody,
      htmlBody: published.htmlBody,
      sharedAt: expect.any(String),
      publication: null,
    });
    // C has no endpoint: it pulls, and pulling counts as received.
    const listed: any = await ok(as(c, MEDIA_LIST));
    expect(listed.mediaDisclosures.edges.map((edge: any) => edge.node.id)).toEqual([disclosureId]);
    expect(listed.mediaDisclosures.edges[0].node.textBody).toBe(published.textBody);

    const before = await outletRows();
    expect(refusal(await as(school, MEDIA_ONE, { id: disclosureId }))).toEqual([['NOT_FOUND'], undefined]);
    expect((await ok<any>(as(school, MEDIA_LIST))).mediaDisclosures.totalCount).toBe(0);
    expect(refusal(await as(school, ACKNOWLEDGE, { id: disclosureId, url: 'https://news.example.cn/a' }))).toEqual([
      ['NOT_FOUND'],
      undefined,
    ]);
    // Staff are not outlets: their tokens have no disclosures of their own.
    expect(errorCodes(await platform.query(approver, MEDIA_ONE, { id: disclosureId }))).toEqual(['FORBIDDEN']);
    expect(await outletRows()).toEqual(before);
  });

  it('records an outlet’s acknowledgement of publication once, after checking it, for that outlet only', async () => {
    const before = await outletRows();
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const bad: [Record<string, unknown>, string][] = [
      [{}, 'MISSING_PLACE'],
      [{ url: 'ftp://news.example.cn/a' }, 'INVALID_URL'],
      [{ url: 'not a url' }, 'INVALID_URL'],
      [{ placement: 'x'.repeat(201) }, 'TEXT_TOO_LONG'],
      [{ url: 'https://news.example.cn/a', publishedAt: future }, 'INVALID_PUBLISHED_AT'],
      [{ url: 'https://news.example.cn/a', publishedAt: '2020-01-01T00:00:00.000Z' }, 'INVALID_PUBLISHED_AT'],
    ];
    for (const [variables, reason] of bad) {
      expect([variables, ...refusal(await as(a, ACKNOWLEDGE, { id: disclosureId, ...variables }))]).toEqual([
        variables,
        ['BAD_USER_INPUT'],
        reason,
      ]);
    }
    expect(await outletRows()).toEqual(before);

    const url = 'https://news.example.cn/2026/disclosure.html';
    const acknowledged: any = await ok(as(a, ACKNOWLEDGE, { id: disclosureId, url, placement: '鄞州日报 第3版' }));
    expect(acknowledged.acknowledgeDisclosurePublication).toMatchObject({
      id: disclosureId,
      state: 'PUBLISHED',
      publication: { url, placement: '鄞州日报 第3版', publishedAt: expect.any(String), acknowledgedAt: expect.any(String) },
    });
    expect(refusal(await as(a, ACKNOWLEDGE, { id: disclosureId, url }))).toEqual([['CONFLICT'], 'ALREADY_ACKNOWLEDGED']);
    // A's acknowledgement is A's: B's stands open.
    expect((await ok<any>(as(b, MEDIA_ONE, { id: disclosureId }))).mediaDisclosure.publication).toBeNull();
    expect((await ok<any>(as(a, MEDIA_LIST, { unacknowledged: true }))).mediaDisclosures.totalCount).toBe(0);
    expect((await ok<any>(as(b, MEDIA_LIST, { unacknowledged: true }))).mediaDisclosures.totalCount).toBe(1);
  });

  it('shows staff which outlets received and acknowledged it', async () => {
    await waitFor('B’s delivery to be recorded', async () => outletOf(await staffOutlets(), b)?.webhookState === 'SUCCEEDED');
    const outlets = await staffOutlets();
    // Every media outlet, and only media outlets.
    expect(outlets.map((outlet) => outlet.institution.id).sort()).toEqual([...mediaIds].sort());
    expect(outletOf(outlets, school)).toBeUndefined();
    expect(outletOf(outlets, a)).toMatchObject({
      received: true,
      webhookState: 'SUCCEEDED',
      webhookDeliveredAt: expect.any(String),
      firstReadAt: expect.any(String),
      publication: { url: 'https://news.example.cn/2026/disclosure.html', placement: '鄞州日报 第3版' },
    });
    expect(outletOf(outlets, b)).toMatchObject({ received: true, webhookState: 'SUCCEEDED', publication: null });
    expect(outletOf(outlets, c)).toMatchObject({
      received: true,
      webhookState: null,
      webhookDeliveredAt: null,
      firstReadAt: expect.any(String),
      publication: null,
    });
    const untouched = outlets.filter((outlet) => ![a.id, b.id, c.id].includes(outlet.institution.id));
    expect(untouched.length).toBeGreaterThan(0);
    for (const outlet of untouched)
      expect(outlet).toMatchObject({ received: false, webhookState: null, firstReadAt: null, publication: null });
  });

  it('sends a replay under the same webhook-id, and publishing again shares nothing twice', async () => {
    const deliveries: any = await ok(as(a, DELIVERIES));
    const delivery = deliveries.webhookDeliveries.edges
      .map((edge: any) => edge.node)
      .find((node: any) => node.type === 'disclosure.published');
    expect(delivery).toMatchObject({ disclosureId, noticeIds: [], state: 'SUCCEEDED' });
    const count = disclosureWebhooks(a, 'disclosure.published').length;
    await ok(as(a, REPLAY, { id: delivery.id }));
    await waitFor('the replay', () => Promise.resolve(disclosureWebhooks(a, 'disclosure.published').length > count));
    expect(new Set(disclosureWebhooks(a, 'disclosure.published').map((r) => r.webhookId))).toEqual(new Set([delivery.webhookId]));

    expect(refusal(await platform.query(approver, PUBLISH, { id: disclosureId }))).toEqual([['CONFLICT'], 'DISCLOSURE_NOT_APPROVED']);
    const [{ messages }] = await notifications().query(
      `SELECT count(*)::int AS messages FROM webhook_message WHERE disclosure_id = $1 AND type = 'disclosure.published'`,
      [disclosureId],
    );
    expect(messages).toBe(2); // A and B, the outlets with endpoints
  });

  it('tells the outlets of a withdrawal, and from then on serves only a withdrawal text', async () => {
    expect(
      (await ok<any>(platform.query(approver, WITHDRAW, { id: disclosureId, reason: '评定更正，重新公示' }))).withdrawPublicDisclosure
        .state,
    ).toBe('WITHDRAWN');
    for (const outlet of [a, b]) {
      await waitFor('disclosure.withdrawn', () => Promise.resolve(disclosureWebhooks(outlet, 'disclosure.withdrawn').length > 0));
      const [message] = disclosureWebhooks(outlet, 'disclosure.withdrawn');
      expect(message.verifiedBy).toEqual([0]);
      expect(message.payload).toEqual({
        type: 'disclosure.withdrawn',
        timestamp: expect.any(String),
        data: { disclosureId, month: MONTH },
      });
      // The staff's reason stays inside.
      expect(message.body).not.toContain('评定更正');
      expect(message.webhookId).not.toBe(disclosureWebhooks(outlet, 'disclosure.published')[0].webhookId);
    }
    expect(school.receiver!.received.filter((r) => r.payload.type.startsWith('disclosure.'))).toEqual([]);

    // Reading it now gives the withdrawal, never the text; C, which pulled it, learns of it the same way.
    for (const outlet of [a, c]) {
      const read: any = (await ok<any>(as(outlet, MEDIA_ONE, { id: disclosureId }))).mediaDisclosure;
      expect(read).toMatchObject({ state: 'WITHDRAWN', withdrawnAt: expect.any(String), subject: `【已撤回】${published.subject}` });
      expect(read.textBody).toContain('已撤回');
      for (const name of maskedNames) {
        expect(read.textBody).not.toContain(name);
        expect(read.htmlBody).not.toContain(name);
      }
    }
    expect(refusal(await as(b, ACKNOWLEDGE, { id: disclosureId, url: 'https://news.example.cn/b' }))).toEqual([
      ['CONFLICT'],
      'DISCLOSURE_WITHDRAWN',
    ]);
    await waitFor('the withdrawal’s deliveries to be recorded', async () => {
      const outlets = await staffOutlets();
      return [a, b].every((outlet) => outletOf(outlets, outlet).withdrawalDeliveredAt !== null);
    });
  });
});
