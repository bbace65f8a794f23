export * from './lib/detections';
export * from './lib/frames';
export * from './lib/jobs';
export * from './lib/camera';
export * from './lib/roles';
export * from './lib/events';
export * from './lib/alerts';
export * from './lib/reports';
