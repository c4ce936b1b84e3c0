/**
 * The catalogue of services, queues, jobs and events: one place to see what travels where.
 *
 * Queue names, job names and event types are stored in Redis keys and job records. Renaming one strands the jobs
 * already queued under the old name: add the new name, drain the old queue, then remove the old name.
 */

import type { CaseFollowUpInspectedPayload, CaseFollowUpRequestedPayload } from './events/case-follow-up.js';
import type { PartyMemberCheckInsSummarisedPayload } from './events/check-ins-summarised.js';
import type {
  EvaluationRequestedPayload,
  HouseholdGradesPublishedPayload,
  MonthlyEvaluationCompletedPayload,
} from './events/evaluation.js';
import type { HouseholdsChangedPayload } from './events/households-changed.js';
import type { GradeObjectionDecidedPayload, ObjectionWindowClosedPayload } from './events/objections.js';
import type { PropertyCompoundGradesSummarisedPayload } from './events/property-compound-grades.js';
import type { ReportInspectionRecordedPayload } from './events/report-inspection.js';
import type { InstitutionsChangedPayload, TerritoryChangedPayload } from './events/territory-changed.js';
import type { WorkUnitBranchesChangedPayload } from './events/work-unit-branches.js';
import type { CarriedContext } from '#libs/observability';

export enum ServiceName {
  Organization = 'organization',
  Households = 'households',
  Enforcement = 'enforcement',
  Notifications = 'notifications',
}

/** Where each service listens by default (the gateway is on 4000); the committed supergraph routes to these. */
export const DEFAULT_PORTS: Record<ServiceName, number> = {
  [ServiceName.Organization]: 4001,
  [ServiceName.Households]: 4002,
  [ServiceName.Enforcement]: 4003,
  [ServiceName.Notifications]: 4004,
};

/**
 * Each service consumes its own queues; a queue has exactly one consuming service. `*-events` queues receive other
 * services' events; `*-jobs` queues carry a service's own work (scheduled cycles, chunks of a run).
 */
export enum QueueName {
  OrganizationEvents = 'organization-events',
  HouseholdsEvents = 'households-events',
  HouseholdsJobs = 'households-jobs',
  EnforcementEvents = 'enforcement-events',
  NotificationsEvents = 'notifications-events',
  OrganizationJobs = 'organization-jobs',
  EnforcementJobs = 'enforcement-jobs',
  NotificationsJobs = 'notifications-jobs',
}

export const QUEUE_OWNER: Record<QueueName, ServiceName> = {
  [QueueName.OrganizationEvents]: ServiceName.Organization,
  [QueueName.HouseholdsEvents]: ServiceName.Households,
  [QueueName.HouseholdsJobs]: ServiceName.Households,
  [QueueName.EnforcementEvents]: ServiceName.Enforcement,
  [QueueName.NotificationsEvents]: ServiceName.Notifications,
  [QueueName.OrganizationJobs]: ServiceName.Organization,
  [QueueName.EnforcementJobs]: ServiceName.Enforcement,
  [QueueName.NotificationsJobs]: ServiceName.Notifications,
};

