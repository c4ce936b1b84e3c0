import { Args, Context, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Caller } from '#libs/auth';
import { DomainError } from '#libs/errors';
import { PageArgs, type ConnectionShape } from '#libs/pagination';
import { CurrentCaller, ParseUuidPipe, requestLoader, requireUuid, type RequestContext } from '#libs/platform';
import { Territory } from '#libs/territory';
import { NOTICE_RULE_SETS, parseNoticeRules } from './notice-rules.js';
import { CreateNoticeRuleSetInput, NoticeRuleSet, NoticeRuleSetConnection } from './notice-rules.models.js';
import { InstitutionNoticeCountConnection, NoticeMonthStats, NoticeStatsService } from './notice-stats.js';
import { MyNoticesArgs, Notice, NoticeConnection, NoticesArgs } from './notice.models.js';
import { NoticeService } from './notice.service.js';

@Resolver(() => Notice)
export class NoticeResolver {
  constructor(private readonly noticeService: NoticeService) {}

  @Query(() => NoticeConnection, {
    description:
      'For an institution calling with its API key: the notices addressed to it, newest month first. Fetching a notice marks it DELIVERED.',
  })
  myNotices(@CurrentCaller() caller: Caller, @Args() args: MyNoticesArgs): Promise<ConnectionShape<Notice>> {
    return this.noticeService.listForInstitution(caller, args);
  }

  @Mutation(() => Notice, {
    description: 'For an institution: confirms receipt of one of its notices. Once only: again is CONFLICT (ALREADY_ACKNOWLEDGED).',
  })
  acknowledgeNotice(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The notice's id: one addressed to you." }, ParseUuidPipe) id: string,
  ): Promise<Notice> {
    return this.noticeService.acknowledge(caller, id);
  }

  @Query(() => Notice, { description: 'One notice: an institution its own, staff those about households in their territory.' })
  notice(
    @CurrentCaller() caller: Caller,
    @Args('id', { type: () => ID, description: "The notice's id." }, ParseUuidPipe) id: string,
  ): Promise<Notice> {
    return this.noticeService.get(caller, id);
  }

  @Query(() => NoticeConnection, { description: 'Notices about households in your territory, newest month first.' })
  notices(@CurrentCaller() caller: Caller, @Args() args: NoticesArgs): Promise<ConnectionShape<Notice>> {
    if (args.orgUnitId) args.orgUnitId = requireUuid(args.orgUnitId, 'orgUnitId');
    if (args.institutionId) args.institutionId = requireUuid(args.institutionId, 'institutionId');
    return this.noticeService.list(caller, args);
  }
}

@Resolver(() => NoticeMonthStats)
export class NoticeStatsResolver {
  constructor(private readonly stats: NoticeStatsService) {}

  @Query(() => [NoticeMonthStats], {
    description: 'Notices by kind, state and institution, per month from fromMonth to toMonth (YYYY-MM, at most 24), in your territory.',
  })
  noticeStats(
    @CurrentCaller() caller: Caller,
    @Args('fromMonth', { description: 'First month, YYYY-MM (inclusive).' }) fromMonth: string,
    @Args('toMonth', { description: 'Last month, YYYY-MM (inclusive), at most 24 months after fromMonth.' }) toMonth: string,
    @Args('orgUnitId', {
      type: () => ID,
      nullable: true,
      description: 'Only notices about households under this unit (default: your territory).',
    })
    orgUnitId: string | null,
  ): Promise<NoticeMonthStats[]> {
    return this.stats.byMonth(caller, fromMonth, toMonth, orgUnitId ? requireUuid(orgUnitId, 'orgUnitId') : null);
  }

  @ResolveField(() => InstitutionNoticeCountConnection, { description: 'Per institution, most notices first.' })
  async institutions(
    @Parent() stats: NoticeMonthStats,
    @Args() args: PageArgs,
    @Context() context: RequestContext,
  ): Promise<InstitutionNoticeCountConnection> {
    // One statement for the months of a range asking for the same page.
    const batch = JSON.stringify([stats.rootId, args.first ?? null, args.after ?? null]);
    const loader = requestLoader<InstitutionNoticeCountConnection>(context, `NoticeMonthStats.institutions:${batch}`, (months) =>
      this.stats.institutionsOf(stats.rootId, months, args),
    );
    return (await loader.load(stats.month))!;
  }
}

@Resolver(() => NoticeRuleSet)
export class NoticeRuleSetResolver {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  @Query(() => NoticeRuleSetConnection, { description: 'Versions of the notice rules, newest first.' })
  noticeRuleSets(@Args() args: PageArgs): Promise<NoticeRuleSetConnection> {
    return NOTICE_RULE_SETS.list(this.dataSource, args, (row) => NoticeRuleSet.from(row));
  }

  @Mutation(() => NoticeRuleSet, { description: 'Publishes a new version of the notice rules for a district, from a month on.' })
  async createNoticeRuleSet(
    @CurrentCaller() caller: Caller,
    @Args('input', { description: 'The district, the first month, the rules, and why.' }) input: CreateNoticeRuleSetInput,
  ): Promise<NoticeRuleSet> {
    const rules = parseNoticeRules({
      praise: {
        enabled: input.praiseEnabled,
        minScore: input.praiseMinScore,
        previousMonthQualified: input.praisePreviousMonthQualified,
        // Left out (null) is no condition: stored without the key, as rules that never had the option.
        consecutiveMonths: input.praiseConsecutiveMonths ?? undefined,
        topShare: input.praiseTopShare ?? undefined,
        capPerInstitution: input.praiseCapPerInstitution ?? undefined,
      },
      reminder: { enabled: input.reminderEnabled, grades: input.reminderGrades },
    });
    const district = await this.territory.requireInScope(caller, requireUuid(input.districtId, 'districtId'));
    if (district.kind !== 'DISTRICT') throw DomainError.badInput('Notice rules are set per DISTRICT', 'NOT_A_DISTRICT');
    return NoticeRuleSet.from(await NOTICE_RULE_SETS.publish(this.dataSource, caller, { ...input, districtId: district.id, rules }));
  }
}
