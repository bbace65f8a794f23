import type { CountEstimate, TrackedPerson } from '@crowdsafe/contracts';
import { type FrameSample, SecondAccumulator } from './second-accumulator';

const est = (count: number, method: CountEstimate['method'] = 'tracking', spread = 0): CountEstimate => ({ count, method, low: count - spread, high: count + spread });
const walker = (vx: number): TrackedPerson => ({ id: 1, box: { x1: 0, y1: 0, x2: 40, y2: 200 }, score: 0.9, timeSinceUpdate: 0, velocity: { vx, vy: 0 } });
const frame = (capturedAt: number, estimate: CountEstimate, extra: Partial<FrameSample> = {}): FrameSample => ({ capturedAt, estimate, densityCount: null, tracks: [], analytics: null, ...extra });

describe('SecondAccumulator', () => {
  it.each([
    { name: 'no frames: nothing closes', frames: [], now: 10_000, want: [] },
    {
      name: 'one second: mean/max/min count, averaged range, latest method',
      frames: [frame(1000, est(2, 'tracking', 1)), frame(1200, est(4, 'tracking', 1)), frame(1400, est(3, 'fused', 2), { densityCount: 5 })],
      now: 3000,
      want: [{ time: new Date(1000), count: 3, countMax: 4, countMin: 2, frames: 3, method: 'fused', low: 2, high: 4, densityCount: 5, analytics: null }],
    },
    {
      name: 'only ended seconds close (oldest first), the open one waits',
      frames: [frame(2100, est(2)), frame(1100, est(1)), frame(3100, est(9))],
      now: 3500,
      want: [
        { time: new Date(1000), count: 1 },
        { time: new Date(2000), count: 2 },
      ],
    },
    { name: 'invalid counts are ignored', frames: [frame(1000, est(-1)), frame(1000, est(Number.NaN))], now: 3000, want: [] },
    { name: 'no density fused: densityCount null', frames: [frame(1000, est(2))], now: 3000, want: [{ densityCount: null }] },
  ])('$name', ({ frames, now, want }) => {
    const acc = new SecondAccumulator(5);
    for (const f of frames) acc.add(f);
    const got = acc.close(now);
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => expect(got[i]).toMatchObject(w));
  });

  it('a closed second accepts no more frames (late), Infinity closes everything', () => {
    const acc = new SecondAccumulator(5);
    expect(acc.add(frame(1000, est(1)))).toBe(true);
    expect(acc.close(2500, 0)).toHaveLength(1);
    expect(acc.accepts(1500)).toBe(false);
    expect(acc.add(frame(1500, est(1)))).toBe(false);
    expect(acc.add(frame(9000, est(1)))).toBe(true);
    expect(acc.close(Number.POSITIVE_INFINITY).map((s) => s.time.getTime())).toEqual([9000]);
  });

  it("lateness holds a second open; the movement is the second's matched tracks", () => {
    const acc = new SecondAccumulator(5);
    acc.add(frame(1000, est(1), { tracks: Array.from({ length: 5 }, () => walker(10)) }));
    acc.add(frame(1200, est(1), { tracks: Array.from({ length: 5 }, () => walker(10)) }));
    expect(acc.close(2500, 1500)).toEqual([]);
    const [s] = acc.close(3500, 1500);
    expect(s.movement).toMatchObject({ compass: 'E', samples: 10 });
  });
});
