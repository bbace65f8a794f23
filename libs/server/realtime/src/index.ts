export * from './lib/live.gateway';
export * from './lib/realtime.module';
export * from './lib/live-cluster';
