import type { AlertChannel, AlertStatus, RiskLevel } from './roles';

// The alert model of the alert engine (libs/server/alerting), shared with the ports in libs/server/core so both
// sides use one definition. Times are epoch ms.

/** What raised an alert (stored as AlertRecord.condition). */
export type AlertCondition = 'risk_level' | 'early_warning' | 'surge' | 'stagnation' | 'capacity' | 'camera_offline' | 'system_error';
/** Evaluation order: events of one update come out in this order. */
export const ALERT_CONDITIONS: readonly AlertCondition[] = [
  'risk_level',
  'early_warning',
  'surge',
  'stagnation',
  'capacity',
  'camera_offline',
  'system_error',
];

/** JSON-compatible snapshot (fits AlertRecord.metricsSnapshot). */
export type SnapshotValue = string | number | boolean | null;
export type MetricsSnapshot = Record<string, SnapshotValue>;

/** Channels a recipient can be reached on ('dashboard' is implicit). */
export type RecipientChannel = Exclude<AlertChannel, 'dashboard'>;

export interface Delivery {
  channel: RecipientChannel;
  destination: string;
}

/**
 * An alert as the engine holds it. Maps 1:1 onto AlertRecord (times are epoch ms here, Date there);
 * currentLevel, responseTimeMs and notifiedAt are extra.
 */
export interface Alert {
  id: string;
  cameraId: string;
  condition: AlertCondition;
  /** Highest level reached (escalation only goes up). */
  level: RiskLevel;
  /** Level of the latest emitted trigger (may be below `level` after a partial de-escalation). */
  currentLevel: RiskLevel;
  status: AlertStatus;
  message: string;
  metricsSnapshot: MetricsSnapshot;
  channelsNotified: AlertChannel[];
  /** 0 when opened, +1 per escalation. */
  escalationLevel: number;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  /** acknowledgedAt - notifiedAt. */
  responseTimeMs: number | null;
  resolvedBy: string | null;
  resolvedAt: number | null;
  notes: string | null;
  createdAt: number;
  updatedAt: number;
  /** Time of the last notification (open or escalation): response time is measured from here. */
  notifiedAt: number;
}

export type AlertEventType = 'opened' | 'updated' | 'escalated' | 'acknowledged' | 'all_clear' | 'resolved';

export interface AlertEvent {
  type: AlertEventType;
  at: number;
  /** A copy: the state to write. */
  alert: Alert;
  /** Channels to notify ('dashboard' = push to connected operators). */
  channels: AlertChannel[];
  /** Recipients to send to (email/SMS/push/webhook). */
  deliveries: Delivery[];
  /** For 'escalated' (and 'updated' on a level change): the level before. */
  previousLevel?: RiskLevel;
}
