export * from './territory.js';
export * from './territory-changed.handler.js';
export * from './territory-replica.module.js';
export * from './migrations/1796000000001-createTerritoryReplica.js';
