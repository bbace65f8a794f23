import type { AlertChannel, AlertStatus, RiskLevel } from '@crowdsafe/contracts';
import type { AuthUser } from './access';

/**
 * An alert as the engine holds it: structurally the `Alert` of @crowdsafe/alerting (core, a util lib, can't import
 * a domain lib; the camera runtime hands the engine's events over unchanged). Times are epoch ms.
 */
export interface EngineAlert {
  id: string;
  cameraId: string;
  condition: string;
  level: RiskLevel;
  currentLevel: RiskLevel;
  status: AlertStatus;
  message: string;
  metricsSnapshot: Record<string, string | number | boolean | null>;
  channelsNotified: AlertChannel[];
  escalationLevel: number;
  acknowledgedBy: string | null;
  acknowledgedAt: number | null;
  responseTimeMs: number | null;
  resolvedBy: string | null;
  resolvedAt: number | null;
  notes: string | null;
  createdAt: number;
  updatedAt: number;
  notifiedAt: number;
}

export type EngineAlertEventType = 'opened' | 'updated' | 'escalated' | 'acknowledged' | 'all_clear' | 'resolved';

/** Structurally the `AlertEvent` of @crowdsafe/alerting. */
export interface EngineAlertEvent {
  type: EngineAlertEventType;
  at: number;
  alert: EngineAlert;
  channels: AlertChannel[];
  deliveries: Array<{ channel: Exclude<AlertChannel, 'dashboard'>; destination: string }>;
  previousLevel?: RiskLevel;
}

export interface AlertEventContext {
  /**
   * Lazily renders the annotated JPEG (boxes, track ids, ROI/zones) of the frame that was current when the event was
   * produced; null when there is none (no frame processed yet). Called at most once, only when a snapshot is saved.
   */
  snapshot?: () => Promise<Buffer | null>;
  /** Users-table id of the person who acknowledged/resolved (null/absent: system or unauthenticated). */
  actorId?: string | null;
}

/**
 * Where a camera's alert engine sends its events (implemented by libs/server/alerts: persist, snapshot, WebSocket
 * `alert`, notifications). `handle` never throws and never blocks the caller: the camera pipeline goes on whatever
 * the database or the notifier do. The returned promise settles once the event is persisted and published (for
 * callers that answer a request with the result, e.g. acknowledge).
 */
export abstract class AlertEventSink {
  abstract handle(event: EngineAlertEvent, context?: AlertEventContext): Promise<void>;
}

/** Result of an operator command on an alert (WebSocket ack / REST). */
export type AlertCommandResult =
  | { ok: true; alertId: string }
  | { ok: false; status: 400 | 404 | 409; error: string };

/** Acknowledge / resolve requests (implemented by libs/server/alerts; used by the WebSocket gateway). */
export abstract class AlertCommands {
  abstract acknowledge(alertId: string, user: AuthUser | undefined, notes?: string): Promise<AlertCommandResult>;
  abstract resolve(alertId: string, user: AuthUser | undefined, notes?: string): Promise<AlertCommandResult>;
}
