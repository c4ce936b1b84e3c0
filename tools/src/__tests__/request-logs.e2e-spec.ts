import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import { Role } from '#libs/auth';
import { queryRows } from '#libs/database';
import { addMonths, shanghaiMonth } from '#libs/calendar';
import { EventType, JobName, QueueName, ServiceName } from '#libs/messaging';
import { waitFor } from '#libs/testing';
import { startPlatform, type LogLine, type TestPlatform } from '../test-platform.js';

const REGISTER = `mutation RegisterForLogs($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`;

/**
 * One request followed by its id through the real processes' logs: the gateway (in this process, its lines read from
 * its logger), households and enforcement (child processes from dist/, their stdout read line by line as JSON).
 */
describe('request logs: one id from the gateway to the consumer', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform({ streets: 1, households: 40, captureLogs: true });
  });

  afterAll(async () => {
    await platform.stop();
  });

  const linesOf = (requestId: string) => platform.logLines().filter((line) => line.requestId === requestId);
  const post = (headers: Record<string, string>, body: object) =>
    fetch(platform.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('logs the same request id in the gateway’s line, the subgraph’s line and the consumer’s line in another service', async () => {
    const { plan } = platform;
    const compound = plan.compounds[0];
    const token = await platform.token([Role.COMMUNITY_SECRETARY], compound.parentId, 'secretary-logs');
    const requestId = `e2e-${randomUUID()}`;
    const response = await post(
      { authorization: `Bearer ${token}`, 'x-request-id': requestId },
      {
        query: REGISTER,
        operationName: 'RegisterForLogs',
        variables: { input: { compoundId: compound.id, building: 901, unit: 1, room: 101, tenure: 'OWNER' } },
      },
    );
    const body = (await response.json()) as { data?: { registerHousehold: { id: string } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(response.headers.get('x-request-id')).toBe(requestId);

    // households recorded households.changed (the household table's trigger); enforcement's worker handles it.
    const consumer = await waitFor('enforcement to handle the event under the request id', () =>
      Promise.resolve(linesOf(requestId).find((line) => line.process === String(ServiceName.Enforcement) && line.msg === 'job')),
    );
    expect(consumer).toMatchObject({ queue: QueueName.EnforcementEvents, job: EventType.HouseholdsChanged, outcome: 'completed' });

    const requestLine = (process: string) =>
      waitFor(`${process}'s request line`, () =>
        Promise.resolve(linesOf(requestId).find((line): line is LogLine => line.process === process && line.msg === 'request')),
      );
    const gateway = await requestLine('gateway');
    expect(gateway).toMatchObject({
      level: 'info',
      method: 'POST',
      route: '/graphql',
      status: 200,
      operation: 'RegisterForLogs',
      roles: ['COMMUNITY_SECRETARY'],
    });
    expect(gateway.durationMs).toEqual(expect.any(Number));
    expect(gateway).not.toHaveProperty('errorCode');
    const households = await requestLine(ServiceName.Households);
    expect(households).toMatchObject({ route: '/graphql', status: 200, roles: ['COMMUNITY_SECRETARY'] });
    // The gateway names its fetch after the client's operation.
    expect(String(households.operation)).toMatch(/^RegisterForLogs/);

    // Who called is there by role only: no user, no token, in any line of the request.
    const text = JSON.stringify(linesOf(requestId));
    expect(text).not.toContain(token);
    expect(text).not.toContain('secretary-logs');
  });

  it('carries the request id, and no personal data, in the outbox row and the queued job', async () => {
    const { plan } = platform;
    const compound = plan.compounds[0];
    const token = await platform.token([Role.COMMUNITY_SECRETARY], compound.parentId, 'secretary-logs');
    const requestId = `e2e-${randomUUID()}`;
    const response = await post(
      { authorization: `Bearer ${token}`, 'x-request-id': requestId },
      { query: REGISTER, variables: { input: { compoundId: compound.id, building: 902, unit: 1, room: 102, tenure: 'TENANT' } } },
    );
    const householdId = ((await response.json()) as { data: { registerHousehold: { id: string } } }).data.registerHousehold.id;
    const [row] = await queryRows<{ id: string; context: unknown; payload: { households: Record<string, unknown>[] } }>(
      platform.database(ServiceName.Households),
      `SELECT id, context, payload FROM outbox_event WHERE type = $1 AND context->>'requestId' = $2`,
      [EventType.HouseholdsChanged, requestId],
    );
    expect(row.context).toEqual({ requestId });
    expect(row.payload.households).toEqual([expect.objectContaining({ id: householdId })]);
    for (const snapshot of row.payload.households)
      expect(Object.keys(snapshot).sort()).toEqual(['compoundId', 'floatingPopulation', 'id', 'removed', 'version']);

    const queue = new Queue(QueueName.EnforcementEvents, {
      connection: { url: platform.env.REDIS_URL },
      prefix: platform.env.QUEUE_PREFIX,
    });
    try {
      const job = await waitFor('the queued job', () => queue.getJob(row.id));
      expect(job.data).toEqual({
        id: row.id,
        type: EventType.HouseholdsChanged,
        source: ServiceName.Households,
        occurredAt: expect.any(String),
        payloadJson: expect.any(String),
        context: { requestId },
      });
      expect(JSON.parse(job.data.payloadJson)).toEqual(row.payload);
    } finally {
      await queue.close();
    }
  });

  it('gives a request without a usable id one of its own, echoes it, and logs it with the error code of a refused call', async () => {
    const response = await post({ 'x-request-id': 'bad id!' }, { query: '{ __typename }' });
    const requestId = response.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const line = await waitFor('the gateway’s line', () =>
      Promise.resolve(linesOf(requestId).find((entry) => entry.process === 'gateway' && entry.msg === 'request')),
    );
    expect(line).toMatchObject({ status: 401, errorCode: 'UNAUTHENTICATED' });
    expect(line).not.toHaveProperty('roles');
  });

  it('logs a route by its pattern, never the URL, where a calendar feed’s token is the credential', async () => {
    const token = `cal${randomUUID().replaceAll('-', '')}`;
    const response = await fetch(new URL(`/calendars/${token}.ics`, platform.gatewayUrl));
    const requestId = response.headers.get('x-request-id')!;
    const lines = await waitFor('both request lines', () => {
      const found = linesOf(requestId).filter((line) => line.msg === 'request');
      return Promise.resolve(found.length === 2 ? found : null);
    });
    expect(lines.map((line) => [line.process, line.route, line.status]).sort()).toEqual([
      [ServiceName.Enforcement, '/calendars/:file', response.status],
      ['gateway', '/calendars/:file', response.status],
    ]);
    expect(JSON.stringify(platform.logLines())).not.toContain(token);
  });

  // Last: it grades the current month.
  it('follows a scheduled month by one id, from its job through the chunks and the events it records to their consumers', async () => {
    const queue = new Queue(QueueName.HouseholdsJobs, { connection: { url: platform.env.REDIS_URL }, prefix: platform.env.QUEUE_PREFIX });
    const jobId = `logs-month-${randomUUID()}`;
    const requestId = `job:${QueueName.HouseholdsJobs}:${jobId}`;
    const jobLines = (process: ServiceName, job: string) =>
      linesOf(requestId).filter((line) => line.process === String(process) && line.msg === 'job' && line.job === job);
    try {
      // As the job scheduler fires it on the 1st at 02:00: the month just ended (here the current one) is graded.
      await queue.add(JobName.MonthlyEvaluation, { firedAt: `${addMonths(shanghaiMonth(), 1)}-01T02:00:00+08:00` }, { jobId });
      await waitFor(
        'the month’s completion to be handled by notifications and organization',
        () =>
          Promise.resolve(
            jobLines(ServiceName.Notifications, EventType.MonthlyEvaluationCompleted).length === 1 &&
              jobLines(ServiceName.Organization, EventType.MonthlyEvaluationCompleted).length === 1,
          ),
        90_000,
      );
    } finally {
      await queue.close();
    }
    // households: the scheduled job, the run it requested and its chunks (queued directly, not as events).
    expect(jobLines(ServiceName.Households, JobName.MonthlyEvaluation)).toHaveLength(1);
    expect(jobLines(ServiceName.Households, EventType.EvaluationRequested)).toHaveLength(1);
    expect(jobLines(ServiceName.Households, JobName.EvaluationChunk).length).toBeGreaterThan(0);
    // The grades the chunks recorded set-based and the compounds' summary, handled in the other services.
    expect(jobLines(ServiceName.Notifications, EventType.HouseholdGradesPublished).length).toBeGreaterThan(0);
    expect(jobLines(ServiceName.Organization, EventType.HouseholdGradesPublished).length).toBeGreaterThan(0);
    await waitFor('enforcement to handle the compounds’ summary', () =>
      Promise.resolve(jobLines(ServiceName.Enforcement, EventType.PropertyCompoundGradesSummarised).length > 0),
    );
    expect(linesOf(requestId).every((line) => line.outcome === undefined || line.outcome === 'completed')).toBe(true);
  });
});
