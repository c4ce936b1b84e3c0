import { Scalar, type CustomScalar } from '@nestjs/graphql';
import { Kind, type ValueNode } from 'graphql';
import { DomainError } from '#libs/errors';

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date in Asia/Shanghai, `YYYY-MM-DD`, with no time or zone. */
@Scalar('LocalDate', () => LocalDateScalar)
export class LocalDateScalar implements CustomScalar<string, string> {
  description = 'A calendar date (YYYY-MM-DD) in Asia/Shanghai.';

  parseValue(value: unknown): string {
    return parseLocalDate(value);
  }

  serialize(value: unknown): string {
    if (value instanceof Date) throw new Error('LocalDate columns must be read as strings, not Date');
    return String(value);
  }

  parseLiteral(ast: ValueNode): string {
    return parseLocalDate(ast.kind === Kind.STRING ? ast.value : undefined);
  }
}

export function parseLocalDate(value: unknown): string {
  const match = typeof value === 'string' ? LOCAL_DATE.exec(value) : null;
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day) return match[0];
  }
  throw DomainError.badInput(`${JSON.stringify(value)} is not a date (YYYY-MM-DD)`, 'INVALID_DATE');
}
