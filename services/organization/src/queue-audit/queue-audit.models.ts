import { ArgsType, Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { QueueAction, QueueActionOutcome } from '#libs/messaging';
import { Connection, PageArgs } from '#libs/pagination';

registerEnumType(QueueAction, {
  name: 'QueueAction',
  description: 'What an operator did to the queues through the queue dashboard.',
  valuesMap: {
    RETRY_JOB: { description: 'Retried one job (back to waiting).' },
    RETRY_ALL: { description: 'Retried every job of a queue in one status (failed or completed).' },
    REMOVE_JOB: { description: 'Removed one job.' },
    CLEAN_ALL: { description: 'Removed every job of a queue in one status.' },
    PROMOTE_JOB: { description: 'Ran one delayed job now.' },
    PROMOTE_ALL: { description: 'Ran every delayed job of a queue now.' },
    PAUSE_QUEUE: { description: 'Paused one queue.' },
    RESUME_QUEUE: { description: 'Resumed one queue.' },
    PAUSE_ALL: { description: 'Paused every queue.' },
    RESUME_ALL: { description: 'Resumed every queue.' },
    EMPTY_QUEUE: { description: 'Removed every waiting and delayed job of a queue.' },
  },
});

registerEnumType(QueueActionOutcome, {
  name: 'QueueActionOutcome',
  description: 'How an audited queue action ended.',
  valuesMap: {
    REQUESTED: { description: 'Recorded before it ran; the gateway has not reported how it ended (it may have stopped meanwhile).' },
    SUCCEEDED: { description: 'The dashboard carried it out.' },
    FAILED: { description: 'The dashboard answered with an error; nothing or only part of it may have happened.' },
  },
});

export interface QueueActionAuditRow {
  id: string;
  requestedAt: Date;
  actor: string;
  actorRoles: string[];
  action: QueueAction;
  queue: string | null;
  jobIds: string[];
  jobStatus: string | null;
  requestId: string;
  outcome: QueueActionOutcome;
  httpStatus: number | null;
  settledAt: Date | null;
}

@ObjectType({
  description: 'One action taken through the queue dashboard: who (an account id and role, never a name), what, when, how it ended.',
})
export class QueueActionAuditEntry {
  @Field(() => ID, { description: 'Stable id of the audit entry.' })
  id: string;

  @Field({ description: 'When the action was asked for and recorded, before it ran (ISO 8601 timestamp).' })
  requestedAt: Date;

  @Field({ description: "The operator's account id (the token's sub)." })
  actor: string;

  @Field(() => [String], { description: 'The roles the operator acted with.' })
  actorRoles: string[];

  @Field(() => QueueAction, { description: 'What was done.' })
  action: QueueAction;

  @Field(() => String, { nullable: true, description: 'The queue acted on; null for PAUSE_ALL and RESUME_ALL (every queue).' })
  queue: string | null;

  @Field(() => [String], { description: 'The job acted on, for the actions on one job; empty for actions on a whole queue.' })
  jobIds: string[];

  @Field(() => String, { nullable: true, description: 'For RETRY_ALL and CLEAN_ALL: the status whose jobs were acted on.' })
  jobStatus: string | null;

  @Field({ description: 'The request id of the dashboard call, to find it in the gateway log.' })
  requestId: string;

  @Field(() => QueueActionOutcome, { description: 'How it ended.' })
  outcome: QueueActionOutcome;

  @Field(() => Int, { nullable: true, description: "The dashboard's HTTP status for the action, once settled." })
  httpStatus: number | null;

  @Field(() => Date, { nullable: true, description: 'When the outcome was recorded (ISO 8601 timestamp).' })
  settledAt: Date | null;

  static from(row: QueueActionAuditRow): QueueActionAuditEntry {
    return Object.assign(new QueueActionAuditEntry(), row);
  }
}

@ObjectType({
  description:
    'A page of QueueActionAuditEntry items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class QueueActionAuditEntryConnection extends Connection(QueueActionAuditEntry, 'QueueActionAuditEntry') {}

@ArgsType()
export class QueueActionAuditArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only actions on this queue (e.g. households-events).' })
  queue?: string | null;

  @Field(() => QueueAction, { nullable: true, description: 'Only actions of this kind.' })
  action?: QueueAction | null;

  @Field(() => String, { nullable: true, description: "Only this operator's actions (an account id)." })
  actor?: string | null;
}
