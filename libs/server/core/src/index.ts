export * from './lib/errors';
export * from './lib/live-events';
