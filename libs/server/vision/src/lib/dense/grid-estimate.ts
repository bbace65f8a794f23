import type { CountEstimate, Detection } from '@crowdsafe/contracts';

export interface GridEstimateOptions {
  /** Cell size in source pixels (default 50). */
  cellPx?: number;
  /** People per detected person, for people hidden behind others (default 1.3). */
  occlusionFactor?: number;
  /** Gaussian smoothing sigma in cells (default 1; 0 = none). */
  sigmaCells?: number;
  /** Which point of a box is binned: 'foot' (bottom centre, ground contact) or 'centre' (default 'foot'). */
  anchor?: 'foot' | 'centre';
}

export interface GridEstimate {
  estimate: CountEstimate;
  cols: number;
  rows: number;
  cellPx: number;
  /** Smoothed estimated people per cell, row-major, cols x rows; sums to estimate.count before rounding. */
  cells: Float32Array;
}

/** 1-D Gaussian kernel, radius ceil(3 sigma), normalised to sum 1. */
export function gaussianKernel(sigma: number): Float64Array {
  if (!(sigma > 0)) return Float64Array.of(1);
  const r = Math.ceil(3 * sigma);
  const k = new Float64Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) s += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= s;
  return k;
}

/**
 * Mass-preserving separable Gaussian blur: each cell spreads its value over the neighbours inside the grid with
 * the kernel renormalised at the borders, so no people leak out of the frame and the total is unchanged.
 */
export function smoothGrid(cells: Float32Array, cols: number, rows: number, sigma: number): Float32Array {
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) >> 1;
  if (r === 0) return Float32Array.from(cells);
  const pass = (src: Float32Array, horizontal: boolean): Float32Array => {
    const dst = new Float32Array(src.length);
    const len = horizontal ? cols : rows;
    const lines = horizontal ? rows : cols;
    for (let l = 0; l < lines; l++) {
      for (let i = 0; i < len; i++) {
        const idx = horizontal ? l * cols + i : i * cols + l;
        const v = src[idx];
        if (v === 0) continue;
        const lo = Math.max(0, i - r);
        const hi = Math.min(len - 1, i + r);
        let norm = 0;
        for (let j = lo; j <= hi; j++) norm += k[j - i + r];
        for (let j = lo; j <= hi; j++) dst[horizontal ? l * cols + j : j * cols + l] += (v * k[j - i + r]) / norm;
      }
    }
    return dst;
  };
  return pass(pass(cells, true), false);
}

/**
 * The spec's grid-based density estimate, a HEURISTIC built only from detections: each detection's anchor point
 * (foot point by default) is binned into a 50 px grid, every detected person counts 1.3 (occlusion factor: people
 * hidden behind others), and the grid is Gaussian-smoothed (mass-preserving) so it can feed a heatmap.
 * It cannot see people the detector missed entirely; it is a labelled estimate ('grid-estimate'), not a measurement.
 * Range: low = the detections themselves (no occlusion), high = n x (2 x factor - 1) (the same occlusion allowance
 * again above the estimate).
 */
export function gridEstimate(detections: readonly Detection[], frameWidth: number, frameHeight: number, opts: GridEstimateOptions = {}): GridEstimate {
  const cellPx = opts.cellPx ?? 50;
  const factor = opts.occlusionFactor ?? 1.3;
  const sigma = opts.sigmaCells ?? 1;
  if (!(cellPx > 0)) throw new RangeError(`cellPx must be > 0, got ${cellPx}`);
  if (!(factor >= 1)) throw new RangeError(`occlusionFactor must be >= 1, got ${factor}`);
  if (!(frameWidth > 0 && frameHeight > 0)) throw new RangeError(`frame must have a positive size, got ${frameWidth}x${frameHeight}`);
  const cols = Math.ceil(frameWidth / cellPx);
  const rows = Math.ceil(frameHeight / cellPx);
  const raw = new Float32Array(cols * rows);
  for (const d of detections) {
    const x = (d.box.x1 + d.box.x2) / 2;
    const y = opts.anchor === 'centre' ? (d.box.y1 + d.box.y2) / 2 : d.box.y2;
    const c = Math.min(cols - 1, Math.max(0, Math.floor(x / cellPx)));
    const r = Math.min(rows - 1, Math.max(0, Math.floor(y / cellPx)));
    raw[r * cols + c] += factor;
  }
  const cells = smoothGrid(raw, cols, rows, sigma);
  const n = detections.length;
  const estimate: CountEstimate = {
    count: Math.round(n * factor),
    method: 'grid-estimate',
    low: n,
    high: Math.round(n * (2 * factor - 1)),
  };
  return { estimate, cols, rows, cellPx, cells };
}
