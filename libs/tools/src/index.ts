export * from './compose.js';
export * from './preflight.js';
export * from './repo-root.js';
export * from './services.js';
