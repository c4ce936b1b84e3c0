import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { monthStart } from '#libs/calendar';
import { execute } from '#libs/database';
import { EventType, JobHandler, type EventEnvelope, type EventPayload, type JobProcessor } from '#libs/messaging';

/**
 * Keeps property_compound_grades from households' `property-compound-grades.summarised`. The counts are overwritten,
 * never added to, so a redelivered event changes nothing.
 */
@Injectable()
@JobHandler(EventType.PropertyCompoundGradesSummarised)
export class PropertyCompoundGradesHandler implements JobProcessor<
  EventEnvelope<EventPayload<EventType.PropertyCompoundGradesSummarised>>
> {
  constructor(private readonly dataSource: DataSource) {}

  async handle(event: EventEnvelope<EventPayload<EventType.PropertyCompoundGradesSummarised>>): Promise<void> {
    const { month, compounds } = event.payload;
    if (compounds.length === 0) return;
    await execute(
      this.dataSource,
      `INSERT INTO property_compound_grades (month, compound_id, property_company_id, graded, passed)
       SELECT $1, "compoundId", "propertyCompanyId", graded, passed
         FROM jsonb_to_recordset($2::jsonb) AS c("compoundId" uuid, "propertyCompanyId" uuid, graded int, passed int)
       ON CONFLICT (month, property_company_id, compound_id) DO UPDATE SET graded = excluded.graded, passed = excluded.passed`,
      [monthStart(month), JSON.stringify(compounds)],
    );
  }
}
