/** One completed second of one camera. */
export interface SecondSummary {
  /** Start of the second (UTC). */
  time: Date;
  /** Mean count over the second's frames, rounded. */
  count: number;
  countMax: number;
  countMin: number;
  frames: number;
}

export interface PerSecondAggregatorOptions {
  /** Seconds held open at once (default 120); beyond that the oldest open second is dropped and counted. */
  maxOpenSeconds?: number;
}

export interface AggregatorStats {
  /** Frames for a second that had already been flushed (ignored). */
  late: number;
  /** Frames lost because too many seconds were open at once (e.g. timestamps far in the future). */
  dropped: number;
  /** Frames with a non-finite time or a negative/non-finite count (ignored). */
  invalid: number;
  /** Seconds currently open. */
  open: number;
}

interface Accumulator {
  sum: number;
  max: number;
  min: number;
  frames: number;
}

/**
 * Per-camera aggregation of per-frame people counts into per-second rows. Pure: the caller supplies times.
 * A second is complete once `nowMs - latenessMs` has passed its end; flush() returns complete seconds in time order
 * and closes them, so frames arriving later for them are counted as late and ignored.
 */
export class PerSecondAggregator {
  private readonly open = new Map<number, Accumulator>();
  /** Every second <= this index is closed. */
  private closedThrough = -Infinity;
  private readonly maxOpen: number;
  private late = 0;
  private dropped = 0;
  private invalid = 0;

  constructor(options: PerSecondAggregatorOptions = {}) {
    this.maxOpen = Math.max(1, options.maxOpenSeconds ?? 120);
  }

  /** False when a frame captured at `capturedAtMs` would be ignored as late (its second is already closed). */
  accepts(capturedAtMs: number): boolean {
    return Number.isFinite(capturedAtMs) && Math.floor(capturedAtMs / 1000) > this.closedThrough;
  }

  /** Adds one processed frame. Returns false when it was ignored (late or invalid). */
  add(capturedAtMs: number, count: number): boolean {
    if (!Number.isFinite(capturedAtMs) || !Number.isFinite(count) || count < 0) {
      this.invalid++;
      return false;
    }
    const second = Math.floor(capturedAtMs / 1000);
    if (second <= this.closedThrough) {
      this.late++;
      return false;
    }
    const acc = this.open.get(second);
    if (acc) {
      acc.sum += count;
      acc.max = Math.max(acc.max, count);
      acc.min = Math.min(acc.min, count);
      acc.frames++;
      return true;
    }
    this.open.set(second, { sum: count, max: count, min: count, frames: 1 });
    if (this.open.size > this.maxOpen) {
      const oldest = Math.min(...this.open.keys());
      this.dropped += this.open.get(oldest)?.frames ?? 0;
      this.open.delete(oldest);
    }
    return true;
  }

  /**
   * Closes and returns every open second that ended at least `latenessMs` before `nowMs`, oldest first.
   * `nowMs = Infinity` closes everything (camera stopping).
   */
  flush(nowMs: number, latenessMs = 0): SecondSummary[] {
    if (Number.isNaN(nowMs)) return [];
    const watermark = Math.floor((nowMs - Math.max(0, latenessMs)) / 1000) - 1;
    if (watermark > this.closedThrough) this.closedThrough = watermark;
    const done = [...this.open.keys()].filter((s) => s <= this.closedThrough).sort((a, b) => a - b);
    return done.map((second) => {
      const acc = this.open.get(second) as Accumulator;
      this.open.delete(second);
      return {
        time: new Date(second * 1000),
        count: Math.round(acc.sum / acc.frames),
        countMax: acc.max,
        countMin: acc.min,
        frames: acc.frames,
      };
    });
  }

  stats(): AggregatorStats {
    return { late: this.late, dropped: this.dropped, invalid: this.invalid, open: this.open.size };
  }
}
