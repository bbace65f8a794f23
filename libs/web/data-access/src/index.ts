// REST: hand-written facades over the generated client (src/generated, regenerate with generate.mjs).
export { ApiError, toApiError } from './lib/api/api-error';
export { apiErrorInterceptor } from './lib/api/api-error.interceptor';
export { provideApiClient } from './lib/api/provide-api';
export type { Camera, MetricPoint, MetricsQuery, ServerHealth } from './lib/api/models';
export { CamerasApi } from './lib/api/cameras.api';
export { MetricsApi } from './lib/api/metrics.api';
export { HealthApi } from './lib/api/health.api';

// Console management pages: cameras admin, analytics, settings, users, system.
export {
  type BulkResult,
  type CalibrateResult,
  type CalibrationInput,
  type CalibrationPoint,
  type CameraDetail,
  type CameraInput,
  type CameraSettings,
  type CameraSourceInput,
  type CameraZone,
  type CountingLine,
  type SourceTestResult,
  type Vec2,
} from './lib/api/cameras.api';
export {
  AnalyticsApi,
  type AlertStatistics,
  type BusyHours,
  type CompareMetric,
  type CompareSeries,
  type MetricsSummary,
  type SpatialHeatmap,
} from './lib/api/analytics.api';
export {
  SettingsApi,
  type AlertRecipient,
  type AlertRecipientInput,
  type AllSettings,
  type RecipientChannel,
  type SettingsCategory,
} from './lib/api/settings.api';
export { UsersApi, type User, type UserActivity, type UserCreate, type UserPatch } from './lib/api/users.api';
export { SystemApi, type LogEntry, type LogQuery, type SystemHealth } from './lib/api/system.api';

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

// Auth + alerts: session, interceptor, guards, alerts REST + live store.
export { AuthApi, SKIP_AUTH } from './lib/api/auth.api';
export { AlertsApi, type AlertsQuery } from './lib/api/alerts.api';
export { AuthService } from './lib/auth/auth.service';
export { authInterceptor } from './lib/auth/auth.interceptor';
export { ROUTE_ROLES, authGuard, guestGuard, roleGuard, signedInGuard } from './lib/auth/auth.guards';
export { AUTH_PATHS, type AuthProviders, type SessionStatus, type SessionUser, type TokenResponse } from './lib/auth/auth.models';
export { ALERTS_KEPT, ALERT_EVENTS_KEPT, AlertsStore, levelRank, type ReceivedAlertEvent } from './lib/live/alerts.store';

// Recordings (issue 14): clips, on-demand recording, media tickets.
export { RecordingsApi, type Recording, type RecordingStorage, type RecordingTicket, type RecordingsQuery } from './lib/api/recordings.api';

// Stored settings the console acts on (site name, time zone, theme, alarm sound, camera defaults).
export {
  DEFAULT_CONSOLE_SETTINGS,
  parseConsoleSettings,
  timeZoneChoices,
  type ConsoleSettings,
  type SoundSetting,
  type ThemeSetting,
} from './lib/settings/console-settings';
export { ConsoleSettingsStore, SETTINGS_POLL_MS } from './lib/settings/console-settings.store';

// Web push: VAPID key + self-service subscription of this browser.
export { PushApi, type PushSubscriptionState } from './lib/api/push.api';
// Reports (#16).
export { ReportsApi, type Report, type ReportRequest } from './lib/api/reports.api';
