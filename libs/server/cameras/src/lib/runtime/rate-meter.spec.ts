import { RateMeter } from './rate-meter';

describe('RateMeter', () => {
  it.each([
    { name: 'no events', marks: [] as number[], now: 10_000, expected: 0 },
    { name: 'one event per second for 5 s', marks: [6_000, 7_000, 8_000, 9_000, 10_000], now: 10_500, expected: 1 },
    { name: '10 events in the current second', marks: Array(10).fill(10_100), now: 10_200, expected: 2 },
    { name: 'events older than the window are ignored', marks: [1_000, 2_000, 3_000], now: 20_000, expected: 0 },
  ])('$name', ({ marks, now, expected }) => {
    const m = new RateMeter(5);
    for (const t of marks) m.mark(t);
    expect(m.rate(now)).toBe(expected);
  });
});
