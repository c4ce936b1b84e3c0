import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { SqlParams, execute, queryFirst, queryOne } from '#libs/database';
import { DomainError, ErrorCode } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { PersonalDataAudit, maskNameSql } from '#libs/privacy';
import { ApiKeyAudit } from './api-key-audit.js';
import { enrolmentCodeHash, newApiKey, newEnrolmentCode } from './api-key-format.js';
import {
  ApiKeyAuditKind,
  InstitutionApiKey,
  InstitutionEnrolment,
  InstitutionEnrolmentState,
  type ApiKeyRow,
  type EnrolmentRow,
  type InstitutionEnrolmentsArgs,
  type IssuedApiKey,
  type IssuedInstitutionEnrolment,
} from './api-key.models.js';
import { COLUMNS as KEY_COLUMNS, validLabel } from './api-key.service.js';

export const DEFAULT_ENROLMENT_HOURS = 72;
export const MAX_ENROLMENT_HOURS = 30 * 24;

const STATE = `CASE WHEN e.cancelled_at IS NOT NULL THEN 'CANCELLED' WHEN e.redeemed_at IS NOT NULL THEN 'REDEEMED'
  WHEN e.expires_at <= now() THEN 'EXPIRED' ELSE 'OPEN' END`;

/** The enrolment columns, the contact masked unless `unmasked` (a SQL boolean): names as everywhere, phones 138****5678. */
function enrolmentColumns(unmasked: boolean): string {
  const phone = `CASE WHEN char_length(e.contact_phone) = 11 THEN left(e.contact_phone, 3) || '****' || right(e.contact_phone, 4)
    ELSE repeat('*', char_length(e.contact_phone)) END`;
  return `e.id, e.institution_id AS "institutionId", e.label,
    ${unmasked ? 'e.contact_name' : maskNameSql('e.contact_name')} AS "contactName", ${unmasked ? 'e.contact_phone' : phone} AS "contactPhone",
    e.issued_by AS "issuedBy", e.issued_at AS "issuedAt", e.expires_at AS "expiresAt", e.redeemed_at AS "redeemedAt",
    e.api_key_id AS "apiKeyId", e.cancelled_at AS "cancelledAt", ${STATE} AS state`;
}

export interface EnrolmentInput {
  institutionId: string;
  label: string;
  contactName: string;
  contactPhone?: string | null;
  expiresInHours?: number | null;
}

/**
 * How an institution gets its API key without any member of staff seeing the secret: staff with API_KEY_MANAGE issue
 * a one-time, expiring enrolment code for the institution's contact; the institution redeems it (POST /api-keys/enrol
 * through the gateway) and is answered the key. The contact's name and phone are kept only while the code is open.
 */
