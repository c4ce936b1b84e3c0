import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Caller } from '#libs/auth';
import { queryFirst, queryRows } from '#libs/database';
import { DomainError } from '#libs/errors';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,100}$/;

/**
 * Exactly-once effects for mutations sent from phones over flaky networks. The client sends an idempotency key
 * with each logical request and the same key on every retry:
 *  - the first request does its work and stores the result under (caller, key), in the same transaction;
 *  - a retry with the same body gets the stored result without doing the work again (also while the first
 *    request is still running: it waits for it);
 *  - the same key with a different body or operation is a CONFLICT, and nothing is written.
 */
@Injectable()
export class Idempotency {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run<Result>(
    caller: Caller,
    key: string,
    operation: string,
    request: unknown,
    work: (manager: EntityManager) => Promise<Result>,
  ): Promise<Result> {
    if (!KEY_PATTERN.test(key)) {
      throw DomainError.badInput('idempotencyKey must be 8–100 letters, digits or _ . : -', 'INVALID_IDEMPOTENCY_KEY');
    }
    const requestHash = fingerprint(operation, request);
    return this.dataSource.transaction(async (manager) => {
      // Waits for a concurrent request with the same key to commit or roll back before deciding.
      const claimed = await queryRows<{ key: string }>(
        manager,
        `INSERT INTO idempotency_record (caller_id, key, operation, request_hash, response)
         VALUES ($1, $2, $3, $4, 'null') ON CONFLICT DO NOTHING RETURNING key`,
        [caller.userId, key, operation, requestHash],
      );
      if (claimed.length === 0) {
        // The claim failed, so a committed row holds the key (retention could only have removed it since).
        const earlier = await queryFirst<{ request_hash: string; response: unknown }>(
          manager,
          `SELECT request_hash, response FROM idempotency_record WHERE caller_id = $1 AND key = $2`,
          [caller.userId, key],
        );
        if (earlier?.request_hash !== requestHash) {
          throw DomainError.conflict('This idempotency key was already used for a different request', 'IDEMPOTENCY_KEY_REUSED');
        }
        return earlier.response as Result;
      }
      const result = await work(manager);
      await manager.query(`UPDATE idempotency_record SET response = $3 WHERE caller_id = $1 AND key = $2`, [
        caller.userId,
        key,
        JSON.stringify(result ?? null),
      ]);
      return result;
    });
  }
}

/** A hash of the operation and its arguments that does not depend on the order of object keys. */
export function fingerprint(operation: string, request: unknown): string {
  return createHash('sha256')
    .update(stableJson([operation, request]))
    .digest('hex');
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
