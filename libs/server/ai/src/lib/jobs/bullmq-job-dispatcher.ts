import { Logger, type BeforeApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Queue, QueueEvents } from 'bullmq';
import type Redis from 'ioredis';
import { JOB_QUEUE, type JobName, type JobOf, type JobResultOf, type QueueName } from '@crowdsafe/contracts';
import { redactUrl, StartupError } from '@crowdsafe/server-core';
import { bullConnection, withTimeout } from './bullmq-connection';
import { JobDispatcher } from './job-dispatcher';

export interface BullMqJobDispatcherOptions {
  redisUrl: string;
  /** BullMQ key prefix (QUEUE_PREFIX). */
  prefix: string;
  /** A job not finished in this time is abandoned: the caller gets JobTimeoutError (INFERENCE_TIMEOUT_MS). */
  timeoutMs: number;
  /** Finished jobs kept for inspection, bounded by count and age. Defaults: 1000 / 1 h completed, 1000 / 24 h failed. */
  keepCompleted?: { count: number; ageS: number };
  keepFailed?: { count: number; ageS: number };
  /** How long onModuleInit waits for Redis. Default 10 s. */
  readyTimeoutMs?: number;
}

export class JobTimeoutError extends Error {
  constructor(
    readonly jobName: string,
    readonly jobId: string | undefined,
    readonly timeoutMs: number,
  ) {
    super(`job '${jobName}' (id ${jobId}) did not finish within ${timeoutMs} ms`);
    this.name = 'JobTimeoutError';
  }
}

export class JobFailedError extends Error {
  constructor(
    readonly jobName: string,
    readonly jobId: string | undefined,
    readonly reason: string,
  ) {
    super(`job '${jobName}' (id ${jobId}) failed: ${reason}`);
    this.name = 'JobFailedError';
  }
}

export class DispatcherClosedError extends Error {
  constructor() {
    super('job dispatcher closed');
    this.name = 'DispatcherClosedError';
  }
}

/**
 * Runs jobs on worker processes through BullMQ: one Queue (+ QueueEvents) per queue in JOB_QUEUE.
 * attempts is 1: a live frame that failed or timed out is stale by the time a retry would run.
 */
export class BullMqJobDispatcher extends JobDispatcher implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(BullMqJobDispatcher.name);
  private readonly connection: Redis;
  private readonly queues = new Map<QueueName, { queue: Queue; events: QueueEvents; eventsConnection: Redis }>();
  private closed = false;
  /** Rejecters of dispatches still waiting: close() must not leave callers hanging until their timeout. */
  private readonly waiting = new Set<(e: Error) => void>();

  constructor(private readonly opts: BullMqJobDispatcherOptions) {
    super();
    const onError = (e: Error) => this.logger.warn(`Redis (${redactUrl(opts.redisUrl)}): ${redactUrl(e.message)}`);
    this.connection = bullConnection(opts.redisUrl, onError);
    const keepCompleted = opts.keepCompleted ?? { count: 1000, ageS: 3600 };
    const keepFailed = opts.keepFailed ?? { count: 1000, ageS: 24 * 3600 };
    for (const name of new Set(Object.values(JOB_QUEUE))) {
      const queue = new Queue(name, {
        connection: this.connection,
        prefix: opts.prefix,
        defaultJobOptions: {
          attempts: 1,
          removeOnComplete: { count: keepCompleted.count, age: keepCompleted.ageS },
          removeOnFail: { count: keepFailed.count, age: keepFailed.ageS },
        },
      });
      queue.on('error', onError);
      // QueueEvents blocks on XREAD: it gets its own connection.
      const eventsConnection = bullConnection(opts.redisUrl, onError);
      const events = new QueueEvents(name, { connection: eventsConnection, prefix: opts.prefix });
      events.on('error', onError);
      this.queues.set(name, { queue, events, eventsConnection });
    }
  }

  async onModuleInit(): Promise<void> {
    const timeout = this.opts.readyTimeoutMs ?? 10000;
    try {
      await withTimeout(
        Promise.all([...this.queues.values()].flatMap(({ queue, events }) => [queue.waitUntilReady(), events.waitUntilReady()])),
        timeout,
        'BullMQ queues',
      );
    } catch (e) {
      throw new StartupError(
        `Redis at ${redactUrl(this.opts.redisUrl)} (REDIS_URL) is not reachable for the job queues: ${redactUrl((e as Error).message)}`,
        'Start Redis or fix REDIS_URL; leave REDIS_URL unset to run embedded (single process).',
      );
    }
  }

  async dispatch<N extends JobName>(name: N, data: JobOf<N>): Promise<JobResultOf<N>> {
    if (this.closed) throw new DispatcherClosedError();
    const q = this.queues.get(JOB_QUEUE[name]);
    if (!q) throw new Error(`no queue for job '${name}'`);
    // Registered before add(): close() may come while the job is being added.
    let abort: (e: Error) => void = () => undefined;
    const aborted = new Promise<never>((_, reject) => (abort = reject));
    this.waiting.add(abort);
    let jobId: string | undefined;
    try {
      const job = await Promise.race([q.queue.add(name, data), aborted]);
      jobId = job.id;
      try {
        return (await Promise.race([job.waitUntilFinished(q.events, this.opts.timeoutMs), aborted])) as JobResultOf<N>;
      } catch (e) {
        if (e instanceof Error && /timed out before finishing/.test(e.message)) {
          // Drop it if no worker has taken it yet, so a backlog of stale frames does not build up.
          await job.remove().catch(() => undefined);
          throw new JobTimeoutError(name, jobId, this.opts.timeoutMs);
        }
        throw e;
      }
    } catch (e) {
      if (e instanceof DispatcherClosedError || e instanceof JobTimeoutError) throw e;
      throw new JobFailedError(name, jobId, e instanceof Error ? e.message : String(e));
    } finally {
      this.waiting.delete(abort);
    }
  }

  /** BullMQ's own Prometheus export of each queue (bullmq_job_count by state, completed/failed totals), one text per queue. */
  async prometheusMetrics(): Promise<string[]> {
    return Promise.all([...this.queues.values()].map(({ queue }) => queue.exportPrometheusMetrics()));
  }

  /** Jobs waiting/active per queue (for health endpoints). */
  async counts(): Promise<Record<string, Record<string, number>>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [name, { queue }] of this.queues) out[name] = await queue.getJobCounts('waiting', 'active', 'completed', 'failed');
    return out;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const abort of this.waiting) abort(new DispatcherClosedError());
    this.waiting.clear();
    for (const { queue, events, eventsConnection } of this.queues.values()) {
      await Promise.allSettled([queue.close(), events.close()]);
      eventsConnection.disconnect();
    }
    this.connection.disconnect();
  }
}
