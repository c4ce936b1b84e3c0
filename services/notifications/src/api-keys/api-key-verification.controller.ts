import { Body, Controller, HttpCode, Inject, Post, Req, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import type { GatewaySignatureVerifier } from '#libs/auth';
import { GATEWAY_SIGNATURE_VERIFIER, verifyGatewayRoute } from '#libs/platform';
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
    @Inject(GATEWAY_SIGNATURE_VERIFIER) private readonly verifier: GatewaySignatureVerifier | null,
  ) {}

  @Post('verify')
  @HttpCode(200)
  async verify(@Req() request: Request, @Body() body: { key?: unknown } | undefined): Promise<ApiKeyVerdict> {
    let signer: string;
    try {
      signer = (await verifyGatewayRoute(this.verifier, request)).userId;
    } catch {
      throw new UnauthorizedException('Only the gateway may verify API keys');
    }
    if (signer !== GATEWAY_CALLER) throw new UnauthorizedException('Only the gateway may verify API keys');
    return this.apiKeys.verify(typeof body?.key === 'string' ? body.key : '');
  }
}
