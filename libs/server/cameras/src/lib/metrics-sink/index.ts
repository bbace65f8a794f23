export * from './fenced-metrics-sink';
