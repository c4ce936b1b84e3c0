import { Args, Context, ID, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { CurrentCaller, ParseUuidPipe, requireUuid, type RequestContext } from '#libs/platform';
import { CreateOrgUnitInput } from './org-unit.inputs.js';
import { OrgUnitsArgs } from './org-units.args.js';
import type { OrgUnitRow } from './org-unit.entity.js';
import { orgUnitLoader } from './org-unit.loader.js';
import { OrgUnit, OrgUnitConnection } from './org-unit.model.js';
import { OrgUnitService, canSee } from './org-unit.service.js';

@Resolver(() => OrgUnit)
export class OrgUnitResolver {
  constructor(private readonly units: OrgUnitService) {}

  @Query(() => OrgUnit, { description: 'One unit of the territory tree. FORBIDDEN when it lies outside your territory.' })
  async orgUnit(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The unit's id." }, ParseUuidPipe) id: string,
  ): Promise<OrgUnit> {
    return OrgUnit.from(await this.units.get(caller, id));
  }

  @Query(() => OrgUnitConnection, { description: 'Units of your territory, ordered by code.' })
  orgUnits(@CurrentCaller() caller: Caller, @Args() args: OrgUnitsArgs): Promise<OrgUnitConnection> {
    if (args.parentId) args.parentId = requireUuid(args.parentId, 'parentId');
    return this.units.list(caller, args);
  }

  @Mutation(() => OrgUnit, { description: 'Adds a unit one level below its parent.' })
  async createOrgUnit(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'Its kind, name, parent and code.' }) input: CreateOrgUnitInput,
  ): Promise<OrgUnit> {
    if (input.parentId) input.parentId = requireUuid(input.parentId, 'parentId');
    return OrgUnit.from(await this.units.create(caller, input));
  }

  @Mutation(() => OrgUnit, { description: 'Renames a unit.' })
  async renameOrgUnit(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The unit's id." }, ParseUuidPipe) id: string,
    @Args('name', { description: "The new name, 1–64 characters, unique among its parent's children." }) name: string,
  ): Promise<OrgUnit> {
    return OrgUnit.from(await this.units.rename(caller, id, name));
  }

  @Mutation(() => OrgUnit, {
    description:
      'Moves a unit, with everything under it, to a new parent of the kind one level up. The party organisations tied to the ' +
      "moved units follow them (a community committee to the new street's committee, a compound branch to the new community's); " +
      'CONFLICT NO_PARTY_ORG_AT_DESTINATION, nothing moved, when the destination has no committee for them.',
  })
  async moveOrgUnit(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The unit's id." }, ParseUuidPipe) id: string,
    @Args('parentId', { type: () => ID, description: 'The new parent: one level up, not inside the unit itself.' }, ParseUuidPipe)
    parentId: string,
  ): Promise<OrgUnit> {
    return OrgUnit.from(await this.units.move(caller, id, parentId));
  }

  @ResolveField(() => OrgUnit, { nullable: true, description: 'Null for the district, and when the parent lies outside your territory.' })
  async parent(@Parent() unit: OrgUnit, @CurrentCaller() caller: Caller, @Context() context: RequestContext): Promise<OrgUnit | null> {
    if (!unit.parentId) return null;
    const parent = await orgUnitLoader(context, this.units).load(unit.parentId);
    return parent && canSee(caller, parent) ? OrgUnit.from(parent) : null;
  }

  @ResolveField(() => [OrgUnit], { description: 'The units above this one that lie inside your territory, top down.' })
  async ancestors(@Parent() unit: OrgUnit, @CurrentCaller() caller: Caller, @Context() context: RequestContext): Promise<OrgUnit[]> {
    const found = await orgUnitLoader(context, this.units).loadMany(unit.path.slice(0, -1));
    return found
      .filter((row): row is OrgUnitRow => !!row && !(row instanceof Error) && canSee(caller, row))
      .map((row) => OrgUnit.from(row));
  }

  /**
   * Other subgraphs reference units by id (a household's compound). The referencing subgraph has already decided
   * the caller may see its entity; here every reference of a request is answered by one batched query.
   */
  @ResolveReference()
  async resolveReference(@Parent() reference: { id: string }, @Context() context: RequestContext): Promise<OrgUnit | null> {
    const unit = await orgUnitLoader(context, this.units).load(reference.id);
    return unit ? OrgUnit.from(unit) : null;
  }
}
