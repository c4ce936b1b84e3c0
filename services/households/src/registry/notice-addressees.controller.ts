import { Body, Controller, HttpCode, HttpStatus, Post, UseFilters, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { queryRows } from '#libs/database';
import { ErrorCode, isUuid } from '#libs/errors';
import { PlainHttpError, PlainHttpErrorFilter, RequireSigner, ServiceCallerGuard, SignedCaller } from '#libs/platform';
import { PersonalDataAudit, maskNameSql } from '#libs/privacy';

/** The user id notifications signs its requests for addressees with. */
export const NOTIFICATIONS_CALLER = 'system:notifications';

/** At most this many residents per request: notifications asks in pages. */
export const ADDRESSEES_PER_REQUEST = 1000;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One resident as a notice about them is addressed on a given date: an adult by name; a minor never by name, only
 * through the guardian whose consent is on record (guardianName null when none). `maskedName` is for staff lists of
 * notices held back. Residents households does not know are left out.
 */
export interface NoticeAddressee {
  residentId: string;
  minor: boolean;
  name: string | null;
  maskedName: string;
  guardianName: string | null;
}

/**
 * Internal route (not proxied by the gateway): notifications asks, when it makes a month's notices, for the names and
 * guardians of the residents it is about to write about, so grade events carry ids only. Only requests signed with the
 * platform's context-signing secret as `system:notifications` are answered. Minority is decided on the notice's
 * date by `minor_on`, the one rule.
 */
@Controller('internal/notice-addressees')
@UseFilters(PlainHttpErrorFilter)
@UseGuards(ServiceCallerGuard)
@RequireSigner(NOTIFICATIONS_CALLER)
export class NoticeAddresseesController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: PersonalDataAudit,
  ) {}

  @Post()
  @HttpCode(200)
  async addressees(
    @SignedCaller() signer: Caller,
    @Body() body: { on?: unknown; residentIds?: unknown } | undefined,
  ): Promise<{ addressees: NoticeAddressee[] }> {
    const { on, residentIds } = body ?? {};
    if (typeof on !== 'string' || !DATE.test(on))
      throw new PlainHttpError(HttpStatus.BAD_REQUEST, ErrorCode.BAD_USER_INPUT, 'on must be a YYYY-MM-DD date');
    if (!Array.isArray(residentIds) || residentIds.length > ADDRESSEES_PER_REQUEST || !residentIds.every((id) => isUuid(id))) {
      throw new PlainHttpError(
        HttpStatus.BAD_REQUEST,
        ErrorCode.BAD_USER_INPUT,
        `residentIds must be at most ${ADDRESSEES_PER_REQUEST} uuids`,
      );
    }
    const addressees = await queryRows<NoticeAddressee>(
      this.dataSource,
      `SELECT r.id AS "residentId", m.minor, CASE WHEN NOT m.minor THEN r.name END AS name, ${maskNameSql('r.name')} AS "maskedName",
              CASE WHEN m.minor THEN r.guardian_name END AS "guardianName"
         FROM resident r CROSS JOIN LATERAL (SELECT minor_on(r.birth_date, r.birth_date_precision, $2::date) AS minor) AS m
        WHERE r.id = ANY($1::uuid[])`,
      [residentIds, on],
    );
    // Names handed out are unmasked reads like any other: audited, to notifications, one row per request.
    const named = addressees.filter((a) => a.name !== null || a.guardianName !== null).map((a) => a.residentId);
    await this.audit.recordRead(signer, 'Resident', named);
    return { addressees };
  }
}
