import { Directive, Field, ID, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { INSPECTION_ISSUE_LABEL_ZH, INSPECTION_RESULT_LABEL_ZH, InspectionIssue, InspectionResult } from '#libs/messaging';
import { describedValues } from '#libs/platform';

/**
 * households' inspection results and issues (libs/messaging, one definition for both), registered here under the
 * same names for the one input that takes them (the supergraph merges them with households' own): enforcement names
 * what a verified report showed, and households records it.
 */
export { InspectionIssue, InspectionResult };

registerEnumType(InspectionResult, {
  name: 'InspectionResult',
  description: "What an inspection of a household's sorting found.",
  valuesMap: describedValues(INSPECTION_RESULT_LABEL_ZH),
});
registerEnumType(InspectionIssue, {
  name: 'InspectionIssue',
  description: 'A sorting problem an inspection can note.',
  valuesMap: describedValues(INSPECTION_ISSUE_LABEL_ZH),
});

/** The issue a report category stands for, when staff name none: the categories about how a household sorts. */
export const ISSUE_OF_CATEGORY: Record<string, InspectionIssue> = {
  MIXED_WASTE: InspectionIssue.RECYCLABLES_MIXED,
  BAG_DUMPED: InspectionIssue.BAG_DUMPED,
  KITCHEN_WASTE_CONTAMINATED: InspectionIssue.KITCHEN_WASTE_CONTAMINATED,
  HAZARDOUS_MISHANDLED: InspectionIssue.HAZARDOUS_MISSORTED,
  BULKY_WASTE_DUMPED: InspectionIssue.BAG_DUMPED,
};

/** An inspection (households' entity): enforcement knows its id only; the gateway resolves the rest from households. */
@ObjectType('Inspection')
@Directive('@key(fields: "id", resolvable: false)')
export class InspectionRef {
  @Field(() => ID)
  id: string;

  static of(id: string): InspectionRef {
    return Object.assign(new InspectionRef(), { id });
  }
}

@InputType({ description: 'The inspection of the household a verified report is about.' })
export class RecordInspectionFromReportInput {
  @Field(() => ID, {
    description: "The household the verified report is about: registered, in the report's compound (else REPORT_LOCATION_MISMATCH).",
  })
  householdId: string;

  @Field(() => InspectionResult, {
    defaultValue: InspectionResult.FAIL,
    description: 'FAIL (default) or MINOR_ISSUE; a report is never a pass (NOT_A_PROBLEM).',
  })
  result: InspectionResult;

  @Field(() => [InspectionIssue], {
    nullable: true,
    description:
      "What was wrong; default: the issue the report's category stands for (混投 → RECYCLABLES_MIXED, 垃圾包乱丢 → BAG_DUMPED, …; OTHER otherwise).",
  })
  issues?: InspectionIssue[] | null;

  @Field(() => String, {
    nullable: true,
    description: "The handler's words for the inspection's note (at most 300 characters); the reporter's description is never copied.",
  })
  note?: string | null;
}
