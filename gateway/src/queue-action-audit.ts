// Owns the audit of the queue dashboard: each change is recorded with organization before it runs, then settled.
import type { RequestHandler } from 'express';
import { signGatewayRoute, type Caller } from '#libs/auth';
import { ErrorCode } from '#libs/errors';
import { QueueAction, QueueActionOutcome } from '#libs/messaging';
import type { GatewayEnvironment } from './gateway-environment.js';
import { log } from './log.js';
import { refuseJson, type OperatorLocals } from './operations-session.js';
import type { RouteContext } from './route-context.js';

export const AUDIT_TIMEOUT_MS = 5_000;

export interface DashboardAction {
  action: QueueAction;
  queue: string | null;
  jobIds: string[];
  jobStatus: string | null;
}

const ON_QUEUE: Record<string, QueueAction> = {
  promote: QueueAction.PROMOTE_ALL,
  pause: QueueAction.PAUSE_QUEUE,
  resume: QueueAction.RESUME_QUEUE,
  empty: QueueAction.EMPTY_QUEUE,
};
const ON_JOB: Record<string, QueueAction> = {
  retry: QueueAction.RETRY_JOB,
  clean: QueueAction.REMOVE_JOB,
  promote: QueueAction.PROMOTE_JOB,
};

/**
 * The audited action a dashboard call is, in the order bull-board's router matches its routes; null for a call that
 * changes something else (adding or editing jobs, their data, schedulers, limits, obliterating a queue), which the
 * dashboard refuses: nobody is to change what a job carries or when the platform's cycles run from here.
 */
export function dashboardActionOf(method: string, path: string): DashboardAction | null {
  if (method !== 'PUT') return null;
  const parts = path
    .replace(/^\/api\/queues\//, '')
    .split('/')
    .map(decodeURIComponent);
  if (!path.startsWith('/api/queues/')) return null;
  const of = (action: QueueAction, queue: string | null, jobIds: string[] = [], jobStatus: string | null = null) => ({
    action,
    queue,
    jobIds,
    jobStatus,
  });
  if (parts.length === 1 && parts[0] === 'pause') return of(QueueAction.PAUSE_ALL, null);
  if (parts.length === 1 && parts[0] === 'resume') return of(QueueAction.RESUME_ALL, null);
  const [queue, second, third] = parts;
  if (parts.length === 3 && second === 'retry') return of(QueueAction.RETRY_ALL, queue, [], third);
  if (parts.length === 3 && second === 'clean') return of(QueueAction.CLEAN_ALL, queue, [], third);
  if (parts.length === 2 && Object.hasOwn(ON_QUEUE, second)) return of(ON_QUEUE[second], queue);
  if (parts.length === 3 && Object.hasOwn(ON_JOB, third)) return of(ON_JOB[third], queue, [second]);
  return null;
}

/**
 * Audit first, then act: a change the audit could not record is refused (503 AUDIT_UNAVAILABLE) and never runs. Once
 * bull-board has answered, the entry is settled with the outcome; should that fail, the entry stays REQUESTED.
 */
export function auditQueueActions({ env, subgraphs }: RouteContext): RequestHandler {
  return async (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const action = dashboardActionOf(req.method, req.path);
    if (!action) return refuseJson(res, 403, ErrorCode.FORBIDDEN, 'ACTION_NOT_ALLOWED', 'The dashboard does not allow this change');
    const { operator } = res.locals as OperatorLocals;
    let id: string;
    try {
      ({ id } = (await callAudit(env, subgraphs, operator, '/internal/queue-actions', action, 201)) as { id: string });
    } catch (error) {
      // Organization refused the entry itself (a queue the platform does not have): the action is not one to audit.
      if (error instanceof AuditRefused && error.status === 400) {
        return refuseJson(res, 400, ErrorCode.BAD_USER_INPUT, 'INVALID_QUEUE_ACTION', 'No such queue or job status on this platform');
      }
      log('error', 'Queue dashboard: the audit could not be recorded; action refused', {
        requestId: operator.requestId,
        error: (error as Error).message,
      });
      return refuseJson(
        res,
        503,
        ErrorCode.INTERNAL_SERVER_ERROR,
        'AUDIT_UNAVAILABLE',
        'The action could not be audited, so it was not carried out; try again shortly',
      );
    }
    res.on('finish', () => {
      const outcome = res.statusCode < 400 ? QueueActionOutcome.SUCCEEDED : QueueActionOutcome.FAILED;
      callAudit(env, subgraphs, operator, `/internal/queue-actions/${id}/outcome`, { outcome, httpStatus: res.statusCode }, 204).catch(
        (error: Error) =>
          log('error', 'Queue dashboard: the outcome of an audited action could not be recorded', {
            requestId: operator.requestId,
            auditId: id,
            error: error.message,
          }),
      );
    });
    next();
  };
}

/** Organization answered something else than it records with. */
class AuditRefused extends Error {
  constructor(
    readonly status: number,
    answer: string,
  ) {
    super(`organization answered ${status}: ${answer}`);
  }
}

/** A JSON POST to organization's internal route, signed as the operator so the audit names who really acted. */
async function callAudit(
  env: GatewayEnvironment,
  subgraphs: Map<string, string>,
  caller: Caller,
  path: string,
  body: unknown,
  expected: number,
): Promise<unknown> {
  const organization = subgraphs.get('organization');
  if (!organization) throw new Error('organization is not routed yet');
  const url = new URL(path, organization);
  const signature = await signGatewayRoute({
    caller,
    subgraph: 'organization',
    method: 'POST',
    target: url.pathname,
    key: env.GATEWAY_SIGNING_KEY!,
    ttlSeconds: env.GATEWAY_SIGNATURE_TTL_SECONDS,
  });
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': caller.requestId, ...signature },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(AUDIT_TIMEOUT_MS),
  });
  if (response.status !== expected) throw new AuditRefused(response.status, (await response.text()).slice(0, 200));
  return expected === 204 ? undefined : response.json();
}
