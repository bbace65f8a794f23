import { createHash } from 'node:crypto';
import type { AlertChannel, RiskLevel } from '@crowdsafe/contracts';

/** A channel that reaches a person or a system (the dashboard is the WebSocket `alert` event, not this). */
export type DeliveryChannel = Exclude<AlertChannel, 'dashboard'>;

export interface AlertDeliveryTarget {
  channel: DeliveryChannel;
  /** email address, E.164 phone number, push-subscription JSON, or webhook URL. */
  destination: string;
}

/** What the alert service hands to the notifier when an alert opens, escalates or clears. */
export interface AlertNotification {
  alertId: string;
  /** 'opened' | 'escalated' send the alert; 'all_clear' sends the stand-down. */
  event: 'opened' | 'escalated' | 'all_clear';
  cameraId: string;
  cameraName: string;
  cameraLocation: string | null;
  level: RiskLevel;
  condition: string;
  message: string;
  /** Flat snapshot of the metrics that triggered it (count, density, velocity, surge, score, ...). */
  metrics: Record<string, string | number | boolean | null>;
  /** Absolute path of the annotated JPEG of the triggering frame, when one was saved. */
  snapshotPath: string | null;
  /** Link to the camera in the console (PUBLIC_URL based). */
  consoleUrl: string;
  /** epoch ms of the trigger. */
  triggeredAt: number;
  targets: AlertDeliveryTarget[];
}

/**
 * Sends alert notifications on email / SMS / push / webhook. Implemented by libs/server/notifications (a BullMQ
 * delivery queue with retries and a circuit breaker per channel). `notify` only enqueues: it never waits on a
 * channel and never throws because a channel is down.
 */
export abstract class AlertNotifier {
  abstract notify(n: AlertNotification): Promise<void>;
}

export interface DeliveryOutcome {
  alertId: string;
  channel: DeliveryChannel;
  /** Redacted destination (e.g. "o***@example.com", "+44******789"). */
  destination: string;
  ok: boolean;
  attempts: number;
  error: string | null;
  at: number;
  /**
   * The destination no longer exists at the provider (a push subscription answered 404/410): the sink should
   * deactivate that recipient. Only set on failures.
   */
  gone?: boolean;
  /**
   * SHA-256 (hex) of the full, trimmed destination: lets the sink find the recipient (e.g. to deactivate a gone push
   * subscription) without the outcome carrying the address itself. Set by the notifier on every outcome.
   */
  destinationSha256?: string;
}

/** SHA-256 hex of a delivery destination as DeliveryOutcome.destinationSha256 carries it (trimmed). */
export function destinationSha256Of(destination: string): string {
  return createHash('sha256').update(destination.trim(), 'utf8').digest('hex');
}

/** Told the final outcome of every delivery (the alert service records channels_notified). Optional. */
export abstract class DeliveryOutcomeSink {
  abstract record(outcome: DeliveryOutcome): Promise<void>;
}
