export * from './references.js';
export * from './district-month.js';
