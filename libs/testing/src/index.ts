export * from './test-infrastructure.js';
export * from './wait-for.js';
export * from './graphql-client.js';
export * from './platform.js';
export * from './retention-fixtures.js';
export * from './enrolment.js';
export * from './photos.js';
export * from './graphql-answers.js';
