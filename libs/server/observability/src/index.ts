// Observability: the Prometheus endpoint and registry, HTTP latency, structured logs, camera/AI events to system_logs.
export * from './lib/prom-text';
export * from './lib/prometheus-metrics';
export * from './lib/metrics-access';
export * from './lib/metrics-collector';
export * from './lib/metrics.controller';
export * from './lib/http-metrics.middleware';
export * from './lib/observability.module';
export * from './lib/json-logging';
export * from './lib/camera-event-log';
export * from './lib/ai-event-log';
export * from './lib/process-heartbeat';
