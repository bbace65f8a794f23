import { PerSecondAggregator, type SecondSummary } from './per-second-aggregator';

type Step = { add: [number, number] } | { flush: [number, number] };
const T = Date.UTC(2025, 0, 1, 12, 0, 0); // a whole second
const sec = (i: number, count: number, countMax: number, countMin: number, frames: number): SecondSummary => ({
  time: new Date(T + i * 1000),
  count,
  countMax,
  countMin,
  frames,
});

describe('PerSecondAggregator', () => {
  it.each<{ name: string; steps: Step[]; out: SecondSummary[]; late?: number; invalid?: number; open?: number }>([
    { name: 'nothing added -> nothing flushed', steps: [{ flush: [T + 10_000, 0] }], out: [] },
    {
      name: 'one second: mean rounded, max, min, frames',
      steps: [{ add: [T + 100, 2] }, { add: [T + 500, 3] }, { add: [T + 900, 3] }, { flush: [T + 1000, 0] }],
      out: [sec(0, 3, 3, 2, 3)],
    },
    {
      name: 'a second stays open until its end plus the lateness has passed',
      steps: [{ add: [T + 100, 4] }, { flush: [T + 1999, 1000] }],
      out: [],
      open: 1,
    },
    {
      name: 'the current second is not flushed',
      steps: [{ add: [T + 100, 1] }, { add: [T + 1100, 5] }, { flush: [T + 1500, 0] }],
      out: [sec(0, 1, 1, 1, 1)],
      open: 1,
    },
    {
      name: 'several seconds come out in time order, whatever the arrival order',
      steps: [{ add: [T + 2100, 7] }, { add: [T + 100, 1] }, { add: [T + 1100, 4] }, { flush: [T + 3000, 0] }],
      out: [sec(0, 1, 1, 1, 1), sec(1, 4, 4, 4, 1), sec(2, 7, 7, 7, 1)],
    },
    {
      name: 'a frame for an already flushed second is late and ignored',
      steps: [{ add: [T + 100, 1] }, { flush: [T + 1000, 0] }, { add: [T + 900, 9] }, { flush: [T + 5000, 0] }],
      out: [sec(0, 1, 1, 1, 1)],
      late: 1,
    },
    {
      name: 'a frame for an empty second that is already past the watermark is late too',
      steps: [{ flush: [T + 3000, 0] }, { add: [T + 1500, 2] }, { flush: [T + 9000, 0] }],
      out: [],
      late: 1,
    },
    {
      name: 'flush at Infinity closes everything (camera stopping)',
      steps: [{ add: [T + 100, 2] }, { add: [T + 60_000, 3] }, { flush: [Infinity, 0] }],
      out: [sec(0, 2, 2, 2, 1), sec(60, 3, 3, 3, 1)],
    },
    {
      name: 'non-finite time and negative counts are ignored',
      steps: [{ add: [NaN, 1] }, { add: [T, -1] }, { add: [T, Infinity] }, { flush: [T + 2000, 0] }],
      out: [],
      invalid: 3,
    },
    {
      name: 'mean rounds half up',
      steps: [{ add: [T + 1, 1] }, { add: [T + 2, 2] }, { flush: [T + 1000, 0] }],
      out: [sec(0, 2, 2, 1, 2)],
    },
  ])('$name', ({ steps, out, late = 0, invalid = 0, open = 0 }) => {
    const agg = new PerSecondAggregator();
    const flushed: SecondSummary[] = [];
    for (const step of steps) {
      if ('add' in step) agg.add(...step.add);
      else flushed.push(...agg.flush(...step.flush));
    }
    expect(flushed).toEqual(out);
    expect(agg.stats()).toEqual({ late, dropped: 0, invalid, open });
  });

  it.each([
    { name: 'within the bound nothing is dropped', maxOpenSeconds: 3, seconds: 3, dropped: 0, open: 3 },
    { name: 'beyond the bound the oldest open second is dropped', maxOpenSeconds: 3, seconds: 5, dropped: 2, open: 3 },
  ])('bounded: $name', ({ maxOpenSeconds, seconds, dropped, open }) => {
    const agg = new PerSecondAggregator({ maxOpenSeconds });
    for (let i = 0; i < seconds; i++) agg.add(T + i * 1000, i);
    expect(agg.stats()).toMatchObject({ dropped, open });
    const out = agg.flush(Infinity);
    expect(out.map((s) => s.count)).toEqual(Array.from({ length: open }, (_, i) => seconds - open + i));
  });

  it.each([
    { name: 'nothing flushed yet: any time is accepted', flushAt: null, at: T - 60_000, accepted: true },
    { name: 'a frame in a closed second is not', flushAt: T + 3000, at: T + 2999, accepted: false },
    { name: 'a frame in the first open second is', flushAt: T + 3000, at: T + 3000, accepted: true },
    { name: 'non-finite times are not', flushAt: null, at: NaN, accepted: false },
  ])('accepts: $name', ({ flushAt, at, accepted }) => {
    const agg = new PerSecondAggregator();
    if (flushAt !== null) agg.flush(flushAt, 0);
    expect(agg.accepts(at)).toBe(accepted);
    // accepts() agrees with what add() then does.
    expect(agg.add(at, 1)).toBe(accepted);
  });
});
