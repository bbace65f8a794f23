import type { CountEstimate } from '@crowdsafe/contracts';
import { correctDensityCount, densityModelEstimate, detectionEstimate, fuseCounts, ramp } from './fusion';
import { lmdsDecode } from './lmds';

describe('lmdsDecode', () => {
  it('an empty or all-zero map has no heads', () => {
    expect(lmdsDecode(new Float32Array(12), 4, 3)).toEqual({ count: 0, points: [], max: 0 });
  });

  it('a map whose max is below 0.1 has no heads (FIDTM rule)', () => {
    const m = new Float32Array(25);
    m[12] = 0.09;
    expect(lmdsDecode(m, 5, 5).count).toBe(0);
  });

  it('keeps 3x3 local maxima >= 100/255 of the max, scaled by 2 to input pixels', () => {
    const w = 8;
    const m = new Float32Array(w * 6);
    m[1 * w + 1] = 0.5; // head at (1,1)
    m[1 * w + 2] = 0.3; // its shoulder: not a max
    m[4 * w + 6] = 0.25; // second head, 0.5 of max: kept
    m[4 * w + 2] = 0.15; // 0.3 of max < 100/255: dropped
    const r = lmdsDecode(m, w, 6);
    expect(r.max).toBeCloseTo(0.5);
    expect(r.points).toEqual([
      { x: 2, y: 2 },
      { x: 12, y: 8 },
    ]);
    expect(r.count).toBe(2);
  });

  it('plateau cells all count, as torch max_pool2d == map does', () => {
    const m = new Float32Array(9 * 3);
    m[9 + 3] = 0.4;
    m[9 + 4] = 0.4;
    expect(lmdsDecode(m, 9, 3, { scale: 1 }).points).toEqual([
      { x: 3, y: 1 },
      { x: 4, y: 1 },
    ]);
  });

  it('rejects a map smaller than its size', () => {
    expect(() => lmdsDecode(new Float32Array(5), 3, 2)).toThrow(RangeError);
  });
});

describe('count ranges', () => {
  it.each([
    [0, 0, 0],
    [20, 18, 26],
  ])('detection %i -> [%i, %i]', (n, low, high) => expect(detectionEstimate(n)).toEqual({ count: n, method: 'detection', low, high }));
  it.each([
    [0, 0, 0],
    [40, 36, 46],
    [125, 112, 172],
    [300, 270, 480],
  ])('density model %i -> [%i, %i]', (n, low, high) => expect(densityModelEstimate(n)).toEqual({ count: n, method: 'density-model', low, high }));
});

describe('fuseCounts', () => {
  const d = (n: number): CountEstimate => detectionEstimate(n, 'tiled-detection');
  const m = (n: number): CountEstimate => densityModelEstimate(n);
  it('ramp', () => {
    expect([ramp(40, 50, 100), ramp(75, 50, 100), ramp(120, 50, 100), ramp(5, 5, 5)]).toEqual([0, 0.5, 1, 1]);
  });
  it.each([
    // detected, density, count, weight
    ['empty scene', 0, 0, 0, 0],
    ['small crowd, detector agrees: detection', 20, 22, 20, 0],
    ['small crowd, detector misses half: density model', 10, 25, 25, 1],
    // 80 heads -> 88 after the dense-scene gain; w = ramp(88, 50, 100) = 0.76.
    ['mid crowd, detector agrees: blend', 70, 80, 84, 0.76],
    // 200 heads -> x1.5 (the model's measured undercount above 200).
    ['dense crowd: density model, corrected', 40, 200, 300, 1],
    ['density model below the detections: never below detections', 120, 100, 120, 1],
    ['density model sees nothing, detector does: detection', 5, 0, 5, 0],
  ])('%s', (_, det, dens, count, w) => {
    const f = fuseCounts(d(det as number), m(dens as number));
    expect(f.count).toBe(count);
    expect(f.densityWeight).toBeCloseTo(w as number, 5);
    expect(f.method).toBe('fused');
    expect(f.low).toBeLessThanOrEqual(f.count);
    expect(f.high).toBeGreaterThanOrEqual(f.count);
  });
  it.each([
    [0, 0],
    [49, 49],
    [50, 50],
    [125, 156],
    [200, 300],
    [400, 600],
  ])('dense-scene correction %i -> %i', (c, expected) => expect(correctDensityCount(c)).toBe(expected));
  it('gain 1 turns the correction off', () => {
    expect(fuseCounts(d(40), m(200), { densityGain: { gain: 1, from: 50, to: 200 } }).count).toBe(200);
  });
  it('the range spans both estimators', () => {
    const f = fuseCounts(d(40), m(200));
    expect(f.low).toBe(Math.min(d(40).low, m(200).low));
    expect(f.high).toBe(m(200).high);
  });
});
