import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Permission, hasPermission, type Caller } from '#libs/auth';
import { SqlParams, execute, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError, requireText } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape } from '#libs/pagination';
import { ApiKeyAudit } from './api-key-audit.js';
import { apiKeyMatches, apiKeyPrefix, newApiKey } from './api-key-format.js';
import { ApiKeyAuditKind, InstitutionApiKey, type ApiKeyRow, type InstitutionApiKeysArgs, type IssuedApiKey } from './api-key.models.js';

export const COLUMNS = `id, institution_id AS "institutionId", prefix, label, created_by AS "createdBy", created_at AS "createdAt",
  expires_at AS "expiresAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt", issued_by AS "issuedBy"`;

/** Longest overlap a rotation may give the old key. */
export const MAX_ROTATION_OVERLAP_HOURS = 30 * 24;
export const DEFAULT_ROTATION_OVERLAP_HOURS = 24;

/** Why a key did not authenticate; the gateway answers UNAUTHENTICATED with this reason. */
export type ApiKeyRefusal = 'MALFORMED_API_KEY' | 'UNKNOWN_API_KEY' | 'API_KEY_REVOKED' | 'API_KEY_EXPIRED';

export type ApiKeyVerdict = { ok: true; institutionId: string; keyId: string; prefix: string } | { ok: false; reason: ApiKeyRefusal };

