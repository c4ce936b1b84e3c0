import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { CurrentCaller, ParseUuidPipe } from '#libs/platform';
import { DistrictMetrics } from './district-metrics.model.js';
import { DistrictMetricsService, MAX_METRIC_MONTHS } from './district-metrics.service.js';

@Resolver(() => DistrictMetrics)
export class DistrictMetricsResolver {
  constructor(private readonly metrics: DistrictMetricsService) {}

  @Query(() => DistrictMetrics, {
    description:
      'The headline figures (collection coverage, recycling, resource-utilisation and harmless-treatment rates, sorting-quality pass rate, ' +
      'commitment-letter coverage, upgrades from UNQUALIFIED) of a unit of your territory for a month (YYYY-MM, Asia/Shanghai, not after ' +
      'this one), with the same figures for each unit directly below in children. Each figure carries its formula, numerator, denominator ' +
      'and the count of records behind it. INVALID_MONTH, FUTURE_MONTH; NOT_FOUND; FORBIDDEN / OUT_OF_SCOPE.',
  })
  async districtMetrics(
    @CurrentCaller() caller: Caller,
    @Args(
      'orgUnitId',
      { type: () => ID, description: 'A unit of your territory (district, street, community or compound).' },
      ParseUuidPipe,
    )
    orgUnitId: string,
    @Args('month', { description: 'YYYY-MM (Asia/Shanghai).' }) month: string,
  ): Promise<DistrictMetrics> {
    const [ofMonth] = await this.metrics.metrics(caller, orgUnitId, month, month, true);
    return DistrictMetrics.ofMonth(ofMonth);
  }

  @Query(() => [DistrictMetrics], {
    description:
      `The headline figures of a unit of your territory for each month from \`from\` to \`to\` (YYYY-MM, inclusive, oldest first, at most ` +
      `${MAX_METRIC_MONTHS} months: RANGE_TOO_LONG), without children. INVALID_MONTH, INVALID_RANGE, FUTURE_MONTH; NOT_FOUND; FORBIDDEN / OUT_OF_SCOPE.`,
  })
  async districtMetricsRange(
    @CurrentCaller() caller: Caller,
    @Args(
      'orgUnitId',
      { type: () => ID, description: 'A unit of your territory (district, street, community or compound).' },
      ParseUuidPipe,
    )
    orgUnitId: string,
    @Args('from', { description: 'First month, YYYY-MM (inclusive).' }) from: string,
    @Args('to', { description: 'Last month, YYYY-MM (inclusive), not before from.' }) to: string,
  ): Promise<DistrictMetrics[]> {
    const months = await this.metrics.metrics(caller, orgUnitId, from, to, false);
    return months.map((month) => DistrictMetrics.ofMonth(month));
  }
}
