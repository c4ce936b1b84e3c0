export * from './personal-data-audit.js';
export * from './migrations/1796000000002-createPersonalDataAccess.js';
export * from './masking.js';
export * from './minors.js';
