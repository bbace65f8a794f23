import type { DeliveryJob } from '../delivery.types';

export const NOTIFICATIONS_QUEUE = 'notifications';

export interface DeliveryQueueOptions {
  attempts: number;
  backoffMs: number;
  backoffMaxMs: number;
  /** Sends in flight at once per channel. */
  channelConcurrency: number;
  /** Deliveries waiting (including those waiting for a retry) before new ones are refused. */
  queueMax: number;
}

export interface EnqueueResult {
  accepted: number;
  /** Already queued under the same delivery id (same alert event, same destination): ignored. In-process only (BullMQ drops them silently and counts them as accepted). */
  duplicates: number;
  refused: Array<{ job: DeliveryJob; reason: string }>;
}

/**
 * Where deliveries wait: BullMQ queue "notifications" (REDIS_URL) or an in-process queue with the same semantics
 * (one job per target, attempts with capped exponential backoff, per-channel concurrency, bounded size, dedup by
 * delivery id).
 */
export abstract class DeliveryQueue {
  abstract enqueue(jobs: DeliveryJob[]): Promise<EnqueueResult>;
  abstract start(): Promise<void>;
  abstract close(): Promise<void>;
  /** Deliveries not finished yet (waiting, delayed, running). */
  abstract pending(): Promise<number>;
}
