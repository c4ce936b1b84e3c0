import { ArgsType, Field, ID } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';

@ArgsType()
export class HouseholdsArgs extends PageArgs {
  @Field(() => ID, { description: 'A street, community or compound (or the district): households in it and below it.' })
  orgUnitId: string;
}
