import { computeRisk } from './score';
import type { RiskConfig, RiskInput } from './types';

export interface DensitySample {
  /** Seconds (any epoch, increasing). */
  t: number;
  /** people/m². */
  density: number;
}

export interface ForecastOptions {
  /** Only samples within this many seconds of the newest are used. */
  windowS: number;
  /** At most this many of the newest samples are used (bounds the O(n²) Theil–Sen cost). */
  maxSamples: number;
  /** Normal quantile of the prediction interval (1.96 ~ 95 %). */
  z: number;
}
export const DEFAULT_FORECAST_OPTIONS: ForecastOptions = { windowS: 60, maxSamples: 300, z: 1.96 };

export interface ForecastPoint {
  horizonS: number;
  density: number;
  lower: number;
  upper: number;
}

export interface DensityForecast {
  /** Theil–Sen slope, people/m²/s. */
  slope: number;
  /** Fitted density at the newest sample (median intercept), >= 0. */
  densityNow: number;
  /** Time of the newest sample. */
  t: number;
  /** Samples used. */
  n: number;
  /** Robust residual spread: 1.4826 * median |residual| (0 on exact linear data). */
  sigma: number;
  /**
   * Robust lag-1 autocorrelation of the residuals (see residualLag1), in [0, RHO_MAX]; 0 with fewer than
   * RHO_MIN_SAMPLES samples or no residual spread.
   */
  rho: number;
  /**
   * Variance inflation (1 + rho) / (1 - rho) applied to the fit's parameter uncertainty: with AR(1) residuals the n
   * samples carry about n / inflation independent ones (effective sample size). 1 when rho = 0.
   */
  inflation: number;
  points: ForecastPoint[];
}

/** Upper bound of the residual autocorrelation estimate (inflation <= 19). */
export const RHO_MAX = 0.9;
/** Fewer samples than this: the autocorrelation is not estimated (rho = 0). */
export const RHO_MIN_SAMPLES = 10;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/**
 * Robust lag-1 autocorrelation of the residuals of a straight-line fit, clamped to [0, RHO_MAX]. For a stationary
 * series with variance σ² and lag-1 autocorrelation ρ, Var(r_i − r_{i−1}) = 2σ²(1 − ρ); with both spreads taken as
 * 1.4826 × MAD (median |value|: the residuals and their differences are centred on 0), ρ̂ = 1 − (MAD_diff / MAD)² / 2.
 * Unlike the Pearson estimate it ignores isolated spikes (each moves only two differences). Residuals of a fitted
 * line are less correlated than the noise (the fit absorbs its slow part), so ρ̂ + (1 + 4ρ̂) / n (the first-order
 * bias of a lag-1 autocorrelation estimated around a fitted mean, Marriott & Pope 1954) is returned. 0 with fewer
 * than RHO_MIN_SAMPLES values, a non-finite value or no spread (MAD 0).
 */
export function residualLag1(residuals: readonly number[]): number {
  if (residuals.length < RHO_MIN_SAMPLES || !residuals.every(Number.isFinite)) return 0;
  const mad = median(residuals.map(Math.abs));
  if (!(mad > 0)) return 0;
  const diffs: number[] = [];
  for (let i = 1; i < residuals.length; i++) diffs.push(Math.abs((residuals[i] as number) - (residuals[i - 1] as number)));
  const raw = 1 - (median(diffs) / mad) ** 2 / 2;
  const rho = raw + (1 + 4 * raw) / residuals.length;
  return Math.min(RHO_MAX, Math.max(0, rho));
}

/** The samples a forecast uses: finite, the newest `maxSamples` (input is taken as chronological), within `windowS`. */
export function forecastWindow(samples: readonly DensitySample[], opts: ForecastOptions): DensitySample[] {
  const tail = samples.slice(-opts.maxSamples).filter((s) => Number.isFinite(s.t) && Number.isFinite(s.density));
  if (tail.length === 0) return [];
  const tMax = Math.max(...tail.map((s) => s.t));
  return tail.filter((s) => s.t >= tMax - opts.windowS);
}

