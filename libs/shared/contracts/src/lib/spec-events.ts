// The spec's socket names, kept as documented equivalents of the product's own events (see the README's WebSocket
// section): `subscribe_camera` / `unsubscribe_camera` ({ camera_id }) = `subscribe` / `unsubscribe` ({ cameraId }),
// `get_metrics` answers with the camera's latest `metrics_update`, `system_notification` is broadcast to everyone,
// `recording_status` reports a recording's state changes (./recordings).
import type { MetricsUpdateEvent } from './events';

/** `subscribe_camera` / `unsubscribe_camera` / `get_metrics` body (the spec's snake_case). */
export interface SpecCameraRequest {
  camera_id: string;
}

/** Answer of `get_metrics`: the latest metrics of the camera seen by this api process (null: none yet / not here). */
export interface GetMetricsAck {
  ok: boolean;
  error?: string;
  metrics?: MetricsUpdateEvent | null;
}

export type SystemNotificationKind = 'disk' | 'camera_offline' | 'model_error' | 'backup';
export const SYSTEM_NOTIFICATION_KINDS: readonly SystemNotificationKind[] = ['disk', 'camera_offline', 'model_error', 'backup'];

/** `system_notification`: an operational event for every connected client. */
export interface SystemNotificationEvent {
  kind: SystemNotificationKind;
  level: 'info' | 'warning' | 'error';
  message: string;
  /** ISO 8601. */
  at: string;
  cameraId?: string;
  /** Free-form details (e.g. { freeBytes, totalBytes, path } for disk). */
  details?: Record<string, string | number | boolean | null>;
}

// `recording_status` (RecordingStatusEvent) is defined with the recordings contracts (./recordings).
