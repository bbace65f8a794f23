import type { DensitySample } from '@crowdsafe/risk';
import { backtest, errorStats, meanForecast, perSecondSeries, persistenceForecast, poolBacktests, residualNoise, type BacktestRow, type ForecastPair } from './backtest';

const series = (values: readonly number[], t0 = 0): DensitySample[] => values.map((density, i) => ({ t: t0 + i, density }));
const stats = (n: number, mae: number | null, rmse: number | null, bias: number | null, coverage: number | null) => ({ n, mae, rmse, bias, coverage });

describe('errorStats', () => {
  it.each<{ name: string; pairs: ForecastPair[]; expected: ReturnType<typeof stats> }>([
    { name: 'empty', pairs: [], expected: stats(0, null, null, null, null) },
    { name: 'one exact forecast', pairs: [{ predicted: 2, actual: 2 }], expected: stats(1, 0, 0, 0, null) },
    { name: 'over and under', pairs: [{ predicted: 3, actual: 1 }, { predicted: 1, actual: 2 }], expected: stats(2, 1.5, Math.sqrt(2.5), 0.5, null) },
    {
      name: 'coverage over the pairs with an interval, bounds inclusive',
      pairs: [
        { predicted: 1, actual: 1, lower: 1, upper: 1 },
        { predicted: 1, actual: 2, lower: 0.5, upper: 1.5 },
        { predicted: 1, actual: 1.5, lower: 0.5, upper: 1.5 },
        { predicted: 1, actual: 1 },
      ],
      expected: stats(4, 0.375, Math.sqrt(1.25 / 4), -0.375, 2 / 3),
    },
    { name: 'round-off within the tolerance is covered', pairs: [{ predicted: 1, actual: 1 + 1e-12, lower: 1, upper: 1 }], expected: stats(1, 1e-12, 1e-12, -1e-12, 1) },
  ])('$name', ({ pairs, expected }) => {
    const s = errorStats(pairs);
    expect(s.n).toBe(expected.n);
    for (const k of ['mae', 'rmse', 'bias', 'coverage'] as const) {
      if (expected[k] === null) expect(s[k]).toBeNull();
      else expect(s[k]).toBeCloseTo(expected[k] as number, 12);
    }
  });
});

describe('baselines', () => {
  it.each([
    { name: 'empty', history: [], windowS: 60, last: null, mean: null },
    { name: 'one sample', history: series([2]), windowS: 60, last: 2, mean: 2 },
    { name: 'all within the window', history: series([1, 2, 6]), windowS: 60, last: 6, mean: 3 },
    { name: 'older samples than the window are left out of the mean', history: series([100, 1, 2, 3]), windowS: 2, last: 3, mean: 2 },
  ])('$name', ({ history, windowS, last, mean }) => {
    expect(persistenceForecast(history)).toBe(last);
    expect(meanForecast(history, windowS)).toBe(mean);
  });
});

describe('perSecondSeries', () => {
  it.each([
    { name: 'empty', frames: [], expected: [] },
    { name: 'means per whole second, in time order', frames: [{ timeMs: 1200, value: 4 }, { timeMs: 0, value: 1 }, { timeMs: 800, value: 3 }, { timeMs: 1000, value: 2 }], expected: [{ t: 0, density: 2 }, { t: 1, density: 3 }] },
    { name: 'a gap second is absent; non-finite values are skipped', frames: [{ timeMs: 0, value: 1 }, { timeMs: 100, value: Number.NaN }, { timeMs: 2000, value: 5 }], expected: [{ t: 0, density: 1 }, { t: 2, density: 5 }] },
    { name: 'frame times like (n − 1) × 1000 / fps land in their second', frames: [{ timeMs: (25 * 1000) / 25, value: 7 }], expected: [{ t: 1, density: 7 }] },
  ])('$name', ({ frames, expected }) => {
    expect(perSecondSeries(frames)).toEqual(expected);
  });
});

