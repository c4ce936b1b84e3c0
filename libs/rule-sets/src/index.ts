export * from './district-rule-sets.js';
