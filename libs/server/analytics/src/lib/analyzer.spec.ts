import { AnalyticsConfigError, CrowdAnalyzer, type AnalyzerOptions } from './analyzer';
import { calibrateHomography, calibrateManual } from './calibration';
import { decodePng } from './png.spec';
import type { Calibration, CountingLine, FrameAnalytics, TrackInput, Vec2, Zone } from './types';
import { gaussian, groundRect, lattice, personBox, pinholeCamera, prng, SURVEY_POINTS, track } from '../testing/synthetic';

const cam = pinholeCamera();
const frame = { width: cam.width, height: cam.height };
function calibration(): Calibration {
  const r = calibrateHomography({ frame, points: SURVEY_POINTS.map((w) => ({ world: w, image: cam.project(w[0], w[1], 0) })) });
  if (!r.ok) throw new Error('calibration failed');
  return r.value;
}
const cal = calibration();
const T0 = Date.UTC(2024, 0, 1, 9, 0, 0);

function analyzer(zones: Zone[] = [], lines: CountingLine[] = [], options: Partial<AnalyzerOptions> = {}): CrowdAnalyzer {
  return new CrowdAnalyzer({ cameraId: 'cam-1', calibration: cal, zones, lines, options });
}

/** Every number anywhere in the value is finite (typed arrays included). */
function expectAllFinite(value: unknown, path = 'root'): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} = ${value}`);
  } else if (ArrayBuffer.isView(value)) {
    Array.from(value as unknown as ArrayLike<number>).forEach((v, i) => expectAllFinite(v, `${path}[${i}]`));
  } else if (Array.isArray(value)) value.forEach((v, i) => expectAllFinite(v, `${path}[${i}]`));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) expectAllFinite(v, `${path}.${k}`);
}

const ZONE: Zone = { id: 'pit', name: 'Front pit', polygon: groundRect(cam, -4, 2, 4, 10), capacity: 200 };
const LINE: CountingLine = {
  id: 'gate',
  name: 'Gate',
  a: cam.project(-4, 6, 0),
  b: cam.project(4, 6, 0),
  inDirection: 'left',
  widthM: 8,
};

describe('CrowdAnalyzer: empty input', () => {
  it.each<[string, () => CrowdAnalyzer]>([
    ['homography', () => analyzer([ZONE], [LINE])],
    [
      'manual',
      () => {
        const r = calibrateManual({ frame, floorAreaM2: 100 });
        if (!r.ok) throw new Error();
        return new CrowdAnalyzer({ cameraId: 'm', calibration: r.value, zones: [{ ...ZONE, areaM2: 30 }], lines: [LINE] });
      },
    ],
  ])('%s: empty frames read zeros and no NaN anywhere', (_n, make) => {
    const a = make();
    let r: FrameAnalytics | null = null;
    for (let k = 0; k < 60; k++) {
      r = a.update({ timestampMs: T0 + k * 100, tracks: [] });
      expectAllFinite(r);
    }
    const out = r as FrameAnalytics;
    expect(out.tracks).toEqual({ total: 0, confirmed: 0, unconfirmed: 0 });
    expect(out.camera).toMatchObject({ count: 0, density: 0, areaPerPersonM2: null, losWalkway: 'A', losQueue: 'A', stillBand: 'SAFE', stagnant: false });
    expect(out.camera.surge).toEqual({ ratePerM2PerS: 0, level: 'none', ready: true });
    expect(out.zones[0]).toMatchObject({ count: 0, density: 0, utilisation: 0 });
    expect(out.velocity).toMatchObject({ samples: 0, meanMps: 0, medianMps: 0, stdMps: 0, maxMps: 0, stagnant: false });
    expect(out.direction).toMatchObject({ movingCount: 0, dominantHeadingDeg: null, counterFlowIndex: 0, chaoticIndex: 0 });
    expect(out.lines[0]).toMatchObject({ inTotal: 0, outTotal: 0, inPerMin: 0, outPerMin: 0, netPerMin: 0, bottleneck: false });
    expect(out.pressure).toMatchObject({ maxPressure: 0, maxAt: null, maxLocalDensity: 0, critical: false });
    expect(out.perTrack).toEqual([]);
    expectAllFinite(a.heatmap());
    expectAllFinite(a.busyHours());
  });

  it('ignores malformed tracks and duplicate ids', () => {
    const a = analyzer([ZONE]);
    const good = track(1, personBox(cam, 0, 5));
    const r = a.update({
      timestampMs: T0,
      tracks: [good, { ...good }, track(2, { x1: NaN, y1: 0, x2: 1, y2: 1 }), null as unknown as TrackInput],
    });
    expect(r.tracks.total).toBe(1);
    expectAllFinite(r);
  });
});

describe('CrowdAnalyzer: speed', () => {
  it.each<[string, number, number]>([
    // heading (degrees from +X), frames per second
    ['across the view at 25 fps', 0, 25],
    ['away from the camera at 25 fps', 90, 25],
    ['diagonally towards the camera at 10 fps', 225, 10],
    ['at 30 fps', 135, 30],
  ])('a person walking 1.4 m/s %s reads 1.4 +- 0.05 on every frame after the window', (_n, headingDeg, fps) => {
    const a = analyzer();
    const h = (headingDeg * Math.PI) / 180;
    const [vx, vy] = [1.4 * Math.cos(h), 1.4 * Math.sin(h)];
    const start: Vec2 = [-3 * Math.cos(h), 6 - 3 * Math.sin(h)];
    const dt = 1000 / fps;
    let checked = 0;
    for (let k = 0; k * dt <= 4000; k++) {
      const t = k * dt;
      const r = a.update({ timestampMs: T0 + t, tracks: [track(7, personBox(cam, start[0] + (vx * t) / 1000, start[1] + (vy * t) / 1000))] });
      if (t >= 1000) {
        expect(r.perTrack[0].speedMps).toBeGreaterThan(1.35);
        expect(r.perTrack[0].speedMps).toBeLessThan(1.45);
        expect(Math.abs(((r.perTrack[0].headingDeg - headingDeg + 540) % 360) - 180)).toBeLessThan(1);
        expect(r.velocity.meanMps).toBeCloseTo(r.perTrack[0].speedMps, 12);
        expect(r.velocity.stagnant).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('20 people at 1.4 m/s with +-3 px jitter: crowd mean 1.4 +- 0.05 on every frame, median per-track error < 0.05', () => {
    const a = analyzer();
    const rand = prng(42);
    const walkers = Array.from({ length: 20 }, (_, i) => ({ x: -4 + 0.4 * i, y: 2 + 3 * rand(), dir: rand() * 2 * Math.PI }));
    const errors: number[] = [];
    for (let k = 0; k <= 75; k++) {
      const t = k * 40;
      const tracks = walkers.map((w, i) => {
        const x = w.x + 1.4 * Math.cos(w.dir) * (t / 1000);
        const y = w.y + 1.4 * Math.sin(w.dir) * (t / 1000);
        return track(i + 1, personBox(cam, x, y, [6 * rand() - 3, 6 * rand() - 3]));
      });
      const r = a.update({ timestampMs: T0 + t, tracks });
      if (t >= 1000) {
        expect(Math.abs(r.velocity.meanMps - 1.4)).toBeLessThan(0.05);
        for (const p of r.perTrack) errors.push(Math.abs(p.speedMps - 1.4));
      }
    }
    errors.sort((p, q) => p - q);
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThan(0.05);
  });

  it('standing people are stagnant and the speed statistics are exact for known speeds', () => {
    const a = analyzer();
    const speeds = [0, 0.1, 0.1, 0.15];
    let r: FrameAnalytics | null = null;
    for (let k = 0; k <= 30; k++) {
      const t = k * 100;
      r = a.update({ timestampMs: T0 + t, tracks: speeds.map((s, i) => track(i, personBox(cam, -2 + i, 4 + (s * t) / 1000))) });
    }
    const v = (r as FrameAnalytics).velocity;
    expect(v.samples).toBe(4);
    expect(v.meanMps).toBeCloseTo(0.0875, 9);
    expect(v.medianMps).toBeCloseTo(0.1, 9);
    expect(v.stdMps).toBeCloseTo(Math.sqrt((0.0875 ** 2 + 2 * 0.0125 ** 2 + 0.0625 ** 2) / 4), 9);
    expect(v.stagnant).toBe(true);
    expect((r as FrameAnalytics).camera.crowdState).toBe('standing');
  });
});

describe('CrowdAnalyzer: density', () => {
  it.each<[number, number]>([
    // people per side of an 8 m x 8 m zone, density (people/m²)
    [8, 1],
    [12, 2.25],
    [16, 4],
    [20, 6.25],
  ])('a uniform crowd of %i x %i people in 64 m² reads %f people/m² within 2 % (zone and local grid)', (side, density) => {
    const a = analyzer([{ id: 'z', name: 'Z', polygon: groundRect(cam, -4, 2, 4, 10) }]);
    const pos = lattice(side * side, 8 / side, 0, 6);
    const r = a.update({ timestampMs: T0, tracks: pos.map(([x, y], i) => track(i, personBox(cam, x, y))) });
    const z = r.zones[0];
    expect(z.areaM2).toBeCloseTo(64, 6);
    expect(Math.abs(z.density - density) / density).toBeLessThan(0.02);
    // Local (kernel) density at the zone's centre.
    const g = r.grid;
    if (!g) throw new Error('no grid');
    const i = Math.floor((0 - g.originX) / g.cell);
    const j = Math.floor((6 - g.originY) / g.cell);
    expect(Math.abs(g.density[j * g.cols + i] - density) / density).toBeLessThan(0.02);
    expect(Math.abs(r.pressure.maxLocalDensity - density) / density).toBeLessThan(0.05);
    // Rigid (standing) crowd: no pressure.
    expect(r.pressure.maxPressure).toBe(0);
  });

  it.each<[string, number, number, string, string, string]>([
    // name, spacing, speed, crowd state, Still band, queue LOS
    ['standing 5.4 p/m²', 6 / 14, 0, 'standing', 'CRITICAL', 'F'],
    ['standing 4.7 p/m²', 6 / 13, 0, 'standing', 'WARNING', 'E'],
    ['moving 4.7 p/m²', 6 / 13, 0.5, 'moving', 'CRITICAL', 'E'],
  ])('%s: state, Still band, Fruin LOS and capacity utilisation', (_n, spacing, speed, state, band, los) => {
    const zone: Zone = { id: 'z', name: 'Z', polygon: groundRect(cam, -3, 3, 3, 9), capacity: 100 };
    const a = analyzer([zone], [], { movingSpeedMps: 0.3 });
    // Lattice aligned with the zone's cells: an odd side when 6 m holds an odd number of people.
    const side = 20 + (Math.round(6 / spacing) % 2);
    const pos = lattice(side * side, spacing, 0, 6);
    let r: FrameAnalytics | null = null;
    for (let k = 0; k <= 15; k++) {
      const t = k * 100;
      r = a.update({ timestampMs: T0 + t, tracks: pos.map(([x, y], i) => track(i, personBox(cam, x + (speed * t) / 1000, y))) });
    }
    const z = (r as FrameAnalytics).zones[0];
    expect(Math.abs(z.density * spacing * spacing - 1)).toBeLessThan(speed > 0 ? 0.1 : 1e-9);
    expect(z.crowdState).toBe(state);
    expect(z.stillBand).toBe(band);
    expect(z.losQueue).toBe(los);
    expect(z.losWalkway).toBe('F');
    expect(z.utilisation).toBeCloseTo(z.count / 100, 12);
  });

  it.each<[number, string]>([
    // density rise (p/m²/s), level
    [0, 'none'],
    [0.3, 'none'],
    [0.6, 'warning'],
    [1.0, 'critical'],
  ])('surge: density rising %f p/m²/s over 5 s reads that rate and level %s', (rate, level) => {
    const zone: Zone = { id: 'z', name: 'Z', polygon: groundRect(cam, -3, 3, 3, 7) }; // 24 m²
    const a = analyzer([zone]);
    const spots = lattice(200, 0.3, 0, 5);
    let r: FrameAnalytics | null = null;
    for (let k = 0; k <= 60; k++) {
      const t = k * 100;
      const n = 20 + Math.round(rate * 24 * (t / 1000));
      r = a.update({ timestampMs: T0 + t, tracks: spots.slice(0, n).map(([x, y], i) => track(i, personBox(cam, x, y))) });
    }
    const s = (r as FrameAnalytics).zones[0].surge;
    expect(s.ready).toBe(true);
    expect(Math.abs(s.ratePerM2PerS - rate)).toBeLessThan(0.02);
    expect(s.level).toBe(level);
  });

  it('unconfirmed tracks do not count unless configured', () => {
    const tracks = [track(1, personBox(cam, 0, 5)), track(2, personBox(cam, 1, 5), false)];
    expect(analyzer([ZONE]).update({ timestampMs: T0, tracks }).zones[0].count).toBe(1);
    expect(analyzer([ZONE], [], { countUnconfirmed: true }).update({ timestampMs: T0, tracks }).zones[0].count).toBe(2);
  });
});

describe('CrowdAnalyzer: direction and pressure', () => {
  it('70 / 30 opposed groups: counter-flow index 0.3, dominant heading of the majority', () => {
    const a = analyzer();
    const rand = prng(5);
    const people = Array.from({ length: 100 }, (_, i) => ({ x: -4 + 8 * rand(), y: 3 + 6 * rand(), vy: i < 70 ? 1.2 : -1.2 }));
    let r: FrameAnalytics | null = null;
    for (let k = 0; k <= 20; k++) {
      const t = k * 100;
      r = a.update({ timestampMs: T0 + t, tracks: people.map((p, i) => track(i, personBox(cam, p.x, p.y + (p.vy * t) / 1000))) });
    }
    const d = (r as FrameAnalytics).direction;
    expect(d.movingCount).toBe(100);
    expect(d.counterFlowIndex).toBeCloseTo(0.3, 9);
    expect(Math.abs((d.dominantHeadingDeg ?? 0) - 90)).toBeLessThan(1);
    expect(d.chaoticIndex).toBeCloseTo(0.6, 3);
    expect(d.histogram[4]).toBe(70); // 16 bins: bin 4 is centred on 90 degrees
    expect(d.histogram[12]).toBe(30);
    // Opposed streams mixed together: velocity variance, so pressure > 0 where they mix.
    expect((r as FrameAnalytics).pressure.maxPressure).toBeGreaterThan(0);
  });

  it('rigid motion of a dense crowd: pressure 0; turbulent motion: pressure = rho * Var(v) > critical', () => {
    const pos = lattice(400, 0.5, 0, 6);
    const rigid = analyzer();
    const turbulent = analyzer();
    const rand = prng(9);
    const kicks = pos.map(() => [gaussian(rand), gaussian(rand)]);
    let rr: FrameAnalytics | null = null;
    let rt: FrameAnalytics | null = null;
    for (let k = 0; k <= 15; k++) {
      const t = k / 10;
      rr = rigid.update({ timestampMs: T0 + k * 100, tracks: pos.map(([x, y], i) => track(i, personBox(cam, x + 0.8 * t, y + 0.3 * t))) });
      rt = turbulent.update({
        timestampMs: T0 + k * 100,
        tracks: pos.map(([x, y], i) => track(i, personBox(cam, x + 0.3 * kicks[i][0] * t, y + 0.3 * kicks[i][1] * t))),
      });
    }
    expect((rr as FrameAnalytics).pressure.maxPressure).toBeLessThan(1e-9);
    expect((rr as FrameAnalytics).pressure.critical).toBe(false);
    // Var(v) ~ 2 * 0.3² = 0.18 m²/s², rho ~ 4 -> P ~ 0.7 /s².
    const p = (rt as FrameAnalytics).pressure;
    expect(p.maxPressure).toBeGreaterThan(0.3);
    expect(p.critical).toBe(true);
    expect(p.maxAt).not.toBeNull();
  });
});

describe('CrowdAnalyzer: bounded state', () => {
  it('stays bounded after 100k distinct track ids', () => {
    const a = analyzer([ZONE], [LINE], { maxTracks: 1000, trackTtlMs: 2000 });
    const rand = prng(13);
    let maxSeen = 0;
    for (let f = 0; f < 1000; f++) {
      const tracks: TrackInput[] = [];
      for (let k = 0; k < 100; k++) tracks.push(track(f * 100 + k, personBox(cam, -4 + 8 * rand(), 2 + 8 * rand())));
      a.update({ timestampMs: T0 + f * 100, tracks });
      maxSeen = Math.max(maxSeen, a.stateSize().tracks);
    }
    const s = a.stateSize();
    expect(maxSeen).toBeLessThanOrEqual(1000);
    expect(s.tracks).toBeLessThanOrEqual(1000);
    expect(s.pooledTracks).toBeLessThanOrEqual(1000);
    expect(s.evictedTracks).toBeGreaterThanOrEqual(99000);
    expect(s.busyHourBuckets).toBe(168);
    // TTL: after 2 s without tracks everything is gone.
    a.update({ timestampMs: T0 + 1000 * 100 + 2100, tracks: [] });
    expect(a.stateSize().tracks).toBe(0);
  });

  it('a single frame with more tracks than maxTracks keeps at most maxTracks', () => {
    const a = analyzer([], [LINE], { maxTracks: 50 });
    const tracks = Array.from({ length: 500 }, (_, i) => track(i, personBox(cam, -4 + (i % 25) * 0.3, 3 + Math.floor(i / 25) * 0.3)));
    const r = a.update({ timestampMs: T0, tracks });
    expect(r.camera.count).toBe(500);
    expect(a.stateSize().tracks).toBe(50);
  });
});

describe('CrowdAnalyzer: time order, config errors, heatmap', () => {
  it('flags frames that are not after the previous one and leaves temporal state alone', () => {
    const a = analyzer([], [LINE]);
    a.update({ timestampMs: T0 + 1000, tracks: [track(1, personBox(cam, 0, 3))] });
    const late = a.update({ timestampMs: T0 + 500, tracks: [track(1, personBox(cam, 0, 9))] });
    expect(late.outOfOrder).toBe(true);
    expect(late.lines[0].inTotal).toBe(0);
    const next = a.update({ timestampMs: T0 + 1100, tracks: [track(1, personBox(cam, 0, 3.1))] });
    expect(next.outOfOrder).toBe(false);
    expect(next.lines[0].inTotal).toBe(0);
    expect(a.update({ timestampMs: NaN, tracks: [] }).outOfOrder).toBe(true);
  });

  it.each<[string, Partial<ConstructorParameters<typeof CrowdAnalyzer>[0]>, string]>([
    ['self-intersecting zone', { zones: [{ id: 'z', name: 'Z', polygon: [[100, 100], [500, 500], [500, 100], [100, 500]] }] }, 'self-intersecting-polygon'],
    ['zero-length line', { lines: [{ ...LINE, b: LINE.a }] }, 'zero-length'],
    ['line outside the frame', { lines: [{ ...LINE, b: [5000, 10] }] }, 'outside-frame'],
    ['bad option', { options: { velocityWindowMs: -1 } }, 'invalid-option'],
    ['bad camera capacity', { capacity: 0 }, 'invalid-capacity'],
    ['bad time zone', { options: { timeZone: 'Mars/Olympus' } }, 'invalid-option'],
    ['bad bins', { options: { directionBins: 12 as 8 } }, 'invalid-option'],
  ])('rejects %s with a clear message', (_n, patch, code) => {
    let error: unknown;
    try {
      new CrowdAnalyzer({ cameraId: 'c', calibration: cal, ...patch });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AnalyticsConfigError);
    expect((error as AnalyticsConfigError).issues.map((i) => i.code)).toContain(code);
    expect((error as AnalyticsConfigError).message).toMatch(/Invalid analytics configuration/);
  });

  it('heatmap: live decay, PNG export (ground and camera overlay), busy hours', () => {
    const a = analyzer([], [], { heatmapHalfLifeMs: 1000, gridCellM: 1 });
    for (let k = 0; k <= 100; k++) a.update({ timestampMs: T0 + k * 100, tracks: [track(1, personBox(cam, 0.5, 5.5))] });
    const h = a.heatmap();
    const g = h.grid;
    const c = Math.floor((5.5 - g.originY) / g.cell) * g.cols + Math.floor((0.5 - g.originX) / g.cell);
    // After 10 half-lives at 1 person per cell of g.cell² m²: 1 / cell² * (1 - 2^-10).
    expect(h.live[c]).toBeCloseTo((1 / (g.cell * g.cell)) * (1 - 2 ** -10), 4);
    expect(h.totalPersonSeconds[c]).toBeCloseTo(10, 4);
    const png = decodePng(a.heatmapPng({ scale: 2, zeroAlpha: 0 }));
    expect([png.width, png.height]).toEqual([g.cols * 2, g.rows * 2]);
    // The hot cell is red and opaque (+Y up: row = rows - 1 - j).
    const j = Math.floor((5.5 - g.originY) / g.cell);
    const i = Math.floor((0.5 - g.originX) / g.cell);
    const o = (((g.rows - 1 - j) * 2) * png.width + i * 2) * 4;
    expect(Array.from(png.rgba.subarray(o, o + 4))).toEqual([255, 0, 0, 255]);
    const overlay = a.heatmapOverlayPng(192, 108);
    expect(overlay && decodePng(overlay).width).toBe(192);
    const busy = a.busyHours();
    expect(busy.buckets[9].observedSeconds).toBeCloseTo(10, 9);
    expect(busy.buckets[9].personSeconds).toBeCloseTo(10, 9);
    expect(busy.buckets[9].peakCount).toBe(1);
  });
});
