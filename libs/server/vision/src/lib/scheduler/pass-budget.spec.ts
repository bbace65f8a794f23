import { PassBudgetAllocator, waterFill } from './pass-budget';

type Demands = readonly (readonly [number, number])[];

function allocator(demands: Demands, opts: ConstructorParameters<typeof PassBudgetAllocator>[0] = {}): PassBudgetAllocator {
  const a = new PassBudgetAllocator(opts);
  demands.forEach(([fps, wanted], i) => a.request(`c${i}`, { fps, wanted }));
  return a;
}

describe('waterFill', () => {
  it.each([
    ['no wants', [], 10, []],
    ['one want under the total', [5], 10, [5]],
    ['equal wants, short', [5, 5, 5, 5], 10, [2.5, 2.5, 2.5, 2.5]],
    ['a small want gives the rest back', [1, 10, 10], 9, [1, 4, 4]],
    ['nothing to share', [3, 3], 0, [0, 0]],
  ] as const)('%s', (_n, wants, total, out) => {
    const r = waterFill(new Map(wants.map((w, i) => [`c${i}`, w])), total);
    out.forEach((g, i) => expect(r.get(`c${i}`)).toBeCloseTo(g, 6));
    expect(r.size).toBe(wants.length);
  });
});

describe('PassBudgetAllocator following the measured capacity', () => {
  it.each([
    // name, measured passes/s (null = none yet), demands [fps, wanted] -> grants, shortfall
    ['no cameras', 30, [], [], false],
    ['no measurement yet: each camera <= 2.5 x fps', null, [[5, 20], [5, 20]], [12.5, 12.5], false],
    ['one camera, plenty', 40, [[5, 20]], [12.5], false],
    ['two cameras: fps first, slices share what is left (20 x 0.85 = 17)', 20, [[5, 20], [5, 20]], [8.5, 8.5], false],
    ['global passes just fit: no slices', 11.8, [[5, 20], [5, 20]], [5.015, 5.015], false],
    ['shortfall: 4 cameras at 5 fps on 10 passes/s share 8.5 fairly', 10, [[5, 20], [5, 20], [5, 20], [5, 20]], [2.125, 2.125, 2.125, 2.125], true],
    ['shortfall: a slow camera keeps its fps', 10, [[1, 1], [5, 20], [5, 20]], [1, 3.75, 3.75], true],
  ] as const)('%s', (_n, measured, demands, grants, shortfall) => {
    const a = allocator(demands);
    a.setMeasuredCapacity(measured);
    expect(a.source).toBe(measured === null ? 'uncapped' : 'measured');
    grants.forEach((g, i) => expect(a.grant(`c${i}`)).toBeCloseTo(g, 6));
    demands.forEach((_d, i) => {
      const s = a.status(`c${i}`);
      expect(s.shortfall).toBe(shortfall);
      if (shortfall) expect(s.reason).toMatch(/model passes short for the frame rates: 8\.5 passes\/s \(10 measured x 0\.85 utilisation\)/);
      else expect(s.reason).toBeNull();
    });
  });

  it('recovers when the capacity comes back, and the reason goes away', () => {
    const a = allocator([[5, 20], [5, 20]]);
    a.setMeasuredCapacity(8);
    expect(a.grant('c0')).toBeCloseTo(3.4, 6);
    expect(a.status('c1').reason).toMatch(/about 3\.4 of 5 fps for this camera/);
    a.setMeasuredCapacity(40);
    expect(a.grant('c0')).toBeCloseTo(12.5, 6);
    expect(a.status('c1')).toEqual({ grant: 12.5, shortfall: false, reason: null });
    a.setMeasuredCapacity(null); // unknown again: back to the per-camera cap
    expect(a.source).toBe('uncapped');
    expect(a.grant('c0')).toBe(12.5);
  });

  it('DETECT_PASS_BUDGET overrides the measurement', () => {
    const a = allocator([[5, 20], [5, 20]], { totalPerSecond: 8 });
    a.setMeasuredCapacity(100);
    expect(a.source).toBe('configured');
    expect(a.totalPerSecond).toBe(8);
    expect(a.grant('c0')).toBe(4);
    expect(a.status('c0').reason).toMatch(/8 passes\/s \(DETECT_PASS_BUDGET\)/);
  });

  it('holds one entry per running camera (released cameras leave nothing behind)', () => {
    const a = new PassBudgetAllocator();
    a.setMeasuredCapacity(50);
    for (let i = 0; i < 1000; i++) {
      a.request(`cam${i}`, { fps: 5, wanted: 10 });
      if (i >= 4) a.release(`cam${i - 4}`);
    }
    expect(a.cameras).toBe(4);
    expect(a.grant('cam0')).toBe(0);
    expect(a.status('cam0')).toEqual({ grant: 0, shortfall: false, reason: null });
  });

  it.each([
    [{ utilisation: 0 }, /utilisation/],
    [{ utilisation: 1.2 }, /utilisation/],
    [{ totalPerSecond: Number.NaN }, /totalPerSecond/],
  ])('rejects %j', (o, msg) => expect(() => new PassBudgetAllocator(o)).toThrow(msg));

  it.each([0, -3, Number.NaN, Number.POSITIVE_INFINITY])('a measurement of %f is treated as unknown', (v) => {
    const a = allocator([[5, 20]]);
    a.setMeasuredCapacity(v);
    expect(a.source).toBe('uncapped');
  });
});
