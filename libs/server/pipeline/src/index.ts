// Pure per-camera pipeline stages (detection plan, tracking, density fusion, per-frame analytics, second
// accumulator, risk, alerting) composed by CameraPipeline; the mappers of a closed second; the runtime's ports.
export * from './lib/analytics-setup';
export * from './lib/auto-analytics';
export * from './lib/movement';
export * from './lib/detection-stage';
export * from './lib/tracking-stage';
export * from './lib/density-stage';
export * from './lib/frame-analytics-stage';
export * from './lib/second-accumulator';
export * from './lib/lateness';
export * from './lib/second-result';
export * from './lib/risk-stage';
export * from './lib/alerting-stage';
export * from './lib/live-overlay';
export * from './lib/rescale';
export * from './lib/camera-pipeline';
export * from './lib/ports';
