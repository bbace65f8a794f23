// Pure backtest of the density forecaster (@crowdsafe/risk forecastDensity) and two baselines on a 1 Hz series:
// at every origin second, forecast with the history available then (the forecaster keeps its own <= 60 s window),
// and compare with the value observed `h` seconds later. Used by `crowdsafe eval-forecast` (real clips, synthetic).
import { DEFAULT_FORECAST_OPTIONS, forecastDensity, type DensitySample } from '@crowdsafe/risk';

/** A forecasting method under test. */
export type ForecastMethod = 'theil-sen' | 'persistence' | 'mean';
export const FORECAST_METHODS: readonly ForecastMethod[] = ['theil-sen', 'persistence', 'mean'];

/** One forecast paired with what was observed (interval only for methods that give one). */
export interface ForecastPair {
  predicted: number;
  actual: number;
  lower?: number;
  upper?: number;
}

export interface ErrorStats {
  /** Forecasts scored. */
  n: number;
  /** Mean absolute error (null when n = 0). */
  mae: number | null;
  rmse: number | null;
  /** Mean of predicted − actual (positive: over-forecast). */
  bias: number | null;
  /** Share of actual values inside [lower, upper] (null: no pair had an interval). */
  coverage: number | null;
}

/** Absolute tolerance of the coverage check (an exact forecast with a zero-width interval counts as covered). */
export const COVERAGE_TOLERANCE = 1e-9;

export function errorStats(pairs: readonly ForecastPair[]): ErrorStats {
  if (pairs.length === 0) return { n: 0, mae: null, rmse: null, bias: null, coverage: null };
  let abs = 0;
  let sq = 0;
  let signed = 0;
  let withInterval = 0;
  let inside = 0;
  for (const p of pairs) {
    const e = p.predicted - p.actual;
    abs += Math.abs(e);
    sq += e * e;
    signed += e;
    if (p.lower !== undefined && p.upper !== undefined) {
      withInterval++;
      if (p.actual >= p.lower - COVERAGE_TOLERANCE && p.actual <= p.upper + COVERAGE_TOLERANCE) inside++;
    }
  }
  const n = pairs.length;
  return { n, mae: abs / n, rmse: Math.sqrt(sq / n), bias: signed / n, coverage: withInterval ? inside / withInterval : null };
}

/** Persistence baseline: the newest sample (null without history). */
export function persistenceForecast(history: readonly DensitySample[]): number | null {
  const last = history[history.length - 1];
  return last === undefined ? null : last.density;
}

/** Mean baseline: the mean of the samples within `windowS` of the newest (the forecaster's window); null when empty. */
export function meanForecast(history: readonly DensitySample[], windowS: number = DEFAULT_FORECAST_OPTIONS.windowS): number | null {
  const last = history[history.length - 1];
  if (last === undefined) return null;
  let sum = 0;
  let n = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    const s = history[i] as DensitySample;
    if (s.t < last.t - windowS) break;
    sum += s.density;
    n++;
  }
  return sum / n;
}

/** Mean of each whole second of per-frame values: `{ t: second index, density: mean }`, in time order. */
export function perSecondSeries(frames: ReadonlyArray<{ timeMs: number; value: number }>): DensitySample[] {
  const acc = new Map<number, { sum: number; n: number }>();
  for (const f of frames) {
    if (!Number.isFinite(f.timeMs) || !Number.isFinite(f.value)) continue;
    const k = Math.floor(f.timeMs / 1000 + 1e-9);
    const a = acc.get(k) ?? { sum: 0, n: 0 };
    a.sum += f.value;
    a.n++;
    acc.set(k, a);
  }
  return [...acc.entries()].sort((a, b) => a[0] - b[0]).map(([t, a]) => ({ t, density: a.sum / a.n }));
}

export interface BacktestOptions {
  /** Origins need at least this many samples of history (the forecaster needs 3). */
  minHistory: number;
  /** Only every `originStepS`-th second is an origin (1: every second). */
  originStepS: number;
  /** The forecaster's window (s) — also the mean baseline's. */
  windowS: number;
}
export const DEFAULT_BACKTEST_OPTIONS: BacktestOptions = { minHistory: 3, originStepS: 1, windowS: DEFAULT_FORECAST_OPTIONS.windowS };

export interface BacktestRow {
  horizonS: number;
  method: ForecastMethod;
  stats: ErrorStats;
}

/**
 * Backtest on a chronological series with integer-second timestamps: for each origin (>= minHistory samples, on the
 * originStepS grid) and each horizon h with a sample at t + h, the three methods' forecasts from the samples up to the
 * origin. Rows are ordered by horizon, then FORECAST_METHODS; a horizon no origin can reach has n = 0.
 */
