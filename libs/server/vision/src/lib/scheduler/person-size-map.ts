import type { Detection } from '@crowdsafe/contracts';

export interface PersonSizeMapOptions {
  frameWidth: number;
  frameHeight: number;
  /** Grid rows x columns the frame is divided into (default 12 x 4): memory is O(rows x cols), whatever the traffic. */
  rows?: number;
  cols?: number;
  /**
   * Weight of past samples halves every this many samples (default 400): the map follows a camera that was moved or
   * zoomed within a few hundred detections, while one frame of odd boxes cannot overturn it.
   */
  halfLife?: number;
  /** Detections below this score are not learnt from (default 0.3). */
  minScore?: number;
  /** Samples (decayed weight) before the map is trusted (default 20). */
  minSamples?: number;
  /** Samples (decayed weight) before a grid cell's own mean overrides the row fit there (default 4). */
  minCellSamples?: number;
}

/** One learnt height with where it came from. */
export interface SizeEstimate {
  /** Expected person box height (source pixels) for a person whose feet are at this point. */
  height: number;
  source: 'cell' | 'fit';
}

/**
 * Person box height by image position, learnt online from detections (feet = bottom-centre of the box). A fixed
 * camera's perspective makes height a near-linear function of the foot row (the classic "person size map" of
 * crowd-counting and VMS calibration tools), so the map keeps a decayed weighted least-squares fit h = a + b * y over
 * all samples, and a coarse grid of decayed mean heights that overrides the fit where a cell has seen enough people
 * (lens distortion, a balcony at another height). Bounded: fixed-size arrays, no per-detection storage. Pure.
 */
export class PersonSizeMap {
  readonly frameWidth: number;
  readonly frameHeight: number;
  readonly rows: number;
  readonly cols: number;
  private readonly decay: number;
  private readonly minScore: number;
  private readonly minSamples: number;
  private readonly minCellSamples: number;
  private readonly cellW: Float64Array;
  private readonly cellH: Float64Array;
  // Decayed sums for the fit of height on foot row.
  private sw = 0;
  private sy = 0;
  private syy = 0;
  private sh = 0;
  private syh = 0;
  private seen = 0;

  constructor(opts: PersonSizeMapOptions) {
    for (const k of ['frameWidth', 'frameHeight'] as const) {
      if (!Number.isInteger(opts[k]) || opts[k] <= 0) throw new RangeError(`${k} must be a positive integer, got ${opts[k]}`);
    }
    this.frameWidth = opts.frameWidth;
    this.frameHeight = opts.frameHeight;
    this.rows = opts.rows ?? 12;
    this.cols = opts.cols ?? 4;
    if (!Number.isInteger(this.rows) || this.rows < 1 || !Number.isInteger(this.cols) || this.cols < 1) throw new RangeError('rows and cols must be positive integers');
    const halfLife = opts.halfLife ?? 400;
    if (!(halfLife > 0)) throw new RangeError(`halfLife must be positive, got ${halfLife}`);
    this.decay = Math.pow(0.5, 1 / halfLife);
    this.minScore = opts.minScore ?? 0.3;
    this.minSamples = opts.minSamples ?? 20;
    this.minCellSamples = opts.minCellSamples ?? 4;
    this.cellW = new Float64Array(this.rows * this.cols);
    this.cellH = new Float64Array(this.rows * this.cols);
  }

  /** Detections learnt from since construction or reset (not decayed). */
  get samplesSeen(): number {
    return this.seen;
  }

  /** Decayed sample weight: what `learnt` compares with minSamples. */
  get weight(): number {
    return this.sw;
  }

  /** Enough people seen to plan slices from the map (else: slice everything). */
  get learnt(): boolean {
    return this.sw >= this.minSamples;
  }

  reset(): void {
    this.cellW.fill(0);
    this.cellH.fill(0);
    this.sw = this.sy = this.syy = this.sh = this.syh = 0;
    this.seen = 0;
  }

  /** Learn from one frame's detections (source pixels of a frame of this map's size). Returns how many were used. */
  add(detections: readonly Detection[]): number {
    let used = 0;
    for (const d of detections) {
      const h = d.box.y2 - d.box.y1;
      if (!(d.score >= this.minScore) || !(h > 1) || !Number.isFinite(h) || h > this.frameHeight) continue;
      // A box cut by the top or bottom edge of the frame is a partly visible person: its height is not theirs.
      if (d.box.y1 <= 1 || d.box.y2 >= this.frameHeight - 1) continue;
      const fx = clamp((d.box.x1 + d.box.x2) / 2, 0, this.frameWidth - 1e-6);
      const fy = clamp(d.box.y2, 0, this.frameHeight - 1e-6);
      // Decay everything by one sample's worth, then add the new one.
      this.sw = this.sw * this.decay + 1;
      this.sy = this.sy * this.decay + fy;
      this.syy = this.syy * this.decay + fy * fy;
      this.sh = this.sh * this.decay + h;
      this.syh = this.syh * this.decay + fy * h;
      const c = this.cellOf(fx, fy);
      // Cells decay only when they receive samples: a quiet cell keeps what it learnt (people rarely stand there).
      this.cellW[c] = this.cellW[c] * this.decay + 1;
      this.cellH[c] = this.cellH[c] * this.decay + h;
      this.seen++;
      used++;
    }
    return used;
  }

  /** The row fit h = a + b * y; a flat fit (b = 0) while the samples' rows are too close to fix a slope. */
  heightLine(): { a: number; b: number } | null {
    if (this.sw <= 0) return null;
    const my = this.sy / this.sw;
    const mh = this.sh / this.sw;
    const vy = this.syy / this.sw - my * my;
    // Rows within ~3 % of the frame height of each other: no slope can be trusted.
    if (!(vy > (0.03 * this.frameHeight) ** 2)) return { a: mh, b: 0 };
    const b = (this.syh / this.sw - my * mh) / vy;
    return { a: mh - b * my, b };
  }

  /**
   * Expected height of a person whose feet are at (x, y), source pixels; null before any sample. Clamped to
   * [2, frameHeight] (an extrapolated fit can go to zero or below near the horizon).
   */
  heightAt(x: number, y: number): SizeEstimate | null {
    const c = this.cellOf(clamp(x, 0, this.frameWidth - 1e-6), clamp(y, 0, this.frameHeight - 1e-6));
    if (this.cellW[c] >= this.minCellSamples) return { height: this.cellH[c] / this.cellW[c], source: 'cell' };
    const f = this.heightLine();
    if (!f) return null;
    return { height: clamp(f.a + f.b * y, 2, this.frameHeight), source: 'fit' };
  }

  /** Smallest expected height along a row (over the grid's columns). */
  minHeightOnRow(y: number): number | null {
    let min: number | null = null;
    for (let i = 0; i < this.cols; i++) {
      const e = this.heightAt(((i + 0.5) * this.frameWidth) / this.cols, y);
      if (e && (min === null || e.height < min)) min = e.height;
    }
    return min;
  }

  private cellOf(x: number, y: number): number {
    const r = Math.min(this.rows - 1, Math.floor((y / this.frameHeight) * this.rows));
    const c = Math.min(this.cols - 1, Math.floor((x / this.frameWidth) * this.cols));
    return r * this.cols + c;
  }
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
