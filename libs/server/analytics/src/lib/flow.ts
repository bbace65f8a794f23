import { fruinFlowLos, MAX_FLOW_P_PER_M_MIN } from './standards';
import { BucketCounter } from './stats';
import type { TrackState } from './tracks';
import type { CountingLine, LineCrossing, LineMetrics, Vec2 } from './types';

export interface FlowOptions {
  /** Half-width of the dead band on each side of the line (analysis-space units: metres, or px without ground). */
  hysteresis: number;
  /** How far beyond the segment's ends a crossing still counts (same units). */
  endMargin: number;
  /** Sliding window of the rates, ms (default 60 s). */
  windowMs: number;
  /** Bucket resolution of the sliding window, ms. */
  bucketMs: number;
  /** Rates are divided by max(elapsed since start, this) while less than a window has elapsed. */
  minRateWindowMs: number;
  /** Inflow exceeds outflow when in - out > max(minExcessPerMin, minExcessRatio * out). */
  bottleneckMinExcessPerMin: number;
  bottleneckMinExcessRatio: number;
  /** ... continuously for this long -> bottleneck. */
  bottleneckPersistMs: number;
}

/**
 * Geometry of a counting line in analysis space (ground metres, or image px). `orientedDistance` is positive on
 * the ON-SCREEN left of a->b, whatever the handedness of the ground frame.
 */
export class LineGeometry {
  readonly ax: number;
  readonly ay: number;
  readonly ux: number;
  readonly uy: number;
  readonly length: number;
  /** +1 or -1: turns the ground-frame cross product into "screen-left positive". */
  readonly leftSign: number;

  /**
   * @param a, b endpoints in analysis space
   * @param screenLeftProbe a point on the screen-left of the line mapped to analysis space
   */
  constructor(a: Vec2, b: Vec2, screenLeftProbe: Vec2) {
    this.ax = a[0];
    this.ay = a[1];
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    this.length = Math.hypot(dx, dy);
    this.ux = this.length > 0 ? dx / this.length : 1;
    this.uy = this.length > 0 ? dy / this.length : 0;
    const c = this.ux * (screenLeftProbe[1] - a[1]) - this.uy * (screenLeftProbe[0] - a[0]);
    this.leftSign = c < 0 ? -1 : 1;
  }

  /** Signed distance from the line, positive on the screen-left side. */
  orientedDistance(x: number, y: number): number {
    return this.leftSign * (this.ux * (y - this.ay) - this.uy * (x - this.ax));
  }

  /** Position along a->b of the point's projection (0 at a, length at b). */
  along(x: number, y: number): number {
    return this.ux * (x - this.ax) + this.uy * (y - this.ay);
  }
}

/**
 * Counts crossings of one line with hysteresis: a track's side is only known once it is seen beyond the dead
 * band (+-hysteresis) and only changes when it is seen beyond the band on the other side; each such change whose
 * path meets the segment (within `endMargin` of its ends) is one crossing. Positions inside the band, missing
 * frames and jitter never change the side. Crossings made while the track is unconfirmed are held and counted
 * when (if ever) the tracker confirms it; ids that are never confirmed never count.
 */
export class LineCounter {
  inTotal = 0;
  outTotal = 0;
  private readonly inWin: BucketCounter;
  private readonly outWin: BucketCounter;
  private exceedSinceMs: number | null = null;
  /** +1 when moving to the screen-left side is "in", else -1. */
  private readonly inSign: number;

  constructor(
    readonly line: CountingLine,
    readonly index: number,
    readonly geom: LineGeometry,
    private readonly opts: FlowOptions,
  ) {
    this.inWin = new BucketCounter(opts.windowMs, opts.bucketMs);
    this.outWin = new BucketCounter(opts.windowMs, opts.bucketMs);
    this.inSign = line.inDirection === 'left' ? 1 : -1;
  }

  /** Crossings counted since the last drain (the analyzer drains them every frame, so at most one per track). */
  readonly crossings: LineCrossing[] = [];

  private emit(dirIn: number, nowMs: number, trackId: number): void {
    this.crossings.push({ lineId: this.line.id, lineName: this.line.name, direction: dirIn > 0 ? 'in' : 'out', trackId, timestampMs: nowMs });
    if (dirIn > 0) {
      this.inTotal++;
      this.inWin.add(nowMs);
    } else {
      this.outTotal++;
      this.outWin.add(nowMs);
    }
  }

  /** Feeds one observed position of a track (analysis space). */
  observe(st: TrackState, x: number, y: number, confirmed: boolean, nowMs: number): void {
    const k = this.index;
    if (confirmed && st.pending[k] !== 0) {
      this.emit(st.pending[k], nowMs, st.id);
      st.pending[k] = 0;
    }
    const h = this.opts.hysteresis;
    const d = this.geom.orientedDistance(x, y);
    const side = d > h ? 1 : d < -h ? -1 : 0;
    if (side === 0) return;
    const prev = st.side[k];
    const px = st.lastX[k];
    const py = st.lastY[k];
    st.side[k] = side;
    st.lastX[k] = x;
    st.lastY[k] = y;
    if (prev === 0 || prev === side) return;
    // Side changed: where did the path from the last far-side position cross the line?
    const d0 = this.geom.orientedDistance(px, py);
    const t = d0 / (d0 - d);
    const along = this.geom.along(px + t * (x - px), py + t * (y - py));
    if (along < -this.opts.endMargin || along > this.geom.length + this.opts.endMargin) return;
    const dirIn = side === this.inSign ? 1 : -1;
    if (confirmed) this.emit(dirIn, nowMs, st.id);
    else st.pending[k] = st.pending[k] === -dirIn ? 0 : dirIn;
  }

  metrics(nowMs: number, elapsedMs: number, update: boolean): LineMetrics {
    const o = this.opts;
    const windowMs = Math.min(o.windowMs, Math.max(elapsedMs, o.minRateWindowMs));
    const perMin = 60000 / windowMs;
    const inPerMin = this.inWin.sum(nowMs) * perMin;
    const outPerMin = this.outWin.sum(nowMs) * perMin;
    if (update) {
      const exceeds = inPerMin - outPerMin > Math.max(o.bottleneckMinExcessPerMin, o.bottleneckMinExcessRatio * outPerMin);
      if (!exceeds) this.exceedSinceMs = null;
      else if (this.exceedSinceMs === null) this.exceedSinceMs = nowMs;
    }
    const exceedForMs = this.exceedSinceMs === null ? 0 : Math.max(0, nowMs - this.exceedSinceMs);
    const specific = (inPerMin + outPerMin) / this.line.widthM;
    return {
      id: this.line.id,
      name: this.line.name,
      inTotal: this.inTotal,
      outTotal: this.outTotal,
      inPerMin,
      outPerMin,
      netPerMin: inPerMin - outPerMin,
      rateWindowMs: windowMs,
      specificFlowPerMPerMin: specific,
      flowCapacityRatio: specific / MAX_FLOW_P_PER_M_MIN,
      losFlow: fruinFlowLos(specific),
      bottleneck: this.exceedSinceMs !== null && exceedForMs >= o.bottleneckPersistMs,
      inExceedsOutForMs: exceedForMs,
    };
  }
}
