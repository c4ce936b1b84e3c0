import { Injectable } from '@nestjs/common';
import { Args, ArgsType, Field, ID, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Caller } from '#libs/auth';
import { monthStart, parseMonth } from '#libs/calendar';
import { SqlParams } from '#libs/database';
import { DomainError } from '#libs/errors';
import { Connection, PageArgs, fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { CurrentCaller } from '#libs/platform';
import { NOTICE_KIND_LABEL_ZH, NoticeKind } from '../templates/notice-kind.js';
import { NoticeState } from './notice-state.js';

interface HouseholdNoticeRow {
  id: string;
  kind: NoticeKind;
  month: string;
  residentId: string;
  toGuardian: boolean;
  institutionId: string;
  institutionName: string | null;
  state: NoticeState;
  createdAt: Date;
  releasedAt: Date | null;
  deliveredAt: Date | null;
  acknowledgedAt: Date | null;
  withdrawnAt: Date | null;
}

@ObjectType('HouseholdNotice', {
  description:
    'For a resident: a notice written about their household, to which institution, and how far it went: waiting (not released: the objection window, or an objection, holds it), released, delivered, acknowledged, or withdrawn.',
})
export class HouseholdNotice {
  @Field(() => ID, { description: 'Stable id of the notice.' })
  id: string;

  @Field(() => NoticeKind, { description: 'Praise letter or reminder notice.' })
  kind: NoticeKind;

  @Field({ description: 'e.g. 垃圾分类提醒单' })
  labelZh: string;

  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => ID, { description: 'The resident it is about.' })
  residentId: string;

  @Field({ description: "Written to a minor's guardian through the school." })
  toGuardian: boolean;

  @Field(() => ID, { description: 'The employer or school it was sent to.' })
  institutionId: string;

  @Field(() => String, { nullable: true, description: 'The employer or school it went (or goes) to.' })
  institutionName: string | null;

  @Field(() => NoticeState, { description: 'Where its delivery is.' })
  state: NoticeState;

  @Field({ description: 'When the notice was made (ISO 8601 timestamp).' })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was handed to the institution; null while it waits.' })
  releasedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was delivered to the institution.' })
  deliveredAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the institution acknowledged it.' })
  acknowledgedAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Withdrawn after the grade was corrected (a notice never released was never seen).' })
  withdrawnAt: Date | null;

  static from(row: HouseholdNoticeRow): HouseholdNotice {
    return Object.assign(new HouseholdNotice(), { ...row, labelZh: NOTICE_KIND_LABEL_ZH[row.kind] });
  }
}

@ObjectType({
  description:
    'A page of HouseholdNotice items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class HouseholdNoticeConnection extends Connection(HouseholdNotice, 'HouseholdNotice') {}

@ArgsType()
export class MyHouseholdNoticesArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only notices about this month (YYYY-MM).' })
  month?: string | null;
}

/** The notices about the calling resident's own household: no names or texts, only what went where. */
@Injectable()
export class HouseholdNoticeService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(caller: Caller, args: MyHouseholdNoticesArgs): Promise<ConnectionShape<HouseholdNotice>> {
    if (!caller.householdId) throw DomainError.forbidden('Only a resident has a household of their own', 'NOT_A_RESIDENT');
    const params = new SqlParams();
    const where = [`n.household_id = ${params.add(caller.householdId)}`];
    if (args.month) where.push(`n.month = ${params.add(monthStart(parseMonth(args.month)))}::date`);
    return fetchKeysetPage<HouseholdNoticeRow, HouseholdNotice>(
      this.dataSource,
      args,
      {
        select: `n.id, n.kind, to_char(n.month, 'YYYY-MM') AS month, n.resident_id AS "residentId", n.to_guardian AS "toGuardian",
                 n.institution_id AS "institutionId", i.name AS "institutionName", n.state, n.created_at AS "createdAt",
                 n.released_at AS "releasedAt", n.delivered_at AS "deliveredAt", n.acknowledged_at AS "acknowledgedAt", n.withdrawn_at AS "withdrawnAt"`,
        from: 'notice n LEFT JOIN institution_copy i ON i.id = n.institution_id',
        where,
        params,
        orderBy: ['n.month', 'n.id'],
        keyOf: (row) => [row.month + '-01', row.id],
        descending: true,
      },
      (rows) => rows.map((row) => HouseholdNotice.from(row)),
    );
  }
}

@Resolver(() => HouseholdNotice)
export class HouseholdNoticeResolver {
  constructor(private readonly notices: HouseholdNoticeService) {}

  @Query(() => HouseholdNoticeConnection, {
    description:
      'For a resident: the notices written about your own household, newest month first: to which institution, and whether they have left.',
  })
  myHouseholdNotices(@CurrentCaller() caller: Caller, @Args() args: MyHouseholdNoticesArgs): Promise<ConnectionShape<HouseholdNotice>> {
    return this.notices.list(caller, args);
  }
}
