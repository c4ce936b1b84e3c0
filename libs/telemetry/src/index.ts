export * from './private-attributes.js';
export * from './settings.js';
export * from './start.js';
export * from './traced-fetch.js';
