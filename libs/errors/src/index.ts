export * from './domain-error.js';
export * from './format-graphql-error.js';
export * from './input.js';
