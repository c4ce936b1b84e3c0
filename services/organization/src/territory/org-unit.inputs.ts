import { Field, ID, InputType } from '@nestjs/graphql';
import { OrgUnitKind } from './org-unit-kind.js';

@InputType({ description: 'A new unit of the territory under a parent one level up.' })
export class CreateOrgUnitInput {
  @Field(() => OrgUnitKind, { description: 'DISTRICT, STREET, COMMUNITY or COMPOUND.' })
  kind: OrgUnitKind;

  @Field(() => ID, { nullable: true, description: 'Required for every kind but DISTRICT; must be one level up.' })
  parentId?: string | null;

  @Field({ description: "1–64 characters, unique among the parent's children." })
  name: string;

  @Field(() => String, { nullable: true, description: "Digits only. Derived from the parent's code when omitted." })
  code?: string | null;
}
