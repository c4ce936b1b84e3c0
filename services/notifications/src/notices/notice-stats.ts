import { Injectable } from '@nestjs/common';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { addMonths, monthStart, parseMonth } from '#libs/calendar';
import { SqlParams, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';
import { Connection, fetchKeysetPagesByGroup, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { InstitutionRef } from '#libs/references';
import { Territory } from '#libs/territory';
import { NoticeKind } from '../templates/notice-kind.js';
import { NoticeState } from './notice-state.js';

/** At most this many months in one statistics request. */
export const MAX_STATS_MONTHS = 24;

@ObjectType({ description: 'Notices of one kind in a month.' })
export class NoticeKindCount {
  @Field(() => NoticeKind, { description: 'The notice kind.' })
  kind: NoticeKind;

  @Field(() => Int, { description: 'Notices of that kind.' })
  count: number;
}

@ObjectType({ description: 'Notices in one state in a month.' })
export class NoticeStateCount {
  @Field(() => NoticeState, { description: 'The notice state.' })
  state: NoticeState;

  @Field(() => Int, { description: 'Notices in that state.' })
  count: number;
}

@ObjectType({ description: "One institution's notices of a month." })
export class InstitutionNoticeCount {
  @Field(() => InstitutionRef, { description: 'The employer or school.' })
  institution: InstitutionRef;

  @Field(() => Int, { description: 'Notices made to it, withdrawn ones included.' })
  total: number;

  @Field(() => Int, { description: 'Of the total, praise letters.' })
  praiseLetters: number;

  @Field(() => Int, { description: 'Of the total, reminder notices.' })
  reminderNotices: number;

  @Field(() => Int, { description: 'Of the total, acknowledged by the institution.' })
  acknowledged: number;

  @Field(() => Int, { description: 'Of the total, whose delivery failed.' })
  failed: number;

  @Field(() => Int, { description: 'Of the total, withdrawn after a grade correction.' })
  withdrawn: number;
}

@ObjectType({
  description:
    'A page of InstitutionNoticeCount items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class InstitutionNoticeCountConnection extends Connection(InstitutionNoticeCount, 'InstitutionNoticeCount') {}

@ObjectType({ description: 'Notices of one month in a territory: by kind, by state, and per institution.' })
export class NoticeMonthStats {
  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => Int, { description: 'Notices made, withdrawn ones included.' })
  total: number;

  @Field(() => Int, { description: 'Of the total, withdrawn after a grade correction.' })
  withdrawn: number;

  @Field(() => [NoticeKindCount], { description: 'Every kind, zeros included.' })
  byKind: NoticeKindCount[];

  @Field(() => [NoticeStateCount], { description: 'Every state, zeros included.' })
  byState: NoticeStateCount[];

  /** The territory root these figures are for (null: the whole district), for `institutions`. */
  rootId: string | null;
}

interface MonthRow {
  month: string;
  kind: NoticeKind;
  state: NoticeState;
  withdrawn: boolean;
  count: number;
}

interface InstitutionRow {
  institutionId: string;
  total: number;
  praiseLetters: number;
  reminderNotices: number;
  acknowledged: number;
  failed: number;
  withdrawn: number;
}

@Injectable()
export class NoticeStatsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  /** Months `fromMonth`..`toMonth` (at most MAX_STATS_MONTHS), oldest first, each with every kind and state. */
  async byMonth(caller: Caller, fromMonth: string, toMonth: string, orgUnitId: string | null): Promise<NoticeMonthStats[]> {
    const from = parseMonth(fromMonth, 'fromMonth');
    const to = parseMonth(toMonth, 'toMonth');
    const months: string[] = [];
    for (let month = from; month <= to; month = addMonths(month, 1)) {
      months.push(month);
      if (months.length > MAX_STATS_MONTHS) {
        throw DomainError.badInput(`Ask for at most ${MAX_STATS_MONTHS} months at a time`, 'TOO_MANY_MONTHS', { max: MAX_STATS_MONTHS });
      }
    }
    if (months.length === 0) throw DomainError.badInput('fromMonth must not be after toMonth', 'INVALID_MONTH_RANGE');
    const rootId = await this.rootFor(caller, orgUnitId);
    const params = new SqlParams();
    const where = [
      `n.month BETWEEN ${params.add(monthStart(from))}::date AND ${params.add(monthStart(to))}::date`,
      ...this.scope(rootId, params),
    ];
    const rows = await queryRows<MonthRow>(
      this.dataSource,
      `SELECT to_char(n.month, 'YYYY-MM') AS month, n.kind, n.state, n.withdrawn_at IS NOT NULL AS withdrawn, count(*)::int AS count
         FROM notice n WHERE ${where.join(' AND ')} GROUP BY 1, 2, 3, 4`,
      params.values,
    );
    return months.map((month) => {
      const ofMonth = rows.filter((row) => row.month === month);
      const sum = (pick: (row: MonthRow) => boolean) => ofMonth.filter(pick).reduce((total, row) => total + row.count, 0);
      return Object.assign(new NoticeMonthStats(), {
        month,
        total: sum(() => true),
        withdrawn: sum((row) => row.withdrawn),
        byKind: [NoticeKind.PRAISE_LETTER, NoticeKind.REMINDER_NOTICE].map((kind) => ({ kind, count: sum((row) => row.kind === kind) })),
        byState: Object.values(NoticeState).map((state) => ({ state, count: sum((row) => row.state === state) })),
        rootId,
      });
    });
  }

  /** Per institution, most notices first. */
  /**
   * The same page of institutions of each month (`YYYY-MM`) under one territory root: one statement for the months
   * of a `noticeStats` range.
   */
  institutionsOf(rootId: string | null, months: readonly string[], args: PageArgs): Promise<ConnectionShape<InstitutionNoticeCount>[]> {
    const params = new SqlParams();
    const where = [`n.month = ANY(${params.add(months.map(monthStart))}::date[])`, ...this.scope(rootId, params)];
    return fetchKeysetPagesByGroup<InstitutionRow & { statsMonth?: string }, InstitutionNoticeCount>(
      this.dataSource,
      args,
      months,
      {
        select: '*',
        groupBy: '"statsMonth"',
        from: `(SELECT to_char(n.month, 'YYYY-MM') AS "statsMonth", n.institution_id AS "institutionId", count(*)::int AS total,
                       count(*) FILTER (WHERE n.kind = 'PRAISE_LETTER')::int AS "praiseLetters",
                       count(*) FILTER (WHERE n.kind = 'REMINDER_NOTICE')::int AS "reminderNotices",
                       count(*) FILTER (WHERE n.state = 'ACKNOWLEDGED')::int AS acknowledged,
                       count(*) FILTER (WHERE n.state = 'FAILED')::int AS failed,
                       count(*) FILTER (WHERE n.withdrawn_at IS NOT NULL)::int AS withdrawn
                  FROM notice n WHERE ${where.join(' AND ')} GROUP BY n.month, n.institution_id) AS per_institution`,
        where: [],
        params,
        orderBy: ['total', '"institutionId"'],
        keyOf: (row) => [row.total, row.institutionId],
        descending: true,
      },
      (rows) =>
        rows.map(({ statsMonth: _month, ...row }) =>
          Object.assign(new InstitutionNoticeCount(), { ...row, institution: InstitutionRef.of(row.institutionId) }),
        ),
    );
  }

  private async rootFor(caller: Caller, orgUnitId: string | null): Promise<string | null> {
    return orgUnitId ? (await this.territory.requireInScope(caller, orgUnitId)).id : caller.orgUnitId;
  }

  private scope(rootId: string | null, params: SqlParams): string[] {
    return rootId ? [`n.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${params.add(rootId)}::uuid])`] : [];
  }
}
