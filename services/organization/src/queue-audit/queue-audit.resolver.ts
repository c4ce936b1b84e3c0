import { Args, Query, Resolver } from '@nestjs/graphql';
import type { ConnectionShape } from '#libs/pagination';
import { QueueActionAuditArgs, QueueActionAuditEntry, QueueActionAuditEntryConnection } from './queue-audit.models.js';
import { QueueActionAudit } from './queue-audit.service.js';

@Resolver(() => QueueActionAuditEntry)
export class QueueAuditResolver {
  constructor(private readonly audit: QueueActionAudit) {}

  @Query(() => QueueActionAuditEntryConnection, {
    description:
      'What operators did through the queue dashboard (retries, removals, promotions, cleans, pauses, resumes, emptying): newest first.',
  })
  queueActionAudit(@Args() args: QueueActionAuditArgs): Promise<ConnectionShape<QueueActionAuditEntry>> {
    return this.audit.list(args);
  }
}
