import { angleDiffDeg, BucketCounter, mean, median, normDeg, regressionSlope, SlidingSeries, stdDev } from './stats';

describe('stats', () => {
  it.each<[string, number[], number, number, number]>([
    ['empty', [], 0, 0, 0],
    ['one', [3], 3, 3, 0],
    ['odd', [3, 1, 2], 2, 2, Math.sqrt(2 / 3)],
    ['even', [4, 1, 3, 2], 2.5, 2.5, Math.sqrt(1.25)],
  ])('mean/median/std: %s', (_n, xs, m, med, sd) => {
    expect(mean(xs)).toBeCloseTo(m, 12);
    expect(median(xs)).toBeCloseTo(med, 12);
    expect(stdDev(xs)).toBeCloseTo(sd, 12);
  });

  it('regression slope', () => {
    expect(regressionSlope([], [], 0)).toBe(0);
    expect(regressionSlope([1, 1], [0, 5], 2)).toBe(0);
    expect(regressionSlope([0, 1, 2, 3], [1, 3, 5, 7], 4)).toBeCloseTo(2, 12);
  });

  it('angles', () => {
    expect(normDeg(-90)).toBe(270);
    expect(normDeg(720)).toBe(0);
    expect(angleDiffDeg(350, 10)).toBe(20);
    expect(angleDiffDeg(0, 180)).toBe(180);
  });

  it('SlidingSeries: slope per second over the window, bounded ring', () => {
    const s = new SlidingSeries(5000, 8);
    expect(s.slopePerSecond(0)).toEqual({ slope: 0, ready: false });
    for (let t = 0; t <= 10000; t += 500) s.push(t, 0.6 * (t / 1000));
    expect(s.length).toBeLessThanOrEqual(8);
    const r = s.slopePerSecond(10000);
    expect(r.ready).toBe(true);
    expect(r.slope).toBeCloseTo(0.6, 12);
  });

  it('BucketCounter: events in the sliding window', () => {
    const c = new BucketCounter(60000, 1000);
    expect(c.sum(0)).toBe(0);
    c.add(500);
    c.add(30500, 2);
    expect(c.sum(59999)).toBe(3);
    expect(c.sum(60500)).toBe(2);
    expect(c.sum(200000)).toBe(0);
  });
});
