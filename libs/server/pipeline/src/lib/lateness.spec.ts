import { AdaptiveLateness } from './lateness';

describe('AdaptiveLateness', () => {
  it.each([
    { name: 'nothing measured: the floor', observed: [] as number[], expected: 1500 },
    { name: 'fast round trips: the floor', observed: [120, 300, 80], expected: 1500 },
    { name: 'slow round trips: the slowest plus the margin', observed: [300, 2400, 1800], expected: 2900 },
    { name: 'very slow: capped', observed: [30_000], expected: 10_000 },
    { name: 'nonsense ignored', observed: [Number.NaN, -5, Number.POSITIVE_INFINITY, 200], expected: 1500 },
  ])('$name', ({ observed, expected }) => {
    const l = new AdaptiveLateness(1500, 10_000);
    for (const v of observed) l.observe(v);
    expect(l.current()).toBe(expected);
  });

  it('falls back to the floor once the slow round trips leave the window', () => {
    const l = new AdaptiveLateness(1500, 10_000, 4);
    l.observe(4000);
    expect(l.current()).toBe(4500);
    for (let i = 0; i < 3; i++) l.observe(100);
    expect(l.current()).toBe(4500);
    l.observe(100);
    expect(l.current()).toBe(1500);
  });

  it('refuses inverted bounds', () => {
    expect(() => new AdaptiveLateness(2000, 1000)).toThrow(RangeError);
  });
});
