import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { PageArgs } from '#libs/pagination';
import { CurrentCaller, requireUuid, type RequestContext } from '#libs/platform';
import { Institution } from '../institutions/institution.model.js';
import { InstitutionService } from '../institutions/institution.service.js';
import { PartyOrgService } from '../party/party-org.service.js';
import { PartyOrg } from '../party/party.models.js';
import { institutionLoader } from '../institutions/institution.loader.js';
import { partyOrgLoader } from '../party/party.loaders.js';
import { leaderLoader } from '../leaders/leader.resolver.js';
import { Leader } from '../leaders/leader.models.js';
import { LeaderService } from '../leaders/leader.service.js';
import { OrgUnit } from '../territory/org-unit.model.js';
import { orgUnitLoader } from '../territory/org-unit.loader.js';
import { OrgUnitService, canSee } from '../territory/org-unit.service.js';
import { DutyLogService } from './duty-log.service.js';
import { DutyReportService } from './duty-report.service.js';
import { DutyComplianceArgs, DutyEscalationsArgs, DutyPeriodsArgs, RecordDutyLogInput } from './duty.inputs.js';
import {
  DutyCompliance,
  DutyEscalation,
  DutyEscalationConnection,
  DutyLog,
  DutyMemberComplianceConnection,
  DutyPeriod,
  DutyPeriodConnection,
  DutyRuleModel,
  MyDuties,
} from './duty.models.js';
import { DUTY_KINDS } from './duty-kinds.js';

@Resolver(() => DutyLog)
export class DutyLogResolver {
  constructor(
    private readonly logs: DutyLogService,
    private readonly units: OrgUnitService,
    private readonly institutions: InstitutionService,
    private readonly orgs: PartyOrgService,
    private readonly leaders: LeaderService,
  ) {}

  @Mutation(() => DutyLog, {
    description:
      '履职记录: records a duty you performed (每日巡查, 每月上门讲解, 每月督查下属行业单位, 区委书记现场督导, 对口联系走访), as the party member your ' +
      'account belongs to. Your SECRETARY post on that date must owe it, or for 对口联系走访 you must be the leader (as their party member) ' +
      "liaising with a street that day (FORBIDDEN NO_SUCH_DUTY otherwise); the place must be in the post's territory (OUTSIDE_TERRITORY) or " +
      "the street liaised with (NOT_LIAISON_STREET), or the unit one of your department's sector units. Retrying with the same " +
      'idempotencyKey returns the same log. A log for a day, month or quarter already closed as MISSED turns it MET.',
  })
  recordDutyLog(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The duty, when and where it was performed, and an idempotency key.' }) input: RecordDutyLogInput,
  ): Promise<DutyLog> {
    if (input.orgUnitId) input.orgUnitId = requireUuid(input.orgUnitId, 'orgUnitId');
    if (input.institutionId) input.institutionId = requireUuid(input.institutionId, 'institutionId');
    return this.logs.record(caller, input);
  }

  @ResolveField(() => Leader, { nullable: true, description: 'The leader who made a liaison visit; null for other duties.' })
  async leader(@Parent() log: DutyLog, @Context() context: RequestContext): Promise<Leader | null> {
    if (!log.leaderId) return null;
    const leader = await leaderLoader(context, this.leaders).load(log.leaderId);
    return leader ? Leader.from(leader) : null;
  }

  @ResolveField(() => OrgUnit, {
    nullable: true,
    description: 'The street, community or compound patrolled or visited; null when outside your territory.',
  })
  async orgUnit(@Parent() log: DutyLog, @CurrentCaller() caller: Caller, @Context() context: RequestContext): Promise<OrgUnit | null> {
    if (!log.orgUnitId) return null;
    const unit = await orgUnitLoader(context, this.units).load(log.orgUnitId);
    return unit && canSee(caller, unit) ? OrgUnit.from(unit) : null;
  }

  @ResolveField(() => Institution, { nullable: true, description: 'The sector unit supervised.' })
  async institution(@Parent() log: DutyLog, @Context() context: RequestContext): Promise<Institution | null> {
    if (!log.institutionId) return null;
    const institution = await institutionLoader(context, this.institutions).load(log.institutionId);
    return institution ? Institution.from(institution) : null;
  }

  @ResolveField(() => PartyOrg, { description: 'The party organisation whose secretary post owes the duty.' })
  async partyOrg(@Parent() log: DutyLog, @Context() context: RequestContext): Promise<PartyOrg> {
    return PartyOrg.from((await partyOrgLoader(context, this.orgs).load(log.partyOrgId))!);
  }
}

