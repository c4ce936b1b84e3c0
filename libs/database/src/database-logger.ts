import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

/**
 * TypeORM logger that never writes query parameters (they can hold names, phone numbers and addresses),
 * logs failures and slow statements by their SQL text only, and lets tests observe every statement.
 */
export class DatabaseLogger implements Logger {
  private readonly logger = new NestLogger('Database');
  private readonly observers = new Set<(sql: string) => void>();

  /** Calls `observer` with the SQL of every statement until the returned function is called. */
  observe(observer: (sql: string) => void): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  logQuery(query: string): void {
    for (const observer of this.observers) observer(query);
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.warn(`Query failed: ${error instanceof Error ? error.message : error} -- ${truncate(query)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`Slow query (${time} ms): ${truncate(query)}`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(String(message));
  }
}

function truncate(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ');
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
