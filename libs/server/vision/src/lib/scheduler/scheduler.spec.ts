import type { Detection } from '@crowdsafe/contracts';
import { DetectionScheduler } from './detection-scheduler';
import { PassBudgetAllocator } from './pass-budget';
import { PersonSizeMap } from './person-size-map';
import { planSlices } from './slice-planner';

/** A person whose feet are at (x, y), h pixels tall (width h / 2.5). */
const person = (x: number, y: number, h: number, score = 0.8): Detection => ({ box: { x1: x - h / 5, y1: y - h, x2: x + h / 5, y2: y }, score, classId: 0 });

/** Perspective scene: height grows linearly from hTop at row 0 to hBottom at the last row. */
function perspective(W: number, H: number, hTop: number, hBottom: number, n: number): Detection[] {
  const out: Detection[] = [];
  for (let i = 0; i < n; i++) {
    const y = H * 0.1 + ((i * 0.618034) % 1) * H * 0.85;
    const x = 40 + ((i * 0.754877) % 1) * (W - 80);
    out.push(person(x, y, hTop + ((hBottom - hTop) * y) / H));
  }
  return out;
}

describe('PersonSizeMap', () => {
  it('empty: nothing learnt, no estimate', () => {
    const m = new PersonSizeMap({ frameWidth: 1280, frameHeight: 720 });
    expect(m.learnt).toBe(false);
    expect(m.heightAt(640, 360)).toBeNull();
    expect(m.heightLine()).toBeNull();
  });

  it.each([
    // name, detections, learnt, expected height at (640, y) for each y, tolerance
    ['one row: flat fit', Array.from({ length: 30 }, (_, i) => person(40 + i * 40, 400, 60)), true, [[100, 60], [700, 60]], 0.5],
    ['perspective 20 -> 140 px', perspective(1280, 720, 20, 140, 200), true, [[72, 32], [360, 80], [648, 128]], 6],
    ['too few people', Array.from({ length: 5 }, (_, i) => person(100 + i * 100, 400, 60)), false, [[400, 60]], 0.5],
    ['low scores are not learnt', Array.from({ length: 40 }, (_, i) => person(40 + i * 30, 400, 60, 0.1)), false, [], 0],
  ] as const)('%s', (_name, dets, learnt, expected, tol) => {
    const m = new PersonSizeMap({ frameWidth: 1280, frameHeight: 720, cols: 1, rows: 1, minCellSamples: 1e9 });
    m.add(dets);
    expect(m.learnt).toBe(learnt);
    for (const [y, h] of expected) expect(Math.abs((m.heightAt(640, y)?.height ?? -1) - h)).toBeLessThanOrEqual(tol);
  });

  it('a grid cell with enough samples overrides the fit there; the memory is bounded (decay)', () => {
    const m = new PersonSizeMap({ frameWidth: 1000, frameHeight: 1000, rows: 2, cols: 2, halfLife: 50 });
    m.add(Array.from({ length: 40 }, (_, i) => person(100 + i * 20, 900, 100)));
    m.add(Array.from({ length: 10 }, () => person(900, 200, 20)));
    expect(m.heightAt(900, 200)).toEqual({ height: 20, source: 'cell' });
    expect(m.heightAt(100, 200)?.source).toBe('fit');
    // Many more samples never grow the weight past 1 / (1 - decay) ~ 72 for a half-life of 50.
    for (let i = 0; i < 100; i++) m.add([person(500, 600, 80)]);
    expect(m.weight).toBeLessThan(75);
    expect(m.samplesSeen).toBe(150);
  });

  it('rejects a bad frame size', () => {
    expect(() => new PersonSizeMap({ frameWidth: 0, frameHeight: 10 })).toThrow(RangeError);
  });
});

