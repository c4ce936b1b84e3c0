import { Context, Field, ObjectType, Query, ResolveField, Resolver, registerEnumType, Parent } from '@nestjs/graphql';
import { ROLE_LABEL_ZH, Role, type Caller } from '#libs/auth';
import { CurrentCaller, type RequestContext } from '#libs/platform';
import { orgUnitLoader } from '../territory/org-unit.loader.js';
import { OrgUnit } from '../territory/org-unit.model.js';
import { OrgUnitService } from '../territory/org-unit.service.js';

registerEnumType(Role, {
  name: 'Role',
  valuesMap: Object.fromEntries(Object.entries(ROLE_LABEL_ZH).map(([role, zh]) => [role, { description: zh }])),
});

@ObjectType({ description: 'The signed-in staff member, as the gateway authenticated them.' })
export class Viewer {
  @Field()
  userId: string;

  @Field(() => [Role])
  roles: Role[];

  @Field(() => [String], { description: 'The roles in Chinese, in the same order.' })
  rolesLabelZh: string[];

  orgUnitId: string | null;
}

@Resolver(() => Viewer)
export class ViewerResolver {
  constructor(private readonly units: OrgUnitService) {}

  @Query(() => Viewer)
  viewer(@CurrentCaller() caller: Caller): Viewer {
    return Object.assign(new Viewer(), {
      userId: caller.userId,
      roles: caller.roles,
      rolesLabelZh: caller.roles.map((role) => ROLE_LABEL_ZH[role]),
      orgUnitId: caller.orgUnitId,
    });
  }

  @ResolveField(() => OrgUnit, { nullable: true, description: 'The root of your territory; null when you act for the whole district.' })
  async territory(@Parent() viewer: Viewer, @Context() context: RequestContext): Promise<OrgUnit | null> {
    if (!viewer.orgUnitId) return null;
    const unit = await orgUnitLoader(context, this.units).load(viewer.orgUnitId);
    return unit ? OrgUnit.from(unit) : null;
  }
}