@Resolver(() => DutyPeriod)
export class DutyPeriodResolver {
  constructor(
    private readonly orgs: PartyOrgService,
    private readonly leaders: LeaderService,
  ) {}

  @ResolveField(() => Leader, {
    nullable: true,
    description: "For a liaison visit: the leader liaising with the street on the period's last day.",
  })
  async leader(@Parent() period: DutyPeriod, @Context() context: RequestContext): Promise<Leader | null> {
    if (!period.leaderId) return null;
    const leader = await leaderLoader(context, this.leaders).load(period.leaderId);
    return leader ? Leader.from(leader) : null;
  }

  @ResolveField(() => PartyOrg, {
    description: "The party organisation whose secretary post owed the period (for a liaison visit, the street's committee).",
  })
  async partyOrg(@Parent() period: DutyPeriod, @Context() context: RequestContext): Promise<PartyOrg> {
    return PartyOrg.from((await partyOrgLoader(context, this.orgs).load(period.partyOrgId))!);
  }
}

@Resolver(() => DutyEscalation)
export class DutyEscalationResolver {
  constructor(private readonly orgs: PartyOrgService) {}

  @ResolveField(() => PartyOrg, { description: 'The next level up the miss was reported to.' })
  async escalatedTo(@Parent() escalation: DutyEscalation, @Context() context: RequestContext): Promise<PartyOrg> {
    return PartyOrg.from((await partyOrgLoader(context, this.orgs).load(escalation.escalatedToPartyOrgId))!);
  }
}

@Resolver()
export class DutyQueryResolver {
  constructor(private readonly reports: DutyReportService) {}

  @Query(() => [DutyRuleModel], {
    description:
      '履职要求: the cadence table, which post (secretary or street liaison leader) owes which duty how often (one row per DutyKind).',
  })
  dutyRules(): DutyRuleModel[] {
    return DUTY_KINDS.map((duty) => DutyRuleModel.of(duty));
  }

  @Query(() => DutyPeriodConnection, {
    description:
      '履职周期: closed duty periods (MET or MISSED) of posts in your territory, or of one party organisation and its subtree; latest first.',
  })
  dutyPeriods(@CurrentCaller() caller: Caller, @Args() args: DutyPeriodsArgs): Promise<DutyPeriodConnection> {
    if (args.partyOrgId) args.partyOrgId = requireUuid(args.partyOrgId, 'partyOrgId');
    if (args.memberId) args.memberId = requireUuid(args.memberId, 'memberId');
    return this.reports.periods(caller, args);
  }

  @Query(() => DutyEscalationConnection, {
    description:
      "未履职上报: missed periods escalated to a party organisation (e.g. a street committee's view of its communities' misses); newest first.",
  })
  dutyEscalations(@CurrentCaller() caller: Caller, @Args() args: DutyEscalationsArgs): Promise<DutyEscalationConnection> {
    if (args.partyOrgId) args.partyOrgId = requireUuid(args.partyOrgId, 'partyOrgId');
    return this.reports.escalations(caller, args);
  }

  @Query(() => DutyCompliance, {
    description:
      '履职率: closed periods due, met, missed and met/due of a month, per duty kind, of your territory, a party organisation and its subtree, or one member.',
  })
  dutyCompliance(@CurrentCaller() caller: Caller, @Args() args: DutyComplianceArgs): Promise<DutyCompliance> {
    if (args.partyOrgId) args.partyOrgId = requireUuid(args.partyOrgId, 'partyOrgId');
    if (args.memberId) args.memberId = requireUuid(args.memberId, 'memberId');
    return this.reports.compliance(caller, args);
  }

  @Query(() => MyDuties, { description: '我的履职: the duties your posts owe in a month and what is met so far.' })
  myDuties(@CurrentCaller() caller: Caller, @Args('month', { description: 'YYYY-MM' }) month: string): Promise<MyDuties> {
    return this.reports.myDuties(caller, month);
  }
}

@Resolver(() => DutyCompliance)
export class DutyComplianceResolver {
  constructor(private readonly reports: DutyReportService) {}

  @ResolveField(() => DutyMemberComplianceConnection, { description: 'Per member and duty, ordered by member id.' })
  members(
    @Parent() compliance: DutyCompliance,
    @CurrentCaller() caller: Caller,
    @Args() args: PageArgs,
  ): Promise<DutyMemberComplianceConnection> {
    return this.reports.memberCompliance(caller, compliance.scope, args);
  }
}
