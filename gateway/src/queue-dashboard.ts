// Owns `/operations/queues`: bull-board over every service's BullMQ queues, for operators, audited, showing no event payloads.
import { createBullBoard } from '@bull-board/api';
import type { IServerAdapter } from '@bull-board/api/typings/app';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { Express, RequestHandler } from 'express';
import helmet from 'helmet';
import { Redis } from 'ioredis';
import { QUEUE_OWNER, QueueName } from '#libs/messaging';
import { log } from './log.js';
import { mountOperationsSignIn } from './operations-sign-in.js';
import { requireOperator, sameOriginWrites } from './operations-session.js';
import { auditQueueActions } from './queue-action-audit.js';
import type { RouteContext } from './route-context.js';

export const QUEUE_DASHBOARD_PATH = '/operations/queues';

/** What replaces an event's payload on the dashboard: some carry masked names, minors' flags and staff's free text. */
export const HIDDEN_PAYLOAD = '(hidden: event payloads are not shown on the dashboard)';

/**
 * The bull-board UI is a page of scripts and styles from its own static folder; the gateway's policy allows nothing
 * to load, so the dashboard gets one of its own: its own origin only (no fonts or scripts from elsewhere).
 */
const dashboardPolicy = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
});

/**
 * An event job (the relay's QueuedEvent) keeps its envelope (id, type, source, when) and loses its payload, whatever
 * the event: a new event type is hidden without anyone remembering to. A service's own job (a run's chunk, a
 * scheduled cycle) carries ids and clock times, and is shown as it is.
 */
export function dashboardJobData(data: unknown): unknown {
  if (data === null || typeof data !== 'object' || !('payloadJson' in data) || !('type' in data)) return data;
  const { payloadJson: _hidden, ...envelope } = data as { payloadJson: unknown };
  return { ...envelope, payload: HIDDEN_PAYLOAD };
}

/**
 * Mounts the dashboard and its sign-in. Its queues share one Redis connection that fails fast while Redis is away
 * (the dashboard answers errors meanwhile; the rest of the gateway does not use it), and reconnects by itself.
 */
export function mountQueueDashboard(app: Express, context: RouteContext): { close(): Promise<void> } {
  const { env } = context;
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
  let away = false;
  redis.on('error', (error) => {
    if (!away)
      log('warn', 'Queue dashboard: Redis is unreachable; the dashboard answers errors until it is back', { error: error.message });
    away = true;
  });
  redis.on('ready', () => (away = false));
  const queues = Object.values(QueueName).map((name) => {
    const queue = new Queue(name, { connection: redis, prefix: env.QUEUE_PREFIX });
    queue.on('error', () => undefined); // reported once by the connection above
    const adapter = new BullMQAdapter(queue, { description: `${QUEUE_OWNER[name]} service`, allowRetries: true });
    adapter.setFormatter('data', dashboardJobData);
    // Handlers return counts and summaries; hidden too, so no future handler's answer can show what its event carried.
    adapter.setFormatter('returnValue', () => undefined);
    return { queue, adapter };
  });
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map(({ adapter }) => adapter),
    // @bull-board/express 9.10.1 types itself against its own copy of @bull-board/api 9.10.1 (it only needs the types
    // at run time): the same interface, declared twice.
    serverAdapter: board as unknown as IServerAdapter,
    options: { uiConfig: { boardTitle: '队列 · Queues', hideDocsLink: true, hideRedisDetails: true } },
  });

  mountOperationsSignIn(app, context);
  const guard: RequestHandler[] = [dashboardPolicy, requireOperator(env), sameOriginWrites(env), auditQueueActions(context)];
  app.use(QUEUE_DASHBOARD_PATH, ...guard, board.getRouter() as RequestHandler);
  void redis.connect().catch(() => undefined);
  return {
    async close() {
      await Promise.all(queues.map(({ queue }) => queue.close().catch(() => undefined)));
      redis.disconnect();
    },
  };
}
