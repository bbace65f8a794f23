import { FrameRateWindow } from './frame-rate-window';

describe('FrameRateWindow', () => {
  it.each([
    { name: 'no events', events: [] as number[], now: 10_000, rate: 0 },
    { name: '5 fps over a full window', events: Array.from({ length: 25 }, (_, i) => 5_200 + i * 200), now: 10_000, rate: 5 },
    { name: 'old events fall out', events: [1_000, 2_000, 9_000], now: 10_000, rate: 0.2 },
    { name: 'young meter divides by its age', events: [100, 200, 300, 400, 500, 600], now: 2_000, rate: 3 },
    { name: 'younger than 1 s divides by 1 s', events: [100, 200], now: 300, rate: 2 },
  ])('$name', ({ events, now, rate }) => {
    const w = new FrameRateWindow(5000, 1024, 0);
    events.forEach((t) => w.record(t));
    expect(w.rate(now)).toBeCloseTo(rate, 5);
  });

  it('is bounded by maxEvents', () => {
    const w = new FrameRateWindow(5000, 10, 0);
    for (let t = 0; t < 100; t++) w.record(5_000 + t);
    expect(w.rate(6_000)).toBe(2); // 10 kept events / 5 s
  });
});