/** Events, published through each service's transactional outbox. */
export enum EventType {
  /** organization → everyone who keeps a copy of the territory tree. */
  TerritoryChanged = 'territory.changed',
  /** organization → everyone who keeps a copy of the institutions (their names go into notices; households checks residents' against it). */
  InstitutionsChanged = 'institutions.changed',
  /** households → itself: a monthly evaluation run was requested; its chunks are queued from here. */
  EvaluationRequested = 'evaluation.requested',
  /** households → notifications, organization: grades of up to 500 households of a month, new or corrected. */
  HouseholdGradesPublished = 'household-grades.published',
  /** households → notifications, organization: every grade of a district's month has been published. Once a month. */
  MonthlyEvaluationCompleted = 'monthly-evaluation.completed',
  /** households → organization: a week's photo check-in counts of up to 500 party members, for the vanguard index. */
  PartyMemberCheckInsSummarised = 'party-member-check-ins.summarised',
  /** enforcement → households: a joint action found something at a household; households records an inspection. */
  ActionFindingRecorded = 'action-finding.recorded',
  /**
   * households → enforcement: snapshots (compound, floating population, removed, version) of households registered,
   * moved, changed or removed, ≤ 1,000 per event; enforcement keeps its household_copy from them, for cases.
   */
  HouseholdsChanged = 'households.changed',
  /**
   * enforcement → households: a household case became FOLLOW_UP_DUE; households asks the community for the follow-up
   * inspection (one event per case, recorded by the daily job's statement).
   */
  CaseFollowUpRequested = 'case-follow-up.requested',
  /** households → enforcement: an inspection answered a case's follow-up request; shown to the officer, who decides. */
  CaseFollowUpInspected = 'case-follow-up.inspected',
  /**
   * organization → households: members' work-unit branches and work-unit branches' secretary posts, as they changed
   * (registration, its end, an appointment); households judges who may give a check-in's work-branch review.
   */
  WorkUnitBranchesChanged = 'work-unit-branches.changed',
  /**
   * households → enforcement: a month's graded and passing households per compound and property company, with the
   * month's announcement (≤ 1,000 compounds per event); the property-company assessment reads them.
   */
  PropertyCompoundGradesSummarised = 'property-compound-grades.summarised',
  /**
   * households → notifications: a district-month's objection window closed (once), with the month's objections and
   * where each stands; notifications sends the month's notices except those about a household whose objection is open.
   */
  ObjectionWindowClosed = 'objection-window.closed',
  /** households → notifications: a community secretary decided a resident's objection (upheld, or corrected the grade). */
  GradeObjectionDecided = 'grade-objection.decided',
  /**
   * enforcement → households: staff made a verified citizen report evidence against a household; households records
   * the failed (or minor-issue) inspection it names, carrying the report id (one event per report).
   */
  ReportInspectionRecorded = 'report-inspection.recorded',
}

/** Which queues receive each event. The relay adds one job per subscribing queue, with the event id as job id. */
export const EVENT_SUBSCRIBERS: Record<EventType, readonly QueueName[]> = {
  [EventType.TerritoryChanged]: [QueueName.HouseholdsEvents, QueueName.EnforcementEvents, QueueName.NotificationsEvents],
  [EventType.InstitutionsChanged]: [QueueName.NotificationsEvents, QueueName.EnforcementEvents, QueueName.HouseholdsEvents],
  [EventType.EvaluationRequested]: [QueueName.HouseholdsJobs],
  [EventType.HouseholdGradesPublished]: [QueueName.NotificationsEvents, QueueName.OrganizationEvents],
  [EventType.MonthlyEvaluationCompleted]: [QueueName.NotificationsEvents, QueueName.OrganizationEvents],
  [EventType.PartyMemberCheckInsSummarised]: [QueueName.OrganizationEvents],
  [EventType.ActionFindingRecorded]: [QueueName.HouseholdsEvents],
  [EventType.HouseholdsChanged]: [QueueName.EnforcementEvents],
  [EventType.CaseFollowUpRequested]: [QueueName.HouseholdsEvents],
  [EventType.CaseFollowUpInspected]: [QueueName.EnforcementEvents],
  [EventType.WorkUnitBranchesChanged]: [QueueName.HouseholdsEvents],
  [EventType.PropertyCompoundGradesSummarised]: [QueueName.EnforcementEvents],
  [EventType.ObjectionWindowClosed]: [QueueName.NotificationsEvents],
  [EventType.GradeObjectionDecided]: [QueueName.NotificationsEvents],
  [EventType.ReportInspectionRecorded]: [QueueName.HouseholdsEvents],
};

/** Fails to compile unless every event type has its payload: a new event type must say what it carries. */
type EveryEventType<Payloads extends Record<EventType, object>> = Payloads;

/**
 * What each event carries, by type: the one place producers (`Outbox.record`) and consumers (`@JobHandler` +
 * `JobProcessor<EventEnvelope<EventPayload<…>>>`) are checked against, so the compiler catches a payload that drifted.
 */
