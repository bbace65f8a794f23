// Synthetic 1 Hz density scenarios for the 2- and 5-minute forecast horizons, which the shared clips (14-29 s) cannot
// measure. Deterministic (seeded). Noise: AR(1) with lag-1 autocorrelation phi and standard deviation
// σ_t = sigma + cv × level(t) — additive (sigma, p/m²) or multiplicative (cv) — with sigma, cv and phi taken from the
// residuals observed on the real clips (see eval-forecast). SYNTHETIC: not a measurement.
import type { DensitySample } from '@crowdsafe/risk';

export interface SyntheticScenario {
  name: string;
  description: string;
  durationS: number;
  /** Noise is added (false: the exact level). */
  noisy: boolean;
  /** Clean level, people/m², at second t (0 <= t < durationS). */
  level(t: number): number;
}

const lerp = (a: number, b: number, u: number): number => a + (b - a) * Math.min(1, Math.max(0, u));

/** The documented scenario set (30 min each, people/m²). */
export const SYNTHETIC_SCENARIOS: readonly SyntheticScenario[] = [
  { name: 'ramp', description: '0.5 → 4.0 p/m² linearly over 30 min (venue filling), no noise', durationS: 1800, noisy: false, level: (t) => lerp(0.5, 4, t / 1800) },
  { name: 'ramp+noise', description: 'the same ramp with observed noise', durationS: 1800, noisy: true, level: (t) => lerp(0.5, 4, t / 1800) },
  { name: 'plateau+noise', description: 'constant 2.0 p/m² with observed noise', durationS: 1800, noisy: true, level: () => 2 },
  {
    name: 'rise-fall+noise',
    description: '1.0 → 4.0 p/m² over 15 min, then back to 1.0 over 15 min (a turning point), with observed noise',
    durationS: 1800,
    noisy: true,
    level: (t) => (t < 900 ? lerp(1, 4, t / 900) : lerp(4, 1, (t - 900) / 900)),
  },
  {
    name: 'surge-plateau+noise',
    description: '1.0 p/m² for 10 min, 1.0 → 5.0 over 5 min (a surge), then 5.0 for 15 min (a knee), with observed noise',
    durationS: 1800,
    noisy: true,
    level: (t) => (t < 600 ? 1 : t < 900 ? lerp(1, 5, (t - 600) / 300) : 5),
  },
];

/** mulberry32: a small seeded PRNG in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples (Box–Muller) from a uniform source. */
export function gaussian(rand: () => number): () => number {
  return () => {
    const u = Math.max(rand(), Number.MIN_VALUE);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
  };
}

/** Stationary AR(1) with unit marginal variance: e_0 = z_0, e_t = phi·e_{t−1} + sqrt(1 − phi²)·z_t (|phi| < 1). */
export function ar1(n: number, phi: number, normal: () => number): number[] {
  if (!(Math.abs(phi) < 1)) throw new Error(`AR(1) phi must be in (-1, 1), got ${phi}`);
  const out: number[] = [];
  const k = Math.sqrt(1 - phi * phi);
  for (let i = 0; i < n; i++) out.push(i === 0 ? normal() : phi * (out[i - 1] as number) + k * normal());
  return out;
}

export interface NoiseModel {
  /** Additive residual σ, p/m². */
  sigma: number;
  /** Residual σ as a share of the level (σ_t = sigma + cv × level(t)). */
  cv: number;
  /** Lag-1 autocorrelation of the residuals. */
  phi: number;
}

/** One realisation of a scenario at 1 Hz (t = 0..durationS−1), clamped at 0. */
export function generateScenario(s: SyntheticScenario, noise: NoiseModel, seed: number): DensitySample[] {
  const e = s.noisy && (noise.cv > 0 || noise.sigma > 0) ? ar1(s.durationS, noise.phi, gaussian(mulberry32(seed))) : null;
  const out: DensitySample[] = [];
  for (let t = 0; t < s.durationS; t++) {
    const level = s.level(t);
    out.push({ t, density: Math.max(0, level + (e ? (noise.sigma + noise.cv * level) * (e[t] as number) : 0)) });
  }
  return out;
}
