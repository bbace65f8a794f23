import { Logger } from '@nestjs/common';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import Redis from 'ioredis';
import type { DeliveryChannel } from '@crowdsafe/server-core';
import { redactUrl, StartupError } from '@crowdsafe/server-core';
import { backoffDelay } from '../backoff';
import type { DeliveryProcessor } from '../delivery-processor';
import { DELIVERY_CHANNELS, type DeliveryJob } from '../delivery.types';
import { DeliveryQueue, NOTIFICATIONS_QUEUE, type DeliveryQueueOptions, type EnqueueResult } from './delivery-queue';

export interface BullMqDeliveryQueueOptions extends DeliveryQueueOptions {
  redisUrl: string;
  prefix: string;
  /** How long enqueue() waits for Redis before refusing (notify() must return fast). Default 3000. */
  enqueueTimeoutMs?: number;
  /** How long start() waits for Redis. Default 10000. */
  readyTimeoutMs?: number;
}

const BACKOFF_TYPE = 'crowdsafe-exp';

/** A retryable failure that should not be retried before `retryAfterMs` (an open circuit breaker). */
class RetryAfterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'RetryAfterError';
  }
}
/** While a channel's slots are all busy, its next job is parked this long (no attempt is used). */
const PARK_MS = 200;

const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms))),
  ]).finally(() => clearTimeout(timer));
};

/**
 * Distributed mode: BullMQ queue "notifications", consumed in the api process (which owns the alerts, the
 * outcome sink and the snapshot files). attempts + a custom capped exponential backoff (backoffDelay); permanent
 * failures end the job at once (UnrecoverableError). Per-channel concurrency: a job whose channel has all its
 * slots busy is parked with moveToDelayed (no attempt used), so a slow channel never fills the worker.
 * Completed/failed jobs are kept bounded by count and age. Job id = delivery id: an event enqueued twice is sent once.
 */
export class BullMqDeliveryQueue extends DeliveryQueue {
  private readonly logger = new Logger('BullMqDeliveryQueue');
  private readonly connection: Redis;
  private readonly queue: Queue;
  private worker: Worker | null = null;
  private workerConnection: Redis | null = null;
  private readonly inFlight = new Map<DeliveryChannel, number>(DELIVERY_CHANNELS.map((c) => [c, 0]));

  constructor(
    private readonly processor: DeliveryProcessor,
    private readonly opts: BullMqDeliveryQueueOptions,
  ) {
    super();
    this.connection = this.redis();
    this.queue = new Queue(NOTIFICATIONS_QUEUE, {
      connection: this.connection,
      prefix: opts.prefix,
      defaultJobOptions: {
        attempts: opts.attempts,
        backoff: { type: BACKOFF_TYPE },
        removeOnComplete: { count: 1000, age: 24 * 3600 },
        removeOnFail: { count: 5000, age: 7 * 24 * 3600 },
      },
    });
    this.queue.on('error', (e) => this.onRedisError(e));
  }

  private redis(): Redis {
    const r = new Redis(this.opts.redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
    r.on('error', (e) => this.onRedisError(e));
    return r;
  }

  private onRedisError(e: Error): void {
    this.logger.warn(`Redis (${redactUrl(this.opts.redisUrl)}): ${redactUrl(e.message)}`);
  }

  async start(): Promise<void> {
    this.workerConnection = this.redis();
    this.worker = new Worker(NOTIFICATIONS_QUEUE, (job: Job, token?: string) => this.process(job, token), {
      connection: this.workerConnection,
      prefix: this.opts.prefix,
      concurrency: this.opts.channelConcurrency * DELIVERY_CHANNELS.length,
      settings: {
        backoffStrategy: (attemptsMade: number, _type?: string, err?: Error) =>
          Math.max(backoffDelay(attemptsMade, this.opts.backoffMs, this.opts.backoffMaxMs), err instanceof RetryAfterError ? err.retryAfterMs : 0),
      },
    });
    this.worker.on('error', (e) => this.onRedisError(e));
    try {
      await withTimeout(Promise.all([this.queue.waitUntilReady(), this.worker.waitUntilReady()]), this.opts.readyTimeoutMs ?? 10000, 'Redis');
    } catch (e) {
      throw new StartupError(
        `Redis at ${redactUrl(this.opts.redisUrl)} (REDIS_URL) is not reachable for the notifications queue: ${redactUrl((e as Error).message)}`,
        'Start Redis or fix REDIS_URL; leave REDIS_URL unset to run embedded (single process).',
      );
    }
  }

  async enqueue(jobs: DeliveryJob[]): Promise<EnqueueResult> {
    const result: EnqueueResult = { accepted: 0, duplicates: 0, refused: [] };
    if (!jobs.length) return result;
    try {
      const waiting = await withTimeout(this.pending(), this.opts.enqueueTimeoutMs ?? 3000, 'notifications queue count');
      const room = Math.max(this.opts.queueMax - waiting, 0);
      const take = jobs.slice(0, room);
      for (const job of jobs.slice(room)) result.refused.push({ job, reason: `delivery queue full (${this.opts.queueMax} pending, NOTIFY_QUEUE_MAX)` });
      if (!take.length) return result;
      await withTimeout(
        this.queue.addBulk(take.map((job) => ({ name: `deliver-${job.channel}`, data: job, opts: { jobId: job.deliveryId } }))),
        this.opts.enqueueTimeoutMs ?? 3000,
        'notifications enqueue',
      );
      // A delivery id already in the queue is ignored by BullMQ (the same event to the same destination is sent once).
      result.accepted = take.length;
    } catch (e) {
      const reason = `delivery queue unavailable: ${redactUrl((e as Error).message)}`;
      for (const job of jobs) if (!result.refused.some((r) => r.job === job)) result.refused.push({ job, reason });
      result.accepted = 0;
    }
    return result;
  }

  async pending(): Promise<number> {
    return this.queue.getJobCountByTypes('waiting', 'delayed', 'active', 'prioritized', 'paused');
  }

  async counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.worker?.close(), this.queue.close()]);
    this.workerConnection?.disconnect();
    this.connection.disconnect();
    this.worker = null;
  }

  private async process(job: Job, token?: string): Promise<void> {
    const data = job.data as DeliveryJob;
    const busy = this.inFlight.get(data.channel) ?? 0;
    if (busy >= this.opts.channelConcurrency && token) {
      await job.moveToDelayed(Date.now() + PARK_MS, token);
      throw new DelayedError();
    }
    this.inFlight.set(data.channel, busy + 1);
    try {
      const maxAttempts = job.opts.attempts ?? 1;
      const r = await this.processor.attempt(data, job.attemptsMade + 1, maxAttempts);
      if (r.status === 'retry') throw r.retryAfterMs ? new RetryAfterError(r.error, r.retryAfterMs) : new Error(r.error);
      if (r.status === 'failed') throw new UnrecoverableError(r.error);
    } finally {
      this.inFlight.set(data.channel, (this.inFlight.get(data.channel) ?? 1) - 1);
    }
  }
}