describe('backtest', () => {
  const get = (rows: BacktestRow[], h: number, m: BacktestRow['method']) => rows.find((r) => r.horizonS === h && r.method === m)?.stats;

  it('empty series: every horizon and method with n = 0', () => {
    const rows = backtest([], [2, 5]);
    expect(rows.map((r) => [r.horizonS, r.method, r.stats.n])).toEqual([
      [2, 'theil-sen', 0], [2, 'persistence', 0], [2, 'mean', 0],
      [5, 'theil-sen', 0], [5, 'persistence', 0], [5, 'mean', 0],
    ]);
  });

  it.each([
    // Origins need 3 samples: t = 2..(last − h).
    { name: 'linear ramp: the trend is exact, persistence lags by slope × h', values: [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5], h: 2, n: 4, tsMae: 0, persistenceMae: 1 },
    { name: 'constant: every method exact', values: [2, 2, 2, 2, 2, 2], h: 1, n: 3, tsMae: 0, persistenceMae: 0 },
    { name: 'horizon longer than the clip: nothing scored', values: [1, 2, 3, 4], h: 5, n: 0, tsMae: null, persistenceMae: null },
  ])('$name', ({ values, h, n, tsMae, persistenceMae }) => {
    const rows = backtest(series(values, 100), [h]);
    const ts = get(rows, h, 'theil-sen');
    const p = get(rows, h, 'persistence');
    expect(ts?.n).toBe(n);
    expect(p?.n).toBe(n);
    if (tsMae === null) expect(ts?.mae).toBeNull();
    else expect(ts?.mae).toBeCloseTo(tsMae, 9);
    if (persistenceMae === null) expect(p?.mae).toBeNull();
    else expect(p?.mae).toBeCloseTo(persistenceMae, 9);
    if (n > 0) expect(ts?.coverage).toBe(1); // zero residuals, zero-width interval on the exact value
    expect(get(rows, h, 'persistence')?.coverage ?? null).toBeNull();
  });

  it('origin step and minimum history thin the origins', () => {
    const s = series(Array.from({ length: 30 }, (_, i) => i));
    expect(get(backtest(s, [1]), 1, 'mean')?.n).toBe(27); // t = 2..28
    expect(get(backtest(s, [1], { minHistory: 11, originStepS: 5 }), 1, 'mean')?.n).toBe(4); // t = 10, 15, 20, 25
  });

  it('the forecaster never sees the future: a jump after the origin is not anticipated', () => {
    const s = series([1, 1, 1, 1, 9]);
    const rows = backtest(s, [1]);
    // Origins t = 2 (target 1) and t = 3 (target 9): both forecast 1.
    expect(get(rows, 1, 'theil-sen')).toMatchObject({ n: 2, mae: 4, bias: -4, coverage: 0.5 });
  });
});

describe('poolBacktests', () => {
  const row = (s: ReturnType<typeof stats>, method: BacktestRow['method'] = 'theil-sen'): BacktestRow => ({ horizonS: 120, method, stats: s });

  it.each([
    { name: 'empty', runs: [], expected: [] },
    { name: 'one run is unchanged', runs: [[row(stats(2, 1, 2, 0.5, 0.5))]], expected: [row(stats(2, 1, 2, 0.5, 0.5))] },
    {
      name: 'n-weighted, RMSE from the pooled mean square, empty runs ignored',
      runs: [[row(stats(1, 1, 1, 1, 1))], [row(stats(3, 3, 3, -1, 0))], [row(stats(0, null, null, null, null))]],
      expected: [row(stats(4, 2.5, Math.sqrt(7), -0.5, 0.25))],
    },
    { name: 'all empty: the first row', runs: [[row(stats(0, null, null, null, null), 'mean')]], expected: [row(stats(0, null, null, null, null), 'mean')] },
  ])('$name', ({ runs, expected }) => {
    const pooled = poolBacktests(runs);
    expect(pooled).toHaveLength(expected.length);
    pooled.forEach((r, i) => {
      const e = expected[i] as BacktestRow;
      expect(r.method).toBe(e.method);
      expect(r.stats.n).toBe(e.stats.n);
      for (const k of ['mae', 'rmse', 'bias', 'coverage'] as const) {
        if (e.stats[k] === null) expect(r.stats[k]).toBeNull();
        else expect(r.stats[k]).toBeCloseTo(e.stats[k] as number, 12);
      }
    });
  });
});

describe('residualNoise', () => {
  it.each([
    { name: 'empty', values: [], expected: null },
    { name: 'too short for a fit', values: [1, 2], expected: null },
    { name: 'exact line: no noise', values: [1, 2, 3, 4, 5], expected: { sigma: 0, cv: 0, phi: 0, n: 5 } },
    { name: 'alternating around a constant: negative autocorrelation', values: [1, 3, 1, 3, 1, 3, 1, 3], expected: { sigma: 1.4826, cv: 1.4826 / 2, phi: -0.875, n: 8 } },
  ])('$name', ({ values, expected }) => {
    const r = residualNoise(series(values));
    if (expected === null) expect(r).toBeNull();
    else {
      expect(r?.n).toBe(expected.n);
      expect(r?.sigma).toBeCloseTo(expected.sigma, 9);
      expect(r?.cv).toBeCloseTo(expected.cv, 9);
      expect(r?.phi).toBeCloseTo(expected.phi, 9);
    }
  });
});