/**
 * Density forecast from the last `windowS` seconds: Theil–Sen slope (median of pairwise slopes, robust to up to
 * ~29 % outliers) and median intercept, evaluated `horizonsS` seconds after the newest sample and clamped at 0.
 * Prediction interval: z * sigma * sqrt(n / dof) * sqrt(1 + k * (1/n + (h + tNow - tMean)² / Sxx)), with sigma the
 * robust residual spread and k = (1 + rho) / (1 - rho) the AR(1) variance inflation from the residuals' robust lag-1
 * autocorrelation rho (residualLag1):
 * - the "1" is the noise of the future sample itself, whose marginal variance sigma² already is;
 * - the k-term is the uncertainty of the fitted level and slope, which correlated samples pin down as if there were
 *   only n / k of them (effective sample size) — it carries the horizon widening, so k matters most at long horizons;
 *   inflating the whole sigma by sqrt(k) instead over-covers short horizons (~98 % at ρ 0.7) and still under-covers
 *   long ones;
 * - n / dof, dof = max(n − 2k, n / 4): the fitted line absorbs about 2k samples' worth of the residual variance
 *   (n − 2 for independent noise), so sigma underestimates the noise; capped at a 2x wider interval.
 * The future sample's correlation with the window (which would narrow the interval at horizons of a few samples) is
 * ignored. With the rho estimated from the window the interval still under-covers somewhat (about 90-93 % at ρ 0.5
 * on a 60 s window; see forecast.spec.ts and libs/server/risk/README.md § Forecast error).
 * Null with fewer than 3 samples or no time spread.
 */
export function forecastDensity(
  samples: readonly DensitySample[],
  horizonsS: readonly number[] = [120, 300],
  options: Partial<ForecastOptions> = {},
): DensityForecast | null {
  const opts = { ...DEFAULT_FORECAST_OPTIONS, ...options };
  const w = forecastWindow(samples, opts);
  if (w.length < 3) return null;
  const slopes: number[] = [];
  for (let i = 0; i < w.length; i++) {
    for (let j = i + 1; j < w.length; j++) {
      const a = w[i] as DensitySample;
      const b = w[j] as DensitySample;
      if (b.t !== a.t) slopes.push((b.density - a.density) / (b.t - a.t));
    }
  }
  if (slopes.length === 0) return null;
  const slope = median(slopes);
  const tNow = Math.max(...w.map((s) => s.t));
  const intercept = median(w.map((s) => s.density - slope * (s.t - tNow)));
  const residuals = w.map((s) => s.density - (intercept + slope * (s.t - tNow)));
  const sigma = 1.4826 * median(residuals.map(Math.abs));
  const rho = residualLag1(residuals);
  const inflation = (1 + rho) / (1 - rho);
  const n = w.length;
  const tMean = w.reduce((a, s) => a + s.t, 0) / n;
  const sxx = w.reduce((a, s) => a + (s.t - tMean) ** 2, 0);
  const dofScale = Math.sqrt(n / Math.max(n - 2 * inflation, n / 4));
  const points = horizonsS.map((h) => {
    const d = Math.max(0, intercept + slope * h);
    const half = opts.z * sigma * dofScale * Math.sqrt(1 + inflation * (1 / n + (h + tNow - tMean) ** 2 / sxx));
    return { horizonS: h, density: d, lower: Math.max(0, d - half), upper: d + half };
  });
  return { slope, densityNow: Math.max(0, intercept), t: tNow, n, sigma, rho, inflation, points };
}

export interface EarlyWarningOptions extends ForecastOptions {
  /** Crossings sooner than this are "imminent" (the live level reacts to them), not an early warning. */
  minLeadS: number;
  /** Crossings later than this are ignored (null). */
  maxLeadS: number;
}
export const DEFAULT_EARLY_WARNING_OPTIONS: EarlyWarningOptions = { ...DEFAULT_FORECAST_OPTIONS, minLeadS: 30, maxLeadS: 120 };

