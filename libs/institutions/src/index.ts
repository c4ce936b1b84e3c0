export * from './institution-copy.js';
export * from './migrations/1796000000004-createInstitutionCopy.js';
export * from './institutions-changed.handler.js';
export * from './institution-replica.module.js';
