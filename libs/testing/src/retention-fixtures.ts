import type { DataSource } from 'typeorm';

const DAY_MS = 86_400_000;

/**
 * For a service's retention test: an audit row of an unmasked read and (with `idempotencyDays`) an idempotency record
 * just past their periods at `firedAt`, and one of each just inside them. `sharedStoresLeft` then says which remain.
 */
export async function arrangeSharedStores(
  dataSource: DataSource,
  firedAt: Date,
  periods: { personalDataAccessDays: number; idempotencyDays?: number },
): Promise<void> {
  const at = (days: number, ms: number) => new Date(firedAt.getTime() - days * DAY_MS + ms);
  await dataSource.query(
    `INSERT INTO personal_data_access (accessed_at, user_id, roles, request_id, entity, entity_ids)
     VALUES ($1, 'past-period', '{DISTRICT_ADMIN}', 'r1', 'Test', ARRAY[gen_random_uuid()]),
            ($2, 'within-period', '{DISTRICT_ADMIN}', 'r2', 'Test', ARRAY[gen_random_uuid()])`,
    [at(periods.personalDataAccessDays, -1000), at(periods.personalDataAccessDays, 1000)],
  );
  if (periods.idempotencyDays === undefined) return;
  await dataSource.query(
    `INSERT INTO idempotency_record (caller_id, key, operation, request_hash, response, created_at)
     VALUES ('past-period', 'key-00000001', 'test', 'hash', '{"name":"王建国"}', $1),
            ('within-period', 'key-00000002', 'test', 'hash', '{"name":"陈静"}', $2)`,
    [at(periods.idempotencyDays, -1000), at(periods.idempotencyDays, 1000)],
  );
}

/** Who the remaining audit rows and idempotency records arranged by `arrangeSharedStores` belong to. */
export async function sharedStoresLeft(dataSource: DataSource, idempotency = true): Promise<{ audit: string[]; idempotency?: string[] }> {
  const audit: { user_id: string }[] = await dataSource.query(
    `SELECT user_id FROM personal_data_access WHERE user_id IN ('past-period', 'within-period') ORDER BY user_id`,
  );
  if (!idempotency) return { audit: audit.map((row) => row.user_id) };
  const records: { caller_id: string }[] = await dataSource.query(
    `SELECT caller_id FROM idempotency_record WHERE caller_id IN ('past-period', 'within-period') ORDER BY caller_id`,
  );
  return { audit: audit.map((row) => row.user_id), idempotency: records.map((row) => row.caller_id) };
}
