import { ArgsType, Field, ID } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { InstitutionKind } from './institution-kind.js';

@ArgsType()
export class InstitutionsArgs extends PageArgs {
  @Field(() => InstitutionKind, { nullable: true, description: 'Only institutions of this kind.' })
  kind?: InstitutionKind | null;

  @Field(() => ID, { nullable: true, description: 'Only institutions located in this unit or below it.' })
  orgUnitId?: string | null;
}
