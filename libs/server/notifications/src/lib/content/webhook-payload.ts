import type { DeliveryJob } from '../delivery.types';

export interface WebhookBody {
  /** The delivery id (also the Idempotency-Key header): the same for every retry of this delivery. */
  id: string;
  type: 'alert.opened' | 'alert.escalated' | 'alert.all_clear';
  /** When this attempt was sent (ISO 8601). */
  timestamp: string;
  alert: { id: string; level: string; condition: string; message: string; triggeredAt: string; consoleUrl: string };
  camera: { id: string; name: string; location: string | null };
  metrics: Record<string, string | number | boolean | null>;
}

export function buildWebhookBody(job: DeliveryJob, now: number): WebhookBody {
  const a = job.alert;
  return {
    id: job.deliveryId,
    type: `alert.${a.event}`,
    timestamp: new Date(now).toISOString(),
    alert: { id: a.alertId, level: a.level, condition: a.condition, message: a.message, triggeredAt: new Date(a.triggeredAt).toISOString(), consoleUrl: a.consoleUrl },
    camera: { id: a.cameraId, name: a.cameraName, location: a.cameraLocation },
    metrics: a.metrics ?? {},
  };
}
