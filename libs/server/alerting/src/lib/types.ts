import type { AlertCondition, AlertEvent, CameraStatus, MetricsSnapshot, RecipientChannel, RiskLevel } from '@crowdsafe/contracts';

export { ALERT_CONDITIONS } from '@crowdsafe/contracts';
export type { Alert, AlertCondition, AlertEvent, AlertEventType, Delivery, MetricsSnapshot, RecipientChannel, SnapshotValue } from '@crowdsafe/contracts';

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
  /** Seconds until the density forecast drives the risk to CRITICAL (the risk lib's earlyWarningInS); absent = no forecast crossing. */
  earlyWarningInS?: number | null;
}


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
  /** early_warning: the forecast reaches CRITICAL within this many seconds (spec 3.4; 0 = off). */
  earlyWarningS: number;
}


/** Shaped like an alert_recipients row (AlertRecipientRecord); extra fields are ignored. */
export interface AlertRecipient {
  /** null = all cameras. */
  cameraId: string | null;
  channel: RecipientChannel;
  destination: string;
  minLevel: RiskLevel;
  isActive: boolean;
}




export type ActionErrorCode =
  | 'not_found'
  | 'already_acknowledged'
  | 'already_resolved'
  | 'invalid_user'
  | 'invalid_time';

export type ActionResult = { ok: true; event: AlertEvent } | { ok: false; code: ActionErrorCode; message: string };
