import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { PageArgs } from '#libs/pagination';
import { CurrentCaller, LocalDateScalar, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { AppointObserverInput, CitizenObserversArgs, ObserverSummaryArgs, ObserverTeamsArgs } from './observer.inputs.js';
import {
  CitizenObserver,
  CitizenObserverConnection,
  ObserverMonthConnection,
  ObserverMonthlySummary,
  ObserverTeam,
  ObserverTeamConnection,
} from './observer.models.js';
import { ObserverService } from './observer.service.js';

@Resolver(() => CitizenObserver)
export class ObserverResolver {
  constructor(private readonly observers: ObserverService) {}

  @Query(() => ObserverTeamConnection, { description: '市民观察团 teams of the streets of your territory, by street and name.' })
  observerTeams(@CurrentCaller() caller: Caller, @Args() args: ObserverTeamsArgs): Promise<ObserverTeamConnection> {
    if (args.streetId) args.streetId = requireUuid(args.streetId, 'streetId');
    return this.observers.teams(caller, args);
  }

  @Query(() => CitizenObserverConnection, { description: 'The observer roster (every term) of the streets of your territory.' })
  citizenObservers(@CurrentCaller() caller: Caller, @Args() args: CitizenObserversArgs): Promise<CitizenObserverConnection> {
    if (args.streetId) args.streetId = requireUuid(args.streetId, 'streetId');
    if (args.observerTeamId) args.observerTeamId = requireUuid(args.observerTeamId, 'observerTeamId');
    return this.observers.observers(caller, args);
  }

  @Query(() => ObserverMonthlySummary, {
    description: "市民观察团月度汇总: a street's observer reports of a month, verified and turned into evidence, per team and observer.",
  })
  observerSummary(@CurrentCaller() caller: Caller, @Args() args: ObserverSummaryArgs): Promise<ObserverMonthlySummary> {
    return this.observers.summary(caller, requireUuid(args.streetId, 'streetId'), args.month);
  }

  @Mutation(() => ObserverTeam, {
    description: 'Creates an observer team of a street of your territory (at most 50 per street; names unique in it).',
  })
  createObserverTeam(
    @CurrentCaller() caller: Caller,
    @Args('streetId', { type: () => ID, description: 'A street (镇街) of your territory.' }, ParseUuidPipe) streetId: string,
    @Args('name', { description: '1–50 characters, e.g. 第一观察小组.' }) name: string,
  ): Promise<ObserverTeam> {
    return this.observers.createTeam(caller, streetId, name);
  }

  @Mutation(() => CitizenObserver, {
    description: "Puts an account on a team's roster for a term; one account serves in one team at a time (CONFLICT TERM_OVERLAPS).",
  })
  appointObserver(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: "The team, the observer's account and the term." }) input: AppointObserverInput,
  ): Promise<CitizenObserver> {
    input.observerTeamId = requireUuid(input.observerTeamId, 'observerTeamId');
    return this.observers.appoint(caller, input);
  }

  @Mutation(() => CitizenObserver, { description: 'Ends a term early: its last day becomes lastDay (within the term).' })
  endObserverTerm(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The appointment's id; its term ends today." }, ParseUuidPipe) id: string,
    @Args('lastDay', { type: () => LocalDateScalar, description: 'The last day served (Asia/Shanghai).' }) lastDay: string,
  ): Promise<CitizenObserver> {
    return this.observers.endTerm(caller, id, lastDay);
  }

  @ResolveField(() => ObserverTeam, { description: 'The team the observer serves in.' })
  team(@Parent() observer: CitizenObserver, @Context() context: RequestContext): Promise<ObserverTeam> {
    const loader = requestLoader<ObserverTeam>(context, 'ObserverTeam', (ids) => this.observers.teamsByIds(ids));
    return loader.load(observer.teamId) as Promise<ObserverTeam>;
  }
}

@Resolver(() => ObserverMonthlySummary)
export class ObserverSummaryResolver {
  constructor(private readonly observerService: ObserverService) {}

  @ResolveField(() => ObserverMonthConnection, {
    description: 'Per roster entry whose term overlaps the month (with or without reports), by id.',
  })
  observers(@Parent() summary: ObserverMonthlySummary, @Args() args: PageArgs): Promise<ObserverMonthConnection> {
    return this.observerService.observerMonths(summary, args);
  }
}
