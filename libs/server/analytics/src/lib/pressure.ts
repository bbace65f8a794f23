import type { GridGeometry } from './types';

export type PressureMode = 'spatial' | 'temporal';

export interface PressureOptions {
  /** Kernel radius R of f(d) = exp(-d²/R²) / (pi R²), metres (Helbing et al. use R ~ 1 m). */
  radiusM: number;
  /**
   * Kernel truncated beyond cutoff * R along each axis (a square window; 3 R keeps all but ~2 exp(-9) = 0.02 %
   * of the weight).
   */
  cutoff: number;
  /**
   * 'spatial' (default): Var(v) at a cell is the kernel-weighted variance of the individual velocities around the
   * local mean velocity in the same frame. 'temporal': Helbing et al.'s definition, the variance over time of the
   * local mean velocity V(r, t) around its running average U(r) (exponential averages with `temporalTauMs`).
   */
  mode: PressureMode;
  temporalTauMs: number;
  /** Cells whose kernel weight of people with a velocity is below this (people/m²) get no velocity statistics. */
  minWeight: number;
}

/**
 * Crowd pressure on a ground grid (Helbing, Johansson & Al-Abideen 2007, Phys Rev E 75, 046109):
 *
 *   rho(r)  = sum_j f(r_j - r),                 f(d) = exp(-|d|²/R²) / (pi R²)       [people/m²]
 *   V(r)    = sum_j v_j f(r_j - r) / sum_j f(r_j - r)     (people with a valid velocity)  [m/s]
 *   Var(r)  = sum_j |v_j - V(r)|² f(r_j - r) / sum_j f(r_j - r)   ('spatial' mode)     [m²/s²]
 *   P(r)    = rho(r) * Var(r)                                                           [1/s²]
 *
 * Rigid motion (every v_j equal) gives Var = 0 and P = 0 exactly up to rounding. The kernel is separable, so each
 * person costs (2k+1) exponentials per axis and (2k+1)² multiply-adds per pass, k = ceil(cutoff R / cell).
 */
export class PressureField {
  readonly density: Float64Array;
  readonly vx: Float64Array;
  readonly vy: Float64Array;
  readonly variance: Float64Array;
  readonly pressure: Float64Array;
  /** Weight of people with a velocity per cell (the denominator of V and Var). */
  private readonly wv: Float64Array;
  private readonly u: Float64Array;
  private readonly uy: Float64Array;
  private readonly s: Float64Array;
  private readonly k: number;
  private readonly norm: number;
  private temporalStarted = false;

  constructor(
    readonly grid: GridGeometry,
    readonly opts: PressureOptions,
  ) {
    const n = grid.cols * grid.rows;
    this.density = new Float64Array(n);
    this.vx = new Float64Array(n);
    this.vy = new Float64Array(n);
    this.variance = new Float64Array(n);
    this.pressure = new Float64Array(n);
    this.wv = new Float64Array(n);
    this.u = new Float64Array(opts.mode === 'temporal' ? n : 0);
    this.uy = new Float64Array(opts.mode === 'temporal' ? n : 0);
    this.s = new Float64Array(opts.mode === 'temporal' ? n : 0);
    this.k = Math.max(1, Math.ceil((opts.cutoff * opts.radiusM) / grid.cell));
    this.norm = 1 / (Math.PI * opts.radiusM * opts.radiusM);
  }

  /** Per-person kernel weights cached between the two passes (grown on demand). */
  private wxAll = new Float64Array(0);
  private wyAll = new Float64Array(0);
  private ranges = new Int32Array(0);

  private ensure(n: number): void {
    const span = 2 * this.k + 1;
    if (this.ranges.length >= n * 4) return;
    const cap = Math.max(n, 64, (this.ranges.length / 4) * 2);
    this.wxAll = new Float64Array(cap * span);
    this.wyAll = new Float64Array(cap * span);
    this.ranges = new Int32Array(cap * 4);
  }

  /**
   * Kernel weights of person p at (x, y) along both axes (square truncation at cutoff * R on each axis), stored
   * at p * (2k + 1); the cell range goes to ranges[4p..4p+3] (i0 > i1 when out of reach).
   */
  private weights(p: number, x: number, y: number): void {
    const g = this.grid;
    const span = 2 * this.k + 1;
    const ci = Math.round((x - g.originX) / g.cell - 0.5);
    const cj = Math.round((y - g.originY) / g.cell - 0.5);
    const i0 = Math.max(0, ci - this.k);
    const i1 = Math.min(g.cols - 1, ci + this.k);
    const j0 = Math.max(0, cj - this.k);
    const j1 = Math.min(g.rows - 1, cj + this.k);
    this.ranges[4 * p] = i0;
    this.ranges[4 * p + 1] = i1;
    this.ranges[4 * p + 2] = j0;
    this.ranges[4 * p + 3] = j1;
    if (i0 > i1 || j0 > j1) return;
    const r2 = this.opts.radiusM * this.opts.radiusM;
    const cut2 = (this.opts.cutoff * this.opts.radiusM) ** 2;
    const base = p * span;
    for (let i = i0; i <= i1; i++) {
      const dx = g.originX + (i + 0.5) * g.cell - x;
      this.wxAll[base + i - i0] = dx * dx > cut2 ? 0 : Math.exp(-(dx * dx) / r2);
    }
    for (let j = j0; j <= j1; j++) {
      const dy = g.originY + (j + 0.5) * g.cell - y;
      this.wyAll[base + j - j0] = dy * dy > cut2 ? 0 : Math.exp(-(dy * dy) / r2) * this.norm;
    }
  }

