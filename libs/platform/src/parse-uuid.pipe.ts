import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { isUuid, requireUuid } from '#libs/errors';

/** The one UUID check (libs/errors), here too for the routes and resolvers that take ids. */
export { isUuid, requireUuid };

/** Validates an `ID` argument (or a list of them) before it reaches SQL. Null passes for optional arguments. */
@Injectable()
export class ParseUuidPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (value === null || value === undefined) return value;
    const field = metadata.data ?? 'id';
    return Array.isArray(value) ? value.map((v) => requireUuid(v, field)) : requireUuid(value, field);
  }
}
