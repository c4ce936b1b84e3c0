import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '#libs/auth';
import { PostgresErrorCode, SqlParams, execute, isPostgresError, queryFirst, queryOne, queryRows } from '#libs/database';
import { DomainError, optionalText } from '#libs/errors';
import { fetchKeysetPage, type ConnectionShape, type PageArgs } from '#libs/pagination';
import { InstitutionRef } from '#libs/references';
import { requireInstitution } from '../notices/notice.service.js';
import { disableEndpoints } from './notice-delivery-state.js';
import { SecretBox } from './secret-box.js';
import { parseWebhookUrl, resolveWebhookTarget, WebhookUrlError } from './url-policy.js';
import { WebhookDispatcher } from './webhook.dispatcher.js';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings.js';
import { newSigningSecret, secretPrefix } from './webhook-signature.js';
import {
  InstitutionWebhookHealth,
  WebhookAttempt,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointState,
  WebhookPreferences,
  WebhookSecretInfo,
  type RegisteredWebhookEndpoint,
  type RotatedWebhookSecret,
  type WebhookDeliveriesArgs,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
  type WebhookHealthArgs,
} from './webhook.models.js';

export const DEFAULT_SECRET_OVERLAP_HOURS = 24;
export const MAX_SECRET_OVERLAP_HOURS = 30 * 24;
const MAX_DESCRIPTION = 200;
const ATTEMPTS_SHOWN = 100;

const ENDPOINT_COLUMNS = `e.id, e.institution_id AS "institutionId", e.url, e.description, e.state, e.disabled_reason AS "disabledReason",
  e.disabled_at AS "disabledAt", e.created_at AS "createdAt"`;

const DELIVERY_COLUMNS = `d.id, d.message_id AS "webhookId", m.type, to_char(m.month, 'YYYY-MM') AS month, m.notice_ids::text[] AS "noticeIds", m.disclosure_id AS "disclosureId",
  d.endpoint_id AS "endpointId", e.url, d.state, d.attempts AS "attemptCount",
  CASE WHEN d.state = 'PENDING' OR d.replay_requested THEN d.next_attempt_at END AS "nextAttemptAt",
  d.replay_requested AS "replayRequested", d.last_status AS "lastStatus", d.last_error AS "lastError",
  d.succeeded_at AS "succeededAt", d.created_at AS "createdAt"`;

const DELIVERY_FROM = `webhook_delivery d JOIN webhook_message m ON m.id = d.message_id JOIN webhook_endpoint e ON e.id = d.endpoint_id`;

/**
 * Institutions' webhook endpoints, their secrets and deliveries. Every method is for an institution calling with
 * its API key and works on its own things only: another institution's endpoint or delivery is NOT_FOUND.
 */
