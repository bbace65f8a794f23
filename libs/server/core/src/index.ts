export * from './lib/access';
export * from './lib/alert-notifier';
export * from './lib/errors';
export * from './lib/live-events';
export * from './lib/startup-logger';
