export * from './idempotency.js';
export * from './migrations/1796000000003-createIdempotencyRecord.js';
