/** One camera's claim on the process's model passes. */
export interface PassDemand {
  /** Frames processed per second: each gets the global pass, so this much is granted first. */
  fps: number;
  /** Passes per second the camera would use with every slice refreshed on time (>= fps). */
  wanted: number;
}

export interface PassBudgetOptions {
  /**
   * Model passes per second for all the cameras of this process together, set by hand (DETECT_PASS_BUDGET): an
   * override of the measured capacity. 0 or omitted = the total follows setMeasuredCapacity() (and until a
   * measurement arrives there is no shared total: each camera is capped at `maxRatio` x its fps).
   */
  totalPerSecond?: number;
  /** A camera never gets more than this many times its untiled compute (fps passes/s). Default 2.5. */
  maxRatio?: number;
  /**
   * Share of the measured capacity that is handed out, (0, 1]. Default 0.85: the rest absorbs jitter, so requests
   * do not queue up and frames are not dropped when a pass takes a little longer than average.
   */
  utilisation?: number;
}

/** Where the shared total comes from. */
export type PassBudgetSource = 'configured' | 'measured' | 'uncapped';

/** One camera's grant and, when the global passes do not fit, why it is below its frame rate. */
export interface PassGrantStatus {
  grant: number;
  /** True when the total cannot give every camera one pass per frame. */
  shortfall: boolean;
  /** Human-readable, for the camera's health (null when the camera gets at least its frame rate). */
  reason: string | null;
}

/**
 * Shares model passes per second across the cameras of one process, max-min fair. The total is the configured
 * override, else the measured capacity (PassCapacityMeter) x utilisation. Every camera first gets its frame rate (one
 * global pass per processed frame, so slices never cost frames), the rest is water-filled over the cameras' extra
 * demand (slices: their refresh period stretches when it is short), each capped at maxRatio x fps. When even the
 * global passes do not fit, the total is water-filled over the frame rates (fair lower frame rates) and every camera's
 * status says so. Pure bookkeeping: cameras report demand, read their grant. State: one entry per running camera.
 */
export class PassBudgetAllocator {
  private readonly demands = new Map<string, PassDemand>();
  private grants = new Map<string, number>();
  private short = false;
  private measured: number | null = null;
  /** The configured total (DETECT_PASS_BUDGET); 0 = follow the measured capacity. */
  readonly configuredPerSecond: number;
  readonly maxRatio: number;
  readonly utilisation: number;

  constructor(opts: PassBudgetOptions = {}) {
    const total = opts.totalPerSecond ?? 0;
    if (!(total >= 0) || !Number.isFinite(total)) throw new RangeError(`totalPerSecond must be a non-negative number, got ${opts.totalPerSecond}`);
    const ratio = opts.maxRatio ?? 2.5;
    if (!(ratio >= 1) || !Number.isFinite(ratio)) throw new RangeError(`maxRatio must be a number >= 1, got ${opts.maxRatio}`);
    const utilisation = opts.utilisation ?? 0.85;
    if (!(utilisation > 0 && utilisation <= 1)) throw new RangeError(`utilisation must be in (0, 1], got ${opts.utilisation}`);
    this.configuredPerSecond = total;
    this.maxRatio = ratio;
    this.utilisation = utilisation;
  }

  get cameras(): number {
    return this.demands.size;
  }

  /** Passes per second shared now (0 = no shared total). */
  get totalPerSecond(): number {
    if (this.configuredPerSecond > 0) return this.configuredPerSecond;
    return this.measured === null ? 0 : this.measured * this.utilisation;
  }

  get source(): PassBudgetSource {
    return this.configuredPerSecond > 0 ? 'configured' : this.measured === null ? 'uncapped' : 'measured';
  }

  /** The measured capacity, passes per second (null before a measurement). */
  get measuredPerSecond(): number | null {
    return this.measured;
  }

