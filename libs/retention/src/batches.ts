import type { DataSource } from 'typeorm';
import { queryOne } from '#libs/database';

/**
 * Rows one retention statement deletes or rewrites at most. Each batch commits on its own, so a run after months of
 * backlog (or after a period was shortened) never holds hundreds of thousands of row locks, nor bloats one
 * transaction, while the service goes on working.
 */
export const RETENTION_BATCH_SIZE = 5_000;

/**
 * Runs `statement` ($1 `cutoff`, $2 the batch size, then `more`) batch after batch until one changes fewer rows than a
 * batch; returns how many rows it changed in all. The statement answers one row `{ count }`: how many rows it changed.
 */
export async function inBatches(dataSource: DataSource, statement: string, cutoff: string | Date, ...more: unknown[]): Promise<number> {
  let total = 0;
  for (;;) {
    const { count } = await queryOne<{ count: number }>(dataSource, statement, [cutoff, RETENTION_BATCH_SIZE, ...more]);
    total += count;
    if (count < RETENTION_BATCH_SIZE) return total;
  }
}

/** `firedAt` less `days` whole days. */
export function daysBefore(firedAt: Date, days: number): Date {
  return new Date(firedAt.getTime() - days * 86_400_000);
}
