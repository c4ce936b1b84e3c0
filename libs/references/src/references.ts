import { Directive, Field, ID, ObjectType } from '@nestjs/graphql';

/**
 * Stubs of entities another subgraph owns. A field returning one resolves only `{ __typename, id }` here; the
 * gateway fetches the rest from the owner, batched. Kept out of #libs/platform so the owning subgraph, which
 * declares the full type under the same name, never loads these.
 */
@ObjectType('OrgUnit')
@Directive('@key(fields: "id", resolvable: false)')
export class OrgUnitRef {
  @Field(() => ID)
  id: string;

  static of(id: string): OrgUnitRef {
    return Object.assign(new OrgUnitRef(), { id });
  }
}

@ObjectType('Institution')
@Directive('@key(fields: "id", resolvable: false)')
export class InstitutionRef {
  @Field(() => ID)
  id: string;

  static of(id: string): InstitutionRef {
    return Object.assign(new InstitutionRef(), { id });
  }
}
