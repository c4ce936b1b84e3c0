import { ArgsType, Field, Int } from '@nestjs/graphql';
import { DomainError } from '#libs/errors';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last edge of the previous page.' })
  after?: string | null;
}

/** A validated page request: how many rows to return and the sort-key values to continue after. */
export interface PageRequest {
  limit: number;
  after: unknown[] | null;
}

/** Validates `first`/`after`. `keyLength` is the number of sort-key columns the cursor must carry. */
export function pageRequest(args: PageArgs, keyLength: number): PageRequest {
  const limit = args.first ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw DomainError.badInput(`first must be between 1 and ${MAX_PAGE_SIZE}`, 'PAGE_SIZE_OUT_OF_RANGE', { max: MAX_PAGE_SIZE });
  }
  return { limit, after: args.after ? decodeCursor(args.after, keyLength) : null };
}

export function encodeCursor(key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, keyLength: number): unknown[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === keyLength && key.every((v) => ['string', 'number'].includes(typeof v))) {
      return key;
    }
  } catch {
    // fall through to the error below
  }
  throw DomainError.badInput('after is not a cursor from this list', 'INVALID_CURSOR');
}

/**
 * SQL for "rows after this cursor" on a keyset ordered by `columns` (together unique, usually ending with the id),
 * ascending unless `descending`. `addParam` registers each cursor value and returns its placeholder.
 */
export function keysetAfter(
  columns: readonly string[],
  after: readonly unknown[],
  addParam: (value: unknown) => string,
  descending = false,
): string {
  return `(${columns.join(', ')}) ${descending ? '<' : '>'} (${after.map(addParam).join(', ')})`;
}