@Injectable()
export class WebhookService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    private readonly secretBox: SecretBox,
    private readonly dispatcher: WebhookDispatcher,
  ) {}

  /**
   * Registers a URL for the institution's notices. The URL is checked (https in production; its host must resolve,
   * and only to public addresses) before anything is written, and an institution has at most
   * `WEBHOOK_MAX_ENDPOINTS_PER_INSTITUTION` active endpoints (CONFLICT, TOO_MANY_ENDPOINTS). Returns the signing
   * secret, this once.
   */
  async register(caller: Caller, urlText: string, description: string | null | undefined): Promise<RegisteredWebhookEndpoint> {
    const institutionId = requireInstitution(caller);
    const text = validDescription(description);
    const url = await this.checkedUrl(urlText);
    const secret = newSigningSecret();
    try {
      return await this.dataSource.transaction(async (manager) => {
        await this.requireEndpointRoom(manager, institutionId);
        const row = await queryOne<WebhookEndpointRow>(
          manager,
          `INSERT INTO webhook_endpoint AS e (institution_id, url, description, created_by) VALUES ($1, $2, $3, $4) RETURNING ${ENDPOINT_COLUMNS}`,
          [institutionId, url, text, caller.userId],
        );
        await this.addSecret(manager, row.id, secret);
        return { endpoint: await this.endpointOf(manager, row), secret };
      });
    } catch (error) {
      if (isPostgresError(error, PostgresErrorCode.UniqueViolation)) {
        throw DomainError.conflict('This URL is registered already', 'URL_ALREADY_REGISTERED');
      }
      throw error;
    }
  }

  /** The institution's endpoints, newest first. */
  listEndpoints(caller: Caller, args: PageArgs): Promise<ConnectionShape<WebhookEndpoint>> {
    const institutionId = requireInstitution(caller);
    const params = new SqlParams();
    return fetchKeysetPage<WebhookEndpointRow, WebhookEndpoint>(
      this.dataSource,
      args,
      {
        select: ENDPOINT_COLUMNS,
        from: 'webhook_endpoint e',
        where: [`e.institution_id = ${params.add(institutionId)}::uuid`],
        params,
        orderBy: ['e.created_at', 'e.id'],
        keyOf: (row) => [row.createdAt.toISOString(), row.id],
        descending: true,
      },
      (rows) => this.endpointsOf(this.dataSource.manager, rows),
    );
  }

  /**
   * A new signing secret; the current one keeps signing for `overlapHours` (default 24), and meanwhile every
   * delivery carries both signatures, so the institution can switch its verifier over without losing a message.
   */
  async rotateSecret(caller: Caller, endpointId: string, overlapHours = DEFAULT_SECRET_OVERLAP_HOURS): Promise<RotatedWebhookSecret> {
    const institutionId = requireInstitution(caller);
    if (!Number.isInteger(overlapHours) || overlapHours < 0 || overlapHours > MAX_SECRET_OVERLAP_HOURS) {
      throw DomainError.badInput(`overlapHours must be a whole number from 0 to ${MAX_SECRET_OVERLAP_HOURS}`, 'INVALID_OVERLAP');
    }
    const secret = newSigningSecret();
    return this.dataSource.transaction(async (manager) => {
      const row = await this.lockEndpoint(manager, institutionId, endpointId);
      const previous = await queryFirst<{ expiresAt: Date }>(
        manager,
        `WITH expiring AS (
           UPDATE webhook_secret SET expires_at = now() + make_interval(hours => $2) WHERE endpoint_id = $1 AND expires_at IS NULL RETURNING expires_at
         ) SELECT expires_at AS "expiresAt" FROM expiring`,
        [endpointId, overlapHours],
      );
      await this.addSecret(manager, endpointId, secret);
      return { endpoint: await this.endpointOf(manager, row), secret, previousSecretExpiresAt: previous?.expiresAt ?? null };
    });
  }

  /** Stops sending to an endpoint: its pending deliveries fail ("disabled"). Disabling a disabled endpoint changes nothing. */
  async disable(caller: Caller, endpointId: string): Promise<WebhookEndpoint> {
    const institutionId = requireInstitution(caller);
    return this.dataSource.transaction(async (manager) => {
      const row = await this.lockEndpoint(manager, institutionId, endpointId);
      if (row.state === WebhookEndpointState.ACTIVE) await disableEndpoints(manager, [endpointId], 'disabled by the institution');
      return this.endpointOf(manager, await this.lockEndpoint(manager, institutionId, endpointId));
    });
  }

  /**
   * Turns an endpoint back on (after a 410, say): it receives notices generated from now on; earlier deliveries
   * that failed can be replayed. The URL is checked again first.
   */
  async enable(caller: Caller, endpointId: string): Promise<WebhookEndpoint> {
    const institutionId = requireInstitution(caller);
    const existing = await queryFirst<WebhookEndpointRow>(
      this.dataSource,
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoint e WHERE e.id = $1 AND e.institution_id = $2`,
      [endpointId, institutionId],
    );
    if (!existing) throw DomainError.notFound('WebhookEndpoint', endpointId);
    await this.checkedUrl(existing.url);
    return this.dataSource.transaction(async (manager) => {
      await this.requireEndpointRoom(manager, institutionId, endpointId);
      await this.lockEndpoint(manager, institutionId, endpointId);
      const row = await queryOne<WebhookEndpointRow>(
        manager,
        `WITH enabled AS (
           UPDATE webhook_endpoint SET state = 'ACTIVE', disabled_reason = NULL, disabled_at = NULL WHERE id = $1 RETURNING *
         ) SELECT ${ENDPOINT_COLUMNS} FROM enabled e`,
        [endpointId],
      );
      return this.endpointOf(manager, row);
    });
  }

  /** The institution's deliveries, newest first, each with its attempts. */
  async listDeliveries(caller: Caller, args: WebhookDeliveriesArgs): Promise<ConnectionShape<WebhookDelivery>> {
    const institutionId = requireInstitution(caller);
    const params = new SqlParams();
    const where = [`d.institution_id = ${params.add(institutionId)}::uuid`];
    if (args.endpointId) {
      const endpoint = await queryFirst<{ id: string }>(
        this.dataSource,
        `SELECT id FROM webhook_endpoint WHERE id = $1 AND institution_id = $2`,
        [args.endpointId, institutionId],
      );
      if (!endpoint) throw DomainError.notFound('WebhookEndpoint', args.endpointId);
      where.push(`d.endpoint_id = ${params.add(args.endpointId)}::uuid`);
    }
    if (args.noticeId) {
      const notice = await queryFirst<{ id: string }>(this.dataSource, `SELECT id FROM notice WHERE id = $1 AND institution_id = $2`, [
        args.noticeId,
        institutionId,
      ]);
      if (!notice) throw DomainError.notFound('Notice', args.noticeId);
      // The notice's announcement, and the announcement of its withdrawal if it was withdrawn.
      const noticeId = params.add(args.noticeId);
      where.push(`d.message_id IN (SELECT message_id FROM webhook_message_notice WHERE notice_id = ${noticeId}::uuid
                                   UNION ALL
                                   SELECT id FROM webhook_message WHERE type = 'notice.withdrawn' AND notice_ids @> ARRAY[${noticeId}::uuid])`);
    }
    if (args.state) where.push(`d.state = ${params.add(args.state)}`);
    return fetchKeysetPage<WebhookDeliveryRow, WebhookDelivery>(
      this.dataSource,
      args,
      {
        select: DELIVERY_COLUMNS,
        from: DELIVERY_FROM,
        where,
        params,
        orderBy: ['d.created_at', 'd.id'],
        keyOf: (row) => [row.createdAt.toISOString(), row.id],
        descending: true,
      },
      (rows) => this.withAttempts(rows),
    );
  }

  /**
   * Sends a delivery's message again now, under the same webhook-id, whatever its state; the attempt is recorded as
   * a replay. Refused (CONFLICT, ENDPOINT_DISABLED) while its endpoint is disabled, and (DELIVERY_CANCELLED) for a
   * delivery cancelled because its notice was withdrawn before it went out.
   */
  async replay(caller: Caller, deliveryId: string): Promise<WebhookDelivery> {
    const institutionId = requireInstitution(caller);
    const row = await this.dataSource.transaction(async (manager) => {
      const current = await queryFirst<{ endpointState: string; state: string }>(
        manager,
        `SELECT e.state AS "endpointState", d.state FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id
          WHERE d.id = $1 AND d.institution_id = $2 FOR UPDATE OF d`,
        [deliveryId, institutionId],
      );
      if (!current) throw DomainError.notFound('WebhookDelivery', deliveryId);
      if (current.state === 'CANCELLED')
        throw DomainError.conflict('This delivery was cancelled: what it announced was withdrawn before it was sent', 'DELIVERY_CANCELLED');
      if (current.endpointState !== 'ACTIVE')
        throw DomainError.conflict('The endpoint is disabled: enable it before replaying', 'ENDPOINT_DISABLED');
      // A delivery in flight keeps its claim; the replay follows as soon as that attempt is recorded.
      await execute(
        manager,
        `UPDATE webhook_delivery SET replay_requested = true, next_attempt_at = CASE WHEN claim_token IS NULL THEN now() ELSE next_attempt_at END WHERE id = $1`,
        [deliveryId],
      );
      return queryOne<WebhookDeliveryRow>(manager, `SELECT ${DELIVERY_COLUMNS} FROM ${DELIVERY_FROM} WHERE d.id = $1`, [deliveryId]);
    });
    this.dispatcher.kick();
    return (await this.withAttempts([row]))[0];
  }

  async preferences(caller: Caller): Promise<WebhookPreferences> {
    const institutionId = requireInstitution(caller);
    const row = await queryFirst<WebhookPreferences>(
      this.dataSource,
      `SELECT notice_digest AS "noticeDigest", updated_at AS "updatedAt" FROM webhook_preference WHERE institution_id = $1`,
      [institutionId],
    );
    return Object.assign(new WebhookPreferences(), row ?? { noticeDigest: false, updatedAt: null });
  }

  /** Chooses one notice.digest message per month instead of one message per notice (from the next generation on). */
  async setNoticeDigest(caller: Caller, enabled: boolean): Promise<WebhookPreferences> {
    const institutionId = requireInstitution(caller);
    const row = await queryOne<WebhookPreferences>(
      this.dataSource,
      `INSERT INTO webhook_preference (institution_id, notice_digest, updated_by) VALUES ($1, $2, $3)
       ON CONFLICT (institution_id) DO UPDATE SET notice_digest = excluded.notice_digest, updated_by = excluded.updated_by, updated_at = now()
       RETURNING notice_digest AS "noticeDigest", updated_at AS "updatedAt"`,
      [institutionId, enabled, caller.userId],
    );
    return Object.assign(new WebhookPreferences(), row);
  }

  /** Staff: per institution with endpoints, its endpoints and recent deliveries by state; most failures first. */
  health(args: WebhookHealthArgs): Promise<ConnectionShape<InstitutionWebhookHealth>> {
    const days = args.days ?? 30;
    if (!Number.isInteger(days) || days < 1 || days > 366) throw DomainError.badInput('days must be from 1 to 366', 'INVALID_DAYS');
    const params = new SqlParams();
    const since = params.add(days);
    return fetchKeysetPage<Omit<InstitutionWebhookHealth, 'institution'> & { institutionId: string }, InstitutionWebhookHealth>(
      this.dataSource,
      args,
      {
        select: '*',
        from: `(SELECT i.institution_id AS "institutionId", i.active::int AS "activeEndpoints", i.disabled::int AS "disabledEndpoints",
                       coalesce(d.pending, 0)::int AS pending, coalesce(d.succeeded, 0)::int AS succeeded, coalesce(d.failed, 0)::int AS failed,
                       d.last_attempt_at AS "lastAttemptAt"
                  FROM (SELECT institution_id, count(*) FILTER (WHERE state = 'ACTIVE') AS active, count(*) FILTER (WHERE state = 'DISABLED') AS disabled
                          FROM webhook_endpoint GROUP BY institution_id) i
                  LEFT JOIN (SELECT institution_id, count(*) FILTER (WHERE state = 'PENDING') AS pending,
                                    count(*) FILTER (WHERE state = 'SUCCEEDED') AS succeeded, count(*) FILTER (WHERE state = 'FAILED') AS failed,
                                    max(last_attempt_at) AS last_attempt_at
                               FROM webhook_delivery WHERE created_at > now() - make_interval(days => ${since}) GROUP BY institution_id) d
                    USING (institution_id)) AS health`,
        where: [],
        params,
        orderBy: ['failed', 'pending', '"institutionId"'],
        keyOf: (row) => [row.failed, row.pending, row.institutionId],
        descending: true,
      },
      (rows) =>
        rows.map(({ institutionId, ...row }) =>
          Object.assign(new InstitutionWebhookHealth(), { ...row, institution: InstitutionRef.of(institutionId) }),
        ),
    );
  }

  private async checkedUrl(text: string): Promise<string> {
    try {
      const url = parseWebhookUrl(text, this.settings);
      await resolveWebhookTarget(url, this.settings);
      return url.href;
    } catch (error) {
      if (error instanceof WebhookUrlError) throw DomainError.badInput(error.message, error.reason);
      throw error;
    }
  }

  /**
   * Refuses one more active endpoint for an institution at its cap: every notice is POSTed to each of them, so an
   * institution that could add endpoints without end could aim the platform's traffic at any server. Registrations
   * and enablings of one institution take turns (a transaction lock), so concurrent ones cannot pass the cap
   * together. `endpointId`, when enabling, is not counted if it is active already.
   */
  private async requireEndpointRoom(manager: EntityManager, institutionId: string, endpointId: string | null = null): Promise<void> {
    await execute(manager, `SELECT pg_advisory_xact_lock(hashtextextended('webhook-endpoints:' || $1, 0))`, [institutionId]);
    const max = this.settings.maxEndpointsPerInstitution;
    const { active, already } = await queryOne<{ active: number; already: boolean }>(
      manager,
      `SELECT count(*)::int AS active, coalesce(bool_or(id = $2::uuid), false) AS already
         FROM webhook_endpoint WHERE institution_id = $1 AND state = 'ACTIVE'`,
      [institutionId, endpointId],
    );
    if (!already && active >= max) {
      throw DomainError.conflict(
        `An institution may have at most ${max} active webhook endpoints; disable one first`,
        'TOO_MANY_ENDPOINTS',
        { max },
      );
    }
  }

  private async addSecret(manager: EntityManager, endpointId: string, secret: string): Promise<void> {
    const id = randomUUID();
    await execute(manager, `INSERT INTO webhook_secret (id, endpoint_id, prefix, sealed) VALUES ($1, $2, $3, $4)`, [
      id,
      endpointId,
      secretPrefix(secret),
      this.secretBox.seal(secret, id),
    ]);
  }

  /** The institution's endpoint, locked for this transaction; another institution's is NOT_FOUND. */
  private async lockEndpoint(manager: EntityManager, institutionId: string, endpointId: string): Promise<WebhookEndpointRow> {
    const row = await queryFirst<WebhookEndpointRow>(
      manager,
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoint e WHERE e.id = $1 AND e.institution_id = $2 FOR UPDATE`,
      [endpointId, institutionId],
    );
    if (!row) throw DomainError.notFound('WebhookEndpoint', endpointId);
    return row;
  }

  private async endpointOf(manager: EntityManager, row: WebhookEndpointRow): Promise<WebhookEndpoint> {
    return (await this.endpointsOf(manager, [row]))[0];
  }

  /** Endpoints with their valid secrets' prefixes and dates, in one query for all of them. */
  private async endpointsOf(manager: EntityManager, rows: WebhookEndpointRow[]): Promise<WebhookEndpoint[]> {
    if (rows.length === 0) return [];
    const secrets = await queryRows<WebhookSecretInfo & { endpointId: string }>(
      manager,
      `SELECT endpoint_id AS "endpointId", prefix, created_at AS "createdAt", expires_at AS "expiresAt" FROM webhook_secret
        WHERE endpoint_id = ANY($1::uuid[]) AND (expires_at IS NULL OR expires_at > now()) ORDER BY created_at DESC`,
      [rows.map((row) => row.id)],
    );
    return rows.map((row) =>
      WebhookEndpoint.from(
        row,
        secrets.filter((s) => s.endpointId === row.id).map(({ endpointId: _, ...info }) => Object.assign(new WebhookSecretInfo(), info)),
      ),
    );
  }

  /** Deliveries with their attempts (the latest ATTEMPTS_SHOWN each, oldest first), in one query for the page. */
  private async withAttempts(rows: WebhookDeliveryRow[]): Promise<WebhookDelivery[]> {
    if (rows.length === 0) return [];
    const attempts = await queryRows<WebhookAttempt & { deliveryId: string }>(
      this.dataSource,
      `SELECT a."deliveryId", a."attemptedAt", a."httpStatus", a.error, a."durationMs", a.replay
         FROM unnest($1::uuid[]) AS ids(id)
         CROSS JOIN LATERAL (
           SELECT delivery_id AS "deliveryId", attempted_at AS "attemptedAt", http_status AS "httpStatus", error, duration_ms AS "durationMs", replay, id AS seq
             FROM webhook_attempt WHERE delivery_id = ids.id ORDER BY id DESC LIMIT ${ATTEMPTS_SHOWN}
         ) a
        ORDER BY a.seq`,
      [rows.map((row) => row.id)],
    );
    return rows.map((row) =>
      WebhookDelivery.from(
        row,
        attempts
          .filter((a) => a.deliveryId === row.id)
          .map(({ deliveryId: _, ...attempt }) => Object.assign(new WebhookAttempt(), attempt)),
      ),
    );
  }
}

function validDescription(description: string | null | undefined): string | null {
  return optionalText(description, 'description', MAX_DESCRIPTION, 'INVALID_DESCRIPTION');
}
