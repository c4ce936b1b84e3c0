// The test platform: starts the whole system (four services, the gateway, their databases and queues) for end-to-end
// tests. It is part of the tools application, not a library, because it wires every service and the gateway
// together; tests reach it as `#tools/test-platform`.
export * from './test-platform/platform.js';
export * from './test-platform/enrolment.js';
export * from './test-platform/demo-notices.js';
