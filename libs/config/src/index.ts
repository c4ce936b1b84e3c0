export * from './environment.js';
export * from './secrets.js';
