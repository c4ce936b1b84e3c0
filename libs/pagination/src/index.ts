export * from './connection.js';
export * from './page.js';
export * from './keyset-page.js';
