export * from './lib/per-second-aggregator';
export * from './lib/metrics-writer';
export * from './lib/metrics.dto';
export * from './lib/metrics.controller';
export * from './lib/metrics.module';
