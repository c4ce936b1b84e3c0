import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { ClaimantType, ClaimStatus, OutreachTier, VisitOutcome } from './outreach-enums.js';

@InputType()
export class UpdateOutreachPlanInput {
  @Field(() => OutreachTier)
  tier: OutreachTier;

  @Field(() => Int, { description: '1–31 follow-up visits a month.' })
  visitsPerMonth: number;

  @Field(() => [String], { description: '1–10 actions, each 1–100 characters.' })
  actions: string[];

  @Field({ description: '1–500 characters.' })
  description: string;

  @Field(() => Int, { nullable: true, description: 'The version you edited; CONFLICT (STALE_VERSION) if someone changed the plan since.' })
  expectedVersion?: number | null;
}

@InputType()
export class RecordFollowUpVisitInput {
  @Field(() => ID)
  claimId: string;

  @Field(() => GraphQLISODateTime, { description: 'When the visit took place: not in the future, not before the claim.' })
  visitedAt: Date;

  @Field(() => VisitOutcome)
  outcome: VisitOutcome;

  @Field(() => String, { nullable: true, description: 'Up to 500 characters. Do not write residents\' names or phone numbers here.' })
  note?: string | null;
}

@ArgsType()
export class HouseholdClaimsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Claims of households in this unit and below it (default: your whole territory).' })
  orgUnitId?: string | null;

  @Field(() => ClaimStatus, { nullable: true })
  status?: ClaimStatus | null;

  @Field(() => ClaimantType, { nullable: true })
  claimantType?: ClaimantType | null;

  @Field(() => Boolean, { nullable: true, description: 'Only the claims you hold.' })
  mine?: boolean | null;
}

@ArgsType()
export class FollowUpVisitsArgs extends PageArgs {
  @Field(() => ID)
  claimId: string;
}

@ArgsType()
export class HouseholdUpgradesArgs extends PageArgs {
  @Field(() => ID, { description: 'A street, community or compound (or the district) of your territory.' })
  orgUnitId: string;

  @Field({ description: 'YYYY-MM: households graded QUALIFIED this month after UNQUALIFIED the month before.' })
  month: string;
}

@ArgsType()
export class UpgradeCountArgs {
  @Field(() => ID, { description: 'A street, community or compound (or the district) of your territory.' })
  orgUnitId: string;

  @Field({ description: 'YYYY-MM, the first month counted.' })
  fromMonth: string;

  @Field({ description: 'YYYY-MM, the last month counted (inclusive).' })
  toMonth: string;
}
