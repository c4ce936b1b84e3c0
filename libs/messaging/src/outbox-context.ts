// Owns how a recorded event gets the context of the request or job that recorded it (libs/observability).
import { carriedContextNow, type CarriedContext } from '#libs/observability';
import type { DataSource } from 'typeorm';

interface PooledClient {
  query(text: string, values: unknown[]): Promise<unknown>;
}
type ConnectCallback = (error: Error | undefined, client: PooledClient | undefined, release: (error?: unknown) => void) => void;
interface Pool {
  connect(callback?: ConnectCallback): unknown;
}

/** What each pooled connection's `app.carried_context` was last set to, so it is set again only when it changes. */
const settingOf = new WeakMap<PooledClient, string>();

/**
 * Makes every connection this data source hands out carry the caller's context in `app.carried_context`, which
 * `outbox_event.context` takes as its default (migration AddOutboxContext1796000000007).
 *
 * Why the connection and not the transaction or the statement: events are recorded by `Outbox.record`, by set-based
 * CTEs built with `outboxInsertFrom` (some are module-level SQL constants, built before any request), and by the
 * households table's triggers, which fire on plain autocommit statements. A transaction-local setting made by the
 * Outbox would reach none but the first, and a context spelt into the SQL none of the constants or triggers; the
 * connection's setting reaches all of them. The context is read where the connection is asked for (in the request's
 * or job's async context, which a pool's 'acquire' event is not when a waiting caller gets a released connection) and
 * queued on the connection before the caller's first statement (a pg client runs its queries in order). It is set
 * session-wide and rewritten on every checkout whose context differs from the connection's last one, to '' outside
 * any context, so no context outlives its work on a pooled connection; a connection kept by one request or job costs
 * no extra statement.
 */
export function carryContextIntoOutbox(dataSource: DataSource): void {
  const pool = (dataSource.driver as unknown as { master?: Pool }).master;
  if (!pool) return;
  const connect = pool.connect.bind(pool);
  pool.connect = (callback?: ConnectCallback) => {
    // TypeORM asks with a callback; the promise form (nothing here uses it) is left as it was.
    if (!callback) return connect();
    const carried = carriedContextNow();
    const setting = carried ? JSON.stringify(carried) : '';
    connect((error, client, release) => {
      if (!error && client && (settingOf.get(client) ?? '') !== setting) {
        settingOf.set(client, setting);
        // A failure here means the connection is broken; the caller's own statement reports it.
        client.query(`SELECT set_config('app.carried_context', $1, false)`, [setting]).catch(() => settingOf.delete(client));
      }
      callback(error, client, release);
    });
  };
}

/**
 * A job's data with the current context, for jobs queued directly rather than through the outbox (a run's chunks):
 * the worker runs them under the same request id as the work that queued them (worker-host.ts).
 */
export function withCarriedContext<Data extends object>(data: Data): Data & { context?: CarriedContext } {
  const context = carriedContextNow();
  return context ? { ...data, context } : data;
}
