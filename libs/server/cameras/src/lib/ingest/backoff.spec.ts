import { Backoff } from './backoff';

describe('Backoff', () => {
  it.each([
    { name: 'no retries', random: 1, calls: 0, delays: [] as number[] },
    { name: 'doubles up to the cap (no jitter at random=1)', random: 1, calls: 6, delays: [100, 200, 400, 800, 1000, 1000] },
    { name: 'jitter floor is half the base (random=0)', random: 0, calls: 4, delays: [50, 100, 200, 400] },
    { name: 'mid jitter', random: 0.5, calls: 2, delays: [75, 150] },
  ])('$name', ({ random, calls, delays }) => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000 }, () => random);
    expect(Array.from({ length: calls }, () => b.next())).toEqual(delays);
    expect(b.attempts).toBe(calls);
  });

  it.each([
    { name: 'no retries before reset', before: 0 },
    { name: 'starts over after reset', before: 5 },
  ])('reset: $name', ({ before }) => {
    const b = new Backoff({ initialMs: 100, maxMs: 1000 }, () => 1);
    for (let i = 0; i < before; i++) b.next();
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('never exceeds maxMs after many attempts', () => {
    const b = new Backoff({ initialMs: 1, maxMs: 30_000 }, () => 1);
    for (let i = 0; i < 200; i++) expect(b.next()).toBeLessThanOrEqual(30_000);
  });

  it.each([
    { initialMs: 0, maxMs: 10 },
    { initialMs: 10, maxMs: 5 },
    { initialMs: NaN, maxMs: 5 },
  ])('rejects %p', (opts) => {
    expect(() => new Backoff(opts)).toThrow(RangeError);
  });
});
