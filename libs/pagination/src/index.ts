export * from './connection.js';
export * from './page.js';
