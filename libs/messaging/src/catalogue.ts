/**
 * The catalogue of services, queues, jobs and events: one place to see what travels where.
 *
 * Queue names, job names and event types are stored in Redis keys and job records. Renaming one strands the jobs
 * already queued under the old name: add the new name, drain the old queue, then remove the old name.
 */

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

/** Each service consumes its own queues; a queue has exactly one consuming service. */
export enum QueueName {
  HouseholdsEvents = 'households-events',
  EnforcementEvents = 'enforcement-events',
}

export const QUEUE_OWNER: Record<QueueName, ServiceName> = {
  [QueueName.HouseholdsEvents]: ServiceName.Households,
  [QueueName.EnforcementEvents]: ServiceName.Enforcement,
};

/** Cross-service events, published through each service's transactional outbox. */
export enum EventType {
  /** organization → everyone who keeps a copy of the territory tree. */
  TerritoryChanged = 'territory.changed',
}

/** Which queues receive each event. The relay adds one job per subscribing queue, with the event id as job id. */
export const EVENT_SUBSCRIBERS: Record<EventType, readonly QueueName[]> = {
  [EventType.TerritoryChanged]: [QueueName.HouseholdsEvents, QueueName.EnforcementEvents],
};

/** Jobs that are not events (scheduled cycles, deliveries), by the queue that runs them. */
export const SCHEDULED_JOBS: Record<QueueName, readonly string[]> = {
  [QueueName.HouseholdsEvents]: [],
  [QueueName.EnforcementEvents]: [],
};

/** Every job name each queue can hold: its scheduled jobs plus the events it subscribes to. */
export function jobsOfQueue(queue: QueueName): string[] {
  const events = (Object.keys(EVENT_SUBSCRIBERS) as EventType[]).filter((type) => EVENT_SUBSCRIBERS[type].includes(queue));
  return [...SCHEDULED_JOBS[queue], ...events];
}

export function queuesOwnedBy(service: ServiceName): QueueName[] {
  return (Object.keys(QUEUE_OWNER) as QueueName[]).filter((queue) => QUEUE_OWNER[queue] === service);
}

/** What every event job carries. */
export interface EventEnvelope<Payload = unknown> {
  id: string;
  type: EventType;
  source: ServiceName;
  occurredAt: string;
  payload: Payload;
}
