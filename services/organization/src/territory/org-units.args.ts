import { ArgsType, Field, ID } from '@nestjs/graphql';
import { PageArgs } from '#libs/pagination';
import { OrgUnitKind } from './org-unit-kind.js';

@ArgsType()
export class OrgUnitsArgs extends PageArgs {
  @Field(() => OrgUnitKind, { nullable: true, description: 'Only units of this kind.' })
  kind?: OrgUnitKind | null;

  @Field(() => ID, { nullable: true, description: 'Only the direct children of this unit.' })
  parentId?: string | null;
}