export function backtest(series: readonly DensitySample[], horizonsS: readonly number[], options: Partial<BacktestOptions> = {}): BacktestRow[] {
  const o = { ...DEFAULT_BACKTEST_OPTIONS, ...options };
  const byTime = new Map(series.map((s) => [s.t, s.density]));
  const pairs = new Map<string, ForecastPair[]>();
  const key = (h: number, m: ForecastMethod) => `${h}|${m}`;
  for (const h of horizonsS) for (const m of FORECAST_METHODS) pairs.set(key(h, m), []);
  const t0 = series[0]?.t ?? 0;
  const maxSamples = Math.max(o.windowS + 1, DEFAULT_FORECAST_OPTIONS.maxSamples);
  for (let i = Math.max(0, o.minHistory - 1); i < series.length; i++) {
    const origin = series[i] as DensitySample;
    if ((origin.t - t0) % o.originStepS !== 0) continue;
    const reachable = horizonsS.filter((h) => byTime.has(origin.t + h));
    if (!reachable.length) continue;
    const history = series.slice(Math.max(0, i + 1 - maxSamples), i + 1);
    const f = forecastDensity(history, reachable, { windowS: o.windowS });
    const last = persistenceForecast(history);
    const mean = meanForecast(history, o.windowS);
    reachable.forEach((h, j) => {
      const actual = byTime.get(origin.t + h) as number;
      const p = f?.points[j];
      if (p) pairs.get(key(h, 'theil-sen'))?.push({ predicted: p.density, actual, lower: p.lower, upper: p.upper });
      if (last !== null) pairs.get(key(h, 'persistence'))?.push({ predicted: last, actual });
      if (mean !== null) pairs.get(key(h, 'mean'))?.push({ predicted: mean, actual });
    });
  }
  return horizonsS.flatMap((h) => FORECAST_METHODS.map((m) => ({ horizonS: h, method: m, stats: errorStats(pairs.get(key(h, m)) ?? []) })));
}

/** Residual noise of a series around its Theil–Sen line (the forecaster's own fit over its last window). */
export interface ResidualNoise {
  /** Robust σ (1.4826 × median |residual|), series units. */
  sigma: number;
  /** σ / mean level (coefficient of variation; null when the mean is 0). */
  cv: number | null;
  /** Lag-1 autocorrelation of the residuals (0 with fewer than 3 samples or no variance). */
  phi: number;
  /** Samples used. */
  n: number;
}

export function residualNoise(series: readonly DensitySample[], windowS: number = DEFAULT_FORECAST_OPTIONS.windowS): ResidualNoise | null {
  const f = forecastDensity(series, [], { windowS });
  if (!f) return null;
  const w = series.filter((s) => s.t >= f.t - windowS && s.t <= f.t);
  const r = w.map((s) => s.density - (f.densityNow + f.slope * (s.t - f.t)));
  const mean = w.reduce((a, s) => a + s.density, 0) / w.length;
  const rm = r.reduce((a, v) => a + v, 0) / r.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < r.length; i++) {
    den += ((r[i] as number) - rm) ** 2;
    if (i > 0) num += ((r[i] as number) - rm) * ((r[i - 1] as number) - rm);
  }
  const phi = r.length >= 3 && den > 0 ? num / den : 0;
  return { sigma: f.sigma, cv: mean > 0 ? f.sigma / mean : null, phi, n: w.length };
}

/**
 * Pools backtests of the same horizons and methods (e.g. several noise seeds): n-weighted MAE, bias and coverage, RMSE
 * from the pooled mean square. Rows follow the first run's order; empty input gives no rows.
 */
export function poolBacktests(runs: ReadonlyArray<readonly BacktestRow[]>): BacktestRow[] {
  const first = runs[0] ?? [];
  return first.map((row, i) => {
    const all = runs.map((r) => r[i] as BacktestRow).filter((r) => r.stats.n > 0);
    const n = all.reduce((a, r) => a + r.stats.n, 0);
    if (!n) return row;
    const w = (pick: (r: BacktestRow) => number | null) => all.reduce((a, r) => a + (pick(r) ?? 0) * r.stats.n, 0) / n;
    const withCov = all.filter((r) => r.stats.coverage !== null);
    const covN = withCov.reduce((a, r) => a + r.stats.n, 0);
    return {
      horizonS: row.horizonS,
      method: row.method,
      stats: { n, mae: w((r) => r.stats.mae), rmse: Math.sqrt(w((r) => (r.stats.rmse ?? 0) ** 2)), bias: w((r) => r.stats.bias), coverage: covN ? withCov.reduce((a, r) => a + (r.stats.coverage as number) * r.stats.n, 0) / covN : null },
    };
  });
}
