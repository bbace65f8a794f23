import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import {
  MetricsRepository,
  isForeignKeyViolation,
  metricRecordProblem,
  type MetricRecord,
} from '@crowdsafe/server-database';
import { MetricsRollup } from './metrics-rollup';
import type { MetricsSink } from './metrics-sink';

export interface MetricsWriterOptions {
  /** Rows held in memory at most (default 10,000); on overflow the oldest are dropped and counted. */
  capacity?: number;
  /** Minimum ms between two warnings of one kind (default 60,000). */
  warnEveryMs?: number;
  /** PostgreSQL statements run at once for a large batch (default METRICS_UNNEST_PARALLEL; 1: one after another). */
  parallel?: number;
}
/** Optional provider token to override MetricsWriterOptions (tests). */
export const METRICS_WRITER_OPTIONS = Symbol('METRICS_WRITER_OPTIONS');

export interface MetricsWriterStats {
  buffered: number;
  written: number;
  /** Oldest rows dropped because the buffer was full (database down or too slow). */
  dropped: number;
  /** Malformed rows refused by enqueue(). */
  rejected: number;
  /** Rows discarded because their camera no longer exists. */
  orphaned: number;
  failedFlushes: number;
  /** Batches written, and the rows of the largest (how much a flush carries: 1 Hz flushes vs catching up). */
  batches: number;
  largestBatch: number;
  lastError: string | null;
}

/** Warns at most once per interval per kind, reporting how many events it swallowed meanwhile. */
class WarnLimiter {
  private readonly last = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();
  constructor(
    private readonly logger: Logger,
    private readonly everyMs: number,
  ) {}
  warn(kind: string, message: (suppressed: number) => string): void {
    const now = Date.now();
    const last = this.last.get(kind);
    if (last !== undefined && now - last < this.everyMs) {
      this.suppressed.set(kind, (this.suppressed.get(kind) ?? 0) + 1);
      return;
    }
    this.logger.warn(message(this.suppressed.get(kind) ?? 0));
    this.last.set(kind, now);
    this.suppressed.set(kind, 0);
  }
}

/**
 * Buffers per-second metric rows and writes them in one insertMany batch every METRICS_FLUSH_INTERVAL_MS and at
 * shutdown. The buffer is bounded: when full (e.g. the database is down) the oldest rows are dropped and counted.
 * A failed flush keeps its rows for the next try, within the same bound.
 */
@Injectable()
export class MetricsWriter implements MetricsSink, OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(MetricsWriter.name);
  private readonly capacity: number;
  private readonly warnings: WarnLimiter;
  private buffer: MetricRecord[] = [];
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<number>;
  private readonly counters = { written: 0, dropped: 0, rejected: 0, orphaned: 0, failedFlushes: 0, batches: 0, largestBatch: 0 };
  private readonly parallel?: number;
  private lastError: string | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: MetricsRepository,
    @Optional() @Inject(METRICS_WRITER_OPTIONS) options?: MetricsWriterOptions,
    @Optional() @Inject(MetricsRollup) private readonly rollup: MetricsRollup | null = null,
  ) {
    this.capacity = Math.max(1, options?.capacity ?? 10_000);
    this.warnings = new WarnLimiter(this.logger, options?.warnEveryMs ?? 60_000);
    this.parallel = options?.parallel;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), this.config.metrics.flushIntervalMs);
    this.timer.unref();
  }

  /** Runs before the DataSource closes (that happens in onApplicationShutdown), so the last rows get written. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
    if (this.buffer.length > 0) this.logger.warn(`${this.buffer.length} metric row(s) not written at shutdown: ${this.lastError}`);
  }

  /** Queues one row. Returns false (and counts it) when the row is malformed. */
  enqueue(row: MetricRecord): boolean {
    const problem = metricRecordProblem(row);
    if (problem) {
      this.counters.rejected++;
      this.warnings.warn('rejected', (n) => `Refused a metric row: ${problem}${n ? ` (and ${n} more since the last warning)` : ''}`);
      return false;
    }
    this.buffer.push(row);
    this.trim();
    return true;
  }

  /** MetricsSink: the same as enqueue(). */
  write(row: MetricRecord): boolean {
    return this.enqueue(row);
  }

  /** Writes everything buffered in one insertMany. Concurrent calls share the flush in progress. Returns rows written. */
  flush(): Promise<number> {
    this.inFlight ??= this.writeBuffered().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  stats(): MetricsWriterStats {
    return { buffered: this.buffer.length, ...this.counters, lastError: this.lastError };
  }

  private async writeBuffered(): Promise<number> {
    if (this.buffer.length === 0) return 0;
    const batch = this.buffer;
    this.buffer = [];
    this.counters.batches++;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    try {
      await this.repository.insertMany(batch, { parallel: this.parallel });
      this.counters.written += batch.length;
      this.lastError = null;
      await this.updateRollup(batch);
      return batch.length;
    } catch (e) {
      if (isForeignKeyViolation(e)) return this.writePerCamera(batch);
      this.failed(batch, e);
      return 0;
    }
  }

  /** A camera was deleted while its rows waited: write camera by camera and discard the orphans. */
  private async writePerCamera(batch: MetricRecord[]): Promise<number> {
    const byCamera = new Map<string, MetricRecord[]>();
    for (const r of batch) {
      const rows = byCamera.get(r.cameraId);
      if (rows) rows.push(r);
      else byCamera.set(r.cameraId, [r]);
    }
    let written = 0;
    for (const [cameraId, rows] of byCamera) {
      try {
        await this.repository.insertMany(rows, { parallel: this.parallel });
        written += rows.length;
        await this.updateRollup(rows);
      } catch (e) {
        if (isForeignKeyViolation(e)) {
          this.counters.orphaned += rows.length;
          this.logger.warn(`Discarded ${rows.length} metric row(s) of camera ${cameraId}: the camera no longer exists`);
        } else {
          this.failed(rows, e);
        }
      }
    }
    this.counters.written += written;
    return written;
  }

  /** Re-aggregates the minutes just written into metrics_minute (a failure is retried with the next batch). */
  private async updateRollup(rows: readonly MetricRecord[]): Promise<void> {
    if (!this.rollup) return;
    this.rollup.mark(rows);
    await this.rollup.refresh().catch((e: unknown) => this.warnings.warn('rollup', (n) => `Updating metrics_minute failed, retried with the next batch: ${e instanceof Error ? e.message : String(e)}${n ? ` (${n} more since the last warning)` : ''}`));
  }

  private failed(rows: MetricRecord[], error: unknown): void {
    this.counters.failedFlushes++;
    this.lastError = error instanceof Error ? error.message : String(error);
    // Back in front of rows queued meanwhile, so time order is kept; the bound still applies.
    this.buffer = rows.concat(this.buffer);
    this.trim();
    this.warnings.warn('flush', (n) =>
      `Writing ${rows.length} metric row(s) failed, kept for the next try (${this.buffer.length} buffered): ${this.lastError}` +
      (n ? ` (${n} more failures since the last warning)` : ''),
    );
  }

  private trim(): void {
    const excess = this.buffer.length - this.capacity;
    if (excess <= 0) return;
    this.buffer.splice(0, excess);
    this.counters.dropped += excess;
    this.warnings.warn('overflow', () =>
      `Metrics buffer full (${this.capacity} rows): dropping the oldest; ${this.counters.dropped} dropped so far. Is the database keeping up?`,
    );
  }
}
