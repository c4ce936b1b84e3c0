import { Args, Query, Resolver } from '@nestjs/graphql';
import { type Caller } from '#libs/auth';
import { CurrentCaller, requireUuid } from '#libs/platform';
import { CreditExportConnection, CreditExportsArgs } from './credit-export.models.js';
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
