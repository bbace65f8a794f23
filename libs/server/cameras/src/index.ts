export * from './lib/cameras.module';
export * from './lib/api/camera.dto';
export * from './lib/api/cameras.service';
export * from './lib/runtime/camera-runtime';
export * from './lib/runtime/camera-supervisor';
export * from './lib/runtime/live-frame-encoder';
export * from './lib/ingest';
export * from './lib/runtime/camera-analytics';
