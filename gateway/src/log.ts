// Owns the gateway's logger: pino, JSON lines (readable in a development terminal), redacted (libs/observability).
import { createLogger, type LogLevelSetting } from '#libs/observability';
import type { Logger } from 'pino';

let logger: Logger | undefined;

/** The gateway's logger: the one createGateway was given, else one from NODE_ENV and LOG_LEVEL. */
export function gatewayLogger(): Logger {
  logger ??= createLogger(
    { NODE_ENV: process.env.NODE_ENV ?? 'development', LOG_LEVEL: (process.env.LOG_LEVEL ?? 'log') as LogLevelSetting },
    'gateway',
  );
  return logger;
}

/** Makes `logger` the gateway's (createGateway, with the logger of its environment or a test's). */
export function useGatewayLogger(given: Logger): void {
  logger = given;
}

/** A line of the gateway's own (inside a request it carries the request id). Never personal data. */
export function log(level: 'log' | 'warn' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  gatewayLogger()[level === 'log' ? 'info' : level](fields, message);
}
