export * from './institution-copy.js';
export * from './migrations/1796000000004-createInstitutionCopy.js';
