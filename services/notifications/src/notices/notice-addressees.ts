import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { signCaller } from '#libs/auth';
import { currentRequestId } from '#libs/observability';
import { execute, queryRows } from '#libs/database';
import { SERVICE_RUNTIME, type ServiceRuntime } from '#libs/platform';
import { tracedFetch } from '#libs/telemetry';

/** The user id notifications signs its internal requests to households with. */
export const NOTIFICATIONS_CALLER = 'system:notifications';

/** households answers at most this many residents per request. */
const PAGE = 1000;
const TIMEOUT_MS = 30_000;

/**
 * Whom each notice is addressed to, asked of households when notices are made (grade events carry ids only): an
 * adult's name, or for a minor (on the notice's date) the guardian whose consent is on record. Loaded into the
 * transaction's temporary table `notice_addressee`, which notice-sql.ts reads; it is dropped at commit, so names
 * stay only on the notices that carry them.
 */
@Injectable()
export class NoticeAddressees {
  constructor(@Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime) {}

  /**
   * Fills `notice_addressee` (inside the caller's transaction) for the residents `candidatesSql` selects (a query
   * returning resident_id, with `params`), as of `on` (YYYY-MM-DD, the notice's date), in pages.
   */
  async load(manager: EntityManager, on: string, candidatesSql: string, params: unknown[]): Promise<void> {
    await execute(manager, `DROP TABLE IF EXISTS pg_temp.notice_addressee`);
    await execute(
      manager,
      `
      CREATE TEMPORARY TABLE notice_addressee (
        resident_id   uuid PRIMARY KEY,
        minor         boolean NOT NULL,
        name          text,
        masked_name   text,
        guardian_name text
      ) ON COMMIT DROP`,
    );
    const rows = await queryRows<{ residentId: string }>(
      manager,
      `SELECT DISTINCT resident_id AS "residentId" FROM (${candidatesSql}) c ORDER BY 1`,
      params,
    );
    for (let start = 0; start < rows.length; start += PAGE) {
      const page = rows.slice(start, start + PAGE).map((row) => row.residentId);
      const addressees = await this.fetchPage(on, page);
      await execute(
        manager,
        `INSERT INTO notice_addressee (resident_id, minor, name, masked_name, guardian_name)
         SELECT "residentId", minor, name, "maskedName", "guardianName"
           FROM jsonb_to_recordset($1::jsonb) AS a("residentId" uuid, minor boolean, name text, "maskedName" text, "guardianName" text)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(addressees)],
      );
    }
  }

  private async fetchPage(on: string, residentIds: string[]): Promise<unknown[]> {
    // The job's request id goes with the call, so households' lines for it carry the same id.
    const requestId = currentRequestId() ?? '';
    const caller = { userId: NOTIFICATIONS_CALLER, roles: [], orgUnitId: null, householdId: null, institutionId: null, requestId };
    const response = await tracedFetch(new URL('/internal/notice-addressees', this.runtime.env.HOUSEHOLDS_INTERNAL_URL), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(requestId ? { 'x-request-id': requestId } : {}),
        ...signCaller(caller, this.runtime.env.CONTEXT_SIGNING_SECRET),
      },
      body: JSON.stringify({ on, residentIds }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    // The message names no one: a status only. The job fails and is retried; nothing of the month is written.
    if (!response.ok) throw new Error(`households answered ${response.status} to the notice addressees request`);
    return ((await response.json()) as { addressees: unknown[] }).addressees;
  }
}
