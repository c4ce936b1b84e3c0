import { Body, Controller, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { GatewaySignatureVerifier } from '#libs/auth';
import { DomainError, ErrorCode } from '#libs/errors';
import { GATEWAY_SIGNATURE_VERIFIER, verifyGatewayRoute } from '#libs/platform';
import { InstitutionEnrolmentService } from './institution-enrolment.service.js';

/** The caller id the gateway signs enrolment requests with: nobody is signed in, the code is the credential. */
export const ENROLMENT_CALLER = 'enrolment:public';

const STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.BAD_USER_INPUT]: HttpStatus.BAD_REQUEST,
  [ErrorCode.NOT_FOUND]: HttpStatus.NOT_FOUND,
  [ErrorCode.CONFLICT]: HttpStatus.CONFLICT,
};

/**
 * `POST /api-keys/enrol` `{ "code": "wse_…" }`, reached through the gateway: an institution redeems the enrolment code
 * staff handed to its contact and is answered its API key, `201 { apiKey: { id, prefix, label, … }, secret }`, the
 * secret this once. Refusals are `{ error: { code, reason, message } }`: 400 MALFORMED_ENROLMENT_CODE, 404
 * UNKNOWN_ENROLMENT_CODE, 409 ENROLMENT_CODE_USED / ENROLMENT_CODE_EXPIRED / ENROLMENT_CANCELLED. Only requests the
 * gateway signed are answered.
 */
@Controller('api-keys')
export class EnrolmentController {
  constructor(
    private readonly enrolments: InstitutionEnrolmentService,
    @Inject(GATEWAY_SIGNATURE_VERIFIER) private readonly verifier: GatewaySignatureVerifier | null,
  ) {}

  @Post('enrol')
  async enrol(@Req() request: Request, @Res() response: Response, @Body() body: { code?: unknown } | undefined): Promise<void> {
    let requestId: string;
    try {
      requestId = (await verifyGatewayRoute(this.verifier, request)).requestId;
    } catch {
      response.status(HttpStatus.UNAUTHORIZED).json({ error: { code: ErrorCode.UNAUTHENTICATED, message: 'Enrol through the gateway' } });
      return;
    }
    try {
      const issued = await this.enrolments.redeem(typeof body?.code === 'string' ? body.code.trim() : '', requestId);
      const { institution, ...apiKey } = issued.apiKey;
      response.status(HttpStatus.CREATED).json({ apiKey: { ...apiKey, institutionId: institution.id }, secret: issued.secret });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const { code, reason, message } = error;
      response.status(STATUS[code] ?? HttpStatus.BAD_REQUEST).json({ error: { code, reason, message } });
    }
  }
}
