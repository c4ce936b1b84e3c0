import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { CampaignKind, CampaignState } from './campaign-enums.js';

@ArgsType()
export class CampaignsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only campaigns covering this unit, a unit inside it, or a unit containing it.' })
  orgUnitId?: string | null;

  @Field(() => CampaignKind, { nullable: true })
  kind?: CampaignKind | null;

  @Field(() => CampaignState, { nullable: true })
  state?: CampaignState | null;
}

@InputType()
export class CreateCampaignInput {
  @Field(() => CampaignKind)
  kind: CampaignKind;

  @Field({ description: '1–100 characters.' })
  name: string;

  @Field(() => LocalDateScalar)
  startsOn: string;

  @Field(() => LocalDateScalar, { description: 'On or after startsOn.' })
  endsOn: string;

  @Field(() => [ID], { description: 'At least one unit, each inside your territory.' })
  targetUnitIds: string[];

  @Field(() => [ID], { description: 'Participating bureaus (DEPARTMENT institutions).' })
  participatingBureauIds: string[];

  @Field(() => ID, { nullable: true, description: 'Must be one of the participating bureaus.' })
  leadBureauId?: string | null;
}
