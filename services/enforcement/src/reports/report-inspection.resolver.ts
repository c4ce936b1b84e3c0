import { Args, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { CurrentCaller, ParseUuidPipe, requireUuid } from '#libs/platform';
import { ReportEvidenceKind } from './report-enums.js';
import { InspectionRef, RecordInspectionFromReportInput } from './report-inspection.models.js';
import { ReportInspectionService } from './report-inspection.service.js';
import { CitizenReport } from './report.model.js';

/** A verified report made evidence as an inspection of a household, and the report's side of that link. */
@Resolver(() => CitizenReport)
export class ReportInspectionResolver {
  constructor(private readonly reportInspections: ReportInspectionService) {}

  @Mutation(() => CitizenReport, {
    description:
      'Makes a verified report (of your territory) evidence as a failed (or minor-issue) patrol inspection of a household in its compound, dated when the report ' +
      "was submitted and carrying the report id; the month's grade counts it when the month is (re)graded. Once per report: again is CONFLICT ALREADY_RECORDED " +
      '(details.inspectionId), a report that opened a case CONFLICT REPORT_ALREADY_EVIDENCE, an unverified one CONFLICT REPORT_NOT_VERIFIED.',
  })
  recordInspectionFromReport(
    @CurrentCaller() caller: Caller,
    @Args(
      'citizenReportId',
      { type: () => ID, description: 'A verified report of your territory that is not evidence yet.' },
      ParseUuidPipe,
    )
    citizenReportId: string,
    @Args('input', { description: 'The household and what its inspection found.' }) input: RecordInspectionFromReportInput,
  ): Promise<CitizenReport> {
    input.householdId = requireUuid(input.householdId, 'householdId');
    return this.reportInspections.record(caller, citizenReportId, input);
  }

  @ResolveField(() => InspectionRef, {
    nullable: true,
    description:
      'The inspection recorded from this report (evidenceKind INSPECTION), for its handlers; null to the filer, and until households has recorded it.',
  })
  evidenceInspection(@Parent() report: CitizenReport): InspectionRef | null {
    if (report.evidenceKind !== ReportEvidenceKind.INSPECTION || !report.evidenceInspectionId) return null;
    return InspectionRef.of(report.evidenceInspectionId);
  }
}
