import { describe, expect, it } from '@jest/globals';
import { appRoutes } from '@bull-board/api/dist/routes.js';
import { QueueAction } from '#libs/messaging';
import { dashboardActionOf } from '../queue-action-audit.js';

/** Every route of bull-board that changes something, with sample parameters, and what the dashboard makes of it. */
const changing = appRoutes.api
  .flatMap((route) => (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({ method, route })))
  .filter(({ method }) => method !== 'get')
  .map(({ method, route }) => {
    const path = (Array.isArray(route.route) ? route.route[0] : route.route)
      .replace(':queueName', 'households-events')
      .replace(':jobId', 'job-1')
      .replace(':queueStatus', 'failed')
      .replace(':schedulerId', 'monthly-evaluation');
    return { call: `${method.toUpperCase()} ${path}`, action: dashboardActionOf(method.toUpperCase(), path) };
  });

describe('the queue dashboard’s audited actions', () => {
  it('maps each change an operator may make to its audited action, with the queue and job it names', () => {
    const audited = Object.fromEntries(changing.filter(({ action }) => action !== null).map(({ call, action }) => [call, action]));
    const on = (action: QueueAction, queue: string | null, jobIds: string[] = [], jobStatus: string | null = null) => ({
      action,
      queue,
      jobIds,
      jobStatus,
    });
    expect(audited).toEqual({
      'PUT /api/queues/pause': on(QueueAction.PAUSE_ALL, null),
      'PUT /api/queues/resume': on(QueueAction.RESUME_ALL, null),
      'PUT /api/queues/households-events/retry/failed': on(QueueAction.RETRY_ALL, 'households-events', [], 'failed'),
      'PUT /api/queues/households-events/promote': on(QueueAction.PROMOTE_ALL, 'households-events'),
      'PUT /api/queues/households-events/clean/failed': on(QueueAction.CLEAN_ALL, 'households-events', [], 'failed'),
      'PUT /api/queues/households-events/pause': on(QueueAction.PAUSE_QUEUE, 'households-events'),
      'PUT /api/queues/households-events/resume': on(QueueAction.RESUME_QUEUE, 'households-events'),
      'PUT /api/queues/households-events/empty': on(QueueAction.EMPTY_QUEUE, 'households-events'),
      'PUT /api/queues/households-events/job-1/retry': on(QueueAction.RETRY_JOB, 'households-events', ['job-1']),
      'PUT /api/queues/households-events/job-1/clean': on(QueueAction.REMOVE_JOB, 'households-events', ['job-1']),
      'PUT /api/queues/households-events/job-1/promote': on(QueueAction.PROMOTE_JOB, 'households-events', ['job-1']),
    });
  });

  it('refuses every other change bull-board offers (adding, editing, schedulers, limits, obliterating)', () => {
    const refused = changing.filter(({ action }) => action === null).map(({ call }) => call);
    expect(refused).toEqual(
      expect.arrayContaining([
        'POST /api/queues/households-events/add',
        'PUT /api/queues/households-events/obliterate',
        'PATCH /api/queues/households-events/job-1/update-data',
        'PUT /api/queues/households-events/job-schedulers/monthly-evaluation/remove',
        'PUT /api/queues/households-events/concurrency',
      ]),
    );
    expect(refused.length + 11).toBe(changing.length);
  });
});
