import { Logger } from '@nestjs/common';
import { type Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { redactUrl } from '@crowdsafe/server-core';

export const REPORTS_QUEUE = 'reports';
/** Reports waiting in the in-process queue; more are refused (503). */
export const REPORT_QUEUE_MAX = 50;

/**
 * Report jobs ({reportId}: a reference, never data). Runs in the api process, not the inference workers: a report
 * reads the database (the workers have none), writes into DATA_DIR/reports and reports progress over the api's
 * socket. With REDIS_URL: the BullMQ queue `reports` (prefix QUEUE_PREFIX) consumed one at a time by every api
 * replica that has it; embedded: an in-process FIFO, one at a time.
 */
export abstract class ReportQueue {
  abstract start(run: (reportId: string) => Promise<void>): Promise<void>;
  /** false when the queue is full (the caller answers 503). */
  abstract enqueue(reportId: string): Promise<boolean>;
  abstract close(): Promise<void>;
}

export class InProcessReportQueue extends ReportQueue {
  private readonly ids: string[] = [];
  private run?: (reportId: string) => Promise<void>;
  private busy = false;
  private closed = false;

  async start(run: (reportId: string) => Promise<void>): Promise<void> {
    this.run = run;
    this.pump();
  }

  async enqueue(reportId: string): Promise<boolean> {
    if (this.closed || this.ids.length >= REPORT_QUEUE_MAX) return false;
    this.ids.push(reportId);
    setImmediate(() => this.pump());
    return true;
  }

  private pump(): void {
    if (this.busy || this.closed || !this.run) return;
    const id = this.ids.shift();
    if (!id) return;
    this.busy = true;
    this.run(id)
      .catch(() => undefined) // the runner records failures itself
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.ids.length = 0;
  }
}

export class BullMqReportQueue extends ReportQueue {
  private readonly logger = new Logger('Reports');
  private readonly connection: Redis;
  private readonly queue: Queue;
  private worker?: Worker;
  private workerConnection?: Redis;

  constructor(private readonly opts: { redisUrl: string; prefix: string }) {
    super();
    this.connection = this.redis();
    this.queue = new Queue(REPORTS_QUEUE, { connection: this.connection, prefix: opts.prefix, defaultJobOptions: { attempts: 1, removeOnComplete: { count: 500, age: 7 * 24 * 3600 }, removeOnFail: { count: 500, age: 7 * 24 * 3600 } } });
    this.queue.on('error', (e) => this.onError(e));
  }

  private redis(): Redis {
    const r = new Redis(this.opts.redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: true });
    r.on('error', (e) => this.onError(e));
    return r;
  }

  private onError(e: Error): void {
    this.logger.warn(`Redis (${redactUrl(this.opts.redisUrl)}): ${redactUrl(e.message)}`);
  }

  async start(run: (reportId: string) => Promise<void>): Promise<void> {
    this.workerConnection = this.redis();
    this.worker = new Worker(REPORTS_QUEUE, async (job: Job<{ reportId: string }>) => run(job.data.reportId), { connection: this.workerConnection, prefix: this.opts.prefix, concurrency: 1 });
    this.worker.on('error', (e) => this.onError(e));
  }

  async enqueue(reportId: string): Promise<boolean> {
    const waiting = await this.queue.getWaitingCount();
    if (waiting >= REPORT_QUEUE_MAX) return false;
    await this.queue.add('generate-report', { reportId }, { jobId: reportId });
    return true;
  }

  async close(): Promise<void> {
    await this.worker?.close().catch(() => undefined);
    await this.queue.close().catch(() => undefined);
    for (const c of [this.connection, this.workerConnection]) if (c) await c.quit().catch(() => c.disconnect());
  }
}
