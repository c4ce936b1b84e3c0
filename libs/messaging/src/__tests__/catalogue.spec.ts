import { describe, expect, it } from '@jest/globals';
import {
  EVENT_SUBSCRIBERS,
  EventType,
  QUEUE_OWNER,
  QueueName,
  SCHEDULED_JOBS,
  ServiceName,
  jobsOfQueue,
  queuesOwnedBy,
} from '../catalogue.js';

const queues = Object.values(QueueName);
const eventTypes = Object.values(EventType);

describe('catalogue', () => {
  it('gives every event type at least one subscribing queue', () => {
    for (const type of eventTypes) expect(EVENT_SUBSCRIBERS[type].length).toBeGreaterThan(0);
  });

  it('lists, for every queue, the events it subscribes to and its scheduled jobs', () => {
    for (const queue of queues) {
      const subscribed = eventTypes.filter((type) => EVENT_SUBSCRIBERS[type].includes(queue));
      expect(jobsOfQueue(queue)).toEqual(expect.arrayContaining([...subscribed, ...SCHEDULED_JOBS[queue]]));
    }
  });

  it('sends territory changes to the households and enforcement queues', () => {
    expect(jobsOfQueue(QueueName.HouseholdsEvents)).toContain(EventType.TerritoryChanged);
    expect(jobsOfQueue(QueueName.EnforcementEvents)).toContain(EventType.TerritoryChanged);
  });

  it("sends the households registry's changes to enforcement only: no other service keeps a copy", () => {
    expect(EVENT_SUBSCRIBERS[EventType.HouseholdsChanged]).toEqual([QueueName.EnforcementEvents]);
  });

  it("routes a case's follow-up request to households and its inspection back to enforcement", () => {
    expect(EVENT_SUBSCRIBERS[EventType.CaseFollowUpRequested]).toEqual([QueueName.HouseholdsEvents]);
    expect(EVENT_SUBSCRIBERS[EventType.CaseFollowUpInspected]).toEqual([QueueName.EnforcementEvents]);
  });

  it('gives every queue an owning service', () => {
    const services = Object.values(ServiceName);
    for (const queue of queues) expect(services).toContain(QUEUE_OWNER[queue]);
  });

  it('finds each queue among the queues its owner owns', () => {
    for (const queue of queues) expect(queuesOwnedBy(QUEUE_OWNER[queue])).toContain(queue);
    expect(queuesOwnedBy(ServiceName.Organization)).toEqual([QueueName.OrganizationEvents, QueueName.OrganizationJobs]);
    expect(queuesOwnedBy(ServiceName.Households)).toEqual([QueueName.HouseholdsEvents, QueueName.HouseholdsJobs]);
    expect(queuesOwnedBy(ServiceName.Notifications)).toEqual([QueueName.NotificationsEvents, QueueName.NotificationsJobs]);
  });
});
