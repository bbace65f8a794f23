/** One camera's claim on the process's model passes. */
export interface PassDemand {
  /** Frames processed per second: each gets the global pass, so this much is always granted. */
  fps: number;
  /** Passes per second the camera would use with every slice refreshed on time (>= fps). */
  wanted: number;
}

export interface PassBudgetOptions {
  /**
   * Model passes per second for all the cameras of this process together (DETECT_PASS_BUDGET); 0 or omitted = no
   * shared total, each camera capped at `maxRatio` x its fps.
   */
  totalPerSecond?: number;
  /** A camera never gets more than this many times its untiled compute (fps passes/s). Default 2.5. */
  maxRatio?: number;
}

/**
 * Shares model passes per second across the cameras of one process, max-min fair: every camera first gets its
 * frame rate (one global pass per processed frame: the frame rate is never what gives), the rest of the total is
 * water-filled over the cameras' extra demand (slices), each capped at maxRatio x fps. A camera that wants less
 * leaves the rest to the others. Pure bookkeeping: cameras report demand, read their grant.
 */
export class PassBudgetAllocator {
  private readonly demands = new Map<string, PassDemand>();
  private grants = new Map<string, number>();
  readonly totalPerSecond: number;
  readonly maxRatio: number;

  constructor(opts: PassBudgetOptions = {}) {
    const total = opts.totalPerSecond ?? 0;
    if (!(total >= 0) || !Number.isFinite(total)) throw new RangeError(`totalPerSecond must be a non-negative number, got ${opts.totalPerSecond}`);
    const ratio = opts.maxRatio ?? 2.5;
    if (!(ratio >= 1) || !Number.isFinite(ratio)) throw new RangeError(`maxRatio must be a number >= 1, got ${opts.maxRatio}`);
    this.totalPerSecond = total;
    this.maxRatio = ratio;
  }

  get cameras(): number {
    return this.demands.size;
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

  /** The camera's passes per second (its fps when unknown). */
  grant(cameraId: string): number {
    return this.grants.get(cameraId) ?? this.demands.get(cameraId)?.fps ?? 0;
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
    if (this.totalPerSecond <= 0) {
      for (const [id, e] of extra) grants.set(id, (grants.get(id) ?? 0) + e);
    } else {
      // Water-filling: equal shares of what is left, the cameras wanting less than a share give the rest back.
      let left = Math.max(0, this.totalPerSecond - base);
      let open = [...extra.entries()].filter(([, e]) => e > 0).sort((a, b) => a[1] - b[1]);
      while (open.length && left > 1e-9) {
        const share = left / open.length;
        const [id, e] = open[0];
        if (e <= share) {
          grants.set(id, (grants.get(id) ?? 0) + e);
          left -= e;
          open = open.slice(1);
        } else {
          for (const [oid] of open) grants.set(oid, (grants.get(oid) ?? 0) + share);
          left = 0;
          open = [];
        }
      }
    }
    this.grants = grants;
  }
}
