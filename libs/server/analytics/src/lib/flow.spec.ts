import { CrowdAnalyzer, type AnalyzerOptions } from './analyzer';
import { calibrateHomography, calibrateManual } from './calibration';
import type { CountingLine, FrameAnalytics, LineMetrics, TrackInput, Vec2 } from './types';
import { personBox, pinholeCamera, prng, SURVEY_POINTS, track } from '../testing/synthetic';

const cam = pinholeCamera();
const frame = { width: cam.width, height: cam.height };
const calResult = calibrateHomography({ frame, points: SURVEY_POINTS.map((w) => ({ world: w, image: cam.project(w[0], w[1], 0) })) });
if (!calResult.ok) throw new Error('calibration failed');
const cal = calResult.value;
const T0 = Date.UTC(2024, 0, 1, 9, 0, 0);

/** Line across the floor at Y = 6 m from X = -4 to 4; "in" = towards the screen-left of a->b = up the image = +Y. */
const LINE: CountingLine = { id: 'gate', name: 'Gate', a: cam.project(-4, 6, 0), b: cam.project(4, 6, 0), inDirection: 'left', widthM: 8 };

function analyzer(line: CountingLine = LINE, options: Partial<AnalyzerOptions> = {}): CrowdAnalyzer {
  return new CrowdAnalyzer({ cameraId: 'c', calibration: cal, lines: [line], options });
}

/** A scripted walker: ground position and confirmation as functions of time (s); null = not detected. */
interface Walker {
  id: number;
  at(t: number): Vec2 | null;
  confirmed(t: number): boolean;
}

function run(a: CrowdAnalyzer, walkers: Walker[], seconds: number, fps: number, noise?: { seed: number; dropP: number; jitterPx: number }): FrameAnalytics {
  const rand = prng(noise?.seed ?? 0);
  let r: FrameAnalytics | null = null;
  for (let k = 0; k <= seconds * fps; k++) {
    const t = k / fps;
    const tracks: TrackInput[] = [];
    for (const w of walkers) {
      const p = w.at(t);
      if (!p) continue;
      if (noise && rand() < noise.dropP) continue;
      const j = noise ? noise.jitterPx : 0;
      tracks.push(track(w.id, personBox(cam, p[0], p[1], [j * (2 * rand() - 1), j * (2 * rand() - 1)]), w.confirmed(t)));
    }
    r = a.update({ timestampMs: T0 + Math.round(t * 1000), tracks });
  }
  return r as FrameAnalytics;
}

/** Walks from `from` to `to` at `speed` m/s starting at t0 (s); present only while walking; tentative for 0.3 s. */
function walker(id: number, from: Vec2, to: Vec2, speed: number, t0: number, opts: { gap?: [number, number]; neverConfirmed?: boolean } = {}): Walker {
  const len = Math.hypot(to[0] - from[0], to[1] - from[1]);
  const dur = len / speed;
  return {
    id,
    at: (t) => {
      if (t < t0 || t > t0 + dur) return null;
      if (opts.gap && t >= opts.gap[0] && t < opts.gap[1]) return null;
      const f = (t - t0) / dur;
      return [from[0] + f * (to[0] - from[0]), from[1] + f * (to[1] - from[1])];
    },
    confirmed: (t) => !opts.neverConfirmed && t >= t0 + 0.3,
  };
}

function crowd(seed: number): Walker[] {
  const rand = prng(seed);
  const ws: Walker[] = [];
  for (let i = 0; i < 10; i++) {
    const x = -3.5 + 7 * rand();
    ws.push(walker(i + 1, [x, 2.5], [x + rand() - 0.5, 9.5], 1 + 0.6 * rand(), 2 * i));
  }
  for (let i = 0; i < 10; i++) {
    const x = -3.5 + 7 * rand();
    ws.push(walker(i + 101, [x, 9.5], [x + rand() - 0.5, 2.5], 1 + 0.6 * rand(), 1 + 2 * i));
  }
  return ws;
}

