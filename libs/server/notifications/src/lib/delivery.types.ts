import type { AlertNotification, DeliveryChannel } from '@crowdsafe/server-core';

export const DELIVERY_CHANNELS: readonly DeliveryChannel[] = ['email', 'sms', 'push', 'webhook'];

/** The alert as every delivery of it carries it (ids and data; the snapshot travels as a path, never as bytes). */
export type AlertPayload = Omit<AlertNotification, 'targets'>;

/** One delivery = one target of one notification = one queue job. */
export interface DeliveryJob {
  /** Deterministic id (alert, event, trigger time, channel, destination): BullMQ job id and the webhook idempotency id. */
  deliveryId: string;
  channel: DeliveryChannel;
  destination: string;
  alert: AlertPayload;
  enqueuedAt: number;
}

/**
 * Why a send failed. `transient` is retried (timeouts, 5xx, connection errors) and counts against the channel's
 * circuit breaker; `permanent` is not retried (bad destination, 4xx) and does not; `gone` marks a push
 * subscription the push service no longer knows (404/410): the caller should deactivate it.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly kind: 'transient' | 'permanent',
    readonly gone = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Prefix of the error text for a push subscription that is gone (404/410); the machine signal is DeliveryOutcome.gone. */
export const SUBSCRIPTION_GONE = 'subscription gone';

export interface SendContext {
  /** Aborted when the send timeout elapses. */
  signal: AbortSignal;
  timeoutMs: number;
  /** 1-based. */
  attempt: number;
}

/** A way to reach someone. A channel without configuration reports `configured: false` and is never called. */
export interface NotificationChannel {
  readonly name: DeliveryChannel;
  readonly configured: boolean;
  /** Resolves when the provider accepted the message; rejects with DeliveryError (other errors count as transient). */
  send(job: DeliveryJob, ctx: SendContext): Promise<void>;
  close?(): Promise<void>;
}
