import { densityModelEstimate } from '@crowdsafe/vision';
import type { CountEstimate } from '@crowdsafe/contracts';
import { densityEstimateInRoi, densityFresh, densityRunDue, DensityStage, reportedEstimate } from './density-stage';

const tracked = { count: 10, method: 'tracking' as const, low: 10, high: 10 };

describe('DensityStage', () => {
  it.each([
    { name: 'no density model: the tracked estimate, never due', options: null, landed: null, at: 1000, method: 'tracking', due: false },
    { name: 'no sample yet: tracked, due', options: { intervalMs: 1000 }, landed: null, at: 1000, method: 'tracking', due: true },
    { name: 'a fresh sample is fused', options: { intervalMs: 1000 }, landed: 500, at: 1000, method: 'fused', due: true },
    { name: 'a stale sample (>= 3 intervals) is not', options: { intervalMs: 1000 }, landed: 500, at: 3500, method: 'tracking', due: true },
  ])('$name', ({ options, landed, at, method, due }) => {
    const d = new DensityStage(options, null);
    if (landed !== null) d.landed({ estimate: densityModelEstimate(40), points: [] }, { width: 640, height: 360, capturedAt: landed });
    const e = d.estimateFor(tracked, at);
    expect(e.method).toBe(method);
    expect(d.fusedCount(e)).toBe(method === 'fused' ? 40 : null);
    expect(d.tryStart(at)).toBe(due);
  });

  it('one run in flight, at most one per interval; failures warned at most once a minute', () => {
    const d = new DensityStage({ intervalMs: 1000 }, null);
    expect(d.tryStart(0)).toBe(true);
    expect(d.tryStart(5000)).toBe(false); // in flight
    expect(d.failed(5000)).toBe(1);
    d.settled();
    expect(d.tryStart(5500)).toBe(true);
    expect(d.failed(6000)).toBeNull();
    d.settled();
    expect(d.failed(70_000)).toBe(3);
    expect(d.stats()).toEqual({ runs: 0, errors: 3, latest: null });
  });
});

describe('density scheduling and fusion (pure)', () => {
  it.each([
    { name: 'never ran', now: 0, last: null, inFlight: false, due: true },
    { name: 'in flight', now: 10_000, last: 0, inFlight: true, due: false },
    { name: 'too soon', now: 1999, last: 0, inFlight: false, due: false },
    { name: 'interval elapsed', now: 2000, last: 0, inFlight: false, due: true },
  ])('densityRunDue: $name', ({ now, last, inFlight, due }) => {
    expect(densityRunDue(now, last, inFlight, 2000)).toBe(due);
  });

  const sample = { estimate: densityModelEstimate(120), capturedAt: 10_000 };
  it.each([
    { name: 'none', s: null, at: 10_000, fresh: false },
    { name: 'same frame', s: sample, at: 10_000, fresh: true },
    { name: 'just fresh', s: sample, at: 15_999, fresh: true },
    { name: 'stale', s: sample, at: 16_000, fresh: false },
  ])('densityFresh: $name', ({ s, at, fresh }) => {
    expect(densityFresh(s, at, 6000)).toBe(fresh);
  });

  const tracked: CountEstimate = { count: 30, method: 'tracking', low: 27, high: 39 };
  it.each([
    { name: 'no density sample -> tracked', s: null, want: tracked },
    { name: 'stale sample -> tracked', s: { ...sample, capturedAt: 0 }, want: tracked },
    // 120 heads -> x(1 + 0.5 x 70/150) = 148 (dense-scene correction, fusion.ts).
    { name: 'fresh dense sample dominates', s: sample, want: { count: 148, method: 'fused', low: 27, high: Math.ceil(120 * (1.15 + 0.45 * (70 / 150))) } },
    { name: 'agreeing sparse sample keeps the tracked count', s: { estimate: densityModelEstimate(32), capturedAt: 10_000 }, want: { count: 30, method: 'fused', low: 27, high: 39 } },
  ])('reportedEstimate: $name', ({ s, want }) => {
    expect(reportedEstimate(tracked, s, 12_000, 6000)).toEqual(want);
  });

  it.each([
    { name: 'no ROI: the model estimate', roi: null, count: 3 },
    { name: 'left half ROI: heads in it', roi: [[0, 0], [0.5, 0], [0.5, 1], [0, 1]] as Array<[number, number]>, count: 2 },
  ])('densityEstimateInRoi: $name', ({ roi, count }) => {
    const r = { estimate: densityModelEstimate(3), points: [{ x: 10, y: 10 }, { x: 300, y: 200 }, { x: 600, y: 100 }] };
    expect(densityEstimateInRoi(r, { width: 640, height: 360 }, roi).count).toBe(count);
  });
});
