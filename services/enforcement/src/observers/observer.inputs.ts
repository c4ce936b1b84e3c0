import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { LocalDateScalar } from '#libs/platform';

@ArgsType()
export class ObserverTeamsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only the teams of this street (default: every street of your territory).' })
  streetId?: string | null;
}

@ArgsType()
export class CitizenObserversArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only observers of this street’s teams (default: every street of your territory).' })
  streetId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only observers of this team.' })
  observerTeamId?: string | null;

  @Field(() => LocalDateScalar, { nullable: true, description: 'Only terms that include this day.' })
  servingOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Only the terms of this account.' })
  userId?: string | null;
}

@InputType({ description: "A citizen observer's appointment: the team, their account and the term." })
export class AppointObserverInput {
  @Field(() => ID, { description: 'The team (of a street in your territory).' })
  observerTeamId: string;

  @Field({ description: 'The observer’s account: the sub of the token they sign in with (1–100 characters).' })
  userId: string;

  @Field(() => LocalDateScalar, { description: 'First day of the term (Asia/Shanghai).' })
  termFrom: string;

  @Field(() => LocalDateScalar, { description: 'Last day of the term, inclusive; at most three years after termFrom.' })
  termTo: string;
}

@ArgsType()
export class ObserverSummaryArgs {
  @Field(() => ID, { description: 'A street (镇街) of your territory.' })
  streetId: string;

  @Field({ description: 'YYYY-MM (Asia/Shanghai).' })
  month: string;
}
