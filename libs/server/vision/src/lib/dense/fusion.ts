import type { CountEstimate, CountMethod } from '@crowdsafe/contracts';

/**
 * Uncertainty range of a detection count of n people: low 0.9 n (false positives at counting confidence), high 1.3 n
 * (the spec's occlusion factor: people hidden behind others are never detected).
 */
export function detectionEstimate(n: number, method: CountMethod = 'detection'): CountEstimate {
  return { count: n, method, low: Math.floor(0.9 * n), high: Math.ceil(1.3 * n) };
}

/**
 * Uncertainty range of a FIDT (density-model) count c, from its measured bias on ShanghaiTech B train (which it was
 * trained on, so optimistic): ratio predicted/true ~1.0 below 100 heads, 0.81 at 100-200, 0.62 above 200. So
 * low = 0.9 c, high = c x k with k = 1.15 at c <= 50 rising linearly to 1.6 at c >= 200 (1 / 0.62).
 */
export function densityModelEstimate(c: number): CountEstimate {
  const k = 1.15 + 0.45 * ramp(c, 50, 200);
  return { count: c, method: 'density-model', low: Math.floor(0.9 * c), high: Math.ceil(c * k) };
}

/**
 * Correction of the density model's undercount in dense scenes: c' = c x (1 + (gain - 1) x ramp(c, from, to)).
 * Fitted on ShanghaiTech B train 1-60 (grid search, MAE; see dense/README.md): gain 1.5 from 50 to 200 heads
 * (the model's count/true ratio falls from ~1.0 below 100 heads to ~0.6 above 200). Below `from` nothing changes.
 */
export interface DensityGain {
  gain: number;
  from: number;
  to: number;
}

export const DEFAULT_DENSITY_GAIN: DensityGain = { gain: 1.5, from: 50, to: 200 };

/** The density model's count corrected for its measured undercount in dense scenes (rounded). */
export function correctDensityCount(c: number, g: DensityGain = DEFAULT_DENSITY_GAIN): number {
  return Math.round(c * (1 + (g.gain - 1) * ramp(c, g.from, g.to)));
}

export interface FusionOptions {
  /** Dense-scene correction of the density count before fusion (default DEFAULT_DENSITY_GAIN; gain 1 = off). */
  densityGain?: DensityGain;
  /** Crowd size below which the density model gets no weight for being dense (default 50). */
  lowPeople?: number;
  /** Crowd size from which the density model gets full weight (default 100). */
  highPeople?: number;
  /** Detector agrees with the density model when detected >= agreeRatio x density (default 0.8): trusted... */
  agreeRatio?: number;
  /** ...and is saturated (misses people) when detected <= missRatio x density (default 0.5). */
  missRatio?: number;
}

export interface FusedCount extends CountEstimate {
  /** Weight of the density model in [0, 1] (0 = detection only). */
  densityWeight: number;
}

/** 0 at or below a, 1 at or above b, linear in between. */
export function ramp(v: number, a: number, b: number): number {
  if (b <= a) return v >= b ? 1 : 0;
  return Math.min(1, Math.max(0, (v - a) / (b - a)));
}

/**
 * Fusion of a detected/tracked count with a density-model count (see dense/README.md):
 *   dens    = correctDensityCount(density)           dense-scene undercount corrected (gain 1.5 ramped 50 -> 200)
 *   w_level = ramp(max(det, dens), 50, 100)         the crowd is large: detection saturates there
 *   w_miss  = ramp(det / dens, 0.8 -> 0.5)           the detector finds clearly fewer than the density model
 *   w       = max(w_level, w_miss)
 *   count   = max(det, (1 - w) det + w dens)         detections are (nearly all) real people: never go below them
 *   low/high span both estimators' ranges and the fused count.
 * So a small, well-detected crowd is counted by detection (precise, tracked, boxes), a dense one by the density
 * model, with a linear blend in between.
 */
export function fuseCounts(detected: CountEstimate, density: CountEstimate, opts: FusionOptions = {}): FusedCount {
  const lo = opts.lowPeople ?? 50;
  const hi = opts.highPeople ?? 100;
  const agree = opts.agreeRatio ?? 0.8;
  const miss = opts.missRatio ?? 0.5;
  const det = detected.count;
  const dens = correctDensityCount(density.count, opts.densityGain ?? DEFAULT_DENSITY_GAIN);
  const wLevel = ramp(Math.max(det, dens), lo, hi);
  const wMiss = dens > 0 ? 1 - ramp(det / dens, miss, agree) : 0;
  const w = Math.max(wLevel, wMiss);
  const count = Math.round(Math.max(det, (1 - w) * det + w * dens));
  return {
    count,
    method: 'fused',
    low: Math.min(detected.low, density.low, count),
    high: Math.max(detected.high, density.high, dens, count),
    densityWeight: w,
  };
}