  /**
   * The detector's measured sustained throughput (passes/s; null or <= 0 = unknown). The total follows it unless a
   * total is configured. Re-shares at once.
   */
  setMeasuredCapacity(passesPerSecond: number | null): void {
    const next = passesPerSecond !== null && passesPerSecond > 0 && Number.isFinite(passesPerSecond) ? passesPerSecond : null;
    if (next === this.measured) return;
    this.measured = next;
    if (this.configuredPerSecond <= 0) this.share();
  }

  /** Set (or update) a camera's demand; returns its grant after re-sharing. */
  request(cameraId: string, demand: PassDemand): number {
    if (!(demand.fps > 0) || !Number.isFinite(demand.fps)) throw new RangeError(`fps must be positive, got ${demand.fps}`);
    const prev = this.demands.get(cameraId);
    const next = { fps: demand.fps, wanted: Math.max(demand.fps, Number.isFinite(demand.wanted) ? demand.wanted : demand.fps) };
    if (!prev || prev.fps !== next.fps || prev.wanted !== next.wanted) {
      this.demands.set(cameraId, next);
      this.share();
    }
    return this.grant(cameraId);
  }

  release(cameraId: string): void {
    if (this.demands.delete(cameraId)) this.share();
  }

  /** The camera's passes per second (its fps when unknown, 0 for a camera that asked for nothing). */
  grant(cameraId: string): number {
    return this.grants.get(cameraId) ?? this.demands.get(cameraId)?.fps ?? 0;
  }

  /** The camera's grant and whether (and why) it is below the camera's frame rate. */
  status(cameraId: string): PassGrantStatus {
    const grant = this.grant(cameraId);
    const d = this.demands.get(cameraId);
    if (!d || !this.short) return { grant, shortfall: false, reason: null };
    let fps = 0;
    for (const x of this.demands.values()) fps += x.fps;
    const from = this.source === 'configured' ? 'DETECT_PASS_BUDGET' : `${round2(this.measured ?? 0)} measured x ${this.utilisation} utilisation`;
    return {
      grant,
      shortfall: true,
      reason:
        `model passes short for the frame rates: ${round2(this.totalPerSecond)} passes/s (${from}) for ${round2(fps)} fps over ` +
        `${this.demands.size} camera(s): global pass only, about ${round2(grant)} of ${d.fps} fps for this camera`,
    };
  }

  private share(): void {
    const grants = new Map<string, number>();
    const extra = new Map<string, number>();
    let base = 0;
    for (const [id, d] of this.demands) {
      grants.set(id, d.fps);
      base += d.fps;
      extra.set(id, Math.min(d.wanted, this.maxRatio * d.fps) - d.fps);
    }
    const total = this.totalPerSecond;
    this.short = total > 0 && total < base - 1e-9;
    if (total <= 0) {
      for (const [id, e] of extra) grants.set(id, (grants.get(id) ?? 0) + e);
    } else if (this.short) {
      // Even the global passes do not fit: fair frame rates (max-min over fps), no slices.
      const fps = new Map([...this.demands].map(([id, d]) => [id, d.fps]));
      for (const [id, g] of waterFill(fps, total)) grants.set(id, g);
    } else {
      for (const [id, g] of waterFill(extra, total - base)) grants.set(id, (grants.get(id) ?? 0) + g);
    }
    this.grants = grants;
  }
}

/** Max-min fair shares of `total` over `wants`: equal shares, those wanting less than a share give the rest back. */
export function waterFill(wants: ReadonlyMap<string, number>, total: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const id of wants.keys()) out.set(id, 0);
  let left = Math.max(0, total);
  let open = [...wants.entries()].filter(([, w]) => w > 0).sort((a, b) => a[1] - b[1]);
  while (open.length && left > 1e-9) {
    const share = left / open.length;
    const [id, w] = open[0];
    if (w <= share) {
      out.set(id, w);
      left -= w;
      open = open.slice(1);
    } else {
      for (const [oid] of open) out.set(oid, share);
      left = 0;
      open = [];
    }
  }
  return out;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
