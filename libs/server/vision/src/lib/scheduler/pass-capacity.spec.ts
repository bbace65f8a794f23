import { PassCapacityMeter, type PassJob } from './pass-capacity';

/** `n` back-to-back jobs of `passes` passes taking `ms` each, from `t0`. */
function serial(n: number, passes: number, ms: number, t0 = 0): PassJob[] {
  return Array.from({ length: n }, (_, i) => ({ passes, startedAt: t0 + i * ms, endedAt: t0 + (i + 1) * ms }));
}

describe('PassCapacityMeter', () => {
  it.each([
    // name, jobs, expected passes/s (null: no sample yet)
    ['no jobs', [], null],
    ['less than one sample of busy time', serial(5, 1, 100), null],
    ['one pass per 100 ms, back to back', serial(10, 1, 100), 10],
    ['3 passes per 150 ms job', serial(20, 3, 150), 20],
    ['idle gaps between jobs are not busy time', serial(10, 1, 100).map((j, i) => ({ ...j, startedAt: j.startedAt + i * 500, endedAt: j.endedAt + i * 500 })), 10],
    ['two overlapping jobs count their span once', [{ passes: 2, startedAt: 0, endedAt: 600 }, { passes: 2, startedAt: 100, endedAt: 1000 }], 4],
  ] as const)('%s', (_name, jobs, expected) => {
    const m = new PassCapacityMeter();
    for (const j of jobs) m.observe(j);
    if (expected === null) expect(m.passesPerSecond).toBeNull();
    else expect(m.passesPerSecond).toBeCloseTo(expected, 6);
  });

  it('follows a capacity drop and its recovery (EWMA)', () => {
    const m = new PassCapacityMeter({ alpha: 0.5 });
    serial(10, 1, 100).forEach((j) => m.observe(j)); // 10 passes/s
    expect(m.passesPerSecond).toBeCloseTo(10, 6);
    serial(5, 1, 200, 1000).forEach((j) => m.observe(j)); // 5 passes/s for one sample
    expect(m.passesPerSecond).toBeCloseTo(7.5, 6);
    serial(50, 1, 200, 2000).forEach((j) => m.observe(j)); // 10 more samples at 5
    expect(m.passesPerSecond).toBeLessThan(5.01);
    serial(100, 1, 100, 12_000).forEach((j) => m.observe(j)); // back to 10
    expect(m.passesPerSecond).toBeGreaterThan(9.9);
    expect(m.msPerPass).toBeCloseTo(1000 / (m.passesPerSecond ?? 1), 6);
  });

  it('keeps no history: state is the same size after 100 000 jobs', () => {
    const m = new PassCapacityMeter();
    const keys = Object.keys(m).length;
    serial(100_000, 2, 50).forEach((j) => m.observe(j));
    expect(Object.keys(m).length).toBe(keys);
    expect(Object.values(m).every((v) => !Array.isArray(v) && !(v instanceof Map))).toBe(true);
    expect(m.passesPerSecond).toBeCloseTo(40, 6);
    expect(m.samples).toBe(5000);
  });

  it.each([
    [{ sampleBusyMs: 0 }, /sampleBusyMs/],
    [{ alpha: 0 }, /alpha/],
    [{ alpha: 1.5 }, /alpha/],
  ])('rejects options %j', (o, msg) => expect(() => new PassCapacityMeter(o)).toThrow(msg));

  it.each([
    [{ passes: -1, startedAt: 0, endedAt: 1 }, /passes/],
    [{ passes: Number.NaN, startedAt: 0, endedAt: 1 }, /passes/],
    [{ passes: 1, startedAt: 10, endedAt: 5 }, /endedAt/],
    [{ passes: 1, startedAt: Number.NaN, endedAt: 5 }, /startedAt/],
  ])('rejects job %j', (j, msg) => expect(() => new PassCapacityMeter().observe(j)).toThrow(msg));
});
