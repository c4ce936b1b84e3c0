// Owns how every process (the four services and the gateway) writes its log: pino, one JSON object a line.
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Level, type Logger, type LoggerOptions } from 'pino';
import { currentRequestId } from './carried-context.js';
import { REDACTED, REDACT_PATHS } from './redaction.js';

/** The platform's LOG_LEVEL values (Nest's names, as configuration documents them). */
export type LogLevelSetting = 'fatal' | 'error' | 'warn' | 'log' | 'debug' | 'verbose';

const PINO_LEVELS: Record<LogLevelSetting, Level> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'trace',
};

export interface LoggerSettings {
  NODE_ENV: string;
  LOG_LEVEL: LogLevelSetting;
}

const { chindingsSym } = pino.symbols;

/**
 * Adds the current request id to every line logged inside a request or job, so a service's or handler's own lines
 * can be found by it. A request's own logger (pino-http's) already has it bound; it is not written twice.
 */
function requestIdMixin(_line: object, _level: number, logger: Logger): object {
  const requestId = currentRequestId();
  if (!requestId) return {};
  const bound = (logger as unknown as Record<symbol, string | undefined>)[chindingsSym];
  return bound?.includes('"requestId":') ? {} : { requestId };
}

/** The options of every logger of the platform: level, redaction, the request id, ISO times and level names. */
export function loggerOptions(settings: LoggerSettings, process: string): LoggerOptions {
  return {
    level: PINO_LEVELS[settings.LOG_LEVEL],
    base: { process, pid: globalThis.process.pid },
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    mixin: requestIdMixin,
    timestamp: pino.stdTimeFunctions.isoTime,
    // "level":"info" rather than 30: log pipelines and grep read the name.
    formatters: { level: (label) => ({ level: label }) },
  };
}

/**
 * A process's logger: JSON lines on stdout, or pino-pretty's readable lines in development when stdout is a terminal
 * (tests and CI pipe it, so they get JSON). `destination` replaces stdout (a test reads its lines).
 */
export function createLogger(settings: LoggerSettings, process: string, destination?: DestinationStream): Logger {
  return pino(loggerOptions(settings, process), destination ?? defaultDestination(settings));
}

function defaultDestination(settings: LoggerSettings): DestinationStream {
  if (settings.NODE_ENV !== 'production' && process.stdout.isTTY) {
    const pretty = prettyStream();
    if (pretty) return pretty;
  }
  return pino.destination({ dest: 1, sync: true });
}

/** pino-pretty is a development dependency: the production image has none, and logs JSON there anyway. */
function prettyStream(): DestinationStream | undefined {
  try {
    const require = createRequire(import.meta.url);
    const pretty = require('pino-pretty') as (options: object) => DestinationStream;
    return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid' });
  } catch {
    return undefined;
  }
}

let processRoot: Logger | undefined;

/**
 * The logger of this process, made on first use: a service's start-up (before Nest's modules exist) and its Nest
 * modules share one, so one destination writes every line.
 */
export function processLogger(settings: LoggerSettings, process: string): Logger {
  processRoot ??= createLogger(settings, process);
  return processRoot;
}
