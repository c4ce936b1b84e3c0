import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { PageArgs } from '#libs/pagination';
import { CurrentCaller, LocalDateScalar, ParseUuidPipe, byIds, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { orgUnitLoader } from '../territory/org-unit.loader.js';
import { OrgUnitKind } from '../territory/org-unit-kind.js';
import { OrgUnit } from '../territory/org-unit.model.js';
import { OrgUnitService, canSee } from '../territory/org-unit.service.js';
import { LeaderService } from './leader.service.js';
import {
  CreateLeaderInput,
  Leader,
  LeaderConnection,
  LeaderLiaison,
  LeaderLiaisonConnection,
  LeadersArgs,
  type LeaderRow,
} from './leader.models.js';

/** Leaders by id, batched per request. */
export const leaderLoader = (context: RequestContext, leaders: LeaderService) =>
  requestLoader<LeaderRow>(context, 'Leader', async (ids) => byIds(ids, await leaders.findByIds(ids)));

@Resolver(() => Leader)
export class LeaderResolver {
  constructor(private readonly leaderService: LeaderService) {}

  @Query(() => LeaderConnection, { description: 'Leaders of the four leadership bodies, by body and name.' })
  leaders(@Args() args: LeadersArgs): Promise<LeaderConnection> {
    return this.leaderService.list(args);
  }

  @Mutation(() => Leader, { description: "Registers a leader of one of the district's leadership bodies." })
  async createLeader(@Args('input', { description: "The leader's name, body and title." }) input: CreateLeaderInput): Promise<Leader> {
    if (input.partyMemberId) input.partyMemberId = requireUuid(input.partyMemberId, 'partyMemberId');
    return Leader.from(await this.leaderService.create(input));
  }

  @Mutation(() => LeaderLiaison, {
    description: "Assigns a leader to liaise with a street from startsOn; the street's previous liaison ends the day before.",
  })
  async assignLiaison(
    @Args('leaderId', { type: () => ID, description: 'The leader.' }, ParseUuidPipe) leaderId: string,
    @Args('streetId', { type: () => ID, description: 'The street (a STREET org unit) the leader liaises with.' }, ParseUuidPipe)
    streetId: string,
    @Args('startsOn', {
      type: () => LocalDateScalar,
      description: "First day of the liaison (Asia/Shanghai); the street's previous liaison ends the day before.",
    })
    startsOn: string,
  ): Promise<LeaderLiaison> {
    return LeaderLiaison.from(await this.leaderService.assignLiaison(leaderId, streetId, startsOn));
  }

  @ResolveField(() => LeaderLiaisonConnection, { description: "The leader's liaisons with streets, latest first." })
  async liaisons(@Parent() leader: Leader, @Args() page: PageArgs, @Context() context: RequestContext): Promise<LeaderLiaisonConnection> {
    // One statement per page of leaders asking for the same page of liaisons.
    const loader = requestLoader<LeaderLiaisonConnection>(
      context,
      `Leader.liaisons:${JSON.stringify([page.first ?? null, page.after ?? null])}`,
      (ids) => this.leaderService.liaisonsOf('leader', ids, page),
    );
    return (await loader.load(leader.id))!;
  }
}

@Resolver(() => LeaderLiaison)
export class LeaderLiaisonResolver {
  constructor(
    private readonly leaders: LeaderService,
    private readonly units: OrgUnitService,
  ) {}

  @ResolveField(() => Leader, { description: 'The leader.' })
  async leader(@Parent() liaison: LeaderLiaison, @Context() context: RequestContext): Promise<Leader> {
    return Leader.from((await leaderLoader(context, this.leaders).load(liaison.leaderId))!);
  }

  @ResolveField(() => OrgUnit, { nullable: true, description: 'The street (null when outside your territory).' })
  async street(
    @Parent() liaison: LeaderLiaison,
    @CurrentCaller() caller: Caller,
    @Context() context: RequestContext,
  ): Promise<OrgUnit | null> {
    const unit = await orgUnitLoader(context, this.units).load(liaison.streetId);
    return unit && canSee(caller, unit) ? OrgUnit.from(unit) : null;
  }
}

/** A street's page shows its liaison leader (联系领导). */
@Resolver(() => OrgUnit)
export class OrgUnitLiaisonResolver {
  constructor(private readonly leaders: LeaderService) {}

  @ResolveField(() => Leader, {
    nullable: true,
    description: "A street's liaison leader today (null for other units or when none is assigned).",
  })
  async liaisonLeader(@Parent() unit: OrgUnit, @Context() context: RequestContext): Promise<Leader | null> {
    if (unit.kind !== OrgUnitKind.STREET) return null;
    const loader = requestLoader<LeaderRow>(context, 'StreetLiaisonLeader', async (ids) => {
      const current = await this.leaders.currentLiaisonLeaders(ids);
      return ids.map((id) => current.get(id) ?? null);
    });
    const leader = await loader.load(unit.id);
    return leader ? Leader.from(leader) : null;
  }

  @ResolveField(() => LeaderLiaisonConnection, { description: "A street's liaison leaders, latest first (history kept)." })
  async liaisons(@Parent() unit: OrgUnit, @Args() page: PageArgs, @Context() context: RequestContext): Promise<LeaderLiaisonConnection> {
    // One statement per page of streets asking for the same page of liaisons.
    const loader = requestLoader<LeaderLiaisonConnection>(
      context,
      `OrgUnit.liaisons:${JSON.stringify([page.first ?? null, page.after ?? null])}`,
      (ids) => this.leaders.liaisonsOf('street', ids, page),
    );
    return (await loader.load(unit.id))!;
  }
}