describe('planSlices', () => {
  const learntMap = (W: number, H: number, hTop: number, hBottom: number) => {
    const m = new PersonSizeMap({ frameWidth: W, frameHeight: H, minCellSamples: 1e9 });
    m.add(perspective(W, H, hTop, hBottom, 300));
    return m;
  };

  it('map not learnt (empty scene): the whole frame at the model input size, mode fallback', () => {
    const p = planSlices(new PersonSizeMap({ frameWidth: 1280, frameHeight: 720 }), { inputSize: 640 });
    expect(p.mode).toBe('fallback');
    expect(p.slices).toHaveLength(6);
    expect(p.slices.every((s) => s.width === 640 && s.height === 640)).toBe(true);
  });

  it.each([
    // name, W, H, person height top -> bottom, expected: slices?, max bottom of slices, slice side range
    ['large people everywhere: never sliced', 1280, 720, 150, 300, 0, 0, [0, 0]],
    ['hall-like: 25 px at the top, 150 at the bottom', 1280, 720, 25, 150, 2, 720, [320, 720]],
    ['1080p street: 40 -> 300 px', 1920, 1080, 40, 300, 2, 1080, [320, 1080]],
  ] as const)('%s', (_n, W, H, hTop, hBottom, minSlices, maxBottom, [lo, hi]) => {
    const p = planSlices(learntMap(W, H, hTop, hBottom), { inputSize: 640 });
    expect(p.mode).toBe('map');
    if (minSlices === 0) {
      expect(p.slices).toEqual([]);
      expect(p.smallRows).toBeNull();
      return;
    }
    expect(p.slices.length).toBeGreaterThanOrEqual(minSlices);
    for (const s of p.slices) {
      expect(s.width).toBe(s.height);
      expect(s.width).toBeGreaterThanOrEqual(lo);
      expect(s.width).toBeLessThanOrEqual(hi);
      expect(s.x + s.width).toBeLessThanOrEqual(W);
      expect(s.y + s.height).toBeLessThanOrEqual(maxBottom);
    }
    // Every row whose people are too small for the global pass is inside some slice, across the whole width.
    const rows = p.smallRows ?? { from: 0, to: 0 };
    expect(p.smallRows).not.toBeNull();
    for (let y = rows.from; y < rows.to; y += 8) {
      for (let x = 0; x < W; x += 16) expect(p.slices.some((s) => x >= s.x && x < s.x + s.width && y >= s.y && y < s.y + s.height)).toBe(true);
    }
    // The rows of the large people (bottom of the frame) are left to the global pass where the plan can avoid it.
    expect(rows.to).toBeLessThan(H);
  });

  it('with a slice size range, far people get smaller slices than nearer ones (slice side follows the person size)', () => {
    const p = planSlices(learntMap(1920, 1080, 20, 260), { inputSize: 640, minSlice: 320, maxSlice: 1280 });
    const top = p.slices.filter((s) => s.y === Math.min(...p.slices.map((q) => q.y)));
    const lower = p.slices.filter((s) => s.y > top[0].y);
    expect(lower.length).toBeGreaterThan(0);
    expect(top[0].width).toBeLessThan(lower[0].width);
  });
});

describe('planSlices defaults: 1:1 slices, no row for a thin strip at the frame edge, the fewest columns', () => {
  const learntMap = (W: number, H: number, hTop: number, hBottom: number) => {
    const m = new PersonSizeMap({ frameWidth: W, frameHeight: H, minCellSamples: 1e9 });
    m.add(perspective(W, H, hTop, hBottom, 300));
    return m;
  };

  it.each([
    // name, W, H, person height top -> bottom, planner options, expected slice rows (y), columns (x)
    ['nobody small', 1280, 720, 150, 300, {}, [], []],
    ['720p, small everywhere: the 2nd row would add 80 rows (< 20 % of 640): one row of two', 1280, 720, 25, 60, {}, [0], [0, 640]],
    ['1080p, small everywhere: the 2nd row adds 440 rows: two rows of three', 1920, 1080, 20, 90, {}, [0, 440], [0, 640, 1280]],
    ['1000 px wide: two columns, overlapping by what the width leaves', 1000, 720, 25, 60, {}, [0], [0, 360]],
    ['columnOverlap 0.2 (as SAHI): three columns on 1280', 1280, 720, 25, 60, { columnOverlap: 0.2 }, [0], [0, 320, 640]],
    ['columnOverlap 0.2 on 1920: four columns a row', 1920, 1080, 20, 90, { columnOverlap: 0.2 }, [0, 440], [0, 427, 853, 1280]],
  ] as const)('%s', (_n, W, H, hTop, hBottom, opts, rows, cols) => {
    const p = planSlices(learntMap(W, H, hTop, hBottom), { inputSize: 640, ...opts });
    expect(p.slices).toHaveLength(rows.length * cols.length);
    expect([...new Set(p.slices.map((s) => s.y))]).toEqual(rows);
    expect([...new Set(p.slices.map((s) => s.x))]).toEqual(cols);
    expect(p.slices.every((s) => s.width === 640 && s.height === 640)).toBe(true);
  });
});