const at = (id: number, p: (t: number) => Vec2 | null, confirmed = true): Walker => ({ id, at: p, confirmed: () => confirmed });

describe('counting lines', () => {
  it('empty: no crossings, zero rates', () => {
    const r = run(analyzer(), [], 5, 10);
    expect(r.lines[0]).toMatchObject<Partial<LineMetrics>>({ inTotal: 0, outTotal: 0, inPerMin: 0, outPerMin: 0, netPerMin: 0, specificFlowPerMPerMin: 0, losFlow: 'A', bottleneck: false });
  });

  it.each<[number]>([[1], [2], [3], [4], [5]])(
    'seed %i: 10 people each way read 10 / 10 with 5 % dropped frames, +-3 px jitter and distractors',
    (seed) => {
      const distractors: Walker[] = [
        walker(900, [0, 3], [0, 9], 1.2, 3, { neverConfirmed: true }), // ghost: never confirmed
        at(901, () => [0.5, 6]), // loiterer on the line
        at(902, (t) => [-1, 6 + 0.2 * Math.sin(3 * t)]), // sways inside the dead band
        walker(903, [6, 3], [6, 9], 1.2, 4), // crosses the infinite line beyond the segment's end
      ];
      const r = run(analyzer(), [...crowd(seed), ...distractors], 45, 10, { seed, dropP: 0.05, jitterPx: 3 });
      expect(r.lines[0].inTotal).toBe(10);
      expect(r.lines[0].outTotal).toBe(10);
    },
  );

  it('reports each counted crossing once, in the frame it is counted, with line, direction and track id', () => {
    const a = analyzer();
    const events: FrameAnalytics['crossings'] = [];
    const walkers = [walker(7, [0, 3], [0, 9], 1.2, 0), walker(8, [1, 9], [1, 3], 1.2, 1)];
    for (let k = 0; k <= 80; k++) {
      const t = k / 10;
      const tracks = walkers.flatMap((w) => {
        const p = w.at(t);
        return p ? [track(w.id, personBox(cam, p[0], p[1]), w.confirmed(t))] : [];
      });
      const r = a.update({ timestampMs: T0 + k * 100, tracks });
      for (const c of r.crossings) expect(c.timestampMs).toBe(T0 + k * 100);
      events.push(...r.crossings);
    }
    expect(events.map((e) => [e.lineId, e.lineName, e.direction, e.trackId])).toEqual([
      ['gate', 'Gate', 'in', 7],
      ['gate', 'Gate', 'out', 8],
    ]);
    expect(a.update({ timestampMs: T0 + 9000, tracks: [] }).crossings).toEqual([]);
  });

  it("inDirection 'right' swaps in and out", () => {
    const r = run(analyzer({ ...LINE, inDirection: 'right' }), [walker(1, [0, 3], [0, 9], 1.2, 0)], 6, 10);
    expect([r.lines[0].inTotal, r.lines[0].outTotal]).toEqual([0, 1]);
  });

  it.each<[string, Walker, number]>([
    ['lost for 3 s while crossing (keeps its side)', walker(1, [0, 3], [0, 9], 1, 0, { gap: [2, 5] }), 1],
    ['lost for 8 s (> TTL 5 s): evicted, side forgotten', walker(1, [0, 3], [0, 9], 0.5, 0, { gap: [2, 10] }), 0],
    ['lost for 4 s (< TTL 5 s) at 0.5 m/s: counted', walker(1, [0, 3], [0, 9], 0.5, 0, { gap: [2, 6] }), 1],
    ['crosses while tentative, confirmed later: counted once', { ...walker(1, [0, 4], [0, 9], 2, 0), confirmed: (t) => t > 2 }, 1],
    ['never confirmed: never counted', walker(1, [0, 3], [0, 9], 1.2, 0, { neverConfirmed: true }), 0],
    [
      'crosses and comes back while tentative: nothing',
      { id: 1, at: (t) => [0, t < 2 ? 4 + 2 * t : 8 - 2 * (t - 2)] as Vec2, confirmed: (t) => t > 4 },
      0,
    ],
    ['crosses back and forth 3 times (confirmed): 3 crossings', at(1, (t) => (t <= 6.5 ? [0, 6 + 2 * Math.sin((Math.PI * t) / 2)] : null)), 3],
  ])('%s', (_n, w, crossings) => {
    const r = run(analyzer(), [w], 13, 10);
    expect(r.lines[0].inTotal + r.lines[0].outTotal).toBe(crossings);
  });

  it('rates over the sliding minute, flow per metre of width and Fruin flow LOS', () => {
    // One person in every 5 s from 5 s to 30 s, then nothing.
    const ws = Array.from({ length: 6 }, (_, i) => walker(i + 1, [0, 5], [0, 7], 2, 5 + 5 * i));
    const a = analyzer();
    let r = run(a, ws, 60, 10);
    let line = r.lines[0];
    expect(line.inTotal).toBe(6);
    expect(line.rateWindowMs).toBe(60000);
    expect(line.inPerMin).toBeCloseTo(6, 9);
    expect(line.netPerMin).toBeCloseTo(6, 9);
    expect(line.specificFlowPerMPerMin).toBeCloseTo(6 / 8, 9);
    expect(line.flowCapacityRatio).toBeCloseTo(6 / 8 / 82, 9);
    expect(line.losFlow).toBe('A');
    // A minute later the window is empty again.
    r = a.update({ timestampMs: T0 + 125000, tracks: [] });
    line = r.lines[0];
    expect(line.inPerMin).toBe(0);
    expect(line.inTotal).toBe(6);
  });

  it.each<[string, boolean, number]>([
    ['inflow only: bottleneck after 30 s of excess', false, 1],
    ['balanced in and out: none', true, 0],
  ])('%s', (_n, balanced, expected) => {
    // A person every 2 s for 120 s: in, or alternately in / out.
    const ws = Array.from({ length: 60 }, (_, i) =>
      balanced && i % 2 === 1 ? walker(i + 1, [0, 7], [0, 5], 2, 2 * i) : walker(i + 1, [0, 5], [0, 7], 2, 2 * i),
    );
    const a = analyzer();
    const flags: boolean[] = [];
    for (let k = 0; k <= 1200; k++) {
      const t = k / 10;
      const tracks = ws.flatMap((w) => {
        const p = w.at(t);
        return p ? [track(w.id, personBox(cam, p[0], p[1]))] : [];
      });
      const r = a.update({ timestampMs: T0 + k * 100, tracks });
      flags.push(r.lines[0].bottleneck);
      if (k === 1200 && expected) {
        expect(r.lines[0].inExceedsOutForMs).toBeGreaterThan(60000);
      }
    }
    expect(flags.some(Boolean)).toBe(expected === 1);
    if (expected) {
      // Never raised before the persistence time has elapsed.
      expect(flags.slice(0, 300).some(Boolean)).toBe(false);
    }
  });

  it('manual calibration: lines count in image space with a pixel dead band', () => {
    const m = calibrateManual({ frame, floorAreaM2: 200 });
    if (!m.ok) throw new Error();
    const line: CountingLine = { id: 'l', name: 'L', a: [200, 500], b: [1700, 500], inDirection: 'left', widthM: 10 };
    const a = new CrowdAnalyzer({ cameraId: 'm', calibration: m.value, lines: [line] });
    let r: FrameAnalytics | null = null;
    for (let k = 0; k <= 40; k++) {
      const y = 800 - 15 * k; // walks up the image: 800 -> 200
      r = a.update({ timestampMs: T0 + k * 100, tracks: [track(1, { x1: 900, y1: y - 150, x2: 960, y2: y })] });
    }
    const out = r as FrameAnalytics;
    expect([out.lines[0].inTotal, out.lines[0].outTotal]).toEqual([1, 0]);
    expect(out.velocity.available).toBe(false);
    expect(out.camera.density).toBeCloseTo(1 / 200, 12);
  });
});
