export * from './roles.js';
export * from './caller.js';
export * from './caller-signature.js';
export * from './access-token.js';
export * from './access-policy.js';
export * from './party-member-login.js';
export * from './gateway-signature.js';
