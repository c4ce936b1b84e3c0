export * from './database-url.js';
export * from './ensure-database.js';
export * from './migrations.js';
export * from './naming-strategy.js';
export * from './database-logger.js';
export * from './data-source-options.js';
export * from './postgres-errors.js';
export * from './sql-params.js';
