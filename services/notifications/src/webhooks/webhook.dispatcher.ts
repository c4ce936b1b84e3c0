import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { execute, queryRows } from '#libs/database';
import { PollingLoop } from '#libs/messaging';
import { PROCESS_METRICS, SERVICE_RUNTIME, type CatalogueCounter, type ProcessMetrics, type ServiceRuntime } from '#libs/platform';
import { afterAttempt, verdictOf, type DeliveryState } from './delivery-schedule.js';
import { disableEndpoints, refreshNoticeStates } from './notice-delivery-state.js';
import { SecretBox } from './secret-box.js';
import { parseWebhookUrl, resolveWebhookTarget, WebhookUrlError } from './url-policy.js';
import { postWebhook, type WebhookResponse } from './webhook-http.js';
import { WEBHOOK_SETTINGS, type WebhookSettings } from './webhook-settings.js';
import { webhookHeaders } from './webhook-signature.js';

const RECORD_BATCH = 500;
const RECORD_TRIES = 3;

/** A delivery this process has claimed, with what it takes to send it. */
interface ClaimedRow {
  id: string;
  token: string;
  messageId: string;
  endpointId: string;
  state: DeliveryState;
  attempts: number;
  replay: boolean;
  type: string;
  data: unknown;
  createdAt: Date;
  url: string;
  secrets: { id: string; sealed: string }[];
}

interface AttemptResult {
  deliveryId: string;
  messageId: string;
  endpointId: string;
  token: string;
  attemptedAt: Date;
  response: WebhookResponse;
  replay: boolean;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: Date | null;
  gone: boolean;
}

/**
 * Claims due deliveries: the `limit` earliest with next_attempt_at passed, skipping rows another dispatcher is
 * claiming (SKIP LOCKED). Claiming moves next_attempt_at to the end of a lease and stamps a claim token: a process
 * that dies mid-send leaves the delivery to be claimed again once the lease is over (at-least-once, which is why
 * receivers dedupe by webhook-id), and only the current claimant's result updates the delivery.
 * $1 limit, $2 lease seconds, $3 claim token.
 */
const CLAIM = `
WITH due AS (
  SELECT id FROM webhook_delivery WHERE next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
),
claimed AS (
  UPDATE webhook_delivery d SET next_attempt_at = now() + make_interval(secs => $2), claim_token = $3
    FROM due WHERE d.id = due.id
  RETURNING d.id, d.message_id, d.endpoint_id, d.state, d.attempts, d.replay_requested
)
SELECT c.id, c.message_id AS "messageId", c.endpoint_id AS "endpointId", c.state, c.attempts, c.replay_requested AS replay,
       m.type, m.data, m.created_at AS "createdAt", e.url,
       (SELECT coalesce(json_agg(json_build_object('id', s.id, 'sealed', encode(s.sealed, 'base64')) ORDER BY s.created_at DESC), '[]')
          FROM webhook_secret s WHERE s.endpoint_id = c.endpoint_id AND (s.expires_at IS NULL OR s.expires_at > now())) AS secrets
  FROM claimed c JOIN webhook_message m ON m.id = c.message_id JOIN webhook_endpoint e ON e.id = c.endpoint_id`;

/**
 * Records a batch of attempts and their deliveries' new state in one statement. A delivery is updated only while
 * its claim token is still the one the attempt was made under; an endpoint disabled meanwhile stops its retries;
 * a replay asked for while a scheduled attempt was in flight is kept (sent next). Returns each recorded attempt's
 * outcome for the metrics: delivered (2xx), retrying (the delivery stays PENDING), failed (given up).
 */
const RECORD = `
WITH r AS (
  SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::int[], $5::text[], $6::int[], $7::boolean[], $8::text[], $9::int[], $10::timestamptz[])
    AS r(delivery_id, token, attempted_at, status, error, duration_ms, replay, state, attempts, next_attempt_at)
),
logged AS (
  INSERT INTO webhook_attempt (delivery_id, attempted_at, http_status, error, duration_ms, replay)
  SELECT delivery_id, attempted_at, status, error, duration_ms, replay FROM r
)
UPDATE webhook_delivery d
   SET state = CASE WHEN r.state = 'PENDING' AND e.state = 'DISABLED' THEN 'FAILED' ELSE r.state END,
       attempts = r.attempts,
       next_attempt_at = CASE WHEN e.state = 'DISABLED' THEN NULL
                              WHEN d.replay_requested AND NOT r.replay THEN now()
                              ELSE r.next_attempt_at END,
       replay_requested = d.replay_requested AND NOT r.replay AND e.state = 'ACTIVE',
       claim_token = NULL,
       first_attempt_at = coalesce(d.first_attempt_at, r.attempted_at),
       last_attempt_at = r.attempted_at,
       last_status = r.status,
       last_error = r.error,
       succeeded_at = CASE WHEN r.state = 'SUCCEEDED' THEN coalesce(d.succeeded_at, r.attempted_at) ELSE d.succeeded_at END
  FROM r, webhook_endpoint e
 WHERE d.id = r.delivery_id AND d.claim_token = r.token AND e.id = d.endpoint_id
RETURNING CASE WHEN r.status BETWEEN 200 AND 299 THEN 'delivered' WHEN d.state = 'PENDING' THEN 'retrying' ELSE 'failed' END AS outcome`;

