import { ArgsType, Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection, PageArgs } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { InspectionResult } from './inspection-enums.js';

export enum CaseFollowUpRequestStatus {
  OPEN = 'OPEN',
  DONE = 'DONE',
}
registerEnumType(CaseFollowUpRequestStatus, {
  name: 'CaseFollowUpRequestStatus',
  description: "Whether an enforcement case's follow-up inspection of a household has been made.",
  valuesMap: {
    OPEN: { description: '待复查: no inspection on or after the due date yet' },
    DONE: { description: '已复查: an inspection on or after the due date answered it' },
  },
});

export interface CaseFollowUpRequestRow {
  caseId: string;
  householdId: string;
  compoundId: string;
  dueOn: string;
  status: CaseFollowUpRequestStatus;
  requestedAt: Date;
  inspectionId: string | null;
  inspectionResult: InspectionResult | null;
  inspectedAt: Date | null;
  fulfilledAt: Date | null;
}

@ObjectType('CaseFollowUpRequest', {
  description:
    "Enforcement asks the community to inspect a household on or after its case's comply-by date (复查). The first inspection recorded on or after that date answers it and is reported to the case's officer, who decides.",
})
export class CaseFollowUpRequest {
  @Field(() => ID, { description: 'The enforcement case (resolve it with case(id), if your role reads cases).' })
  caseId: string;

  /** `household` is resolved in CaseFollowUpRequestResolver, batched per request. */
  @Field(() => ID, { description: 'The household to inspect.' })
  householdId: string;

  @Field(() => ID, { description: "The household's compound." })
  compoundId: string;

  @Field(() => LocalDateScalar, { description: "Inspect on or after this day (Asia/Shanghai): the case's comply-by date." })
  dueOn: string;

  @Field(() => CaseFollowUpRequestStatus, { description: 'OPEN until an inspection on or after dueOn answers it, then DONE.' })
  status: CaseFollowUpRequestStatus;

  @Field({ description: 'When enforcement asked for the follow-up (ISO 8601 timestamp).' })
  requestedAt: Date;

  @Field(() => ID, { nullable: true, description: 'The inspection that answered it (DONE).' })
  inspectionId: string | null;

  @Field(() => InspectionResult, { nullable: true, description: 'What the answering inspection found (DONE).' })
  inspectionResult: InspectionResult | null;

  @Field(() => Date, { nullable: true, description: 'When the answering inspection was made (DONE).' })
  inspectedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the request was answered and reported back to enforcement (DONE).' })
  fulfilledAt: Date | null;

  static from(row: CaseFollowUpRequestRow): CaseFollowUpRequest {
    return Object.assign(new CaseFollowUpRequest(), row);
  }
}

@ObjectType({
  description:
    'A page of CaseFollowUpRequest items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class CaseFollowUpRequestConnection extends Connection(CaseFollowUpRequest, 'CaseFollowUpRequest') {}

@ArgsType()
export class CaseFollowUpRequestsArgs extends PageArgs {
  @Field(() => ID, { description: 'A street, community or compound (or the district) of your territory.' })
  orgUnitId: string;

  @Field(() => CaseFollowUpRequestStatus, { nullable: true, description: 'All statuses when omitted.' })
  status?: CaseFollowUpRequestStatus | null;
}
