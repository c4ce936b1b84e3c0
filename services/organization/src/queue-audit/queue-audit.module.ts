import { Module } from '@nestjs/common';
import { QueueAuditController } from './queue-audit.controller.js';
import { QueueAuditResolver } from './queue-audit.resolver.js';
import { QueueActionAudit } from './queue-audit.service.js';

@Module({ controllers: [QueueAuditController], providers: [QueueActionAudit, QueueAuditResolver] })
export class QueueAuditModule {}
