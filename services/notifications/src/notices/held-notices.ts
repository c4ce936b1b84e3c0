import { Injectable } from '@nestjs/common';
import { Args, ArgsType, Field, ID, Int, ObjectType, Query, Resolver, registerEnumType } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Permission, requirePermission, type Caller } from '#libs/auth';
import { monthStart, parseMonth } from '#libs/calendar';
import { SqlParams, queryRows } from '#libs/database';
import { Connection, PageArgs, fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { CurrentCaller, requireUuid } from '#libs/platform';
import { InstitutionRef, OrgUnitRef } from '#libs/references';
import { Territory } from '#libs/territory';
import { NoticeKind } from '../templates/notice-kind.js';

/** Why a notice a grade earned was not made (notice-sql.ts recipientsSql decides). */
export enum HeldNoticeReason {
  NO_GUARDIAN_CONSENT = 'NO_GUARDIAN_CONSENT',
  MINOR_NOT_AT_SCHOOL = 'MINOR_NOT_AT_SCHOOL',
  UNKNOWN_INSTITUTION = 'UNKNOWN_INSTITUTION',
  UNKNOWN_RESIDENT = 'UNKNOWN_RESIDENT',
}

registerEnumType(HeldNoticeReason, {
  name: 'HeldNoticeReason',
  description: 'Why a notice that grades earned was not made (e.g. a minor without guardian consent).',
  valuesMap: {
    NO_GUARDIAN_CONSENT: { description: '未成年人：无监护人同意，不发送' },
    MINOR_NOT_AT_SCHOOL: { description: '未成年人：只可告知其学校，不告知单位或其他机构' },
    UNKNOWN_INSTITUTION: { description: '单位或学校尚未同步到通知服务；同步后自动补发' },
    UNKNOWN_RESIDENT: { description: '登记中已无此居民' },
  },
});

@ObjectType({ description: 'A notice a grade earned that was not made, and why. Names are masked: open the household for more.' })
export class HeldNotice {
  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => NoticeKind, { description: 'The kind of notice that would have been made.' })
  kind: NoticeKind;

  @Field(() => HeldNoticeReason, { description: 'Why it was held.' })
  reason: HeldNoticeReason;

  @Field(() => ID, { description: 'The resident it would have been about.' })
  residentId: string;

  @Field(() => String, { nullable: true, description: 'Always masked (e.g. 张*明): only notices that are made keep a name.' })
  residentName: string | null;

  @Field(() => ID, { description: 'The household (query household(id) to see its residents as your role may).' })
  householdId: string;

  @Field(() => OrgUnitRef, { description: "The resident's compound." })
  compound: OrgUnitRef;

  @Field(() => InstitutionRef, { description: 'The institution it would have gone to, if any.' })
  institution: InstitutionRef;

  @Field({ description: 'When the notice was held (ISO 8601 timestamp).' })
  heldAt: Date;
}

@ObjectType({ description: 'How many notices were held for one reason.' })
export class HeldNoticeReasonCount {
  @Field(() => HeldNoticeReason, { description: 'The reason.' })
  reason: HeldNoticeReason;

  @Field(() => Int, { description: 'Notices held for it.' })
  count: number;
}

@ObjectType({
  description:
    'A page of HeldNotice items (a Relay connection): edges with their cursors, pageInfo to fetch the next page, and totalCount.',
})
export class HeldNoticeConnection extends Connection(HeldNotice, 'HeldNotice') {
  @Field(() => [HeldNoticeReasonCount], {
    description: "The month's held notices in the territory per reason (every reason, zeros included), whatever `reason` filters.",
  })
  byReason: HeldNoticeReasonCount[];
}

@ArgsType()
export class HeldNoticesArgs extends PageArgs {
  @Field({ description: 'YYYY-MM' })
  month: string;

  @Field(() => ID, { nullable: true, description: 'Only households under this org unit (default: your territory).' })
  orgUnitId?: string | null;

  @Field(() => HeldNoticeReason, { nullable: true, description: 'Only notices held for this reason.' })
  reason?: HeldNoticeReason | null;
}

interface HeldRow {
  month: string;
  kind: NoticeKind;
  reason: HeldNoticeReason;
  residentId: string;
  residentName: string | null;
  householdId: string;
  compoundId: string;
  institutionId: string;
  heldAt: Date;
}

@Injectable()
export class HeldNoticeService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly territory: Territory,
  ) {}

  /** A month's held notices in the caller's territory (or under `orgUnitId` inside it), oldest first, with counts per reason. */
  async list(caller: Caller, args: HeldNoticesArgs): Promise<ConnectionShape<HeldNotice> & { byReason: HeldNoticeReasonCount[] }> {
    const month = parseMonth(args.month, 'month');
    const rootId = args.orgUnitId
      ? (await this.territory.requireInScope(caller, requireUuid(args.orgUnitId, 'orgUnitId'))).id
      : caller.orgUnitId;
    const scope = (params: SqlParams) => [
      `h.month = ${params.add(monthStart(month))}::date`,
      ...(rootId ? [`h.compound_id IN (SELECT id FROM territory_unit WHERE path @> ARRAY[${params.add(rootId)}::uuid])`] : []),
    ];
    const countParams = new SqlParams();
    const counts = await queryRows<{ reason: HeldNoticeReason; count: number }>(
      this.dataSource,
      `SELECT h.reason, count(*)::int AS count FROM held_notice h WHERE ${scope(countParams).join(' AND ')} GROUP BY h.reason`,
      countParams.values,
    );
    const params = new SqlParams();
    const where = scope(params);
    if (args.reason) where.push(`h.reason = ${params.add(args.reason)}`);
    const page = await fetchKeysetPage<HeldRow, HeldNotice>(
      this.dataSource,
      args,
      {
        select: `to_char(h.month, 'YYYY-MM') AS month, h.kind, h.reason, h.resident_id AS "residentId", h.masked_name AS "residentName",
                 h.household_id AS "householdId", h.compound_id AS "compoundId", h.institution_id AS "institutionId", h.held_at AS "heldAt"`,
        from: 'held_notice h',
        where,
        params,
        orderBy: ['h.resident_id', 'h.kind'],
        keyOf: (row) => [row.residentId, row.kind],
      },
      (rows) =>
        rows.map(({ compoundId, institutionId, ...row }) =>
          Object.assign(new HeldNotice(), { ...row, compound: OrgUnitRef.of(compoundId), institution: InstitutionRef.of(institutionId) }),
        ),
    );
    return {
      ...page,
      byReason: Object.values(HeldNoticeReason).map((reason) => ({ reason, count: counts.find((c) => c.reason === reason)?.count ?? 0 })),
    };
  }
}

@Resolver(() => HeldNotice)
export class HeldNoticeResolver {
  constructor(private readonly held: HeldNoticeService) {}

  @Query(() => HeldNoticeConnection, {
    description:
      "Notices a month's grades earned but that were not made (a minor without a guardian's consent, an unknown institution, …), in your territory, with counts per reason.",
  })
  heldNotices(
    @CurrentCaller() caller: Caller,
    @Args() args: HeldNoticesArgs,
  ): Promise<ConnectionShape<HeldNotice> & { byReason: HeldNoticeReasonCount[] }> {
    requirePermission(caller, Permission.NOTICE_READ);
    return this.held.list(caller, args);
  }
}
