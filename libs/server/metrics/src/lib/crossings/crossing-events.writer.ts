import { type BeforeApplicationShutdown, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { CrossingEventSink, type CrossingEvent } from '@crowdsafe/server-core';
import { CrossingEventRepository, isForeignKeyViolation, type CrossingEventInput } from '@crowdsafe/server-database';

/** Crossings held in memory at most; beyond it the oldest are dropped and counted (database down or too slow). */
export const CROSSINGS_BUFFER_CAPACITY = 20_000;
/** Flush period (ms) and batch size that triggers an earlier flush. */
export const CROSSINGS_FLUSH_MS = 1000;
export const CROSSINGS_FLUSH_ROWS = 500;

export interface CrossingEventsWriterStats {
  buffered: number;
  written: number;
  dropped: number;
  failedFlushes: number;
  lastError: string | null;
}

/**
 * The CrossingEventSink of every camera runtime: buffers crossings (bounded) and inserts them in batches, once a
 * second or every 500 rows, one flush at a time. A failed batch stays buffered for the next flush unless its camera
 * was deleted (foreign key), in which case it is discarded. record() never blocks or throws.
 */
@Injectable()
export class CrossingEventsWriter extends CrossingEventSink implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger('Crossings');
  private buffer: CrossingEventInput[] = [];
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;
  private lastWarnAt = 0;
  private readonly counters = { written: 0, dropped: 0, failedFlushes: 0, lastError: null as string | null };

  constructor(private readonly repo: CrossingEventRepository) {
    super();
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.flush(), CROSSINGS_FLUSH_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  record(events: readonly CrossingEvent[]): void {
    for (const e of events) {
      if (!e || !Number.isFinite(e.at) || !Number.isInteger(e.trackId) || (e.direction !== 'in' && e.direction !== 'out')) continue;
      this.buffer.push({ cameraId: e.cameraId, time: new Date(e.at), lineId: String(e.lineId), lineName: String(e.lineName), direction: e.direction, trackId: e.trackId });
    }
    const over = this.buffer.length - CROSSINGS_BUFFER_CAPACITY;
    if (over > 0) {
      this.buffer.splice(0, over);
      this.counters.dropped += over;
    }
    if (this.buffer.length >= CROSSINGS_FLUSH_ROWS) void this.flush();
  }

  /** Writes what is buffered (waits for a flush in progress first). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (!this.buffer.length) return;
    const batch = this.buffer;
    this.buffer = [];
    this.flushing = (async () => {
      try {
        await this.repo.insertMany(batch);
        this.counters.written += batch.length;
      } catch (err) {
        this.counters.failedFlushes++;
        this.counters.lastError = String(err).slice(0, 300);
        if (isForeignKeyViolation(err)) {
          // A camera was deleted: keep the rows of the others (written one camera at a time next flush).
          const byCamera = new Map<string, CrossingEventInput[]>();
          for (const r of batch) {
            const rows = byCamera.get(r.cameraId);
            if (rows) rows.push(r);
            else byCamera.set(r.cameraId, [r]);
          }
          for (const rows of byCamera.values()) {
            try {
              await this.repo.insertMany(rows);
              this.counters.written += rows.length;
            } catch {
              this.counters.dropped += rows.length;
            }
          }
        } else {
          this.buffer = batch.concat(this.buffer).slice(-CROSSINGS_BUFFER_CAPACITY);
          this.counters.dropped += Math.max(0, batch.length + this.buffer.length - CROSSINGS_BUFFER_CAPACITY);
          if (Date.now() - this.lastWarnAt > 60_000) {
            this.lastWarnAt = Date.now();
            this.logger.warn(`could not write ${batch.length} crossing event(s), kept for the next flush: ${this.counters.lastError}`);
          }
        }
      }
    })();
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  stats(): CrossingEventsWriterStats {
    return { buffered: this.buffer.length, ...this.counters };
  }
}
