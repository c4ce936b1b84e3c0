export * from './grade.js';
