export * from './random.js';
export * from './names.js';
export * from './district-plan.js';
export * from './households.js';
export * from './residents-sql.js';