export type EventPayloads = EveryEventType<{
  [EventType.TerritoryChanged]: TerritoryChangedPayload;
  [EventType.InstitutionsChanged]: InstitutionsChangedPayload;
  [EventType.EvaluationRequested]: EvaluationRequestedPayload;
  [EventType.HouseholdGradesPublished]: HouseholdGradesPublishedPayload;
  [EventType.MonthlyEvaluationCompleted]: MonthlyEvaluationCompletedPayload;
  [EventType.PartyMemberCheckInsSummarised]: PartyMemberCheckInsSummarisedPayload;
  [EventType.ActionFindingRecorded]: ActionFindingRecordedPayload;
  [EventType.HouseholdsChanged]: HouseholdsChangedPayload;
  [EventType.CaseFollowUpRequested]: CaseFollowUpRequestedPayload;
  [EventType.CaseFollowUpInspected]: CaseFollowUpInspectedPayload;
  [EventType.WorkUnitBranchesChanged]: WorkUnitBranchesChangedPayload;
  [EventType.PropertyCompoundGradesSummarised]: PropertyCompoundGradesSummarisedPayload;
  [EventType.ObjectionWindowClosed]: ObjectionWindowClosedPayload;
  [EventType.GradeObjectionDecided]: GradeObjectionDecidedPayload;
  [EventType.ReportInspectionRecorded]: ReportInspectionRecordedPayload;
}>;

/** The payload of events of `Type`. */
export type EventPayload<Type extends EventType> = EventPayloads[Type];

/** A service's own jobs (not events). */
export enum JobName {
  /** Grades one community's households for one month of a run. */
  EvaluationChunk = 'evaluation.chunk',
  /** Fired by a job scheduler on the 1st at 02:00 Asia/Shanghai: evaluates the previous month. */
  MonthlyEvaluation = 'monthly-evaluation.scheduled',
  /** Fired by a job scheduler on Mondays at 01:00 Asia/Shanghai: flags party members under their photo quota last week. */
  CheckInQuotaWeekly = 'check-in-quota.weekly',
  /** Fired by a job scheduler every day at 00:30 Asia/Shanghai: closes the duty periods that just ended, escalates misses. */
  DutyCheckDaily = 'duty-check.daily',
  /** Fired by a job scheduler every day at 00:45 Asia/Shanghai: cases whose comply-by date has come become FOLLOW_UP_DUE. */
  CaseFollowUpDaily = 'case-follow-up.daily',
  /** Fired by a job scheduler every day at 01:15 Asia/Shanghai: penalties past their appeal window (or upheld) become credit exports. */
  CreditExportScan = 'credit-export.scan',
  /** Fired by a job scheduler every five minutes: delivers due credit/points exports from the outbox, with retries. */
  CreditExportDispatch = 'credit-export.dispatch',
  /**
   * Fired by a job scheduler every day at 03:00 Asia/Shanghai: from two weeks before a quarter starts, drafts that
   * quarter's joint-action campaign for every street that has none yet.
   */
  QuarterlyActionDraft = 'quarterly-action-draft.daily',
  /**
   * Fired by a job scheduler every day at 03:30 Asia/Shanghai on each service's jobs queue: deletes or masks the
   * personal data the service keeps past its retention period (notifications: grade copies, notices' names and texts,
   * webhook attempts; enforcement: reporters' contact details; households: orphaned uploads; every service: audit rows
   * of unmasked reads, idempotency records, finished jobs in its queues). See libs/retention.
   */
  RetentionDaily = 'retention.daily',
  /**
   * Fired by a job scheduler every 15 minutes: closes the objection windows of graded months whose window has passed
   * (the clock is the job's `firedAt`), announcing each once with `objection-window.closed`.
   */
  ObjectionWindowClose = 'objection-window.close',
}

/**
 * How many jobs of a queue one process runs at once. Grading chunks are database-bound: more of them at once than
 * the database has cores only makes them wait on each other.
 */
export const QUEUE_CONCURRENCY: Partial<Record<QueueName, number>> = {
  [QueueName.HouseholdsJobs]: 2,
};
export const DEFAULT_QUEUE_CONCURRENCY = 4;

/** Time zone of every job schedule: the district's working day. */
export const SCHEDULE_TIME_ZONE = 'Asia/Shanghai';

