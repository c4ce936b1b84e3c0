/**
 * What an operator can do to the queues through the queue dashboard (gateway `/operations/queues`), as its audit
 * (organization's `queue_action_audit`) names it. The gateway maps each dashboard route to one of these and writes
 * the audit entry before the action runs; anything else that would change a queue is refused there.
 */
export enum QueueAction {
  RETRY_JOB = 'RETRY_JOB',
  /** Every job of one queue in one status (failed or completed). */
  RETRY_ALL = 'RETRY_ALL',
  REMOVE_JOB = 'REMOVE_JOB',
  /** Every job of one queue in one status removed (bull-board's "clean"). */
  CLEAN_ALL = 'CLEAN_ALL',
  PROMOTE_JOB = 'PROMOTE_JOB',
  /** Every delayed job of one queue runs now. */
  PROMOTE_ALL = 'PROMOTE_ALL',
  PAUSE_QUEUE = 'PAUSE_QUEUE',
  RESUME_QUEUE = 'RESUME_QUEUE',
  /** Every queue on the dashboard paused at once (no queue named). */
  PAUSE_ALL = 'PAUSE_ALL',
  RESUME_ALL = 'RESUME_ALL',
  /** Every waiting and delayed job of one queue removed. */
  EMPTY_QUEUE = 'EMPTY_QUEUE',
}

/** How an audited queue action ended: REQUESTED until the gateway settles it (a row left so means it never said). */
export enum QueueActionOutcome {
  REQUESTED = 'REQUESTED',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

/** The actions that name no queue: they act on every queue of the dashboard. */
export const ALL_QUEUES_ACTIONS: readonly QueueAction[] = [QueueAction.PAUSE_ALL, QueueAction.RESUME_ALL];
