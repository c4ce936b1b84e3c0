import { Module } from '@nestjs/common';
import { PersonalDataAudit } from '#libs/privacy';
import { ApiKeyAudit } from './api-key-audit.js';
import { ApiKeyVerificationController } from './api-key-verification.controller.js';
import { ApiKeyResolver } from './api-key.resolver.js';
import { ApiKeyService } from './api-key.service.js';
import { EnrolmentController } from './enrolment.controller.js';
import { InstitutionEnrolmentService } from './institution-enrolment.service.js';

@Module({
  controllers: [ApiKeyVerificationController, EnrolmentController],
  providers: [ApiKeyService, ApiKeyResolver, ApiKeyAudit, InstitutionEnrolmentService, PersonalDataAudit],
})
export class ApiKeysModule {}
