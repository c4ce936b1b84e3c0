import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { DomainError } from '#libs/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Throws BAD_USER_INPUT unless `value` is a UUID; `field` names the argument in the message. */
export function requireUuid(value: unknown, field: string): string {
  if (!isUuid(value)) throw DomainError.badInput(`${field} must be an id (UUID)`, 'INVALID_ID', { field });
  return value.toLowerCase();
}

/** Validates an `ID` argument (or a list of them) before it reaches SQL. Null passes for optional arguments. */
@Injectable()
export class ParseUuidPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (value === null || value === undefined) return value;
    const field = metadata.data ?? 'id';
    return Array.isArray(value) ? value.map((v) => requireUuid(v, field)) : requireUuid(value, field);
  }
}
