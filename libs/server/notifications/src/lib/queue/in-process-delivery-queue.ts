import { Logger } from '@nestjs/common';
import type { DeliveryChannel } from '@crowdsafe/server-core';
import { backoffDelay } from '../backoff';
import type { DeliveryProcessor } from '../delivery-processor';
import type { DeliveryJob } from '../delivery.types';
import { DeliveryQueue, type DeliveryQueueOptions, type EnqueueResult } from './delivery-queue';

interface Item {
  job: DeliveryJob;
  /** Attempts made so far. */
  attemptsMade: number;
}

/**
 * Embedded mode: the delivery queue in this process. One FIFO lane per channel with at most
 * `channelConcurrency` sends in flight, so a slow or failing channel never holds up another; failed attempts are
 * re-queued after backoffDelay() on a timer. Lost on restart (as is everything else in embedded mode).
 */
export class InProcessDeliveryQueue extends DeliveryQueue {
  private readonly logger = new Logger('InProcessDeliveryQueue');
  private readonly lanes = new Map<DeliveryChannel, { waiting: Item[]; running: number }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly ids = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly processor: DeliveryProcessor,
    private readonly opts: DeliveryQueueOptions,
  ) {
    super();
  }

  async start(): Promise<void> {
    /* nothing to connect */
  }

  async enqueue(jobs: DeliveryJob[]): Promise<EnqueueResult> {
    const result: EnqueueResult = { accepted: 0, duplicates: 0, refused: [] };
    for (const job of jobs) {
      if (this.closed) {
        result.refused.push({ job, reason: 'delivery queue closed (shutting down)' });
      } else if (this.ids.has(job.deliveryId)) {
        result.duplicates += 1;
      } else if (this.ids.size >= this.opts.queueMax) {
        result.refused.push({ job, reason: `delivery queue full (${this.opts.queueMax} pending, NOTIFY_QUEUE_MAX)` });
      } else {
        this.ids.add(job.deliveryId);
        this.lane(job.channel).waiting.push({ job, attemptsMade: 0 });
        result.accepted += 1;
      }
    }
    for (const c of new Set(jobs.map((j) => j.channel))) this.pump(c);
    return result;
  }

  async pending(): Promise<number> {
    return this.ids.size;
  }

  /** Resolves when nothing is waiting, delayed or running (tests, graceful shutdown). */
  whenIdle(): Promise<void> {
    if (this.ids.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const lane of this.lanes.values()) {
      for (const item of lane.waiting) this.ids.delete(item.job.deliveryId);
      lane.waiting.length = 0;
    }
    // Sends in flight are bounded by the send timeout.
    await Promise.allSettled([...this.running]);
    if (this.ids.size) this.logger.warn(`${this.ids.size} deliveries dropped at shutdown`);
    this.ids.clear();
    this.notifyIdle();
  }

  private lane(c: DeliveryChannel) {
    let lane = this.lanes.get(c);
    if (!lane) this.lanes.set(c, (lane = { waiting: [], running: 0 }));
    return lane;
  }

  private pump(c: DeliveryChannel): void {
    const lane = this.lane(c);
    while (!this.closed && lane.running < this.opts.channelConcurrency && lane.waiting.length) {
      const item = lane.waiting.shift() as Item;
      lane.running += 1;
      const p = this.run(item).finally(() => {
        lane.running -= 1;
        this.running.delete(p);
        this.pump(c);
      });
      this.running.add(p);
    }
  }

  private async run(item: Item): Promise<void> {
    const attempt = item.attemptsMade + 1;
    let result;
    try {
      result = await this.processor.attempt(item.job, attempt, this.opts.attempts);
    } catch (e) {
      // attempt() handles channel errors itself; this is a bug guard so a job is never stuck.
      this.logger.error(`delivery ${item.job.deliveryId} crashed: ${(e as Error).message}`);
      result = { status: 'failed' as const };
    }
    if (result.status === 'retry' && !this.closed) {
      const delay = Math.max(backoffDelay(attempt, this.opts.backoffMs, this.opts.backoffMaxMs), result.retryAfterMs ?? 0);
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (this.closed) return;
        this.lane(item.job.channel).waiting.push({ job: item.job, attemptsMade: attempt });
        this.pump(item.job.channel);
      }, delay);
      this.timers.add(t);
      return;
    }
    this.ids.delete(item.job.deliveryId);
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.ids.size !== 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
