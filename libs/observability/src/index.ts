export * from './carried-context.js';
export * from './redaction.js';
export * from './logger.js';
export * from './request-log.js';
