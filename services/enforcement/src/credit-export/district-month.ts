import { Injectable } from '@nestjs/common';
import { Directive, Field, Int, ObjectType, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { monthStart } from '#libs/calendar';
import { queryOne } from '#libs/database';
import { publishEntityType } from '#libs/platform';
import { DISTRICT_MONTH_DESCRIPTION, districtMonthOf } from '#libs/references';

@ObjectType('DistrictMonthCreditExports', {
  description: "enforcement's part of a district's month: the credit/points exports recorded in the month (Asia/Shanghai).",
})
export class DistrictMonthCreditExports {
  @Field(() => Int, { description: 'Exports waiting to be sent or retried (PENDING).' })
  due: number;

  @Field(() => Int, { description: 'Exports the credit or points system accepted (DELIVERED).' })
  sent: number;

  @Field(() => Int, { description: 'Exports that failed for good (FAILED); see creditExports(state: FAILED).' })
  failed: number;

  @Field(() => Int, { description: 'Exports withdrawn before they were sent (未发送即撤销).' })
  cancelled: number;
}

@ObjectType('DistrictMonth', { description: DISTRICT_MONTH_DESCRIPTION })
@Directive('@key(fields: "month")')
export class DistrictMonth {
  @Field({ description: 'YYYY-MM (Asia/Shanghai).' })
  month: string;
}
// No field here returns it: households' districtMonth leads to it and the gateway resolves it here by reference.
publishEntityType(DistrictMonth);

/** enforcement's part of `districtMonth` (households owns the query): the month's credit/points exports by state. */
@Injectable()
@Resolver(() => DistrictMonth)
export class DistrictMonthCreditExportsResolver {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @ResolveReference()
  resolveReference(reference: { month?: unknown }): DistrictMonth | null {
    const month = districtMonthOf(reference);
    return month ? Object.assign(new DistrictMonth(), { month }) : null;
  }

  @ResolveField(() => DistrictMonthCreditExports, {
    description: "enforcement's part: the month's credit/points exports due, sent and failed.",
  })
  creditExports(@Parent() month: DistrictMonth): Promise<DistrictMonthCreditExports> {
    // The month's bounds as instants of Asia/Shanghai, so the range scan uses credit_export_created.
    return queryOne<DistrictMonthCreditExports>(
      this.dataSource,
      `SELECT count(*) FILTER (WHERE state = 'PENDING')::int AS due, count(*) FILTER (WHERE state = 'DELIVERED')::int AS sent,
              count(*) FILTER (WHERE state = 'FAILED')::int AS failed, count(*) FILTER (WHERE state = 'CANCELLED')::int AS cancelled
         FROM credit_export
        WHERE created_at >= $1::date::timestamp AT TIME ZONE 'Asia/Shanghai'
          AND created_at < ($1::date + interval '1 month')::timestamp AT TIME ZONE 'Asia/Shanghai'`,
      [monthStart(month.month)],
    );
  }
}
