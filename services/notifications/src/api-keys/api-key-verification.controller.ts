import { Body, Controller, HttpCode, Post, UseFilters, UseGuards } from '@nestjs/common';
import { GatewayCallerGuard, PlainHttpErrorFilter, RequireSigner } from '#libs/platform';
import { ApiKeyService, type ApiKeyVerdict } from './api-key.service.js';

/** The user id the gateway signs its own requests with (API key checks). */
export const GATEWAY_CALLER = 'system:gateway';

/**
 * Where the gateway checks an `x-api-key` on every request (nothing is cached, so a revoked key stops at once).
 * Internal: only the gateway's signed requests, signed as the gateway itself, are answered (401 otherwise).
 */
@Controller('internal/api-keys')
@UseFilters(PlainHttpErrorFilter)
@UseGuards(GatewayCallerGuard)
@RequireSigner(GATEWAY_CALLER)
export class ApiKeyVerificationController {
  constructor(private readonly apiKeys: ApiKeyService) {}

  @Post('verify')
  @HttpCode(200)
  async verify(@Body() body: { key?: unknown } | undefined): Promise<ApiKeyVerdict> {
    return this.apiKeys.verify(typeof body?.key === 'string' ? body.key : '');
  }
}
