import { ArgsType, Field, Float, ID, InputType, Int } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { CampaignKind, CampaignState, WasteStream } from './campaign-enums.js';
import { JointActionStatus } from '../joint-actions/joint-action-enums.js';

@ArgsType()
export class CampaignsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only campaigns covering this unit, a unit inside it, or a unit containing it.' })
  orgUnitId?: string | null;

  @Field(() => CampaignKind, { nullable: true, description: 'Only campaigns of this kind.' })
  kind?: CampaignKind | null;

  @Field(() => CampaignState, { nullable: true, description: 'Only campaigns in this state.' })
  state?: CampaignState | null;
}

@InputType({ description: 'A new campaign: what, when, where, and which bureaus take part. It starts as DRAFT.' })
export class CreateCampaignInput {
  @Field(() => CampaignKind, { description: 'The kind of campaign.' })
  kind: CampaignKind;

  @Field({ description: '1–100 characters.' })
  name: string;

  @Field(() => LocalDateScalar, { description: 'First day of the campaign (Asia/Shanghai).' })
  startsOn: string;

  @Field(() => LocalDateScalar, { description: 'On or after startsOn.' })
  endsOn: string;

  @Field(() => [ID], { description: 'At least one unit, each inside your territory.' })
  targetUnitIds: string[];

  @Field(() => [ID], { description: 'Participating bureaus (DEPARTMENT institutions).' })
  participatingBureauIds: string[];

  @Field(() => ID, { nullable: true, description: 'Must be one of the participating bureaus.' })
  leadBureauId?: string | null;

  @Field(() => [WasteStream], {
    nullable: true,
    description: 'The waste streams the campaign is about (洁美有序, special actions); none: all.',
  })
  wasteStreams?: WasteStream[] | null;

  @Field(() => Float, { nullable: true, description: 'The pass rate (above 0, at most 1) the campaign aims for in its target units.' })
  goalPassRate?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Joint actions each street must hold in the quarter (quarterly campaigns; 1–20, default 1).',
  })
  requiredActions?: number | null;
}

@ArgsType()
export class CampaignJointActionsArgs extends PageArgs {
  @Field(() => JointActionStatus, { nullable: true, description: 'Only joint actions in this status.' })
  status?: JointActionStatus | null;
}

@InputType({ description: "A campaign's own targets, set while it is not yet COMPLETED." })
export class CampaignTargetsInput {
  @Field(() => [WasteStream], { description: 'The waste streams the campaign is about; none: all.' })
  wasteStreams: WasteStream[];

  @Field(() => Float, { nullable: true, description: 'The pass rate (above 0, at most 1) it aims for; null: none.' })
  goalPassRate?: number | null;

  @Field(() => Int, { description: 'Joint actions each street must hold in the quarter (1–20; quarterly campaigns only, others keep 1).' })
  requiredActions: number;
}
