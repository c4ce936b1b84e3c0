import { Context, Field, ID, ObjectType, Query, ResolveField, Resolver, registerEnumType, Parent } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ROLE_LABEL_ZH, Role, type Caller } from '#libs/auth';
import { queryFirst } from '#libs/database';
import { CurrentCaller, type RequestContext } from '#libs/platform';
import { orgUnitLoader } from '../territory/org-unit.loader.js';
import { OrgUnit } from '../territory/org-unit.model.js';
import { OrgUnitService } from '../territory/org-unit.service.js';

const ROLE_EN: Record<Role, string> = {
  [Role.DISTRICT_ADMIN]: 'administers the whole district.',
  [Role.STREET_ADMIN]: 'administers one street (镇街) and what lies in it.',
  [Role.COMMUNITY_SECRETARY]: "the community's party secretary: its households, claims and reviews.",
  [Role.INSPECTOR]: 'inspects households and records inspections.',
  [Role.BUREAU_OFFICER]: 'staff of an enforcement bureau: cases, joint actions, reports.',
  [Role.BRANCH_SECRETARY]: "a work-unit branch's party secretary: reviews its members' check-ins.",
  [Role.PARTY_MEMBER]: 'a party member: own duties, check-ins and claims.',
  [Role.VOLUNTEER]: 'a volunteer: activities, sign-ups and claims.',
  [Role.RESIDENT]: 'a resident: their own household, grades and reports.',
  [Role.PROPERTY_MANAGER]: 'staff of a property company: its compounds, cases and door-to-door requests.',
  [Role.INSTITUTION]: 'an employer, school or other institution calling with its API key: its own notices and webhooks.',
  [Role.OPERATOR]: "a platform operator: the queue dashboard and its audit; never residents' data.",
};

registerEnumType(Role, {
  name: 'Role',
  description: 'A role a caller can hold; it decides what they may read and do. Each value carries its Chinese name.',
  valuesMap: Object.fromEntries(
    Object.entries(ROLE_LABEL_ZH).map(([role, zh]) => [role, { description: `${zh}: ${ROLE_EN[role as Role]}` }]),
  ),
});

@ObjectType({ description: 'The signed-in staff member, as the gateway authenticated them.' })
export class Viewer {
  @Field({ description: "Your account id (the token's sub)." })
  userId: string;

  @Field(() => [Role], { description: 'Your roles.' })
  roles: Role[];

  @Field(() => [String], { description: 'The roles in Chinese, in the same order.' })
  rolesLabelZh: string[];

  orgUnitId: string | null;
}

/** The party member the viewer signs in as: the member whose account (`party_member.user_id`) is the token's `sub`. */
const VIEWER_MEMBER_SQL = `SELECT id FROM party_member WHERE user_id = $1`;

@Resolver(() => Viewer)
export class ViewerResolver {
  constructor(
    private readonly units: OrgUnitService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Query(() => Viewer, { description: 'Who you are: your account id and roles.' })
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

  @ResolveField(() => ID, {
    nullable: true,
    description:
      'The party member you sign in as (your account, for a phone login member-<id> that member): the memberId of your own ' +
      "vanguardIndex; your check-ins are myPhotoCheckIns. Null when your account is no party member's.",
  })
  async partyMemberId(@Parent() viewer: Viewer): Promise<string | null> {
    const member = await queryFirst<{ id: string }>(this.dataSource, VIEWER_MEMBER_SQL, [viewer.userId]);
    return member?.id ?? null;
  }
}
