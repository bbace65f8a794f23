import type { Alert, AlertCondition, MetricsSnapshot } from '@crowdsafe/contracts';
import { ALERT_CONDITIONS } from '@crowdsafe/contracts';
import type { AlertRecord } from '@crowdsafe/server-database';

/**
 * A stored active alert as the engine's Alert, for a new owner of the camera to continue it. What the row does not
 * keep is taken from what it does: the level of the latest trigger = the alert's level, the last notification =
 * its last update.
 */
export function alertOfRecord(r: AlertRecord): Alert | null {
  if (!ALERT_CONDITIONS.includes(r.condition as AlertCondition) || r.status === 'resolved') return null;
  const ms = (d: Date | null) => (d ? d.getTime() : null);
  const notifiedAt = r.updatedAt.getTime();
  const acknowledgedAt = ms(r.acknowledgedAt);
  return {
    id: r.id,
    cameraId: r.cameraId,
    condition: r.condition as AlertCondition,
    level: r.level,
    currentLevel: r.level,
    status: r.status,
    message: r.message,
    metricsSnapshot: r.metricsSnapshot as MetricsSnapshot,
    channelsNotified: [...r.channelsNotified],
    escalationLevel: r.escalationLevel,
    acknowledgedBy: r.acknowledgedBy,
    acknowledgedAt,
    responseTimeMs: acknowledgedAt === null ? null : Math.max(0, acknowledgedAt - r.createdAt.getTime()),
    resolvedBy: null,
    resolvedAt: null,
    notes: r.notes,
    createdAt: r.createdAt.getTime(),
    updatedAt: r.updatedAt.getTime(),
    notifiedAt,
  };
}