  /**
   * Recomputes every field for one frame. x, y: ground positions of n people; vx, vy their velocities with
   * valid[i] = 1 when known. dtMs: time since the previous frame (temporal mode).
   */
  compute(
    n: number,
    x: ArrayLike<number>,
    y: ArrayLike<number>,
    vx: ArrayLike<number>,
    vy: ArrayLike<number>,
    valid: ArrayLike<number>,
    dtMs: number,
  ): void {
    const cols = this.grid.cols;
    const span = 2 * this.k + 1;
    this.ensure(n);
    this.density.fill(0);
    this.vx.fill(0);
    this.vy.fill(0);
    this.wv.fill(0);
    this.variance.fill(0);
    const wxAll = this.wxAll;
    const wyAll = this.wyAll;
    const ranges = this.ranges;
    const density = this.density;
    const wv = this.wv;
    const mvx = this.vx;
    const mvy = this.vy;
    const variance = this.variance;
    // Pass 1: density, velocity-weighted sums.
    for (let p = 0; p < n; p++) {
      this.weights(p, x[p], y[p]);
      const i0 = ranges[4 * p];
      const i1 = ranges[4 * p + 1];
      const j0 = ranges[4 * p + 2];
      const j1 = ranges[4 * p + 3];
      if (i0 > i1 || j0 > j1) continue;
      const base = p * span;
      const hasV = valid[p] === 1;
      const pvx = vx[p];
      const pvy = vy[p];
      for (let j = j0; j <= j1; j++) {
        const wy = wyAll[base + j - j0];
        if (wy === 0) continue;
        const row = j * cols;
        for (let i = i0; i <= i1; i++) {
          const w = wxAll[base + i - i0] * wy;
          const c = row + i;
          density[c] += w;
          if (hasV) {
            wv[c] += w;
            mvx[c] += w * pvx;
            mvy[c] += w * pvy;
          }
        }
      }
    }
    const minW = this.opts.minWeight;
    for (let c = 0; c < this.density.length; c++) {
      if (wv[c] >= minW) {
        mvx[c] /= wv[c];
        mvy[c] /= wv[c];
      } else {
        mvx[c] = 0;
        mvy[c] = 0;
      }
    }
    if (this.opts.mode === 'spatial') {
      // Pass 2: weighted squared deviation from the local mean velocity.
      for (let p = 0; p < n; p++) {
        if (valid[p] !== 1) continue;
        const i0 = ranges[4 * p];
        const i1 = ranges[4 * p + 1];
        const j0 = ranges[4 * p + 2];
        const j1 = ranges[4 * p + 3];
        if (i0 > i1 || j0 > j1) continue;
        const base = p * span;
        const pvx = vx[p];
        const pvy = vy[p];
        for (let j = j0; j <= j1; j++) {
          const wy = wyAll[base + j - j0];
          if (wy === 0) continue;
          const row = j * cols;
          for (let i = i0; i <= i1; i++) {
            const c = row + i;
            if (wv[c] < minW) continue;
            const ex = pvx - mvx[c];
            const ey = pvy - mvy[c];
            variance[c] += wxAll[base + i - i0] * wy * (ex * ex + ey * ey);
          }
        }
      }
      for (let c = 0; c < this.density.length; c++) {
        variance[c] = wv[c] >= minW ? variance[c] / wv[c] : 0;
      }
    } else {
      const alpha = this.temporalStarted ? Math.exp(-Math.max(0, dtMs) / this.opts.temporalTauMs) : 0;
      for (let c = 0; c < this.density.length; c++) {
        if (this.wv[c] >= minW) {
          if (!this.temporalStarted || (this.u[c] === 0 && this.uy[c] === 0 && this.s[c] === 0)) {
            this.u[c] = this.vx[c];
            this.uy[c] = this.vy[c];
          }
          const ex = this.vx[c] - this.u[c];
          const ey = this.vy[c] - this.uy[c];
          this.s[c] = alpha * this.s[c] + (1 - alpha) * (ex * ex + ey * ey);
          this.u[c] = alpha * this.u[c] + (1 - alpha) * this.vx[c];
          this.uy[c] = alpha * this.uy[c] + (1 - alpha) * this.vy[c];
        } else {
          this.s[c] *= alpha;
        }
        this.variance[c] = this.s[c];
      }
      this.temporalStarted = true;
    }
    for (let c = 0; c < this.density.length; c++) this.pressure[c] = this.density[c] * this.variance[c];
  }

  /** Maximum pressure and density over the grid, and the cell of the maximum pressure (-1 when 0). */
  maxima(): { maxPressure: number; maxCell: number; maxDensity: number } {
    let maxPressure = 0;
    let maxCell = -1;
    let maxDensity = 0;
    for (let c = 0; c < this.pressure.length; c++) {
      if (this.pressure[c] > maxPressure) {
        maxPressure = this.pressure[c];
        maxCell = c;
      }
      if (this.density[c] > maxDensity) maxDensity = this.density[c];
    }
    return { maxPressure, maxCell, maxDensity };
  }

  /** Centre of cell c in ground metres. */
  cellCentre(c: number): [number, number] {
    const g = this.grid;
    return [g.originX + ((c % g.cols) + 0.5) * g.cell, g.originY + (Math.floor(c / g.cols) + 0.5) * g.cell];
  }
}
