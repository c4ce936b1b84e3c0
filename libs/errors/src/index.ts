export * from './domain-error.js';
export * from './format-graphql-error.js';
