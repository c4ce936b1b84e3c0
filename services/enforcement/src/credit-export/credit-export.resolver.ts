import { Args, Parent, Query, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { CurrentCaller, requireUuid } from '#libs/platform';
import { CreditExportConnection, CreditExportsArgs, DistrictMonth, DistrictMonthCreditExports } from './credit-export.models.js';
import { CreditExportService } from './credit-export.service.js';

@Resolver()
export class CreditExportResolver {
  constructor(private readonly exports: CreditExportService) {}

  @Query(() => CreditExportConnection, {
    description: 'Credit/points exports and their delivery attempts (the audit trail), oldest first.',
  })
  creditExports(@CurrentCaller() caller: Caller, @Args() args: CreditExportsArgs): Promise<CreditExportConnection> {
    if (args.caseId) args.caseId = requireUuid(args.caseId, 'caseId');
    return this.exports.list(caller, args);
  }
}

/** enforcement's part of `districtMonth` (households owns the query): the month's credit/points exports by state. */
@Resolver(() => DistrictMonth)
export class DistrictMonthCreditExportsResolver {
  constructor(private readonly exports: CreditExportService) {}

  @ResolveReference()
  resolveReference(reference: { month?: unknown }): DistrictMonth | null {
    return DistrictMonth.reference(reference);
  }

  @ResolveField(() => DistrictMonthCreditExports, {
    description: "enforcement's part: the month's credit/points exports due, sent and failed.",
  })
  creditExports(@Parent() month: DistrictMonth): Promise<DistrictMonthCreditExports> {
    return this.exports.ofMonth(month.month);
  }
}
