import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { SqlParams, execute, queryOne } from '#libs/database';
import { ErrorCode } from '#libs/errors';
import { ALL_QUEUES_ACTIONS, QueueAction, QueueActionOutcome, QueueName } from '#libs/messaging';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { PlainHttpError } from '#libs/platform';
import { QueueActionAuditEntry, type QueueActionAuditArgs, type QueueActionAuditRow } from './queue-audit.models.js';

/** What the gateway reports before acting. Job ids are BullMQ's (event ids, scheduler ids): never personal data. */
export interface QueueActionRequest {
  action: QueueAction;
  queue: string | null;
  jobIds: string[];
  jobStatus: string | null;
}

const JOB_ID = /^[\w:.-]{1,200}$/;
const JOB_STATUSES = new Set(['completed', 'failed', 'delayed', 'wait', 'waiting', 'active', 'paused', 'prioritized']);
const MAX_JOB_IDS = 100;

const COLUMNS = `id::text AS id, requested_at AS "requestedAt", actor, actor_roles AS "actorRoles", action, queue, job_ids AS "jobIds",
  job_status AS "jobStatus", request_id AS "requestId", outcome, http_status AS "httpStatus", settled_at AS "settledAt"`;

/** The audit of the queue dashboard: written before each action, settled after it, read by operators and admins. */
@Injectable()
export class QueueActionAudit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records that `caller` asks for an action; the id is what the gateway settles it with. */
  async request(caller: Caller, body: unknown): Promise<{ id: string }> {
    const request = parseRequest(body);
    return queryOne<{ id: string }>(
      this.dataSource,
      `INSERT INTO queue_action_audit (actor, actor_roles, action, queue, job_ids, job_status, request_id)
       VALUES ($1, $2::text[], $3, $4, $5::text[], $6, $7) RETURNING id::text AS id`,
      [caller.userId, caller.roles, request.action, request.queue, request.jobIds, request.jobStatus, caller.requestId],
    );
  }

  /** The outcome of an action the same caller recorded; an entry is settled once. */
  async settle(caller: Caller, id: string, body: unknown): Promise<void> {
    const { outcome, httpStatus } = (body ?? {}) as { outcome?: unknown; httpStatus?: unknown };
    if (outcome !== QueueActionOutcome.SUCCEEDED && outcome !== QueueActionOutcome.FAILED)
      throw invalid('outcome must be SUCCEEDED or FAILED');
    if (!Number.isInteger(httpStatus) || (httpStatus as number) < 100 || (httpStatus as number) > 599)
      throw invalid('httpStatus must be an HTTP status');
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw invalid('not an audit entry id');
    const settled = await execute(
      this.dataSource,
      `UPDATE queue_action_audit SET outcome = $1, http_status = $2, settled_at = now()
        WHERE id = $3::uuid AND actor = $4 AND outcome = 'REQUESTED'`,
      [outcome, httpStatus, id, caller.userId],
    );
    if (settled === 0) throw new PlainHttpError(HttpStatus.NOT_FOUND, ErrorCode.NOT_FOUND, 'No unsettled audit entry of yours has that id');
  }

  /** Entries newest first, optionally of one queue, one action or one operator. */
  list(args: QueueActionAuditArgs): Promise<ConnectionShape<QueueActionAuditEntry>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (args.queue) where.push(`queue = ${params.add(args.queue)}`);
    if (args.action) where.push(`action = ${params.add(args.action)}`);
    if (args.actor) where.push(`actor = ${params.add(args.actor)}`);
    return fetchKeysetPage<QueueActionAuditRow, QueueActionAuditEntry>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'queue_action_audit',
        where,
        params,
        orderBy: ['requested_at', 'id'],
        keyOf: (row) => [row.requestedAt.toISOString(), row.id],
        descending: true,
      },
      (rows) => rows.map((row) => QueueActionAuditEntry.from(row)),
    );
  }
}

function parseRequest(body: unknown): QueueActionRequest {
  const { action, queue, jobIds, jobStatus } = (body ?? {}) as Record<string, unknown>;
  if (!Object.values(QueueAction).includes(action as QueueAction))
    throw invalid(`action must be one of ${Object.values(QueueAction).join(', ')}`);
  const everyQueue = ALL_QUEUES_ACTIONS.includes(action as QueueAction);
  if (everyQueue ? queue !== null : !Object.values(QueueName).includes(queue as QueueName)) {
    throw invalid(everyQueue ? `${String(action)} names no queue` : 'queue must be one of the platform queues');
  }
  if (!Array.isArray(jobIds) || jobIds.length > MAX_JOB_IDS || !jobIds.every((id) => typeof id === 'string' && JOB_ID.test(id))) {
    throw invalid(`jobIds must be at most ${MAX_JOB_IDS} job ids`);
  }
  if (jobStatus !== null && !(typeof jobStatus === 'string' && JOB_STATUSES.has(jobStatus))) throw invalid('jobStatus is not a job status');
  return {
    action: action as QueueAction,
    queue: queue as string | null,
    jobIds: jobIds as string[],
    jobStatus,
  };
}

function invalid(message: string): PlainHttpError {
  return new PlainHttpError(HttpStatus.BAD_REQUEST, ErrorCode.BAD_USER_INPUT, message);
}
