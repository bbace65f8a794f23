export * from './lib/errors';
export * from './lib/live-events';
export * from './lib/startup-logger';
