import { Body, Controller, HttpCode, Param, Post, UseFilters, UseGuards } from '@nestjs/common';
import { Permission, type Caller } from '#libs/auth';
import { GatewayCallerGuard, PlainHttpErrorFilter, RequireAnyPermission, SignedCaller } from '#libs/platform';
import { QueueActionAudit } from './queue-audit.service.js';

/**
 * Where the gateway's queue dashboard records each action before it runs, and its outcome after. Only requests the
 * gateway signed for an operator (QUEUE_OPERATE) are answered, so the audit names whoever really acted.
 */
@Controller('internal/queue-actions')
@UseFilters(PlainHttpErrorFilter)
@UseGuards(GatewayCallerGuard)
export class QueueAuditController {
  constructor(private readonly audit: QueueActionAudit) {}

  @Post()
  @HttpCode(201)
  @RequireAnyPermission(Permission.QUEUE_OPERATE)
  request(@SignedCaller() caller: Caller, @Body() body: unknown): Promise<{ id: string }> {
    return this.audit.request(caller, body);
  }

  @Post(':id/outcome')
  @HttpCode(204)
  @RequireAnyPermission(Permission.QUEUE_OPERATE)
  async settle(@SignedCaller() caller: Caller, @Param('id') id: string, @Body() body: unknown): Promise<void> {
    await this.audit.settle(caller, id, body);
  }
}
