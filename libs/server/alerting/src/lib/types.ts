import type { AlertChannel, AlertStatus, CameraStatus, RiskLevel } from '@crowdsafe/contracts';

/** What raised an alert (stored as AlertRecord.condition). */
export type AlertCondition = 'risk_level' | 'surge' | 'stagnation' | 'capacity' | 'camera_offline' | 'system_error';
/** Evaluation order: events of one update come out in this order. */
export const ALERT_CONDITIONS: readonly AlertCondition[] = [
  'risk_level',
  'surge',
  'stagnation',
  'capacity',
  'camera_offline',
  'system_error',
];

/** One metrics update for one camera (own input type: this library does not depend on the risk engine). */
export interface MetricsUpdate {
  cameraId: string;
  /** Epoch milliseconds. */
  at: number;
  /** null = no risk assessment yet / not available. */
  level: RiskLevel | null;
  score: number;
  /** persons / m². */
  density: number;
  /** persons / m² / s. */
  surge: number;
  /** m / s. */
  velocity: number;
  count: number;
  /** null or <= 0 = unknown capacity (no capacity trigger). */
  capacity: number | null;
  cameraStatus: CameraStatus;
  /** A system error affecting this camera's pipeline; absent/null/empty = none. */
  systemError?: string | null;
}

/** JSON-compatible snapshot (fits AlertRecord.metricsSnapshot). */
export type SnapshotValue = string | number | boolean | null;
export type MetricsSnapshot = Record<string, SnapshotValue>;

export interface Trigger {
  cameraId: string;
  condition: AlertCondition;
  level: RiskLevel;
  at: number;
  message: string;
  snapshot: MetricsSnapshot;
}

/** Per condition: triggered, clear, or unknown (no usable data: neither triggers nor counts towards all-clear). */
export type ConditionState =
  | { condition: AlertCondition; state: 'triggered'; trigger: Trigger }
  | { condition: AlertCondition; state: 'clear' | 'unknown' };

export interface TriggerThresholds {
  /** surge > this -> WARNING (p/m²/s). */
  surge: number;
  /** surge > this -> CRITICAL. */
  surgeCritical: number;
  /** stagnation: velocity < this (m/s) ... */
  stagnationVelocity: number;
  /** ... with density > this (p/m²). */
  stagnationDensity: number;
  /** count > capacity × this -> WARNING. */
  capacityRatio: number;
  /** count > capacity × this -> CRITICAL. */
  capacityCriticalRatio: number;
  /** camera offline/error for more than this (ms) -> camera_offline. */
  offlineGraceMs: number;
}

/** Channels a recipient can be reached on ('dashboard' is implicit). */
export type RecipientChannel = Exclude<AlertChannel, 'dashboard'>;

/** Shaped like an alert_recipients row (AlertRecipientRecord); extra fields are ignored. */
export interface AlertRecipient {
  /** null = all cameras. */
  cameraId: string | null;
  channel: RecipientChannel;
  destination: string;
  minLevel: RiskLevel;
  isActive: boolean;
}

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

export type ActionErrorCode =
  | 'not_found'
  | 'already_acknowledged'
  | 'already_resolved'
  | 'invalid_user'
  | 'invalid_time';

export type ActionResult = { ok: true; event: AlertEvent } | { ok: false; code: ActionErrorCode; message: string };
