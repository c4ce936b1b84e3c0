import { Body, Controller, Post, UseFilters, UseGuards } from '@nestjs/common';
import type { Caller } from '#libs/auth';
import { GatewayCallerGuard, PlainHttpErrorFilter, SignedCaller } from '#libs/platform';
import { InstitutionEnrolmentService } from './institution-enrolment.service.js';

/** The caller id the gateway signs enrolment requests with: nobody is signed in, the code is the credential. */
export const ENROLMENT_CALLER = 'enrolment:public';

/**
 * `POST /api-keys/enrol` `{ "code": "wse_…" }`, reached through the gateway: an institution redeems the enrolment code
 * staff handed to its contact and is answered its API key, `201 { apiKey: { id, prefix, label, … }, secret }`, the
 * secret this once. Refusals are `{ error: { code, reason, message } }` (libs/platform's plain-HTTP errors): 400 MALFORMED_ENROLMENT_CODE, 404
 * UNKNOWN_ENROLMENT_CODE, 409 ENROLMENT_CODE_USED / ENROLMENT_CODE_EXPIRED / ENROLMENT_CANCELLED. Only requests the
 * gateway signed are answered.
 */
@Controller('api-keys')
@UseFilters(PlainHttpErrorFilter)
@UseGuards(GatewayCallerGuard)
export class EnrolmentController {
  constructor(private readonly enrolments: InstitutionEnrolmentService) {}

  @Post('enrol')
  async enrol(@SignedCaller() caller: Caller, @Body() body: { code?: unknown } | undefined): Promise<{ apiKey: object; secret: string }> {
    const issued = await this.enrolments.redeem(typeof body?.code === 'string' ? body.code.trim() : '', caller.requestId);
    const { institution, ...apiKey } = issued.apiKey;
    return { apiKey: { ...apiKey, institutionId: institution.id }, secret: issued.secret };
  }
}
