import { Module } from '@nestjs/common';
import { ApiKeyVerificationController } from './api-key-verification.controller.js';
import { ApiKeyResolver } from './api-key.resolver.js';
import { ApiKeyService } from './api-key.service.js';

@Module({
  controllers: [ApiKeyVerificationController],
  providers: [ApiKeyService, ApiKeyResolver],
})
export class ApiKeysModule {}
