import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { monthStart } from '#libs/calendar';
import { execute } from '#libs/database';
import { applyInstitutionSnapshots } from '#libs/institutions';
import { EventType, JobHandler, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';
import { NoticeGenerator } from '../notices/notice-generator.js';
import { gradeCopiesPurged } from '../retention/retention-sql.js';

/**
 * Keeps a month's grades: one graded_household row per household, one graded_resident row per resident living there.
 * Set-based and idempotent: a redelivered event rewrites the same rows, and an older event never overwrites a newer
 * one (a correction published later wins); residents who no longer live in a household leave it.
 */
const STORE_GRADES = `
WITH incoming AS (
  SELECT (h->>'householdId')::uuid AS household_id, h FROM jsonb_array_elements($2::jsonb) AS h
),
stored AS (
  INSERT INTO graded_household AS g (month, household_id, district_id, compound_id, status, grade, previous_grade, score, issues,
                                     rule_version, event_at)
  SELECT $1::date, household_id, $3::uuid, (h->>'compoundId')::uuid, h->>'status', h->>'grade', h->>'previousGrade', (h->>'score')::numeric,
         ARRAY(SELECT jsonb_array_elements_text(h->'issues')), (h->>'ruleVersion')::int, $4
    FROM incoming
  ON CONFLICT (month, household_id) DO UPDATE
     SET district_id = excluded.district_id, compound_id = excluded.compound_id, status = excluded.status, grade = excluded.grade,
         previous_grade = excluded.previous_grade, score = excluded.score, issues = excluded.issues,
         rule_version = excluded.rule_version, event_at = excluded.event_at
   WHERE g.event_at <= excluded.event_at
  RETURNING household_id
),
residents AS (
  SELECT i.household_id, (x->>'residentId')::uuid AS resident_id, x
    FROM incoming i JOIN stored USING (household_id) CROSS JOIN jsonb_array_elements(i.h->'residents') AS x
),
stored_residents AS (
  INSERT INTO graded_resident AS r (month, resident_id, household_id, occupation, institution_id, minor, masked_name,
                                    disclosure_basis, event_at)
  SELECT $1::date, resident_id, household_id, x->>'occupation', (x->>'institutionId')::uuid, (x->>'minor')::boolean,
         x->>'maskedName', x->>'disclosureBasis', $4
    FROM residents
  ON CONFLICT (month, resident_id) DO UPDATE
     SET household_id = excluded.household_id, occupation = excluded.occupation, institution_id = excluded.institution_id,
         minor = excluded.minor, masked_name = excluded.masked_name,
         disclosure_basis = excluded.disclosure_basis, event_at = excluded.event_at
   WHERE r.event_at <= excluded.event_at
)
DELETE FROM graded_resident r USING stored s
 WHERE r.month = $1::date AND r.household_id = s.household_id
   AND r.resident_id NOT IN (SELECT resident_id FROM residents WHERE household_id = s.household_id)`;

@Injectable()
@JobHandler(EventType.HouseholdGradesPublished)
export class HouseholdGradesPublishedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.HouseholdGradesPublished>>> {
  private readonly logger = new Logger(HouseholdGradesPublishedHandler.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notices: NoticeGenerator,
  ) {}

  async handle(event: EventEnvelope<EventPayload<EventType.HouseholdGradesPublished>>): Promise<void> {
    // A month whose grade copies were deleted under the retention period stays deleted (retention/retention-sql.ts).
    // The log line names no one: the event id, a count and the month.
    if (await gradeCopiesPurged(this.dataSource, event.payload.month)) {
      this.logger.log(
        `Event ${event.id}: ${event.payload.households.length} grades of ${event.payload.month} ignored, the month's grade copies were deleted under GRADE_COPY_RETENTION_MONTHS`,
      );
      return;
    }

    const { month, districtId, households } = event.payload;
    await this.dataSource.transaction(async (manager) => {
      await execute(manager, STORE_GRADES, [monthStart(month), JSON.stringify(households), districtId, event.occurredAt]);
      // A correction after the month's notices were generated withdraws what its new grade no longer earns and adds what it does.
      if (await this.notices.generatedAlready(manager, districtId, month)) {
        await this.notices.applyCorrection(
          manager,
          districtId,
          month,
          households.map((h) => h.householdId),
        );
      }
    });
    // These may have been the month's last grades to arrive, after the completion event.
    await this.notices.generateWhenComplete(districtId, month);
  }
}

/** Notes a district's month as complete, with how many households it has, and generates its notices when it can. */
@Injectable()
@JobHandler(EventType.MonthlyEvaluationCompleted)
export class MonthlyEvaluationCompletedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.MonthlyEvaluationCompleted>>> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notices: NoticeGenerator,
  ) {}

  async handle(event: EventEnvelope<EventPayload<EventType.MonthlyEvaluationCompleted>>): Promise<void> {
    const { districtId, month, households, graded } = event.payload;
    // Its grades would be ignored (retention), so the month would wait for them for ever.
    if (await gradeCopiesPurged(this.dataSource, month)) return;
    await execute(
      this.dataSource,
      `INSERT INTO evaluated_month (district_id, month, households, graded, completed_at) VALUES ($1, ($2 || '-01')::date, $3, $4, $5)
       ON CONFLICT DO NOTHING`,
      [districtId, month, households, graded, event.occurredAt],
    );
    await this.notices.generateWhenComplete(districtId, month);
  }
}

/** Keeps the copy of organization's institutions (their names go into notices); notices held for one not known yet are made. */
@Injectable()
@JobHandler(EventType.InstitutionsChanged)
export class InstitutionsChangedHandler implements JobProcessor<EventEnvelope<EventPayload<EventType.InstitutionsChanged>>> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly notices: NoticeGenerator,
  ) {}

  async handle(event: EventEnvelope<EventPayload<EventType.InstitutionsChanged>>): Promise<void> {
    await applyInstitutionSnapshots(this.dataSource, event.payload.institutions);
    await this.notices.generateWaitingMonths();
    await this.notices.releaseHeldForKnownInstitutions();
  }
}
