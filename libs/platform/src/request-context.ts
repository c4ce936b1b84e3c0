import DataLoader from 'dataloader';
import type { Request } from 'express';
import type { Caller } from '#libs/auth';

/** What every resolver of a subgraph gets as GraphQL context. */
export interface RequestContext {
  req: Request;
  caller: Caller;
  loaders: Map<string, DataLoader<string, unknown>>;
}

/**
 * The request's DataLoader for `key`, created on first use. Loaders live for one request, so batching
 * never mixes callers and cached rows never outlive the request.
 */
export function requestLoader<V>(
  context: RequestContext,
  key: string,
  batch: (ids: readonly string[]) => Promise<(V | null)[]>,
): DataLoader<string, V | null> {
  let loader = context.loaders.get(key) as DataLoader<string, V | null> | undefined;
  if (!loader) {
    loader = new DataLoader<string, V | null>(batch, { maxBatchSize: 1000 });
    context.loaders.set(key, loader);
  }
  return loader;
}

/** Orders rows by the requested ids, with null where a row is missing, as DataLoader requires. */
export function byIds<Row extends { id: string }>(ids: readonly string[], rows: readonly Row[]): (Row | null)[] {
  const found = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => found.get(id) ?? null);
}
