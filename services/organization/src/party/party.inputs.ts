import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { PartyOrgKind } from './party-org-kind.js';

@ArgsType()
export class PartyOrgsArgs extends PageArgs {
  @Field(() => PartyOrgKind, { nullable: true })
  kind?: PartyOrgKind | null;

  @Field(() => ID, { nullable: true, description: 'Only organisations directly under this one.' })
  parentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only organisations tied to this territory unit or a unit (or institution) below it.' })
  orgUnitId?: string | null;
}

@InputType()
export class CreatePartyOrgInput {
  @Field(() => PartyOrgKind)
  kind: PartyOrgKind;

  @Field()
  name: string;

  @Field(() => ID, { nullable: true, description: 'The organisation above; none for the district committee.' })
  parentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'For territorial kinds: the district, street, community or compound it is tied to.' })
  orgUnitId?: string | null;

  @Field(() => ID, { nullable: true, description: 'For department committees and work-unit branches: the institution.' })
  institutionId?: string | null;
}

@ArgsType()
export class PartyMembersArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only members living in this community.' })
  communityId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only members working at this institution.' })
  institutionId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only members with an open registration at this branch.' })
  branchId?: string | null;
}

@InputType()
export class CreatePartyMemberInput {
  @Field()
  name: string;

  @Field(() => String, { nullable: true, description: 'A mainland mobile number, 11 digits.' })
  phone?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The account (JWT sub) the member signs in with to organization; by default (and for check-ins always) their phone login member-<id>.',
  })
  userId?: string | null;

  @Field(() => ID, { nullable: true })
  householdId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Where the member works.' })
  institutionId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The community the member lives in.' })
  communityId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true })
  joinedPartyOn?: string | null;
}
