import type { GridGeometry } from './types';

/**
 * Live occupancy heatmap on a grid (ground metres, or image px without a ground mapping): an exponentially
 * decaying average of the per-cell occupancy with a configurable half-life. Ground cells hold people/m²; image
 * cells hold people per cell. Also keeps the all-time occupancy (person-seconds per cell).
 */
export class OccupancyHeatmap {
  /** Exponentially weighted mean occupancy per cell. */
  readonly live: Float64Array;
  /** Person-seconds per cell since start (no decay). */
  readonly total: Float64Array;
  private readonly current: Float64Array;
  private readonly perCell: number;

  constructor(
    readonly grid: GridGeometry,
    readonly halfLifeMs: number,
  ) {
    const n = grid.cols * grid.rows;
    this.live = new Float64Array(n);
    this.total = new Float64Array(n);
    this.current = new Float64Array(n);
    this.perCell = grid.space === 'ground' ? 1 / (grid.cell * grid.cell) : 1;
  }

  cellOf(x: number, y: number): number {
    const g = this.grid;
    const i = Math.floor((x - g.originX) / g.cell);
    const j = Math.floor((y - g.originY) / g.cell);
    return i >= 0 && i < g.cols && j >= 0 && j < g.rows ? j * g.cols + i : -1;
  }

  /**
   * Adds one frame: n positions, the frame lasting dtMs (the time since the previous frame, capped by the
   * caller). The live map moves towards this frame's occupancy by 1 - 2^(-dt / halfLife).
   */
  add(n: number, x: ArrayLike<number>, y: ArrayLike<number>, dtMs: number): void {
    this.current.fill(0);
    for (let p = 0; p < n; p++) {
      const c = this.cellOf(x[p], y[p]);
      if (c >= 0) this.current[c] += this.perCell;
    }
    const keep = Math.pow(2, -Math.max(0, dtMs) / this.halfLifeMs);
    const dtS = Math.max(0, dtMs) / 1000;
    const cellFactor = 1 / this.perCell;
    for (let c = 0; c < this.live.length; c++) {
      this.live[c] = keep * this.live[c] + (1 - keep) * this.current[c];
      this.total[c] += this.current[c] * cellFactor * dtS;
    }
  }

  reset(): void {
    this.live.fill(0);
    this.total.fill(0);
  }
}

/** One hour-of-week bucket of busy-hours statistics. */
export interface BusyHourBucket {
  /** Sum of count x seconds observed in this hour of the week. */
  personSeconds: number;
  /** Seconds of video observed in this hour of the week. */
  observedSeconds: number;
  /** Highest count seen. */
  peakCount: number;
}

/** 7 x 24 busy-hours table: index = weekday * 24 + hour, weekday 0 = Monday ... 6 = Sunday (local time). */
export interface BusyHours {
  timeZone: string;
  buckets: BusyHourBucket[];
}

const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const SLOT_MS = 15 * 60 * 1000;

/**
 * Hour-of-week accumulation, bounded to 7 x 24 buckets. Local time comes from an IANA time zone through Intl
 * (looked up once per 15-minute slot, which is exact for every zone whose offsets are multiples of 15 minutes)
 * or from a fixed UTC offset.
 */
export class BusyHoursAccumulator {
  private readonly buckets: BusyHourBucket[] = Array.from({ length: 168 }, () => ({
    personSeconds: 0,
    observedSeconds: 0,
    peakCount: 0,
  }));
  private readonly fmt: Intl.DateTimeFormat | null;
  private slot = NaN;
  private slotBucket = 0;

  constructor(
    readonly timeZone: string,
    private readonly utcOffsetMinutes: number | null,
  ) {
    this.fmt =
      utcOffsetMinutes === null
        ? new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' })
        : null;
  }

  /** Bucket index (weekday * 24 + hour) of an epoch-ms time. */
  bucketOf(tMs: number): number {
    const slot = Math.floor(tMs / SLOT_MS);
    if (slot === this.slot) return this.slotBucket;
    let idx: number;
    if (this.fmt) {
      const parts = this.fmt.formatToParts(new Date(slot * SLOT_MS));
      const wd = WEEKDAYS[parts.find((p) => p.type === 'weekday')?.value ?? 'Mon'] ?? 0;
      const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
      idx = wd * 24 + hour;
    } else {
      const local = slot * SLOT_MS + (this.utcOffsetMinutes ?? 0) * 60000;
      const days = Math.floor(local / 86400000);
      const hour = Math.floor((local - days * 86400000) / 3600000);
      // 1970-01-01 was a Thursday (weekday 3 with Monday = 0).
      const wd = (((days + 3) % 7) + 7) % 7;
      idx = wd * 24 + hour;
    }
    this.slot = slot;
    this.slotBucket = idx;
    return idx;
  }

  add(tMs: number, dtMs: number, count: number): void {
    const b = this.buckets[this.bucketOf(tMs)];
    const dtS = Math.max(0, dtMs) / 1000;
    b.personSeconds += count * dtS;
    b.observedSeconds += dtS;
    if (count > b.peakCount) b.peakCount = count;
  }

  snapshot(): BusyHours {
    return { timeZone: this.timeZone, buckets: this.buckets.map((b) => ({ ...b })) };
  }

  /** Restores a snapshot (e.g. persisted by the data layer); ignores malformed input. */
  restore(data: BusyHours): void {
    if (!data || !Array.isArray(data.buckets) || data.buckets.length !== 168) return;
    data.buckets.forEach((b, i) => {
      const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
      this.buckets[i] = {
        personSeconds: ok(b?.personSeconds) ? b.personSeconds : 0,
        observedSeconds: ok(b?.observedSeconds) ? b.observedSeconds : 0,
        peakCount: ok(b?.peakCount) ? b.peakCount : 0,
      };
    });
  }
}
