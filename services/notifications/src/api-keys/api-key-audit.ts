import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Caller } from '#libs/auth';
import { SqlParams, execute } from '#libs/database';
import { fetchKeysetPage, type ConnectionShape, type Queryable } from '#libs/pagination';
import { PersonalDataAudit } from '#libs/privacy';
import { ApiKeyAuditEvent, ApiKeyAuditKind, type ApiKeyAuditEventsArgs, type ApiKeyAuditRow } from './api-key.models.js';

export interface ApiKeyAuditEntry {
  kind: ApiKeyAuditKind;
  institutionId: string;
  apiKeyId?: string | null;
  enrolmentId?: string | null;
  issuedBy?: string | null;
  actor: string;
  requestId: string;
}

const COLUMNS = `id::text AS id, occurred_at AS "occurredAt", kind, institution_id AS "institutionId", api_key_id AS "apiKeyId",
  enrolment_id AS "enrolmentId", issued_by AS "issuedBy", actor, entity, entity_ids::text[] AS "entityIds"`;

/** The record of what was done with institutions' enrolments and keys, and of what was read through a key. */
@Injectable()
export class ApiKeyAudit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Writes one event with `db` (the transaction of the change it records, so both stand or fall together). */
  static async record(db: Queryable, entry: ApiKeyAuditEntry): Promise<void> {
    await execute(
      db,
      `INSERT INTO api_key_audit_event (kind, institution_id, api_key_id, enrolment_id, issued_by, actor, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        entry.kind,
        entry.institutionId,
        entry.apiKeyId ?? null,
        entry.enrolmentId ?? null,
        entry.issuedBy ?? null,
        entry.actor,
        entry.requestId,
      ],
    );
  }

  /** Events newest first, for staff with API_KEY_MANAGE: optionally one institution's, one key's, one kind. */
  list(args: ApiKeyAuditEventsArgs): Promise<ConnectionShape<ApiKeyAuditEvent>> {
    const params = new SqlParams();
    const where: string[] = [];
    if (args.institutionId) where.push(`institution_id = ${params.add(args.institutionId)}::uuid`);
    if (args.apiKeyId) where.push(`api_key_id = ${params.add(args.apiKeyId)}::uuid`);
    if (args.kind) where.push(`kind = ${params.add(args.kind)}`);
    return fetchKeysetPage<ApiKeyAuditRow, ApiKeyAuditEvent>(
      this.dataSource,
      args,
      {
        select: COLUMNS,
        from: 'api_key_audit_event',
        where,
        params,
        orderBy: ['occurred_at', 'id'],
        keyOf: (row) => [row.occurredAt.toISOString(), row.id],
        descending: true,
      },
      (rows) => rows.map((row) => ApiKeyAuditEvent.from(row)),
    );
  }
}

/**
 * The unmasked-read audit of notifications. A read through an institution's API key is recorded as everywhere
 * (`personal_data_access`, under the key's caller id) and also as an UNMASKED_READ event naming the institution, the
 * key, the enrolment it came from and the member of staff who issued that enrolment's code: whoever could have
 * obtained the key answers for what was read with it.
 */
@Injectable()
export class KeyAttributingPersonalDataAudit extends PersonalDataAudit {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super(db);
  }

  override async recordRead(caller: Caller, entity: string, ids: readonly string[]): Promise<void> {
    await super.recordRead(caller, entity, ids);
    if (!caller.institutionId || ids.length === 0) return;
    // The gateway names a key caller `api-key:<prefix>`; the prefix is unique. A key unknown here still leaves a row.
    const prefix = caller.userId.startsWith('api-key:') ? caller.userId.slice('api-key:'.length) : null;
    await execute(
      this.db,
      `INSERT INTO api_key_audit_event (kind, institution_id, api_key_id, enrolment_id, issued_by, actor, request_id, entity, entity_ids)
       SELECT $1, $2::uuid, k.id, k.enrolment_id, k.issued_by, $3, $4, $5, $6::uuid[]
         FROM (SELECT 1) AS one LEFT JOIN institution_api_key k ON k.prefix = $7 AND k.institution_id = $2::uuid`,
      [ApiKeyAuditKind.UNMASKED_READ, caller.institutionId, caller.userId, caller.requestId, entity, ids, prefix],
    );
  }
}
