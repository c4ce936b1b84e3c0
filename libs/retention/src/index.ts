export * from './batches.js';
export * from './settings.js';
export * from './shared-stores.js';
export * from './queues.js';
export * from './job.js';
export * from './runner.js';
