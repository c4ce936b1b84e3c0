import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';
import { PartyOrgKind } from './party-org-kind.js';

@ArgsType()
export class PartyOrgsArgs extends PageArgs {
  @Field(() => PartyOrgKind, { nullable: true, description: 'Only organisations of this kind.' })
  kind?: PartyOrgKind | null;

  @Field(() => ID, { nullable: true, description: 'Only organisations directly under this one.' })
  parentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only organisations tied to this territory unit or a unit (or institution) below it.' })
  orgUnitId?: string | null;
}

@InputType({ description: 'A new party organisation under a parent.' })
export class CreatePartyOrgInput {
  @Field(() => PartyOrgKind, { description: "Its kind; must fit under the parent's kind." })
  kind: PartyOrgKind;

  @Field({ description: 'Its name, 1–100 characters.' })
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

@InputType({ description: 'A party member to register.' })
export class CreatePartyMemberInput {
  @Field({ description: "The member's name, 1–50 characters." })
  name: string;

  @Field(() => String, { nullable: true, description: 'A mainland mobile number, 11 digits.' })
  phone?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The account (JWT sub) the member signs in with to organization; by default (and for check-ins always) their phone login member-<id>.',
  })
  userId?: string | null;

  @Field(() => ID, { nullable: true, description: "The member's household (households service), if registered." })
  householdId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Where the member works.' })
  institutionId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The community the member lives in.' })
  communityId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'The day they joined the party, if known.' })
  joinedPartyOn?: string | null;
}
