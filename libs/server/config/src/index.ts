export * from './lib/config';
export * from './lib/env.schema';
