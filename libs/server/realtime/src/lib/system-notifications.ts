import type { AlertLiveEvent, SystemNotificationEvent } from '@crowdsafe/contracts';

/**
 * The `system_notification` an alert change stands for: a camera_offline alert opened / cleared, a system_error
 * (inference or model failure) opened / cleared. Other alerts are crowd alerts, not system notifications: null.
 */
export function notificationOfAlert(e: AlertLiveEvent): SystemNotificationEvent | null {
  const a = e.alert;
  const kind = a.condition === 'camera_offline' ? 'camera_offline' : a.condition === 'system_error' ? 'model_error' : null;
  if (!kind) return null;
  if (e.type !== 'opened' && e.type !== 'all_clear') return null;
  const cleared = e.type === 'all_clear';
  const message = cleared
    ? kind === 'camera_offline'
      ? `Camera ${a.cameraId} is back online`
      : `Pipeline of camera ${a.cameraId} recovered`
    : a.message;
  return { kind, level: cleared ? 'info' : kind === 'model_error' ? 'error' : 'warning', message, at: e.at, cameraId: a.cameraId, details: { alertId: a.id } };
}
