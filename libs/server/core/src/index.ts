export * from './lib/access';
export * from './lib/alert-notifier';
export * from './lib/alert-events';
export * from './lib/errors';
export * from './lib/live-events';
export * from './lib/startup-logger';
export * from './lib/audit-context';
export * from './lib/secret-box';
