import { z } from 'zod';
import { EnvironmentError, unsetIfEmpty } from '#libs/config';

/** The ceiling when `COLLECTION_MAX_KG_PER_POINT_DAY` is unset: no point collects 5 tonnes a day. */
export const DEFAULT_MAX_KG_PER_POINT_DAY = 5000;

/** Limits of collection records, read from the environment once at boot. */
export class CollectionLimits {
  constructor(readonly maxKgPerPointDay: number) {}
}

const ceiling = z.preprocess(unsetIfEmpty, z.coerce.number().positive().max(1_000_000).default(DEFAULT_MAX_KG_PER_POINT_DAY));

/** `COLLECTION_MAX_KG_PER_POINT_DAY`, a positive number of kg (default 5000), or one EnvironmentError. */
export function parseCollectionLimits(env: Record<string, string | undefined> = process.env): CollectionLimits {
  const result = ceiling.safeParse(env.COLLECTION_MAX_KG_PER_POINT_DAY);
  if (!result.success) {
    throw new EnvironmentError(result.error.issues.map((issue) => `COLLECTION_MAX_KG_PER_POINT_DAY: ${issue.message}`));
  }
  return new CollectionLimits(result.data);
}
