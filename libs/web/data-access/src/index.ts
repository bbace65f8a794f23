// REST: hand-written facades over the generated client (src/generated, regenerate with generate.mjs).
export { ApiError, toApiError } from './lib/api/api-error';
export { apiErrorInterceptor } from './lib/api/api-error.interceptor';
export { provideApiClient } from './lib/api/provide-api';
export type { Camera, MetricPoint, MetricsQuery, ServerHealth } from './lib/api/models';
export { CamerasApi } from './lib/api/cameras.api';
export { MetricsApi } from './lib/api/metrics.api';
export { HealthApi } from './lib/api/health.api';

// Live: socket.io connection to the /live gateway.
export {
  LiveSocket,
  type LiveCameraStatus,
  type LiveConnectionState,
  type LiveFrame,
  type LiveMetrics,
} from './lib/live/live-socket.service';
export {
  DEFAULT_LIVE_SOCKET_OPTIONS,
  LIVE_SOCKET_OPTIONS,
  provideLiveSocketOptions,
  type LiveSocketOptions,
} from './lib/live/live-socket.options';
