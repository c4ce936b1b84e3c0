import { Body, Controller, HttpCode, Inject, Post, Req, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { verifyCaller } from '#libs/auth';
import { SERVICE_RUNTIME, type ServiceRuntime } from '#libs/platform';
import { ApiKeyService, type ApiKeyVerdict } from './api-key.service.js';

/** The user id the gateway signs its own requests with (API key checks). */
export const GATEWAY_CALLER = 'system:gateway';

/**
 * Where the gateway checks an `x-api-key` on every request (nothing is cached, so a revoked key stops at once).
 * Internal: only the gateway's signed requests are answered.
 */
@Controller('internal/api-keys')
export class ApiKeyVerificationController {
  constructor(
    private readonly apiKeys: ApiKeyService,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
  ) {}

  @Post('verify')
  @HttpCode(200)
  verify(@Req() request: Request, @Body() body: { key?: unknown }): Promise<ApiKeyVerdict> {
    let signer: string;
    try {
      signer = verifyCaller(request.headers, this.runtime.env.CONTEXT_SIGNING_SECRET).userId;
    } catch {
      throw new UnauthorizedException('Only the gateway may verify API keys');
    }
    if (signer !== GATEWAY_CALLER) throw new UnauthorizedException('Only the gateway may verify API keys');
    return this.apiKeys.verify(typeof body?.key === 'string' ? body.key : '');
  }
}