export interface EarlyWarning {
  /** Seconds from the newest sample until the forecast density reaches `criticalDensity` (0: already there). */
  inS: number;
  /** Lowest density whose score (other terms held) reaches the CRITICAL threshold. */
  criticalDensity: number;
  densityNow: number;
  slope: number;
  /** True when minLeadS <= inS <= maxLeadS: a predictive warning. */
  warning: boolean;
  /** True when inS < minLeadS. */
  imminent: boolean;
}

/**
 * Time until the forecast density drives the score to CRITICAL, with the other terms held at `context` (surge
 * defaults to the forecast slope itself, since a rising trend is a surge; missing terms count 0, as in
 * computeRisk). The critical density is found by bisection (the score is non-decreasing in density). Null when the
 * forecast is unavailable, density is not rising, CRITICAL is unreachable by density alone (e.g. the base
 * weights with no surge and free-flowing speed: 40 + 0 + 0 < 75), or the crossing is beyond maxLeadS.
 */
export function earlyWarning(
  samples: readonly DensitySample[],
  config: RiskConfig,
  context: Omit<RiskInput, 'density'> = {},
  options: Partial<EarlyWarningOptions> = {},
): EarlyWarning | null {
  const opts = { ...DEFAULT_EARLY_WARNING_OPTIONS, ...options };
  return earlyWarningFromForecast(forecastDensity(samples, [], opts), config, context, opts);
}

/**
 * earlyWarning on an already computed forecast (its slope and densityNow; horizons do not matter), for callers that
 * also need the forecast itself: the O(n²) Theil–Sen fit then runs once per sample instead of twice.
 */
export function earlyWarningFromForecast(
  f: DensityForecast | null,
  config: RiskConfig,
  context: Omit<RiskInput, 'density'> = {},
  options: Partial<Pick<EarlyWarningOptions, 'minLeadS' | 'maxLeadS'>> = {},
): EarlyWarning | null {
  const opts = { ...DEFAULT_EARLY_WARNING_OPTIONS, ...options };
  if (!f || !(f.slope > 0)) return null;
  const ctx: Omit<RiskInput, 'density'> = { ...context, surge: context.surge ?? f.slope };
  const critical = config.thresholds.critical;
  const reaches = (d: number): boolean => (computeRisk({ ...ctx, density: d }, config).score ?? 0) >= critical;
  const r = config.references;
  let hi = Math.max(r.density, r.crowdingFull, r.pressureDensityFloor);
  if (!reaches(hi)) return null;
  let lo = 0;
  if (reaches(lo)) hi = 0;
  else {
    for (let i = 0; i < 100 && hi - lo > 1e-12; i++) {
      const mid = (lo + hi) / 2;
      if (reaches(mid)) hi = mid;
      else lo = mid;
    }
  }
  const criticalDensity = hi;
  const inS = f.densityNow >= criticalDensity ? 0 : (criticalDensity - f.densityNow) / f.slope;
  // The bisection leaves the critical density up to 1e-12 p/m² high: compare lead times with a 1 µs tolerance.
  const eps = 1e-6;
  if (inS > opts.maxLeadS + eps) return null;
  return {
    inS,
    criticalDensity,
    densityNow: f.densityNow,
    slope: f.slope,
    warning: inS >= opts.minLeadS - eps,
    imminent: inS < opts.minLeadS - eps,
  };
}

/** Bounded per-camera history of density samples (keeps the newest `capacity`). */
export class DensityHistory {
  private readonly buf: DensitySample[] = [];
  constructor(readonly capacity = 120) {}

  push(t: number, density: number | null): void {
    if (density === null || !Number.isFinite(density) || !Number.isFinite(t)) return;
    const last = this.buf[this.buf.length - 1];
    if (last && t <= last.t) return;
    this.buf.push({ t, density });
    if (this.buf.length > this.capacity) this.buf.splice(0, this.buf.length - this.capacity);
  }

  get size(): number {
    return this.buf.length;
  }

  samples(): readonly DensitySample[] {
    return this.buf;
  }
}
