import { Injectable } from '@nestjs/common';
import { Field, Int, ObjectType, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { monthStart } from '#libs/calendar';
import { queryOne } from '#libs/database';
import { publishEntityType } from '#libs/platform';
import { districtMonthEntity } from '#libs/references';

@ObjectType('DistrictMonthVanguard', {
  description: "organization's part of a district's month: the vanguard index (先锋指数) of its party members.",
})
export class DistrictMonthVanguard {
  @Field({ description: "Whether the month's vanguard index is computed (true too when there is no party member to score)." })
  scored: boolean;

  @Field(() => Int, { description: 'Party members registered now.' })
  members: number;

  @Field(() => Int, { description: 'Party members with an index of the month.' })
  membersScored: number;

  @Field(() => Date, { nullable: true, description: 'When the last index of the month was computed.' })
  computedAt: Date | null;
}

export const DistrictMonth = districtMonthEntity();
export type DistrictMonth = InstanceType<typeof DistrictMonth>;
// No field here returns it: households' districtMonth leads to it and the gateway resolves it here by reference.
publishEntityType(DistrictMonth);

/**
 * organization's part of `districtMonth` (households owns the query): whether the month's vanguard index was computed,
 * which happens when households announces the month (grades/grade-events.handler.ts) or on demand.
 */
@Injectable()
@Resolver(() => DistrictMonth)
export class DistrictMonthVanguardResolver {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @ResolveReference()
  resolveReference(reference: { month?: unknown }): DistrictMonth | null {
    return DistrictMonth.reference(reference);
  }

  @ResolveField(() => DistrictMonthVanguard, { description: "organization's part: whether the month's vanguard index is computed." })
  async vanguard(@Parent() month: DistrictMonth): Promise<DistrictMonthVanguard> {
    const row = await queryOne<Omit<DistrictMonthVanguard, 'scored'>>(
      this.dataSource,
      `SELECT (SELECT count(*)::int FROM party_member) AS members, count(*)::int AS "membersScored", max(computed_at) AS "computedAt"
         FROM vanguard_index_month WHERE month = $1::date`,
      [monthStart(month.month)],
    );
    return Object.assign(new DistrictMonthVanguard(), { ...row, scored: row.membersScored > 0 || row.members === 0 });
  }
}
