import { Args, Context, ID, Mutation, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { Permission, hasPermission, type Caller } from '#libs/auth';
import { PageArgs } from '#libs/pagination';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { orgUnitLoader } from '../territory/org-unit.loader.js';
import { OrgUnit } from '../territory/org-unit.model.js';
import { OrgUnitService, canSee } from '../territory/org-unit.service.js';
import { institutionLoader } from './institution.loader.js';
import { Institution, InstitutionConnection } from './institution.model.js';
import { InstitutionService } from './institution.service.js';
import { InstitutionsArgs } from './institutions.args.js';

@Resolver(() => Institution)
export class InstitutionResolver {
  constructor(
    private readonly institutionService: InstitutionService,
    private readonly units: OrgUnitService,
  ) {}

  @Query(() => Institution, { description: 'One institution (employer, school, property company, department, …).' })
  async institution(@Args('id', { type: () => ID, description: "The institution's id." }, ParseUuidPipe) id: string): Promise<Institution> {
    return Institution.from(await this.institutionService.get(id));
  }

  @Query(() => InstitutionConnection, { description: 'Institutions ordered by name.' })
  institutions(@Args() args: InstitutionsArgs): Promise<InstitutionConnection> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    return this.institutionService.list(args);
  }

  @ResolveField(() => OrgUnit, { nullable: true, description: 'Where it is located; null when outside your territory.' })
  async orgUnit(
    @Parent() institution: Institution,
    @CurrentCaller() caller: Caller,
    @Context() context: RequestContext,
  ): Promise<OrgUnit | null> {
    const unit = await orgUnitLoader(context, this.units).load(institution.orgUnitId);
    return unit && canSee(caller, unit) ? OrgUnit.from(unit) : null;
  }

  @ResolveField(() => Institution, { nullable: true, description: 'For a sector unit (下属行业单位): its functional department.' })
  async parent(@Parent() institution: Institution, @Context() context: RequestContext): Promise<Institution | null> {
    if (!institution.parentId) return null;
    const parent = await institutionLoader(context, this.institutionService).load(institution.parentId);
    return parent ? Institution.from(parent) : null;
  }

  @ResolveField(() => InstitutionConnection, { description: "A functional department's sector units (下属行业单位), by name." })
  async subordinates(
    @Parent() institution: Institution,
    @Args() page: PageArgs,
    @Context() context: RequestContext,
  ): Promise<InstitutionConnection> {
    // One statement per page of institutions asking for the same page of sector units.
    const loader = requestLoader<InstitutionConnection>(
      context,
      `Institution.subordinates:${JSON.stringify([page.first ?? null, page.after ?? null])}`,
      (ids) => this.institutionService.subordinatesOf(ids, page),
    );
    return (await loader.load(institution.id))!;
  }

  @Mutation(() => Institution, {
    description:
      'Makes an institution a sector unit of a top-level DEPARTMENT (parentId null: independent). BAD_USER_INPUT INVALID_PARENT otherwise.',
  })
  async setInstitutionParent(
    @Args('id', { type: () => ID, description: "The institution's id." }, ParseUuidPipe) id: string,
    @Args('parentId', { type: () => ID, nullable: true, description: 'The department it comes under; null to detach it.' })
    parentId: string | null,
  ): Promise<Institution> {
    // Departments and their sector units are district-wide: the policy lets only district-wide callers do this.
    return Institution.from(await this.institutionService.setParent(id, parentId ? requireUuid(parentId, 'parentId') : null));
  }

  @ResolveReference()
  async resolveReference(@Parent() reference: { id: string }, @Context() context: RequestContext): Promise<Institution | null> {
    const { caller } = context;
    const readsInstitutions = hasPermission(caller, Permission.TERRITORY_READ) || hasPermission(caller, Permission.INSTITUTION_READ);
    if (!readsInstitutions && caller.institutionId !== reference.id) return null;
    const institution = await institutionLoader(context, this.institutionService).load(reference.id);
    return institution ? Institution.from(institution) : null;
  }
}
