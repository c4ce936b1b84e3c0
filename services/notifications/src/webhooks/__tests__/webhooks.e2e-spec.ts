import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue } from 'bullmq';
import { Role } from '#libs/auth';
import { addMonths, monthStart, shanghaiMonth } from '#libs/calendar';
import { EventType, QueueName, ServiceName } from '#libs/messaging';
import { dataOf, errorCodes, platformQueue, postGraphQL, waitFor, type GraphQLResponse } from '#libs/testing';
import { enrolInstitution, startPlatform, waitForDemoNotices, type TestPlatform } from '#tools/test-platform';
import { WebhookReceiver, type ReceivedWebhook } from './webhook-receiver.js';

/*
 * The spawned notifications process inherits this test's environment (testEnvironment() adds
 * WEBHOOK_ALLOWED_HOSTS=127.0.0.1 for the receivers): retries a second apart, eight of them, and a short timeout,
 * so retries, giving up and timeouts happen within the test without sleeping in it.
 */
const RETRIES = 8;
process.env.WEBHOOK_RETRY_SCHEDULE_SECONDS = Array(RETRIES).fill('1').join(',');
process.env.WEBHOOK_TIMEOUT_MS = '1500';
process.env.WEBHOOK_LEASE_SECONDS = '10';
/** Each school here registers one endpoint; the last test fills one school's allowance of two. */
process.env.WEBHOOK_MAX_ENDPOINTS_PER_INSTITUTION = '2';

/** The demo's last two complete months; notices of both are regenerated here, after endpoints exist. */
const MONTH = addMonths(shanghaiMonth(), -1);
const MONTH_BEFORE = addMonths(MONTH, -1);

const REGISTER = `mutation($url: String!, $description: String) { registerWebhookEndpoint(url: $url, description: $description) {
  secret endpoint { id url description state institution { id } secrets { prefix createdAt expiresAt } } } }`;
const ENDPOINTS = `query { webhookEndpoints(first: 50) { totalCount edges { node { id url state disabledReason disabledAt secrets { prefix expiresAt } } } } }`;
const DELIVERIES = `query($endpointId: ID, $noticeId: ID, $state: WebhookDeliveryState, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $endpointId, noticeId: $noticeId, state: $state, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id webhookId type month noticeIds endpointId url state attemptCount nextAttemptAt replayRequested lastStatus lastError succeededAt
      attempts { attemptedAt httpStatus error durationMs replay } } } } }`;
const REPLAY = `mutation($id: ID!) { replayWebhookDelivery(id: $id) { id webhookId state replayRequested } }`;
const ROTATE = `mutation($id: ID!, $overlap: Int) { rotateWebhookSecret(endpointId: $id, overlapHours: $overlap) {
  secret previousSecretExpiresAt endpoint { id secrets { prefix expiresAt } } } }`;
const DISABLE = `mutation($id: ID!) { disableWebhookEndpoint(id: $id) { id state disabledReason } }`;
const ENABLE = `mutation($id: ID!) { enableWebhookEndpoint(id: $id) { id state disabledReason disabledAt } }`;
const DIGEST = `mutation($enabled: Boolean!) { setNoticeDigest(enabled: $enabled) { noticeDigest updatedAt } }`;
const PREFERENCES = `query { webhookPreferences { noticeDigest } }`;
const HEALTH = `query { webhookDeliveryHealth(first: 100) { edges { node { institution { id } activeEndpoints disabledEndpoints pending succeeded failed } } } }`;
const ACKNOWLEDGE = `mutation($id: ID!) { acknowledgeNotice(id: $id) { id state acknowledgedAt } }`;

interface School {
  id: string;
  key: string;
  receiver: WebhookReceiver;
  endpointId: string;
}

interface NoticeRow {
  id: string;
  state: string;
  sentAt: Date | null;
  deliveredAt: Date | null;
  lastError: string | null;
  residentName: string;
}