describe('DetectionScheduler', () => {
  const frame = (i: number, fps = 5, W = 1280, H = 720) => ({ width: W, height: H, capturedAt: 1_000_000 + (i * 1000) / fps });

  it('first frame, nothing known: fallback plan, the reason says so', () => {
    const s = new DetectionScheduler({ fps: 5 });
    const f = s.next(frame(0));
    expect(f.planned).toHaveLength(6);
    expect(s.status().mode).toBe('fallback');
    expect(s.status().reason).toMatch(/person-size map not learnt/);
  });

  it.each([
    // fps, refreshS, budget passes/s -> every planned slice re-examined within ceil(refresh x fps) frames
    [5, 1, 12.5],
    [5, 0.6, 100],
    [10, 1, 20],
    [2, 1, 8],
  ])('rotation at %i fps, refresh %f s, budget %f: each slice examined at least once per refresh period', (fps, refreshS, budget) => {
    const s = new DetectionScheduler({ fps, refreshS, budgetPerSecond: budget });
    const lastSeen = new Map<string, number>();
    const period = Math.ceil(refreshS * fps);
    for (let i = 0; i < 60; i++) {
      const f = s.next(frame(i, fps));
      for (const r of f.slices) lastSeen.set(`${r.x},${r.y},${r.width}`, i);
      if (i >= period) for (const r of f.planned) expect(i - (lastSeen.get(`${r.x},${r.y},${r.width}`) ?? -1)).toBeLessThanOrEqual(period);
    }
    const st = s.status();
    expect(st.refreshS).toBeLessThanOrEqual(refreshS + 1e-9);
    expect(st.reason).toMatch(/not learnt/); // fallback, but on time: no budget complaint
    expect(st.reason).not.toMatch(/budget short/);
    expect(st.passesPerSecond).toBeLessThanOrEqual(budget + 1e-9);
  });

  it.each([
    // budget passes/s at 5 fps, 6 fallback slices: achieved refresh = 6 / (budget - 5) s
    [8, 2],
    [6, 6],
  ])('budget %f passes/s: frame rate kept, refresh degraded to %f s and reported', (budget, refresh) => {
    const s = new DetectionScheduler({ fps: 5, budgetPerSecond: budget });
    let slices = 0;
    for (let i = 0; i < 100; i++) slices += s.next(frame(i)).slices.length;
    expect(slices).toBeCloseTo(((budget - 5) * 100) / 5, -1);
    const st = s.status();
    expect(st.refreshS).toBeCloseTo(refresh, 5);
    expect(st.reason).toMatch(/compute budget short/);
  });

  it('budget of only the global passes: no slices, the frame rate is untouched, said in the reason', () => {
    const s = new DetectionScheduler({ fps: 5, budgetPerSecond: 5 });
    for (let i = 0; i < 10; i++) expect(s.next(frame(i)).slices).toEqual([]);
    expect(s.status().refreshS).toBe(-1);
    expect(s.status().reason).toMatch(/global pass only/);
  });

  it('learns the map from observed detections and replans: large people only = no slices', () => {
    const s = new DetectionScheduler({ fps: 5, replanS: 1 });
    for (let i = 0; i < 20; i++) {
      s.next(frame(i));
      s.observe(perspective(1280, 720, 150, 300, 10));
    }
    const f = s.next(frame(20));
    expect(f.planned).toEqual([]);
    expect(f.slices).toEqual([]);
    expect(f.holdFrames).toBe(0);
    expect(s.status()).toMatchObject({ mode: 'map', reason: null, passesPerFrame: expect.any(Number) });
  });

  it('a new frame size starts a new map', () => {
    const s = new DetectionScheduler({ fps: 5, replanS: 0.2 });
    for (let i = 0; i < 10; i++) {
      s.next(frame(i));
      s.observe(perspective(1280, 720, 150, 300, 10));
    }
    expect(s.status().mode).toBe('map');
    s.next(frame(11, 5, 1920, 1080));
    expect(s.status().mode).toBe('fallback');
  });
});

describe('PassBudgetAllocator', () => {
  it('no cameras: nothing granted', () => {
    expect(new PassBudgetAllocator({ totalPerSecond: 30 }).grant('x')).toBe(0);
  });

  it.each([
    // total, demands [fps, wanted] per camera -> grants
    [0, [[5, 20]], [12.5]],
    [0, [[5, 7], [10, 40]], [7, 25]],
    [30, [[5, 20], [5, 20]], [12.5, 12.5]],
    [20, [[5, 20], [5, 20]], [10, 10]],
    [20, [[5, 6], [5, 20]], [6, 12.5]],
    [8, [[5, 20], [5, 20]], [4, 4]], // global passes short: fair frame rates (pass-budget.spec.ts)
    [16, [[5, 20], [5, 6], [2, 10]], [6.5, 6, 3.5]], // left 4: c1 takes its 1, the other two 1.5 each
  ] as const)('total %f, demands %j -> %j', (total, demands, grants) => {
    const a = new PassBudgetAllocator({ totalPerSecond: total });
    demands.forEach(([fps, wanted], i) => a.request(`c${i}`, { fps, wanted }));
    grants.forEach((g, i) => expect(a.grant(`c${i}`)).toBeCloseTo(g, 6));
  });

  it('a released camera gives its share back', () => {
    const a = new PassBudgetAllocator({ totalPerSecond: 20 });
    a.request('a', { fps: 5, wanted: 20 });
    a.request('b', { fps: 5, wanted: 20 });
    expect(a.grant('a')).toBe(10);
    a.release('b');
    expect(a.grant('a')).toBe(12.5);
    expect(a.cameras).toBe(1);
  });

  it.each([[{ totalPerSecond: -1 }], [{ maxRatio: 0.5 }]])('rejects %j', (o) => expect(() => new PassBudgetAllocator(o)).toThrow(RangeError));
});
