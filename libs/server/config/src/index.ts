export * from './lib/config';
export * from './lib/env.schema';
export * from './lib/config.module';
export * from './lib/notifications.config';
export * from './lib/recordings.config';
export * from './lib/ops.env';
export * from './lib/ops.config';