/** Recurring jobs, registered (idempotently) by the owning service at start. Cron patterns in SCHEDULE_TIME_ZONE. */
export const JOB_SCHEDULES: readonly { id: string; queue: QueueName; job: JobName; pattern: string }[] = [
  { id: 'monthly-evaluation', queue: QueueName.HouseholdsJobs, job: JobName.MonthlyEvaluation, pattern: '0 2 1 * *' },
  { id: 'check-in-quota', queue: QueueName.HouseholdsJobs, job: JobName.CheckInQuotaWeekly, pattern: '0 1 * * 1' },
  { id: 'objection-window-close', queue: QueueName.HouseholdsJobs, job: JobName.ObjectionWindowClose, pattern: '*/15 * * * *' },
  { id: 'duty-check', queue: QueueName.OrganizationJobs, job: JobName.DutyCheckDaily, pattern: '30 0 * * *' },
  { id: 'case-follow-up', queue: QueueName.EnforcementJobs, job: JobName.CaseFollowUpDaily, pattern: '45 0 * * *' },
  { id: 'credit-export-scan', queue: QueueName.EnforcementJobs, job: JobName.CreditExportScan, pattern: '15 1 * * *' },
  { id: 'credit-export-dispatch', queue: QueueName.EnforcementJobs, job: JobName.CreditExportDispatch, pattern: '*/5 * * * *' },
  { id: 'quarterly-action-draft', queue: QueueName.EnforcementJobs, job: JobName.QuarterlyActionDraft, pattern: '0 3 * * *' },
  { id: 'notifications-retention', queue: QueueName.NotificationsJobs, job: JobName.RetentionDaily, pattern: '30 3 * * *' },
  { id: 'households-retention', queue: QueueName.HouseholdsJobs, job: JobName.RetentionDaily, pattern: '30 3 * * *' },
  { id: 'enforcement-retention', queue: QueueName.EnforcementJobs, job: JobName.RetentionDaily, pattern: '30 3 * * *' },
  { id: 'organization-retention', queue: QueueName.OrganizationJobs, job: JobName.RetentionDaily, pattern: '30 3 * * *' },
];

/** Jobs that are not events (scheduled cycles, chunks of work), by the queue that runs them. */
export const SCHEDULED_JOBS: Record<QueueName, readonly string[]> = {
  [QueueName.OrganizationEvents]: [],
  [QueueName.HouseholdsEvents]: [],
  [QueueName.HouseholdsJobs]: [
    JobName.EvaluationChunk,
    JobName.MonthlyEvaluation,
    JobName.CheckInQuotaWeekly,
    JobName.ObjectionWindowClose,
    JobName.RetentionDaily,
  ],
  [QueueName.EnforcementEvents]: [],
  [QueueName.NotificationsEvents]: [],
  [QueueName.OrganizationJobs]: [JobName.DutyCheckDaily, JobName.RetentionDaily],
  [QueueName.EnforcementJobs]: [
    JobName.CaseFollowUpDaily,
    JobName.CreditExportScan,
    JobName.CreditExportDispatch,
    JobName.QuarterlyActionDraft,
    JobName.RetentionDaily,
  ],
  [QueueName.NotificationsJobs]: [JobName.RetentionDaily],
};

/** Every job name each queue can hold: its scheduled jobs plus the events it subscribes to. */
export function jobsOfQueue(queue: QueueName): string[] {
  const events = (Object.keys(EVENT_SUBSCRIBERS) as EventType[]).filter((type) => EVENT_SUBSCRIBERS[type].includes(queue));
  return [...SCHEDULED_JOBS[queue], ...events];
}

export function queuesOwnedBy(service: ServiceName): QueueName[] {
  return (Object.keys(QUEUE_OWNER) as QueueName[]).filter((queue) => QUEUE_OWNER[queue] === service);
}

/** What every event handler receives. */
export interface EventEnvelope<Payload = unknown> {
  id: string;
  type: EventType;
  source: ServiceName;
  occurredAt: string;
  payload: Payload;
}

/**
 * An event as it travels in a job: the payload stays the JSON text the outbox stored, so the relay never parses and
 * re-serialises large payloads; the worker parses it once before the handler sees an EventEnvelope.
 */
export interface QueuedEvent extends Omit<EventEnvelope, 'payload'> {
  payloadJson: string;
  /** The context of the request or job that recorded the event (request id, trace headers), when it had one. */
  context?: CarriedContext;
}

/** `action-finding.recorded`: what a joint action found at one household (no personal data: ids and the finding). */
export interface ActionFindingRecordedPayload {
  findingId: string;
  actionId: string;
  householdId: string;
  /** The action's target units: households records the finding only for a household inside them. */
  targetUnitIds: string[];
  category: string;
  description: string;
  photoIds: string[];
  recordedAt: string;
}
