import { ArgsType, Field, GraphQLISODateTime, ID, InputType, Int } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { ClaimantType, ClaimStatus, OutreachTier, VisitOutcome } from './outreach-enums.js';

@InputType({ description: 'The new outreach plan (帮扶方案) of a tier.' })
export class UpdateOutreachPlanInput {
  @Field(() => OutreachTier, { description: 'The tier whose plan changes.' })
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

@InputType({ description: 'A follow-up visit (入户回访) made under a claim.' })
export class RecordFollowUpVisitInput {
  @Field(() => ID, { description: 'The claim the visit is made under; it must be ACTIVE.' })
  claimId: string;

  @Field(() => GraphQLISODateTime, { description: 'When the visit took place: not in the future, not before the claim.' })
  visitedAt: Date;

  @Field(() => VisitOutcome, { description: 'How the visit went.' })
  outcome: VisitOutcome;

  @Field(() => String, { nullable: true, description: "Up to 500 characters. Do not write residents' names or phone numbers here." })
  note?: string | null;
}

@ArgsType()
export class HouseholdClaimsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Claims of households in this unit and below it (default: your whole territory).' })
  orgUnitId?: string | null;

  @Field(() => ClaimStatus, { nullable: true, description: 'Only claims in this status.' })
  status?: ClaimStatus | null;

  @Field(() => ClaimantType, { nullable: true, description: 'Only claims held by party members or by volunteers.' })
  claimantType?: ClaimantType | null;

  @Field(() => Boolean, { nullable: true, description: 'Only the claims you hold.' })
  mine?: boolean | null;
}

@ArgsType()
export class FollowUpVisitsArgs extends PageArgs {
  @Field(() => ID, { description: 'The claim whose visits to list.' })
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
