import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Queue } from 'bullmq';
import { Role } from '#libs/auth';
import { addDays, shanghaiDate } from '#libs/calendar';
import { JobName, QueueName, ServiceName } from '#libs/messaging';
import { fieldOf, platformQueue, waitForJob } from '#libs/testing';
import { seededHouseholds, startPlatform, type SeededHousehold, type TestPlatform } from '#tools/test-platform';

const SECRET = `credit-export-test-secret-${randomUUID()}`;

/** One series of enforcement's `/metrics` (0 when it has no sample yet). */
async function metric(platform: TestPlatform, series: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', platform.serviceUrls.get(ServiceName.Enforcement)))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `) || l.startsWith(`${series.replace(/}$/, '')},`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

interface Received {
  exportId: string;
  body: any;
  rawBody: string;
  signatureValid: boolean;
}

/**
 * A receiver as the credit or points system would run it: checks the HMAC over `<x-timestamp>.<body>`, stores each
 * export once by its x-export-id, and answers 200 (also for an id it already has). `mode` lets a test take it down
 * or make it lose its answer after storing.
 */
class Receiver {
  readonly requests: Received[] = [];
  readonly stored = new Map<string, any>();
  mode: 'up' | 'store-then-fail' = 'up';
  private server!: Server;
  port = 0;

  async start(port = 0): Promise<void> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/credit-records`;
  }

  forExport(id: string): Received[] {
    return this.requests.filter((r) => r.exportId === id);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const timestamp = String(request.headers['x-timestamp']);
    const given = Buffer.from(String(request.headers['x-signature']));
    const expected = Buffer.from(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${rawBody}`).digest('hex')}`);
    const signatureValid = given.length === expected.length && timingSafeEqual(given, expected);
    const exportId = String(request.headers['x-export-id']);
    this.requests.push({ exportId, body: JSON.parse(rawBody), rawBody, signatureValid });
    if (!signatureValid) return void response.writeHead(401).end();
    if (!this.stored.has(exportId)) this.stored.set(exportId, JSON.parse(rawBody));
    response.writeHead(this.mode === 'store-then-fail' ? 500 : 200, { 'content-type': 'application/json' }).end('{"ok":true}');
  }
}

const CASE_FIELDS = `id state fineAmount appealDeadline`;
const OPEN = `mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`;
const NOTICE = `mutation($id: ID!, $complyBy: LocalDate!) { issueRectificationNotice(caseId: $id, complyBy: $complyBy, notice: "请整改") { id } }`;
const FOLLOW_UP = `mutation($id: ID!) { recordFollowUp(caseId: $id, complied: false) { id state } }`;
const PENALISE = `mutation($id: ID!, $amount: Float!, $on: LocalDate) { penalise(caseId: $id, amount: $amount, decisionNote: "逾期未整改", decidedOn: $on) { ${CASE_FIELDS} } }`;
const APPEAL = `mutation($id: ID!) { appealPenalty(caseId: $id, grounds: "有异议") { state } }`;
const DECIDE = `mutation($id: ID!, $outcome: AppealOutcome!) { decideAppeal(caseId: $id, outcome: $outcome, hearingNote: "听证") { state } }`;
const REVOKE = `mutation($id: ID!) { revokePenalty(caseId: $id, note: "行政复议撤销") { state } }`;
const EXPORTS = `query($case: ID, $state: CreditExportState, $first: Int, $after: String) {
  creditExports(caseId: $case, state: $state, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id caseId kind kindLabelZh system systemLabelZh retractsId payloadJson state stateLabelZh attempts nextAttemptAt lastError deliveredAt
      attemptLog { attempt attemptedAt statusCode error durationMs } } } } }`;

describe('credit and points exports through the gateway', () => {
  let platform: TestPlatform;
  let queue: Queue;
  let officer: string;
  let compound: string;
  let households: SeededHousehold[];
  const receiver = new Receiver();
  const today = shanghaiDate();
  const saved = { url: process.env.CREDIT_EXPORT_URL, secret: process.env.CREDIT_EXPORT_SECRET };

  const db = () => platform.database(ServiceName.Enforcement);

  const ok = (token: string, query: string, variables: Record<string, unknown> = {}) => fieldOf(platform.query(token, query, variables));

  async function runJob(name: JobName, firedAt: string): Promise<void> {
    await waitForJob(queue, await queue.add(name, { firedAt }), `${name} fired at ${firedAt}`);
  }

  const exportsOf = async (caseId: string) => (await ok(officer, EXPORTS, { case: caseId, first: 500 })).edges.map((e: any) => e.node);

  /** A case penalised on `decidedOn` (opened 120 days ago, arranged), through the real lifecycle. */
  async function penalised(input: Record<string, unknown>, decidedOn: string, amount: number): Promise<any> {
    const { id } = await ok(officer, OPEN, { input: { orgUnitId: compound, evidenceDescription: '未按规定分类投放', ...input } });
    const complyBy = addDays(today, 1);
    await ok(officer, NOTICE, { id, complyBy });
    await runJob(JobName.CaseFollowUpDaily, `${complyBy}T00:45:00+08:00`);
    await ok(officer, FOLLOW_UP, { id });
    await db().query(`UPDATE enforcement_case SET opened_at = now() - interval '120 days' WHERE id = $1`, [id]);
    return ok(officer, PENALISE, { id, amount, on: decidedOn });
  }
  /** A case against a seeded household the registry records as floating population or not, found at its compound. */
  const household = (floatingPopulation: boolean) => {
    const index = households.findIndex((h) => h.floatingPopulation === floatingPopulation);
    if (index < 0) throw new Error('No unused seeded household matches: seed more households');
    const [{ id, compoundId }] = households.splice(index, 1);
    return { targetKind: 'HOUSEHOLD', householdId: id, orgUnitId: compoundId, articleCode: 'NB-WASTE-63-1' };
  };
  const unit = () => ({ targetKind: 'UNIT', institutionId: randomUUID(), articleCode: 'NB-WASTE-63-2' });

  beforeAll(async () => {
    await receiver.start();
    // The services inherit the test's environment: the receiver is their CREDIT_EXPORT_URL.
    process.env.CREDIT_EXPORT_URL = receiver.url;
    process.env.CREDIT_EXPORT_SECRET = SECRET;
    platform = await startPlatform({ streets: 1, households: 120 });
    queue = platformQueue(platform, QueueName.EnforcementJobs);
    officer = await platform.token([Role.BUREAU_OFFICER]);
    compound = platform.plan.compounds[0].id;
    households = await seededHouseholds(platform);
  });

  // A hook per resource: each is released even when setup failed before the next one existed.
  afterAll(() => queue.close());
  afterAll(() => platform.stop());
  afterAll(async () => {
    await receiver.stop().catch(() => undefined);
    for (const [name, value] of [
      ['CREDIT_EXPORT_URL', saved.url],
      ['CREDIT_EXPORT_SECRET', saved.secret],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it('exports nothing before the appeal window ends, then one signed record per case: floating population to POINTS, others to CREDIT', async () => {
    const decidedOn = addDays(today, -30);
    const floating = await penalised(household(true), decidedOn, 200);
    const resident = await penalised(household(false), decidedOn, 50);
    const company = await penalised(unit(), decidedOn, 5000);
    const deadline = floating.appealDeadline;
    expect(deadline).toBe(addDays(decidedOn, 60));
    const ours = [floating.id, resident.id, company.id];
    const records = async () =>
      db().query(
        `SELECT case_id AS "caseId", kind, system, state FROM credit_export WHERE case_id = ANY($1::uuid[]) ORDER BY system, case_id`,
        [ours],
      );

    await runJob(JobName.CreditExportScan, `${addDays(deadline, -1)}T01:15:00+08:00`);
    await runJob(JobName.CreditExportScan, `${deadline}T23:59:00+08:00`);
    expect(await records()).toEqual([]);

    const after = `${addDays(deadline, 1)}T01:15:00+08:00`;
    await runJob(JobName.CreditExportScan, after);
    await runJob(JobName.CreditExportScan, after);
    const rows = await records();
    expect(rows).toHaveLength(3);
    expect(Object.fromEntries(rows.map((r: any) => [r.caseId, [r.kind, r.system, r.state]]))).toEqual({
      [floating.id]: ['RECORD', 'POINTS', 'PENDING'],
      [resident.id]: ['RECORD', 'CREDIT', 'PENDING'],
      [company.id]: ['RECORD', 'CREDIT', 'PENDING'],
    });
    // Past its window the penalty can no longer be appealed.
    expect((await platform.query(officer, APPEAL, { id: floating.id })).errors![0].extensions!.reason).toBe('APPEAL_WINDOW_CLOSED');

    const delivered = 'waste_credit_exports_total{outcome="delivered"}';
    const [deliveredBefore, sentBefore] = [await metric(platform, delivered), receiver.requests.length];
    expect(await metric(platform, 'waste_credit_export_backlog{process="enforcement"}')).toBeGreaterThanOrEqual(3);
    await runJob(JobName.CreditExportDispatch, after);
    // Each attempt is counted by outcome once recorded, and the backlog read at the scrape is empty again.
    expect(await metric(platform, delivered)).toBe(deliveredBefore + receiver.requests.length - sentBefore);
    expect(receiver.requests.length - sentBefore).toBeGreaterThanOrEqual(3);
    expect(await metric(platform, 'waste_credit_export_backlog{process="enforcement"}')).toBe(0);
    const [floatingExport] = await exportsOf(floating.id);
    const [residentExport] = await exportsOf(resident.id);
    const [companyExport] = await exportsOf(company.id);
    for (const e of [floatingExport, residentExport, companyExport]) {
      expect(e).toMatchObject({
        kind: 'RECORD',
        state: 'DELIVERED',
        stateLabelZh: '已送达',
        attempts: 1,
        nextAttemptAt: null,
        lastError: null,
      });
      expect(e.attemptLog).toEqual([expect.objectContaining({ attempt: 1, statusCode: 200, error: null })]);
      const received = receiver.forExport(e.id);
      expect(received).toHaveLength(1);
      expect(received[0].signatureValid).toBe(true);
      expect(received[0].rawBody).toBe(e.payloadJson);
    }
    expect(floatingExport).toMatchObject({ system: 'POINTS', systemLabelZh: '流动人口积分制' });
    expect(receiver.forExport(floatingExport.id)[0].body).toEqual({
      exportId: floatingExport.id,
      kind: 'RECORD',
      system: 'POINTS',
      caseId: floating.id,
      subject: { kind: 'HOUSEHOLD', targetKind: 'HOUSEHOLD', id: expect.any(String), floatingPopulation: true },
      article: 'NB-WASTE-63-1',
      amountCny: 200,
      decisionDate: decidedOn,
      appealDeadline: deadline,
      finalBecause: 'APPEAL_WINDOW_ENDED',
    });
    expect(receiver.forExport(companyExport.id)[0].body.subject).toMatchObject({ kind: 'LEGAL_ENTITY', targetKind: 'UNIT' });
    expect(receiver.forExport(residentExport.id)[0].body).toMatchObject({ system: 'CREDIT', amountCny: 50 });
    // Minimised: evidence text and free-text notes never leave the platform.
    expect(JSON.stringify(receiver.requests.map((r) => r.body))).not.toContain('未按规定分类投放');
  });

  it('exports a penalty upheld on appeal, and an appeal inside the window blocks the export until then', async () => {
    const upheld = await penalised(household(false), today, 150);
    await ok(officer, APPEAL, { id: upheld.id });
    const later = new Date(Date.now() + 86400_000 * 90).toISOString();
    await runJob(JobName.CreditExportScan, later);
    expect(await exportsOf(upheld.id)).toEqual([]);
    await ok(officer, DECIDE, { id: upheld.id, outcome: 'UPHELD' });
    await runJob(JobName.CreditExportScan, later);
    await runJob(JobName.CreditExportDispatch, later);
    const [record] = await exportsOf(upheld.id);
    expect(record).toMatchObject({ kind: 'RECORD', system: 'CREDIT', state: 'DELIVERED' });
    expect(JSON.parse(record.payloadJson).finalBecause).toBe('APPEAL_UPHELD');
    expect(receiver.forExport(record.id)).toHaveLength(1);

    const overturned = await penalised(household(true), today, 100);
    await ok(officer, APPEAL, { id: overturned.id });
    await ok(officer, DECIDE, { id: overturned.id, outcome: 'OVERTURNED' });
    await runJob(JobName.CreditExportScan, later);
    expect(await exportsOf(overturned.id)).toEqual([]);
  });

  it('sends a retraction when a penalty is revoked after its export, and cancels a record never sent', async () => {
    const decidedOn = addDays(today, -30);
    const exported = await penalised(household(true), decidedOn, 80);
    const unsent = await penalised(unit(), decidedOn, 6000);
    const firedAt = `${addDays(exported.appealDeadline, 1)}T01:15:00+08:00`;
    await runJob(JobName.CreditExportScan, firedAt);
    // Only the first is delivered before the revocations (the second's record is held back by arranging it later).
    await db().query(`UPDATE credit_export SET next_attempt_at = now() + interval '400 days' WHERE case_id = $1`, [unsent.id]);
    await runJob(JobName.CreditExportDispatch, firedAt);
    const [record] = await exportsOf(exported.id);
    expect(record.state).toBe('DELIVERED');

    expect((await ok(officer, REVOKE, { id: exported.id })).state).toBe('REVOKED');
    expect((await ok(officer, REVOKE, { id: unsent.id })).state).toBe('REVOKED');
    await runJob(JobName.CreditExportDispatch, new Date(Date.now() + 60_000).toISOString());

    const exportsOfRevoked = await exportsOf(exported.id);
    expect(exportsOfRevoked.map((e: any) => [e.kind, e.state])).toEqual([
      ['RECORD', 'DELIVERED'],
      ['RETRACTION', 'DELIVERED'],
    ]);
    const retraction = exportsOfRevoked[1];
    expect(retraction).toMatchObject({ retractsId: record.id, system: 'POINTS', kindLabelZh: '撤回记录' });
    const [received] = receiver.forExport(retraction.id);
    expect(received.signatureValid).toBe(true);
    expect(received.body).toMatchObject({
      kind: 'RETRACTION',
      retractsExportId: record.id,
      caseId: exported.id,
      reason: 'PENALTY_REVOKED',
    });

    const unsentExports = await exportsOf(unsent.id);
    expect(unsentExports.map((e: any) => [e.kind, e.state])).toEqual([['RECORD', 'CANCELLED']]);
    expect(receiver.forExport(unsentExports[0].id)).toEqual([]);
    // Revoking again is not a transition.
    expect((await platform.query(officer, REVOKE, { id: exported.id })).errors![0].extensions!.reason).toBe('INVALID_TRANSITION');
  });

  it('retries with backoff while the receiver is down and delivers each export once by its id', async () => {
    const decidedOn = addDays(today, -20);
    const first = await penalised(household(false), decidedOn, 60);
    const second = await penalised(unit(), decidedOn, 7000);
    const base = Date.parse(`${addDays(first.appealDeadline, 1)}T01:15:00+08:00`);
    const at = (seconds: number) => new Date(base + seconds * 1000).toISOString();
    await runJob(JobName.CreditExportScan, at(0));
    const [firstExport] = await exportsOf(first.id);
    const [secondExport] = await exportsOf(second.id);

    // Down: no connection at all.
    const port = receiver.port;
    await receiver.stop();
    await runJob(JobName.CreditExportDispatch, at(0));
    let [state] = await exportsOf(first.id);
    expect(state).toMatchObject({ state: 'PENDING', attempts: 1, nextAttemptAt: new Date(base + 60_000).toISOString() });
    expect(state.attemptLog[0]).toMatchObject({ attempt: 1, statusCode: null });
    expect(state.lastError).toBeTruthy();
    // Not due yet: nothing is attempted before the backoff has passed.
    await runJob(JobName.CreditExportDispatch, at(30));
    [state] = await exportsOf(first.id);
    expect(state.attempts).toBe(1);

    // Up again, but the answer is lost after storing: the next attempt repeats the same export id.
    await receiver.start(port);
    receiver.mode = 'store-then-fail';
    await runJob(JobName.CreditExportDispatch, at(61));
    [state] = await exportsOf(first.id);
    expect(state).toMatchObject({
      state: 'PENDING',
      attempts: 2,
      lastError: 'HTTP 500',
      nextAttemptAt: new Date(base + 61_000 + 300_000).toISOString(),
    });
    receiver.mode = 'up';
    await runJob(JobName.CreditExportDispatch, at(61 + 300));

    for (const e of [firstExport, secondExport]) {
      const [final] = await exportsOf(e.caseId);
      expect(final).toMatchObject({ state: 'DELIVERED', attempts: 3 });
      expect(final.attemptLog.map((a: any) => a.statusCode)).toEqual([null, 500, 200]);
      const received = receiver.forExport(e.id);
      expect(received).toHaveLength(2);
      expect(new Set(received.map((r) => r.rawBody)).size).toBe(1);
      expect(received.every((r) => r.signatureValid)).toBe(true);
      expect(receiver.stored.get(e.id)).toEqual(received[0].body);
    }
  });

  it('lists the exports with their attempts for audit, filtered and paged', async () => {
    const delivered = await ok(officer, EXPORTS, { state: 'DELIVERED', first: 500 });
    expect(delivered.totalCount).toBeGreaterThanOrEqual(8);
    expect(delivered.edges.every((e: any) => e.node.state === 'DELIVERED' && e.node.attemptLog.length >= 1)).toBe(true);
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await ok(officer, EXPORTS, { state: 'DELIVERED', first: 3, after });
      ids.push(...page.edges.map((e: any) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(ids).toEqual(delivered.edges.map((e: any) => e.node.id));
    const inspector = await platform.token([Role.INSPECTOR], platform.plan.communities[0].id);
    expect((await platform.query(inspector, EXPORTS, {})).errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});
