import { describe, expect, it } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import {
  EventType,
  JOB_HANDLER_METADATA,
  JobHandler,
  JobName,
  Outbox,
  type EventEnvelope,
  type EventPayload,
  type JobProcessor,
  type NewEvent,
} from '../index.js';

/*
 * The guarantee here is the compiler's: every `@ts-expect-error` line must fail to typecheck (`tsc` reports an unused
 * directive otherwise), so a catalogue that stopped tying payloads to event types breaks the typecheck. What runs
 * checks what the lines declare: the outbox still takes the events, the handlers are still marked with their names.
 * A handler is checked by the parameters its `handle` and `failed` declare (what it will read), whatever its
 * `implements` clause says.
 */

/** A manager with no transaction: the outbox refuses before writing anything. */
const noTransaction = {} as EntityManager;

const followUp: EventPayload<EventType.CaseFollowUpRequested> = { caseId: 'c1', householdId: 'h1', dueOn: '2026-03-01' };

describe('producers: Outbox.record checks each payload against its event type', () => {
  it('takes payloads that fit their types, and would only refuse them outside a transaction', async () => {
    const events: NewEvent[] = [
      { type: EventType.TerritoryChanged, payload: { units: [] } },
      { type: EventType.CaseFollowUpRequested, payload: followUp },
      {
        type: EventType.CaseFollowUpInspected,
        payload: { caseId: 'c1', inspectionId: 'i1', result: 'PASS', inspectedAt: '2026-03-02T08:00:00Z' },
      },
    ];
    await expect(new Outbox().record(noTransaction, events)).rejects.toThrow('must run inside the transaction');
  });

  it('does not compile a payload of another type, one missing a field, one with a field it does not have, or a wrong value', () => {
    const wrong: NewEvent[] = [
      // @ts-expect-error territory.changed carries units, not institutions
      { type: EventType.TerritoryChanged, payload: { institutions: [] } },
      // @ts-expect-error case-follow-up.requested's payload needs its due date
      { type: EventType.CaseFollowUpRequested, payload: { caseId: 'c1', householdId: 'h1' } },
      // @ts-expect-error the payload names a field case-follow-up.requested does not have
      { type: EventType.CaseFollowUpRequested, payload: { ...followUp, fine: 200 } },
      {
        type: EventType.CaseFollowUpInspected,
        // @ts-expect-error a result outside PASS, MINOR_ISSUE, FAIL
        payload: { caseId: 'c1', inspectionId: 'i1', result: 'GOOD', inspectedAt: '2026-03-02T08:00:00Z' },
      },
      // @ts-expect-error a payload that fits another event type does not fit this one
      { type: EventType.CaseFollowUpInspected, payload: followUp },
    ];
    expect(wrong).toHaveLength(5);
  });
});

describe('consumers: @JobHandler(type) checks the handler against the payload of that type', () => {
  it('marks handlers whose payload is the catalogue’s, or asks for less of it, and handlers of scheduled jobs', () => {
    @JobHandler(EventType.CaseFollowUpRequested)
    class FollowUpRequested implements JobProcessor<EventEnvelope<EventPayload<EventType.CaseFollowUpRequested>>> {
      async handle(_event: EventEnvelope<EventPayload<EventType.CaseFollowUpRequested>>): Promise<void> {}
    }

    /** Reads only the case id: every payload of the type has one. */
    @JobHandler(EventType.CaseFollowUpInspected)
    class FollowUpInspected implements JobProcessor<EventEnvelope<{ caseId: string }>> {
      async handle(_event: EventEnvelope<{ caseId: string }>): Promise<void> {}
      async failed(_event: EventEnvelope<{ caseId: string }>): Promise<void> {}
    }

    @JobHandler(JobName.RetentionDaily)
    class Retention implements JobProcessor<{ firedAt: string }> {
      async handle(_data: { firedAt: string }): Promise<void> {}
    }

    expect([FollowUpRequested, FollowUpInspected, Retention].map((handler) => Reflect.getMetadata(JOB_HANDLER_METADATA, handler))).toEqual([
      EventType.CaseFollowUpRequested,
      EventType.CaseFollowUpInspected,
      JobName.RetentionDaily,
    ]);
  });

  it('does not compile a handler that expects another type’s payload, or a field the producer never sends', () => {
    // @ts-expect-error case-follow-up.requested's handler cannot take case-follow-up.inspected's payload
    @JobHandler(EventType.CaseFollowUpRequested)
    class WrongEvent implements JobProcessor<EventEnvelope<EventPayload<EventType.CaseFollowUpInspected>>> {
      async handle(_event: EventEnvelope<EventPayload<EventType.CaseFollowUpInspected>>): Promise<void> {}
    }

    // @ts-expect-error territory.changed carries no `removed` list: the handler would read what never comes
    @JobHandler(EventType.TerritoryChanged)
    class ExtraField implements JobProcessor<EventEnvelope<EventPayload<EventType.TerritoryChanged> & { removed: string[] }>> {
      async handle(_event: EventEnvelope<EventPayload<EventType.TerritoryChanged> & { removed: string[] }>): Promise<void> {}
    }

    // @ts-expect-error its failure callback expects another type's payload
    @JobHandler(EventType.CaseFollowUpInspected)
    class WrongFailed {
      async handle(_event: EventEnvelope<{ caseId: string }>): Promise<void> {}
      async failed(_event: EventEnvelope<EventPayload<EventType.HouseholdsChanged>>): Promise<void> {}
    }

    expect([WrongEvent, ExtraField, WrongFailed]).toHaveLength(3);
  });
});
