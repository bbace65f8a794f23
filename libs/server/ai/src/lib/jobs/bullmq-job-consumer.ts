import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Worker, type Job } from 'bullmq';
import type Redis from 'ioredis';
import { JOB_QUEUE, type JobName, type QueueName } from '@crowdsafe/contracts';
import { redactUrl } from '@crowdsafe/server-core';
import { bullConnection } from './bullmq-connection';
import { JobHandlerRegistry, UnknownJobError } from './job-handler.registry';

export interface BullMqJobConsumerOptions {
  redisUrl: string;
  /** BullMQ key prefix (QUEUE_PREFIX). */
  prefix: string;
  /** Jobs run at once per queue (WORKER_CONCURRENCY). */
  concurrency: number;
}

/**
 * The worker side: one BullMQ Worker per queue in JOB_QUEUE, routing job.name to the JobHandlerRegistry.
 * Starts at application bootstrap (after the registry found its handlers) and closes gracefully on shutdown,
 * letting active jobs finish before the detector and frame store are released.
 */
export class BullMqJobConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BullMqJobConsumer.name);
  private readonly workers: Worker[] = [];
  private connection?: Redis;

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly opts: BullMqJobConsumerOptions,
  ) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${opts.concurrency}`);
    }
  }

  /** Queue names consumed. */
  get queues(): QueueName[] {
    return [...new Set(Object.values(JOB_QUEUE))];
  }

  async onApplicationBootstrap(): Promise<void> {
    const onError = (e: Error) => this.logger.warn(`Redis (${redactUrl(this.opts.redisUrl)}): ${redactUrl(e.message)}`);
    this.connection = bullConnection(this.opts.redisUrl, onError);
    for (const queue of this.queues) {
      const worker = new Worker(queue, (job: Job) => this.process(job), {
        // Shared for commands; BullMQ duplicates it for the blocking connection.
        connection: this.connection,
        prefix: this.opts.prefix,
        concurrency: this.opts.concurrency,
      });
      worker.on('error', onError);
      worker.on('failed', (job, err) => this.logger.warn(`job ${job?.name ?? '?'} ${job?.id ?? ''} failed: ${err.message}`));
      this.workers.push(worker);
    }
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.allSettled(this.workers.map((w) => w.close()));
    this.workers.length = 0;
    this.connection?.disconnect();
    this.connection = undefined;
  }

  private async process(job: Job): Promise<unknown> {
    if (!this.registry.has(job.name)) throw new UnknownJobError(job.name);
    return this.registry.handle(job.name as JobName, job.data);
  }
}