@Injectable()
export class ApiKeyService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * A new key for the same institution, answered to the institution alone (staff never see a secret); the old one
   * keeps working for `overlapHours` so clients switch without a gap. The new key keeps the enrolment and issuing
   * staff member of the old. Only an active key can be rotated, and only once.
   */
  async rotate(caller: Caller, id: string, overlapHours = DEFAULT_ROTATION_OVERLAP_HOURS): Promise<IssuedApiKey> {
    if (!Number.isInteger(overlapHours) || overlapHours < 0 || overlapHours > MAX_ROTATION_OVERLAP_HOURS) {
      throw DomainError.badInput(`overlapHours must be a whole number from 0 to ${MAX_ROTATION_OVERLAP_HOURS}`, 'INVALID_OVERLAP');
    }
    return this.dataSource.transaction(async (manager) => {
      const old = await queryFirst<ApiKeyRow & { replacedBy: string | null; enrolmentId: string | null }>(
        manager,
        `SELECT ${COLUMNS}, replaced_by AS "replacedBy", enrolment_id AS "enrolmentId" FROM institution_api_key WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!old || caller.institutionId !== old.institutionId) throw DomainError.notFound('InstitutionApiKey', id);
      if (!InstitutionApiKey.from(old).active || old.replacedBy) {
        throw DomainError.conflict('Only an active key that has not been rotated already can be rotated', 'API_KEY_NOT_ROTATABLE');
      }
      const issued = newApiKey();
      const row = await queryOne<ApiKeyRow>(
        manager,
        `INSERT INTO institution_api_key (institution_id, prefix, key_hash, label, created_by, enrolment_id, issued_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
        [old.institutionId, issued.prefix, issued.hash, old.label, caller.userId, old.enrolmentId, old.issuedBy],
      );
      await execute(
        manager,
        `UPDATE institution_api_key SET expires_at = now() + make_interval(hours => $2), replaced_by = $3 WHERE id = $1`,
        [id, overlapHours, row.id],
      );
      await ApiKeyAudit.record(manager, {
        kind: ApiKeyAuditKind.KEY_ROTATED,
        institutionId: row.institutionId,
        apiKeyId: row.id,
        enrolmentId: old.enrolmentId,
        issuedBy: row.issuedBy,
        actor: caller.userId,
        requestId: caller.requestId,
      });
      return { apiKey: InstitutionApiKey.from(row), secret: issued.key };
    });
  }

  /**
   * Stops a key at once and, unless `cascade` is false, every key rotated from it (its successor, that one's
   * successor, …): a key revoked because it leaked must not live on through the rotation its holder made. Revoking a
   * revoked key is a CONFLICT (API_KEY_REVOKED). Each key stopped is an audit event.
   */
  async revoke(caller: Caller, id: string, cascade = true): Promise<InstitutionApiKey> {
    return this.dataSource.transaction(async (manager) => {
      const existing = await queryFirst<ApiKeyRow>(manager, `SELECT ${COLUMNS} FROM institution_api_key WHERE id = $1 FOR UPDATE`, [id]);
      if (!existing || !this.mayManage(caller, existing.institutionId)) throw DomainError.notFound('InstitutionApiKey', id);
      if (existing.revokedAt) throw DomainError.conflict('This key was revoked already', 'API_KEY_REVOKED');
      const revoked = await queryRows<ApiKeyRow & { enrolmentId: string | null }>(
        manager,
        `WITH RECURSIVE chain AS (
           SELECT id, replaced_by FROM institution_api_key WHERE id = $1
           UNION
           SELECT k.id, k.replaced_by FROM institution_api_key k JOIN chain c ON k.id = c.replaced_by WHERE $3::boolean
         ), revoked AS (
           UPDATE institution_api_key SET revoked_at = now(), revoked_by = $2
            WHERE id IN (SELECT id FROM chain) AND revoked_at IS NULL RETURNING *
         ) SELECT ${COLUMNS}, enrolment_id AS "enrolmentId" FROM revoked`,
        [id, caller.userId, cascade],
      );
      for (const key of revoked) {
        await ApiKeyAudit.record(manager, {
          kind: ApiKeyAuditKind.KEY_REVOKED,
          institutionId: key.institutionId,
          apiKeyId: key.id,
          enrolmentId: key.enrolmentId,
          issuedBy: key.issuedBy,
          actor: caller.userId,
          requestId: caller.requestId,
        });
      }
      return InstitutionApiKey.from(revoked.find((key) => key.id === id)!);
    });
  }

  /** Keys newest first: staff name the institution, an institution sees its own. */
  list(caller: Caller, args: InstitutionApiKeysArgs): Promise<ConnectionShape<InstitutionApiKey>> {
    const institutionId = caller.institutionId ?? args.institutionId;
    if (!institutionId) throw DomainError.badInput('Name the institution whose keys to list', 'INSTITUTION_REQUIRED');
    const params = new SqlParams();
    const now = new Date();
    return fetchKeysetPage<ApiKeyRow, InstitutionApiKey>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'institution_api_key',
        where: [`institution_id = ${params.add(institutionId)}::uuid`],
        params,
        orderBy: ['created_at', 'id'],
        keyOf: (row) => [row.createdAt.toISOString(), row.id],
        descending: true,
      },
      (rows) => rows.map((row) => InstitutionApiKey.from(row, now)),
    );
  }

  /** Checks a presented key; on success notes when it was last used (at most once a minute, to spare writes). */
  async verify(key: string): Promise<ApiKeyVerdict> {
    const prefix = apiKeyPrefix(key);
    if (!prefix) return { ok: false, reason: 'MALFORMED_API_KEY' };
    const row = await queryFirst<{ id: string; institutionId: string; keyHash: Buffer; revoked: boolean; expired: boolean }>(
      this.dataSource,
      `SELECT id, institution_id AS "institutionId", key_hash AS "keyHash", revoked_at IS NOT NULL AS revoked,
              coalesce(expires_at <= now(), false) AS expired
         FROM institution_api_key WHERE prefix = $1`,
      [prefix],
    );
    if (!row || !apiKeyMatches(key, row.keyHash)) return { ok: false, reason: 'UNKNOWN_API_KEY' };
    if (row.revoked) return { ok: false, reason: 'API_KEY_REVOKED' };
    if (row.expired) return { ok: false, reason: 'API_KEY_EXPIRED' };
    await execute(
      this.dataSource,
      `UPDATE institution_api_key SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [row.id],
    );
    return { ok: true, institutionId: row.institutionId, keyId: row.id, prefix };
  }

  /** An institution manages only its own keys; staff with API_KEY_MANAGE any. */
  private mayManage(caller: Caller, institutionId: string): boolean {
    return caller.institutionId ? caller.institutionId === institutionId : hasPermission(caller, Permission.API_KEY_MANAGE);
  }
}

export function validLabel(label: string): string {
  return requireText(label, 'label', 100, 'INVALID_LABEL');
}