/**
 * Sends webhook deliveries in the background of every serving notifications process: claims due deliveries
 * (several processes share the work through SKIP LOCKED), keeps up to WEBHOOK_CONCURRENCY requests in flight,
 * and records what each answer means (delivery-schedule.ts) in batches, with the notices' delivery state.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly loop = new PollingLoop(
    () => this.claimRound(),
    (error, pauseMs) => this.logger.error(`Claiming webhook deliveries failed, retrying in ${pauseMs} ms: ${error.message}`),
  );
  private readonly inFlight = new Set<Promise<void>>();
  /** Claimed deliveries waiting for a request slot. */
  private readonly waiting: ClaimedRow[] = [];
  private results: AttemptResult[] = [];
  private recording?: Promise<void>;
  private readonly outcomes: CatalogueCounter<'waste_webhook_deliveries_total'>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SERVICE_RUNTIME) private readonly runtime: ServiceRuntime,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    private readonly secretBox: SecretBox,
    @Inject(PROCESS_METRICS) metrics: ProcessMetrics,
  ) {
    this.outcomes = metrics.counter('waste_webhook_deliveries_total');
  }

  onApplicationBootstrap(): void {
    if (this.runtime.mode === 'serve') this.loop.start();
  }

  /** Stops claiming, lets the requests in flight finish (each is bounded by the timeout) and records them. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await this.release(this.waiting.splice(0));
    await Promise.all(this.inFlight);
    await this.recording;
    await this.recordPending();
  }

  /** Gives claimed deliveries not yet sent back at once, rather than when their lease ends. */
  private async release(deliveries: ClaimedRow[]): Promise<void> {
    if (deliveries.length === 0) return;
    await execute(
      this.dataSource,
      `UPDATE webhook_delivery SET next_attempt_at = now(), claim_token = NULL WHERE id = ANY($1::uuid[]) AND claim_token = ANY($2::uuid[])`,
      [deliveries.map((d) => d.id), [...new Set(deliveries.map((d) => d.token))]],
    ).catch((error: Error) =>
      this.logger.warn(`Releasing ${deliveries.length} claimed deliveries failed; they are sent after their lease: ${error.message}`),
    );
  }

  /** Look for due deliveries now rather than at the next poll. */
  kick(): void {
    this.loop.kick();
  }

  /**
   * Claims up to three times the concurrency in all whenever fewer than `concurrency` claimed deliveries wait; a
   * request slot that frees up takes the next waiting delivery at once (`fill`), so requests never wait on a claim and
   * one claim (one statement) serves many deliveries. With at most three times the concurrency claimed and
   * unfinished, the last one claimed starts within two timeouts even if every request before it runs into the
   * timeout, and ends inside its lease (webhook-settings.ts checks the lease against three timeouts).
   */
  private async claimRound(): Promise<boolean> {
    let claimed = 0;
    const room = 3 * this.settings.concurrency - this.waiting.length - this.inFlight.size;
    if (this.waiting.length < this.settings.concurrency && room > 0) {
      const rows = await this.claim(room);
      this.waiting.push(...rows);
      claimed = rows.length;
    }
    this.fill();
    // Nothing due: look again after a while. Enough waiting: until a request ends (which wakes this loop).
    return !(claimed === 0 || this.waiting.length >= this.settings.concurrency);
  }

  private async claim(limit: number): Promise<ClaimedRow[]> {
    const token = randomUUID();
    const rows = await queryRows<Omit<ClaimedRow, 'token'>>(this.dataSource, CLAIM, [limit, this.settings.leaseSeconds, token]);
    return rows.map((row) => ({ ...row, token }));
  }

  /** Starts waiting deliveries while request slots are free (not once shutting down: those are released instead). */
  private fill(): void {
    while (this.loop.running && this.inFlight.size < this.settings.concurrency && this.waiting.length > 0)
      this.track(this.send(this.waiting.shift()!));
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      this.fill();
      this.loop.kick();
    });
  }

  /** One attempt: check and pin the address, sign, POST, and queue the result for recording. Never throws. */
  private async send(delivery: ClaimedRow): Promise<void> {
    try {
      const attemptedAt = new Date();
      const response = await this.attempt(delivery, attemptedAt);
      const verdict = verdictOf(response.status);
      const next = afterAttempt(delivery, verdict, this.settings.retrySchedule, new Date());
      if (verdict === 'GONE') this.logger.warn(`Endpoint ${delivery.endpointId} answered 410 Gone: disabling it`);
      else if (next.state === 'FAILED' && delivery.state === 'PENDING') {
        this.logger.warn(`Delivery ${delivery.id} of ${delivery.messageId} gave up after ${next.attempts} attempts: ${response.error}`);
      }
      this.results.push({
        deliveryId: delivery.id,
        messageId: delivery.messageId,
        endpointId: delivery.endpointId,
        token: delivery.token,
        attemptedAt,
        response,
        replay: delivery.replay,
        ...next,
        gone: verdict === 'GONE',
      });
      this.scheduleRecording();
    } catch (error) {
      // Left claimed: sent again after the lease.
      this.logger.error(`Delivery ${delivery.id}: ${(error as Error).stack ?? (error as Error).message}`);
    }
  }

  private scheduleRecording(): void {
    if (this.recording) return;
    this.recording = this.recordPending().finally(() => {
      this.recording = undefined;
      if (this.results.length > 0) this.scheduleRecording();
    });
  }

  private async attempt(delivery: ClaimedRow, attemptedAt: Date): Promise<WebhookResponse> {
    const started = Date.now();
    const failed = (error: string): WebhookResponse => ({ status: null, error, durationMs: Date.now() - started });
    let secrets: string[];
    try {
      secrets = delivery.secrets.map((secret) => this.secretBox.open(Buffer.from(secret.sealed, 'base64'), secret.id));
    } catch {
      this.logger.error(`Endpoint ${delivery.endpointId}: its signing secret does not decrypt (was WEBHOOK_SECRET_KEY changed?)`);
      return failed('not sent: the signing secret could not be read');
    }
    if (secrets.length === 0) return failed('not sent: the endpoint has no valid signing secret');
    let url: URL;
    let pinned;
    try {
      // Checked again at every attempt: the rules may have tightened (production), and DNS answers change.
      url = parseWebhookUrl(delivery.url, this.settings);
      pinned = await resolveWebhookTarget(url, this.settings);
    } catch (error) {
      return failed(error instanceof WebhookUrlError ? `not sent: ${error.message}` : `not sent: ${(error as Error).message}`);
    }
    const body = JSON.stringify({ type: delivery.type, timestamp: delivery.createdAt.toISOString(), data: delivery.data });
    const headers = webhookHeaders(secrets, delivery.messageId, Math.floor(attemptedAt.getTime() / 1000), body);
    const response = await postWebhook(url, pinned, headers, body, this.settings.timeoutMs);
    const verdict = verdictOf(response.status);
    if (response.error !== null || verdict === 'SUCCESS') return response;
    const redirect = response.status! >= 300 && response.status! < 400;
    const note = verdict === 'GONE' ? ' (gone: the endpoint is disabled)' : redirect ? ' (redirects are not followed)' : '';
    return { ...response, error: `HTTP ${response.status}${note}` };
  }

  /** Records queued results, a batch per transaction, until none are left. */
  private async recordPending(): Promise<void> {
    while (this.results.length > 0) {
      const batch = this.results.splice(0, RECORD_BATCH);
      for (let tries = 1; ; tries++) {
        try {
          await this.record(batch);
          break;
        } catch (error) {
          if (tries >= RECORD_TRIES) {
            // The deliveries stay claimed until their lease ends, then are sent again: nothing is lost.
            this.logger.error(
              `Recording ${batch.length} webhook attempts failed; they will be retried after their lease: ${(error as Error).message}`,
            );
            break;
          }
          await new Promise((resolve) => setTimeout(resolve, 200 * tries));
        }
      }
    }
  }

  private async record(batch: AttemptResult[]): Promise<void> {
    const column = <T>(pick: (result: AttemptResult) => T) => batch.map(pick);
    const recorded = await this.dataSource.transaction(async (manager) => {
      const outcomes = await queryRows<{ outcome: 'delivered' | 'retrying' | 'failed' }>(manager, RECORD, [
        column((r) => r.deliveryId),
        column((r) => r.token),
        column((r) => r.attemptedAt),
        column((r) => r.response.status),
        column((r) => r.response.error),
        column((r) => r.response.durationMs),
        column((r) => r.replay),
        column((r) => r.state),
        column((r) => r.attempts),
        column((r) => r.nextAttemptAt),
      ]);
      const gone = [...new Set(batch.filter((r) => r.gone).map((r) => r.endpointId))];
      await disableEndpoints(manager, gone, 'the endpoint answered 410 Gone');
      await refreshNoticeStates(
        manager,
        batch.map((r) => r.messageId),
      );
      return outcomes;
    });
    // Counted once committed: a batch rolled back and recorded again later is counted then.
    for (const { outcome } of recorded) this.outcomes.inc({ outcome });
  }
}