describe('notices to institutions by signed webhooks', () => {
  let platform: TestPlatform;
  let queue: Queue;
  let admin: string;
  let notifications: () => ReturnType<TestPlatform['database']>;
  const receivers: WebhookReceiver[] = [];
  /** A and B: the "Done when" schools; C answers with a redirect, D with 410 Gone, E never answers. */
  const schools: Record<'a' | 'b' | 'c' | 'd' | 'e', School> = {} as never;
  let redirectTarget: WebhookReceiver;

  const as = <Data = any>(school: School, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<Data>> =>
    postGraphQL<Data>(platform.gatewayUrl, query, variables, { 'x-api-key': school.key });

  const ok = dataOf;

  const noticesOf = (school: School, month: string): Promise<NoticeRow[]> =>
    notifications().query(
      `SELECT id, state, sent_at AS "sentAt", delivered_at AS "deliveredAt", last_error AS "lastError", resident_name AS "residentName"
         FROM notice WHERE institution_id = $1 AND month = $2 ORDER BY id`,
      [school.id, monthStart(month)],
    );

  const deliveriesOf = async (school: School, month: string): Promise<any[]> => {
    const all: any[] = [];
    let after: string | null = null;
    do {
      const page: any = await ok(as(school, DELIVERIES, { endpointId: school.endpointId, first: 100, after }));
      all.push(...page.webhookDeliveries.edges.map((edge: any) => edge.node));
      after = page.webhookDeliveries.pageInfo.hasNextPage ? page.webhookDeliveries.pageInfo.endCursor : null;
    } while (after);
    return all.filter((delivery) => delivery.month === month);
  };

  const noticeIdsIn = (requests: ReceivedWebhook[]): string[] =>
    requests.flatMap((r) => (r.payload.type === 'notice.digest' ? r.payload.data.noticeIds : [r.payload.data.noticeId]));

  /** Puts an event on notifications' queue under a fresh id, as a re-announcement would, and waits for it. */
  async function enqueue(type: EventType, payload: unknown): Promise<void> {
    const id = randomUUID();
    await queue.add(
      type,
      { id, type, source: ServiceName.Households, occurredAt: new Date().toISOString(), payloadJson: JSON.stringify(payload) },
      { jobId: id },
    );
    await waitFor(`${type} to be processed`, async () => {
      const job = await queue.getJob(id);
      const state = await job?.getState();
      if (state === 'failed') throw new Error(job!.failedReason);
      return state === 'completed';
    });
  }

  /**
   * The month's notices are generated at boot, before any endpoint exists. To have them generated after the
   * endpoints, the month is made un-generated (its notices deleted, its generation mark cleared) and households'
   * completion event re-announced: generation and fan-out then run exactly as they do for a new month.
   */
  async function regenerate(month: string): Promise<void> {
    await notifications().query(`DELETE FROM notice WHERE month = $1`, [monthStart(month)]);
    await notifications().query(`UPDATE evaluated_month SET notices_generated_at = NULL WHERE month = $1`, [monthStart(month)]);
    const [completed] = await platform
      .database(ServiceName.Households)
      .query(`SELECT payload FROM outbox_event WHERE type = $1 AND payload->>'month' = $2`, [EventType.MonthlyEvaluationCompleted, month]);
    await enqueue(EventType.MonthlyEvaluationCompleted, completed.payload);
    const [{ generated }] = await notifications().query(
      `SELECT bool_and(notices_generated_at IS NOT NULL) AS generated FROM evaluated_month WHERE month = $1`,
      [monthStart(month)],
    );
    expect(generated).toBe(true);
  }

  async function register(school: School, url: string, description?: string): Promise<{ secret: string; endpoint: any }> {
    const data = await ok(as(school, REGISTER, { url, description }));
    school.endpointId = data.registerWebhookEndpoint.endpoint.id;
    school.receiver.secrets = [data.registerWebhookEndpoint.secret];
    return data.registerWebhookEndpoint;
  }

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 400 });
    notifications = () => platform.database(ServiceName.Notifications);
    queue = platformQueue(platform, QueueName.NotificationsEvents);
    admin = await platform.token([Role.DISTRICT_ADMIN]);
    await waitForDemoNotices(platform);
    // Schools with notices in both months, most first; B needs several in the earlier month for its digest.
    const counts: { id: string; latest: number; earlier: number }[] = await notifications().query(
      `SELECT institution_id AS id, count(*) FILTER (WHERE month = $1)::int AS latest, count(*) FILTER (WHERE month = $2)::int AS earlier
         FROM notice GROUP BY institution_id HAVING count(*) FILTER (WHERE month = $2) > 0 ORDER BY 2 DESC, 3 DESC, 1`,
      [monthStart(MONTH), monthStart(MONTH_BEFORE)],
    );
    const a = counts.find((c) => c.latest > 1)!;
    const b = counts.find((c) => c !== a && c.latest > 0 && c.earlier > 1)!;
    const rest = counts.filter((c) => c !== a && c !== b);
    expect([a, b, ...rest.slice(0, 3)].every(Boolean) && rest.length >= 3).toBe(true);
    const ids = { a: a.id, b: b.id, c: rest[0].id, d: rest[1].id, e: rest[2].id };
    for (const [name, id] of Object.entries(ids) as [keyof typeof schools, string][]) {
      const { key } = await enrolInstitution(platform, id, { staffToken: admin, label: '通知接收' });
      const receiver = await WebhookReceiver.start();
      receivers.push(receiver);
      schools[name] = { id, key, receiver, endpointId: '' };
    }
    redirectTarget = await WebhookReceiver.start();
    receivers.push(redirectTarget);
  }, 120_000);

  afterAll(async () => {
    await queue.close();
    await platform.stop();
    for (const receiver of receivers) await receiver.close();
  });

  it('registers an endpoint for an institution and shows its signing secret once', async () => {
    const { a, b } = schools;
    a.receiver.answer = 503; // A's receiver is down at first
    const registered = await register(a, a.receiver.url, '教务处通知接收');
    expect(registered.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(registered.endpoint).toMatchObject({
      url: a.receiver.url,
      description: '教务处通知接收',
      state: 'ACTIVE',
      institution: { id: a.id },
    });
    expect(registered.endpoint.secrets).toEqual([
      { prefix: registered.secret.slice(0, 10), createdAt: expect.any(String), expiresAt: null },
    ]);
    await register(b, b.receiver.url);

    const listed: any = await ok(as(a, ENDPOINTS));
    expect(listed.webhookEndpoints.edges.map((edge: any) => edge.node.id)).toEqual([a.endpointId]);
    expect(JSON.stringify(listed)).not.toContain(registered.secret.slice(10));
    // At rest the secret is encrypted: no column holds it.
    const stored = JSON.stringify(await notifications().query(`SELECT s.*, encode(s.sealed, 'base64') AS b64 FROM webhook_secret s`));
    expect(stored).not.toContain(registered.secret.slice(6));
    expect(stored).not.toContain(Buffer.from(registered.secret.slice(6), 'base64').toString('hex'));
  });

  it('refuses URLs that point inside the network or are not URLs, and writes nothing', async () => {
    const { a } = schools;
    const cases: [string, string][] = [
      ['http://127.0.0.2:8080/hooks', 'URL_NOT_ALLOWED'],
      ['http://[::1]:8080/hooks', 'URL_NOT_ALLOWED'],
      ['http://10.0.0.8/hooks', 'URL_NOT_ALLOWED'],
      ['http://192.168.1.20/hooks', 'URL_NOT_ALLOWED'],
      ['http://169.254.169.254/latest/meta-data/', 'URL_NOT_ALLOWED'],
      ['http://[::ffff:169.254.169.254]/', 'URL_NOT_ALLOWED'],
      ['http://0x0a000001/', 'URL_NOT_ALLOWED'],
      ['http://hooks.invalid/', 'URL_NOT_ALLOWED'],
      ['ftp://files.example/', 'INVALID_URL'],
      ['not a url', 'INVALID_URL'],
      ['https://user:password@school.example/', 'INVALID_URL'],
    ];
    const [{ before }] = await notifications().query(`SELECT count(*)::int AS before FROM webhook_endpoint`);
    for (const [url, reason] of cases) {
      const refused = await as(a, REGISTER, { url });
      expect([url, errorCodes(refused), refused.errors?.[0].extensions?.reason]).toEqual([url, ['BAD_USER_INPUT'], reason]);
    }
    // A name is refused in one way whatever it resolves to, or whether it does: nothing maps the network behind us.
    expect((await as(a, REGISTER, { url: 'http://hooks.invalid/' })).errors?.[0].message).toBe(
      'hooks.invalid must resolve, and only to public internet addresses; webhooks go only there',
    );
    const tooLong = await as(a, REGISTER, { url: `${a.receiver.url}?other`, description: '说明'.repeat(101) });
    expect(tooLong.errors?.[0].extensions?.reason).toBe('INVALID_DESCRIPTION');
    const again = await as(a, REGISTER, { url: a.receiver.url });
    expect([errorCodes(again), again.errors?.[0].extensions?.reason]).toEqual([['CONFLICT'], 'URL_ALREADY_REGISTERED']);
    const [{ after }] = await notifications().query(`SELECT count(*)::int AS after FROM webhook_endpoint`);
    expect(after).toBe(before);
    // Staff are not institutions: they register nothing, and institutions do not read staff views.
    expect(errorCodes(await platform.query(admin, REGISTER, { url: a.receiver.url }))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await as(a, HEALTH))).toEqual(['FORBIDDEN']);
  });

  it('delivers every new notice to a receiver that is down and then up: signed, thin, exactly once per webhook-id', async () => {
    const { a, b } = schools;
    await regenerate(MONTH);
    const mine = await noticesOf(a, MONTH);
    expect(mine.length).toBeGreaterThan(1);

    // Down: every notice is tried (503) and the notices are SENT, not delivered.
    await waitFor('an attempt at each of A’s notices', async () => (await noticesOf(a, MONTH)).every((n) => n.state === 'SENT'));
    expect(new Set(noticeIdsIn(a.receiver.received))).toEqual(new Set(mine.map((n) => n.id)));
    expect(a.receiver.delivered).toEqual([]);
    expect((await noticesOf(a, MONTH)).every((n) => n.sentAt !== null && n.deliveredAt === null)).toBe(true);
    const pending = await deliveriesOf(a, MONTH);
    expect(
      pending.every((d) => d.state === 'PENDING' && d.attempts[0].httpStatus === 503 && d.lastError === 'HTTP 503' && d.nextAttemptAt),
    ).toBe(true);

    // Up: the retries get through.
    a.receiver.answer = 200;
    await waitFor('A’s notices delivered', async () => (await noticesOf(a, MONTH)).every((n) => n.state === 'DELIVERED'), 30_000);
    const deliveries = await deliveriesOf(a, MONTH);
    expect(deliveries).toHaveLength(mine.length);
    expect(
      deliveries.every(
        (d) => d.state === 'SUCCEEDED' && d.nextAttemptAt === null && d.attemptCount === d.attempts.length && d.attemptCount >= 2,
      ),
    ).toBe(true);

    // Exactly once per webhook-id on the receiving side, none missing; every attempt of a notice under one webhook-id.
    const delivered = a.receiver.delivered;
    expect(delivered).toHaveLength(mine.length);
    expect(new Set(delivered.map((r) => r.webhookId)).size).toBe(mine.length);
    expect(noticeIdsIn(delivered).sort()).toEqual(mine.map((n) => n.id).sort());
    const idsPerNotice = new Map<string, Set<string>>();
    for (const r of a.receiver.received)
      idsPerNotice.set(r.payload.data.noticeId, (idsPerNotice.get(r.payload.data.noticeId) ?? new Set()).add(r.webhookId));
    expect([...idsPerNotice.values()].every((ids) => ids.size === 1)).toBe(true);
    expect(deliveries.map((d) => d.webhookId).sort()).toEqual(delivered.map((r) => r.webhookId).sort());
    expect(a.receiver.received.every((r) => r.verifiedBy.length === 1 && /^msg_[0-9a-f]{32}$/.test(r.webhookId))).toBe(true);

    // Thin payloads: ids, kind and month; no names.
    for (const r of delivered) {
      expect(Object.keys(r.payload).sort()).toEqual(['data', 'timestamp', 'type']);
      expect(r.payload.type).toBe('notice.created');
      expect(r.payload.data).toEqual({
        noticeId: expect.any(String),
        kind: expect.stringMatching(/^(PRAISE_LETTER|REMINDER_NOTICE)$/),
        month: MONTH,
      });
      expect(Math.abs(r.timestamp - r.receivedAt / 1000)).toBeLessThan(30);
    }
    expect(mine.some((n) => a.receiver.received.some((r) => r.body.includes(n.residentName)))).toBe(false);

    // Nothing is left to send: no duplicate can follow.
    const [{ open }] = await notifications().query(
      `SELECT count(*)::int AS open FROM webhook_delivery WHERE endpoint_id = $1 AND (next_attempt_at IS NOT NULL OR claim_token IS NOT NULL)`,
      [a.endpointId],
    );
    expect(open).toBe(0);

    // A acknowledges one through the gateway with its key.
    const acknowledged: any = await ok(as(a, ACKNOWLEDGE, { id: delivered[0].payload.data.noticeId }));
    expect(acknowledged.acknowledgeNotice).toMatchObject({ state: 'ACKNOWLEDGED', acknowledgedAt: expect.any(String) });

    // B got its own notices and none of A's.
    const theirs = await noticesOf(b, MONTH);
    await waitFor('B’s notices delivered', async () => (await noticesOf(b, MONTH)).every((n) => n.state === 'DELIVERED'));
    expect(noticeIdsIn(b.receiver.delivered).sort()).toEqual(theirs.map((n) => n.id).sort());
    const ofA = new Set(mine.map((n) => n.id));
    expect(noticeIdsIn(b.receiver.received).some((id) => ofA.has(id))).toBe(false);
  });

  it('shows an institution only its own deliveries: another’s endpoint, delivery or notice is NOT_FOUND', async () => {
    const { a, b } = schools;
    const aDelivery = (await deliveriesOf(a, MONTH))[0];
    const bDeliveries: any = await ok(as(b, DELIVERIES, { first: 500 }));
    expect(bDeliveries.webhookDeliveries.totalCount).toBeGreaterThan(0);
    expect(bDeliveries.webhookDeliveries.edges.every((edge: any) => edge.node.endpointId === b.endpointId)).toBe(true);
    expect(bDeliveries.webhookDeliveries.edges.some((edge: any) => edge.node.webhookId === aDelivery.webhookId)).toBe(false);
    for (const [query, variables] of [
      [DELIVERIES, { endpointId: a.endpointId }],
      [DELIVERIES, { noticeId: aDelivery.noticeIds[0] }],
      [REPLAY, { id: aDelivery.id }],
      [ROTATE, { id: a.endpointId }],
      [DISABLE, { id: a.endpointId }],
      [ENABLE, { id: a.endpointId }],
      [REPLAY, { id: randomUUID() }],
    ] as const) {
      expect(errorCodes(await as(b, query, variables))).toEqual(['NOT_FOUND']);
    }
    expect(errorCodes(await as(b, REPLAY, { id: 'not-an-id' }))).toEqual(['BAD_USER_INPUT']);
    const [{ replays }] = await notifications().query(`SELECT count(*)::int AS replays FROM webhook_delivery WHERE replay_requested`);
    expect(replays).toBe(0);
    // A's own view of one notice's delivery.
    const byNotice: any = await ok(as(a, DELIVERIES, { noticeId: aDelivery.noticeIds[0] }));
    expect(byNotice.webhookDeliveries.edges.map((edge: any) => edge.node.id)).toEqual([aDelivery.id]);
  });

  it('makes no second message when the same grades and completion arrive again', async () => {
    const { a } = schools;
    const [{ messages }] = await notifications().query(`SELECT count(*)::int AS messages FROM webhook_message`);
    const seen = a.receiver.received.length;
    const households = platform.database(ServiceName.Households);
    const [grades] = await households.query(
      `SELECT payload FROM outbox_event WHERE type = $1 AND payload->>'month' = $2 ORDER BY seq LIMIT 1`,
      [EventType.HouseholdGradesPublished, MONTH],
    );
    const [completed] = await households.query(`SELECT payload FROM outbox_event WHERE type = $1 AND payload->>'month' = $2`, [
      EventType.MonthlyEvaluationCompleted,
      MONTH,
    ]);
    await enqueue(EventType.HouseholdGradesPublished, grades.payload);
    await enqueue(EventType.MonthlyEvaluationCompleted, completed.payload);
    const [{ after }] = await notifications().query(`SELECT count(*)::int AS after FROM webhook_message`);
    expect(after).toBe(messages);
    const [{ open }] = await notifications().query(
      `SELECT count(*)::int AS open FROM webhook_delivery WHERE next_attempt_at IS NOT NULL AND endpoint_id = $1`,
      [a.endpointId],
    );
    expect(open).toBe(0);
    expect(a.receiver.received.length).toBe(seen);
  });

  it('replays a delivered message with the same webhook-id, recorded as a replay', async () => {
    const { a } = schools;
    const [target] = await deliveriesOf(a, MONTH);
    const replayed: any = await ok(as(a, REPLAY, { id: target.id }));
    expect(replayed.replayWebhookDelivery).toMatchObject({ id: target.id, webhookId: target.webhookId, replayRequested: true });
    const after = await waitFor('the replay', async () => {
      const [delivery] = (await deliveriesOf(a, MONTH)).filter((d) => d.id === target.id && !d.replayRequested);
      return delivery;
    });
    expect(after.state).toBe('SUCCEEDED');
    expect(after.attemptCount).toBe(target.attemptCount);
    expect(after.attempts).toHaveLength(target.attempts.length + 1);
    expect(after.attempts.at(-1)).toMatchObject({ replay: true, httpStatus: 200, error: null });
    expect(after.attempts.slice(0, -1).every((attempt: any) => !attempt.replay)).toBe(true);
    const copies = a.receiver.delivered.filter((r) => r.webhookId === target.webhookId);
    expect(copies).toHaveLength(2);
    expect(copies[1].body).toBe(copies[0].body);
  });

  it('sends a delivery claimed by a process that died once its lease is over', async () => {
    const { a } = schools;
    const [target] = await deliveriesOf(a, MONTH);
    // As a process leaves it when it dies between claiming and recording: claimed under its token, lease running.
    const [{ leaseEnd }] = await notifications().query(
      `WITH claimed AS (
         UPDATE webhook_delivery SET state = 'PENDING', claim_token = gen_random_uuid(), next_attempt_at = now() + interval '2 seconds'
          WHERE id = $1 RETURNING next_attempt_at
       ) SELECT next_attempt_at AS "leaseEnd" FROM claimed`,
      [target.id],
    );
    const before = a.receiver.received.filter((r) => r.webhookId === target.webhookId).length;
    const after = await waitFor('the abandoned delivery to be sent again', async () => {
      const [delivery] = (await deliveriesOf(a, MONTH)).filter((d) => d.id === target.id && d.state === 'SUCCEEDED');
      return delivery;
    });
    const resent = a.receiver.received.filter((r) => r.webhookId === target.webhookId).slice(before);
    expect(resent).toHaveLength(1);
    expect(resent[0].receivedAt).toBeGreaterThanOrEqual(new Date(leaseEnd).getTime() - 50);
    expect(after.attempts.at(-1)).toMatchObject({ replay: false, httpStatus: 200 });
  });

  it('signs with both secrets during a rotation, sends a digest to a school that chose one, and handles redirects, 410 and silence', async () => {
    const { a, b, c, d, e } = schools;
    // A rotates its secret; the receiver knows the new one and, for the overlap, the old one.
    expect((await as(a, ROTATE, { id: a.endpointId, overlap: -1 })).errors?.[0].extensions?.reason).toBe('INVALID_OVERLAP');
    const rotated: any = await ok(as(a, ROTATE, { id: a.endpointId, overlap: 24 }));
    const [oldSecret] = a.receiver.secrets;
    const newSecret = rotated.rotateWebhookSecret.secret;
    expect(newSecret).not.toBe(oldSecret);
    expect(new Date(rotated.rotateWebhookSecret.previousSecretExpiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect(rotated.rotateWebhookSecret.endpoint.secrets.map((s: any) => s.prefix)).toEqual([
      newSecret.slice(0, 10),
      oldSecret.slice(0, 10),
    ]);
    a.receiver.secrets = [newSecret, oldSecret];

    // B takes a monthly digest.
    expect((await ok<any>(as(b, DIGEST, { enabled: true }))).setNoticeDigest.noticeDigest).toBe(true);
    expect((await ok<any>(as(b, PREFERENCES))).webhookPreferences.noticeDigest).toBe(true);
    expect((await ok<any>(as(a, PREFERENCES))).webhookPreferences.noticeDigest).toBe(false);

    // C redirects (not followed), D is gone, E never answers.
    c.receiver.answer = { redirect: redirectTarget.url };
    d.receiver.answer = 410;
    e.receiver.answer = 'hang';
    for (const school of [c, d, e]) await register(school, school.receiver.url);
    redirectTarget.secrets = c.receiver.secrets;

    const seenByA = a.receiver.received.length;
    await regenerate(MONTH_BEFORE);

    // Endpoints registered after a month's notices were generated receive none of that month's.
    for (const school of [c, d, e]) expect(school.receiver.received.some((r) => r.payload.data.month === MONTH)).toBe(false);

    // Rotation: two signatures, each verifying with one of the secrets.
    const aNotices = await noticesOf(a, MONTH_BEFORE);
    await waitFor('A’s earlier notices delivered', async () => (await noticesOf(a, MONTH_BEFORE)).every((n) => n.state === 'DELIVERED'));
    const rotatedRequests = a.receiver.received.slice(seenByA);
    expect(noticeIdsIn(rotatedRequests).sort()).toEqual(aNotices.map((n) => n.id).sort());
    expect(rotatedRequests.every((r) => r.signatures.length === 2 && r.verifiedBy.length === 2)).toBe(true);

    // Digest: one message for B's month, listing all its notices.
    const bNotices = await noticesOf(b, MONTH_BEFORE);
    expect(bNotices.length).toBeGreaterThan(1);
    await waitFor('B’s digest delivered', async () => (await noticesOf(b, MONTH_BEFORE)).every((n) => n.state === 'DELIVERED'));
    const digests = b.receiver.delivered.filter((r) => r.payload.type === 'notice.digest');
    expect(digests).toHaveLength(1);
    expect(digests[0].payload.data).toEqual({ month: MONTH_BEFORE, noticeIds: bNotices.map((n) => n.id).sort() });
    expect(b.receiver.received.filter((r) => r.payload.data.month === MONTH_BEFORE)).toHaveLength(1);
    const [digestDelivery] = await deliveriesOf(b, MONTH_BEFORE);
    expect(digestDelivery).toMatchObject({ type: 'notice.digest', state: 'SUCCEEDED', noticeIds: bNotices.map((n) => n.id).sort() });

    // 410: the endpoint is disabled at once, every delivery to it fails, and its notices are FAILED.
    await waitFor(
      'D’s endpoint disabled',
      async () => (await ok<any>(as(d, ENDPOINTS))).webhookEndpoints.edges[0].node.state === 'DISABLED',
    );
    await waitFor('D’s notices failed', async () => (await noticesOf(d, MONTH_BEFORE)).every((n) => n.state === 'FAILED'));
    const dEndpoint = (await ok<any>(as(d, ENDPOINTS))).webhookEndpoints.edges[0].node;
    expect(dEndpoint.disabledReason).toMatch(/410/);
    expect(
      (await deliveriesOf(d, MONTH_BEFORE)).every((x) => x.state === 'FAILED' && x.nextAttemptAt === null && x.attempts.length <= 1),
    ).toBe(true);
    expect((await noticesOf(d, MONTH_BEFORE)).every((n) => /410/.test(n.lastError ?? ''))).toBe(true);
    expect(d.receiver.received.every((r) => r.answered === 410)).toBe(true);
    const dRequests = d.receiver.received.length;
    expect(errorCodes(await as(d, REPLAY, { id: (await deliveriesOf(d, MONTH_BEFORE))[0].id }))).toEqual(['CONFLICT']);
    const enabled: any = await ok(as(d, ENABLE, { id: d.endpointId }));
    expect(enabled.enableWebhookEndpoint).toEqual({ id: d.endpointId, state: 'ACTIVE', disabledReason: null, disabledAt: null });
    expect(d.receiver.received.length).toBe(dRequests);

    // Silence: each attempt is cut off at the timeout and recorded as such; E then disables its endpoint.
    await waitFor('a timed-out attempt', async () => (await deliveriesOf(e, MONTH_BEFORE)).some((x) => x.attempts.length > 0));
    const timedOut = (await deliveriesOf(e, MONTH_BEFORE)).find((x) => x.attempts.length > 0)!;
    expect(timedOut.attempts[0]).toMatchObject({ httpStatus: null, error: 'timed out after 1500 ms', replay: false });
    expect(timedOut.attempts[0].durationMs).toBeGreaterThanOrEqual(1400);
    const disabled: any = await ok(as(e, DISABLE, { id: e.endpointId }));
    expect(disabled.disableWebhookEndpoint).toMatchObject({ state: 'DISABLED', disabledReason: 'disabled by the institution' });
    await waitFor('E’s notices failed', async () => (await noticesOf(e, MONTH_BEFORE)).every((n) => n.state === 'FAILED'));
    expect((await deliveriesOf(e, MONTH_BEFORE)).every((x) => x.state === 'FAILED' && x.nextAttemptAt === null)).toBe(true);
    expect((await ok<any>(as(e, DISABLE, { id: e.endpointId }))).disableWebhookEndpoint.state).toBe('DISABLED');

    // Redirects: a failure every time, never followed, until the retries run out; then the notices are FAILED.
    await waitFor('C’s retries to run out', async () => (await noticesOf(c, MONTH_BEFORE)).every((n) => n.state === 'FAILED'), 40_000);
    const cDeliveries = await deliveriesOf(c, MONTH_BEFORE);
    for (const delivery of cDeliveries) {
      expect(delivery).toMatchObject({ state: 'FAILED', attemptCount: RETRIES + 1, lastStatus: 302, nextAttemptAt: null });
      expect(
        delivery.attempts.every((attempt: any) => attempt.httpStatus === 302 && /redirects are not followed/.test(attempt.error)),
      ).toBe(true);
      expect(c.receiver.received.filter((r) => r.webhookId === delivery.webhookId)).toHaveLength(RETRIES + 1);
    }
    expect((await noticesOf(c, MONTH_BEFORE)).every((n) => n.sentAt !== null && /302/.test(n.lastError ?? ''))).toBe(true);
    expect(redirectTarget.received).toEqual([]);
  });

  it('gives staff delivery health per institution', async () => {
    const { a, c, d, e } = schools;
    const health: any = await ok(platform.query(admin, HEALTH));
    const of = (school: School) => health.webhookDeliveryHealth.edges.find((edge: any) => edge.node.institution.id === school.id)?.node;
    expect(of(a)).toMatchObject({ activeEndpoints: 1, disabledEndpoints: 0, pending: 0, failed: 0 });
    expect(of(a).succeeded).toBe((await noticesOf(a, MONTH)).length + (await noticesOf(a, MONTH_BEFORE)).length);
    expect(of(c)).toMatchObject({ failed: (await noticesOf(c, MONTH_BEFORE)).length, succeeded: 0 });
    expect(of(d)).toMatchObject({ activeEndpoints: 1, disabledEndpoints: 0 });
    expect(of(e)).toMatchObject({ activeEndpoints: 0, disabledEndpoints: 1 });
    // Most failures first.
    const failures = health.webhookDeliveryHealth.edges.map((edge: any) => edge.node.failed);
    expect(failures).toEqual([...failures].sort((x: number, y: number) => y - x));
  });

  it('keeps an institution to its allowance of active endpoints, registering or enabling, and writes nothing beyond', async () => {
    const { e } = schools;
    const disabled = e.endpointId; // disabled by the 410 above: it does not count
    const first = await ok(as(e, REGISTER, { url: `${e.receiver.url}one` }));
    await ok(as(e, REGISTER, { url: `${e.receiver.url}two` }));
    const [{ before }] = await notifications().query(`SELECT count(*)::int AS before FROM webhook_endpoint WHERE institution_id = $1`, [
      e.id,
    ]);
    const third = await as(e, REGISTER, { url: `${e.receiver.url}three` });
    expect([errorCodes(third), third.errors?.[0].extensions?.reason, third.errors?.[0].extensions?.details]).toEqual([
      ['CONFLICT'],
      'TOO_MANY_ENDPOINTS',
      { max: 2 },
    ]);
    const enabling = await as(e, ENABLE, { id: disabled });
    expect([errorCodes(enabling), enabling.errors?.[0].extensions?.reason]).toEqual([['CONFLICT'], 'TOO_MANY_ENDPOINTS']);
    const [now] = await notifications().query(
      `SELECT count(*)::int AS after, bool_or(id = $2 AND state = 'ACTIVE') AS enabled FROM webhook_endpoint WHERE institution_id = $1`,
      [e.id, disabled],
    );
    expect(now).toEqual({ after: before, enabled: false });
    // Disabling one makes room again.
    await ok(as(e, DISABLE, { id: first.registerWebhookEndpoint.endpoint.id }));
    expect((await ok(as(e, ENABLE, { id: disabled }))).enableWebhookEndpoint.state).toBe('ACTIVE');
  });
});
