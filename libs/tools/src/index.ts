export * from './compose.js';
export * from './free-port.js';
export * from './node-args.js';
export * from './preflight.js';
export * from './repo-root.js';
export * from './services.js';
export * from './access-policy-coverage.js';
export * from './local-env.js';
