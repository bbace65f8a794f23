export * from './fenced-metrics-sink';
export * from './fenced-alert-sink';