@Injectable()
export class InstitutionEnrolmentService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly personalData: PersonalDataAudit,
  ) {}

  async issue(caller: Caller, input: EnrolmentInput): Promise<IssuedInstitutionEnrolment> {
    const label = validLabel(input.label);
    const contactName = input.contactName.trim();
    if (contactName.length === 0 || contactName.length > 50) {
      throw DomainError.badInput('contactName must be 1–50 characters', 'INVALID_CONTACT');
    }
    const contactPhone = input.contactPhone?.trim() || null;
    if (contactPhone !== null && !/^\+?\d[\d -]{4,19}$/.test(contactPhone)) {
      throw DomainError.badInput('contactPhone must be a phone number (digits, spaces, dashes, an optional leading +)', 'INVALID_CONTACT');
    }
    const hours = input.expiresInHours ?? DEFAULT_ENROLMENT_HOURS;
    if (!Number.isInteger(hours) || hours < 1 || hours > MAX_ENROLMENT_HOURS) {
      throw DomainError.badInput(`expiresInHours must be a whole number from 1 to ${MAX_ENROLMENT_HOURS}`, 'INVALID_EXPIRY');
    }
    const institution = await queryFirst<{ id: string }>(this.dataSource, `SELECT id FROM institution_copy WHERE id = $1`, [
      input.institutionId,
    ]);
    if (!institution) throw DomainError.notFound('Institution', input.institutionId);
    const { code, hash } = newEnrolmentCode();
    const id: string = await this.dataSource.transaction(async (manager) => {
      const row = await queryOne<{ id: string }>(
        manager,
        `INSERT INTO institution_enrolment (institution_id, code_hash, label, contact_name, contact_phone, issued_by, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(hours => $7)) RETURNING id`,
        [input.institutionId, hash, label, contactName, contactPhone, caller.userId, hours],
      );
      await ApiKeyAudit.record(manager, {
        kind: ApiKeyAuditKind.ENROLMENT_ISSUED,
        institutionId: input.institutionId,
        enrolmentId: row.id,
        issuedBy: caller.userId,
        actor: caller.userId,
        requestId: caller.requestId,
      });
      return row.id;
    });
    return { enrolment: await this.get(caller, id), code };
  }

  /** Closes an open (or expired) enrolment so its code can never be redeemed, and erases the contact. */
  async cancel(caller: Caller, id: string): Promise<InstitutionEnrolment> {
    await this.dataSource.transaction(async (manager) => {
      const row = await queryFirst<{ institutionId: string; issuedBy: string }>(
        manager,
        `WITH cancelled AS (
           UPDATE institution_enrolment SET cancelled_at = now(), cancelled_by = $2, contact_name = NULL, contact_phone = NULL
            WHERE id = $1 AND cancelled_at IS NULL AND redeemed_at IS NULL RETURNING institution_id, issued_by
         ) SELECT institution_id AS "institutionId", issued_by AS "issuedBy" FROM cancelled`,
        [id, caller.userId],
      );
      if (!row) {
        const existing = await queryFirst<{ id: string }>(manager, `SELECT id FROM institution_enrolment WHERE id = $1`, [id]);
        if (!existing) throw DomainError.notFound('InstitutionEnrolment', id);
        throw DomainError.conflict('This enrolment was redeemed or cancelled already', 'ENROLMENT_CLOSED');
      }
      await ApiKeyAudit.record(manager, {
        kind: ApiKeyAuditKind.ENROLMENT_CANCELLED,
        institutionId: row.institutionId,
        enrolmentId: id,
        issuedBy: row.issuedBy,
        actor: caller.userId,
        requestId: caller.requestId,
      });
    });
    return this.get(caller, id);
  }

  async get(caller: Caller, id: string): Promise<InstitutionEnrolment> {
    const unmasked = this.personalData.mayRead(caller);
    const row = await queryFirst<EnrolmentRow>(
      this.dataSource,
      `SELECT ${enrolmentColumns(unmasked)} FROM institution_enrolment e WHERE e.id = $1`,
      [id],
    );
    if (!row) throw DomainError.notFound('InstitutionEnrolment', id);
    if (unmasked && row.contactName !== null) await this.personalData.recordRead(caller, 'InstitutionEnrolment', [row.id]);
    return InstitutionEnrolment.from(row);
  }

  /** Enrolments newest first, of one institution or all, optionally in one state. */
  list(caller: Caller, args: InstitutionEnrolmentsArgs): Promise<ConnectionShape<InstitutionEnrolment>> {
    const unmasked = this.personalData.mayRead(caller);
    const params = new SqlParams();
    const where: string[] = [];
    if (args.institutionId) where.push(`e.institution_id = ${params.add(args.institutionId)}::uuid`);
    if (args.state) where.push(`${STATE} = ${params.add(args.state)}`);
    return fetchKeysetPage<EnrolmentRow, InstitutionEnrolment>(
      this.dataSource,
      args,
      {
        select: enrolmentColumns(unmasked),
        from: 'institution_enrolment e',
        where,
        params,
        orderBy: ['e.issued_at', 'e.id'],
        keyOf: (row) => [row.issuedAt.toISOString(), row.id],
        descending: true,
      },
      async (rows) => {
        if (unmasked)
          await this.personalData.recordRead(
            caller,
            'InstitutionEnrolment',
            rows.filter((row) => row.contactName !== null).map((row) => row.id),
          );
        return rows.map((row) => InstitutionEnrolment.from(row));
      },
    );
  }

  /**
   * Redeems a code: once, before it expires, unless cancelled. Creates the key, answers its secret (to the
   * institution, the only party that ever sees it), closes the enrolment and erases its contact, in one transaction.
   * `requestId` correlates the audit event with the gateway's logs.
   */
  async redeem(code: string, requestId: string): Promise<IssuedApiKey> {
    const hash = enrolmentCodeHash(code);
    if (!hash) throw DomainError.badInput('code is not an enrolment code (wse_ and 32 letters and digits)', 'MALFORMED_ENROLMENT_CODE');
    return this.dataSource.transaction(async (manager) => {
      const enrolment = await queryFirst<EnrolmentRow & { state: InstitutionEnrolmentState }>(
        manager,
        `SELECT ${enrolmentColumns(true)} FROM institution_enrolment e WHERE e.code_hash = $1 FOR UPDATE`,
        [hash],
      );
      if (!enrolment) throw new DomainError(ErrorCode.NOT_FOUND, 'This enrolment code is not known', 'UNKNOWN_ENROLMENT_CODE');
      if (enrolment.state === InstitutionEnrolmentState.REDEEMED) {
        throw DomainError.conflict('This enrolment code was redeemed already; ask for a new one', 'ENROLMENT_CODE_USED');
      }
      if (enrolment.state === InstitutionEnrolmentState.CANCELLED) {
        throw DomainError.conflict('This enrolment code was cancelled; ask for a new one', 'ENROLMENT_CANCELLED');
      }
      if (enrolment.state === InstitutionEnrolmentState.EXPIRED) {
        throw DomainError.conflict('This enrolment code has expired; ask for a new one', 'ENROLMENT_CODE_EXPIRED');
      }
      const actor = `enrolment:${enrolment.id}`;
      const issued = newApiKey();
      const key = await queryOne<ApiKeyRow>(
        manager,
        `INSERT INTO institution_api_key (institution_id, prefix, key_hash, label, created_by, enrolment_id, issued_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${KEY_COLUMNS}`,
        [enrolment.institutionId, issued.prefix, issued.hash, enrolment.label, actor, enrolment.id, enrolment.issuedBy],
      );
      await execute(
        manager,
        `UPDATE institution_enrolment SET redeemed_at = now(), api_key_id = $2, contact_name = NULL, contact_phone = NULL WHERE id = $1`,
        [enrolment.id, key.id],
      );
      await ApiKeyAudit.record(manager, {
        kind: ApiKeyAuditKind.ENROLMENT_REDEEMED,
        institutionId: key.institutionId,
        apiKeyId: key.id,
        enrolmentId: enrolment.id,
        issuedBy: enrolment.issuedBy,
        actor,
        requestId,
      });
      return { apiKey: InstitutionApiKey.from(key), secret: issued.key };
    });
  }
}
