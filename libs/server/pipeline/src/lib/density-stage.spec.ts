import { densityModelEstimate } from '@crowdsafe/vision';
import { DensityStage } from './density-stage';

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
