// System API: health (resources, dependencies, cameras, inference), frame/queue stats and the system log.
export * from './lib/host-stats';
export * from './lib/system.service';
export * from './lib/system.dto';
export * from './lib/system.controller';
export * from './lib/system.module';
export * from './lib/spatial-heatmap.controller';
export * from './lib/disk-space-watch';
