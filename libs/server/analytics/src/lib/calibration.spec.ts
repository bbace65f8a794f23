import {
  calibrateFromMatrix,
  calibrateHomography,
  calibrateManual,
  calibrateScale,
  groundToImage,
  imageToGround,
  validateCountingLine,
  validateLayout,
  validateZone,
  zoneArea,
} from './calibration';
import { polygonArea } from './geometry';
import { inv3 } from './linalg';
import type { Calibration, CalibrationPoint, CountingLine, Validated, Vec2, Zone } from './types';
import { gaussian, pinholeCamera, prng } from '../testing/synthetic';

const cam = pinholeCamera();
const frame = { width: cam.width, height: cam.height };
const pts = (world: Vec2[]): CalibrationPoint[] => world.map((w) => ({ world: w, image: cam.project(w[0], w[1], 0) }));
const SIX: Vec2[] = [[-4, 1], [4, 1], [5, 12], [-5, 12], [0, 6], [2, 3]];

function ok(r: Validated<Calibration>): Calibration {
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.value;
}
const codes = (r: { issues: { code: string; severity: string }[] }) =>
  r.issues.filter((i) => i.severity === 'error').map((i) => i.code);

describe('calibrateHomography', () => {
  it('fits exact points: zero error, whole frame as floor, exact ground area', () => {
    const cal = ok(calibrateHomography({ frame, points: pts(SIX) }));
    expect(cal.kind).toBe('homography');
    expect(cal.approximate).toBe(false);
    expect(cal.pointCount).toBe(6);
    expect(cal.rmsErrorPx).toBeLessThan(1e-6);
    expect(cal.rmsErrorM).toBeLessThan(1e-8);
    expect(cal.floorPolygon).toHaveLength(4);
    // Ground area of the frame via the true camera.
    const h = inv3(cam.groundToImage) as number[];
    const corners = cal.floorPolygon.map(([x, y]) => {
      const w = h[6] * x + h[7] * y + h[8];
      return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w] as Vec2;
    });
    expect(cal.floorAreaM2).toBeCloseTo(polygonArea(corners), 6);
    const g = imageToGround(cal, ...cam.project(1.5, 7.25, 0));
    expect(g?.[0]).toBeCloseTo(1.5, 8);
    expect(g?.[1]).toBeCloseTo(7.25, 8);
    const back = groundToImage(cal, 1.5, 7.25) as Vec2;
    const truth = cam.project(1.5, 7.25, 0);
    expect(Math.hypot(back[0] - truth[0], back[1] - truth[1])).toBeLessThan(1e-6);
  });

  it('reports the reprojection error of noisy points in px and m', () => {
    const rand = prng(3);
    const world: Vec2[] = [];
    for (let i = 0; i < 20; i++) world.push([-5 + 10 * rand(), 1 + 12 * rand()]);
    const points = world.map((w) => {
      const [u, v] = cam.project(w[0], w[1], 0);
      return { world: w, image: [u + gaussian(rand), v + gaussian(rand)] as Vec2 };
    });
    const cal = ok(calibrateHomography({ frame, points }));
    // 1 px (per axis) noise: RMS residual ~ sqrt(2 * (n - 4) / n) px.
    expect(cal.rmsErrorPx).toBeGreaterThan(0.8);
    expect(cal.rmsErrorPx).toBeLessThan(2);
    expect(cal.rmsErrorM).toBeGreaterThan(0.005);
    expect(cal.rmsErrorM).toBeLessThan(0.05);
    expect(cal.maxErrorPx).toBeGreaterThanOrEqual(cal.rmsErrorPx);
  });

  it('warns that 4 points carry no redundancy', () => {
    const r = calibrateHomography({ frame, points: pts(SIX.slice(0, 4)) });
    expect(r.ok).toBe(true);
    expect(r.issues.map((i) => i.code)).toContain('no-redundancy');
  });

  const square: Vec2[] = [[100, 100], [1000, 100], [1000, 900], [100, 900]];
  const worldSq: Vec2[] = [[0, 0], [10, 0], [10, 8], [0, 8]];
  it.each<[string, CalibrationPoint[], string]>([
    ['no points', [], 'too-few-points'],
    ['3 points', pts(SIX.slice(0, 3)), 'too-few-points'],
    ['point outside the frame', [...pts(SIX.slice(0, 4)), { image: [2000, 10], world: [0, 0] }], 'outside-frame'],
    ['non-finite point', [...pts(SIX.slice(0, 4)), { image: [NaN, 10], world: [0, 0] }], 'invalid-point'],
    ['duplicate image point', [...pts(SIX.slice(0, 4)), { image: cam.project(-4, 1, 0), world: [9, 9] }], 'duplicate-point'],
    ['all collinear', pts([[0, 1], [0, 3], [0, 5], [0, 7], [0, 9]]), 'collinear-points'],
    ['3 of 4 collinear', pts([[0, 1], [2, 3], [4, 5], [-3, 9]]), 'collinear-points'],
    ['4 of 5 collinear', pts([[0, 1], [1, 3], [2, 5], [3, 7], [-3, 9]]), 'degenerate-points'],
    [
      'swapped correspondences',
      square.map((image, i) => ({ image, world: worldSq[[0, 1, 3, 2][i]] })),
      'inconsistent-points',
    ],
  ])('rejects %s', (_name, points, code) => {
    const r = calibrateHomography({ frame, points });
    expect(r.ok).toBe(false);
    expect(codes(r)).toContain(code);
    for (const i of r.issues) expect(i.message.length).toBeGreaterThan(10);
  });

  it('defaults the floor to the hull of the points when the horizon is in view', () => {
    const tilted = pinholeCamera({ tiltDeg: 15 });
    const world: Vec2[] = [[-4, 10], [4, 10], [5, 30], [-5, 30], [0, 20], [1, 15]];
    const r = calibrateHomography({ frame, points: world.map((w) => ({ world: w, image: tilted.project(w[0], w[1], 0) })) });
    expect(r.ok).toBe(true);
    expect(r.issues.map((i) => i.code)).toContain('default-floor');
    expect(ok(r).floorPolygon.length).toBeGreaterThanOrEqual(4);
  });
});

describe('calibrateFromMatrix', () => {
  it('accepts a good matrix and rejects near-singular ones', () => {
    const h = inv3(cam.groundToImage) as number[];
    expect(calibrateFromMatrix({ frame, imageToGround: h }).ok).toBe(true);
    const squashed = calibrateFromMatrix({ frame, imageToGround: [1, 0, 0, 1, 1e-9, 0, 0, 0, 1] });
    expect(codes(squashed)).toEqual(['near-singular-homography']);
    expect(codes(calibrateFromMatrix({ frame, imageToGround: [1, 2, 3] }))).toEqual(['invalid-matrix']);
    expect(codes(calibrateFromMatrix({ frame, imageToGround: [0, 0, 0, 0, 0, 0, 0, 0, 0] }))).toEqual(['near-singular-homography']);
  });

  it('requires a floor polygon when the horizon is in view', () => {
    const tilted = pinholeCamera({ tiltDeg: 15 });
    const h = inv3(tilted.groundToImage) as number[];
    expect(codes(calibrateFromMatrix({ frame, imageToGround: h }))).toEqual(['floor-required']);
    const r = calibrateFromMatrix({ frame, imageToGround: h, floorPolygon: [[0, 500], [1920, 500], [1920, 1080], [0, 1080]] });
    expect(r.ok).toBe(true);
  });
});

describe('calibrateScale and calibrateManual', () => {
  it('flat scale from 2 points and a distance, flagged approximate', () => {
    const cal = ok(calibrateScale({ frame, a: [100, 100], b: [300, 100], distanceM: 4 }));
    expect(cal.approximate).toBe(true);
    expect(cal.kind).toBe('scale');
    expect(cal.floorAreaM2).toBeCloseTo(1920 * 1080 * 0.02 * 0.02, 9);
    const zone: Zone = { id: 'z', name: 'z', polygon: [[0, 0], [100, 0], [100, 100], [0, 100]] };
    expect(zoneArea(cal, zone)).toEqual({ areaM2: expect.closeTo(4, 12), source: 'scale' });
    // x right, y up.
    const g = imageToGround(cal, 150, 100) as Vec2;
    expect(g[0]).toBeCloseTo(3, 12);
    expect(g[1]).toBeCloseTo(-2, 12);
  });

  it.each<[string, Parameters<typeof calibrateScale>[0], string]>([
    ['zero length', { frame, a: [100, 100], b: [100, 100], distanceM: 2 }, 'zero-length'],
    ['outside the frame', { frame, a: [100, 100], b: [3000, 100], distanceM: 2 }, 'outside-frame'],
    ['zero distance', { frame, a: [100, 100], b: [200, 100], distanceM: 0 }, 'invalid-distance'],
    ['bad frame', { frame: { width: 0, height: 10 }, a: [1, 1], b: [2, 2], distanceM: 1 }, 'invalid-frame'],
  ])('scale rejects %s', (_n, input, code) => {
    expect(codes(calibrateScale(input))).toEqual([code]);
  });

  it('manual area', () => {
    expect(ok(calibrateManual({ frame, floorAreaM2: 250 })).floorAreaM2).toBe(250);
    expect(codes(calibrateManual({ frame, floorAreaM2: -1 }))).toEqual(['zero-area']);
    expect(codes(calibrateManual({ frame, floorAreaM2: 10, floorPolygon: [[0, 0], [10, 10], [10, 0], [0, 10]] }))).toEqual([
      'self-intersecting-polygon',
    ]);
  });
});

describe('zones and lines', () => {
  const cal = ok(calibrateHomography({ frame, points: pts(SIX) }));
  const groundRect = (x0: number, y0: number, x1: number, y1: number): Vec2[] =>
    ([[x0, y0], [x1, y0], [x1, y1], [x0, y1]] as Vec2[]).map(([x, y]) => cam.project(x, y, 0));

  it('zone area in m² through the homography is exact', () => {
    const zone: Zone = { id: 'z', name: 'Z', polygon: groundRect(-2, 3, 2, 6) };
    expect(validateZone(cal, zone)).toEqual([]);
    expect(zoneArea(cal, zone).areaM2).toBeCloseTo(12, 8);
    expect(zoneArea(cal, { ...zone, areaM2: 20 })).toEqual({ areaM2: 20, source: 'manual' });
  });

  it.each<[string, Partial<Zone>, string]>([
    ['too few vertices', { polygon: [[0, 0], [10, 10]] }, 'too-few-vertices'],
    ['self-intersecting', { polygon: [[100, 100], [500, 500], [500, 100], [100, 500]] }, 'self-intersecting-polygon'],
    ['zero area', { polygon: [[100, 100], [200, 200], [300, 300]] }, 'zero-area'],
    ['outside the frame', { polygon: [[100, 100], [2500, 100], [100, 500]] }, 'outside-frame'],
    ['bad capacity', { capacity: -5 }, 'invalid-capacity'],
    ['bad manual area', { areaM2: 0 }, 'zero-area'],
    ['empty id', { id: '' }, 'invalid-id'],
  ])('zone: rejects %s', (_n, patch, code) => {
    const zone: Zone = { id: 'z', name: 'Z', polygon: groundRect(-2, 3, 2, 6), ...patch };
    expect(validateZone(cal, zone).filter((i) => i.severity === 'error').map((i) => i.code)).toEqual([code]);
  });

  it('zone beyond the horizon is rejected', () => {
    const tilted = pinholeCamera({ tiltDeg: 15 });
    const world: Vec2[] = [[-4, 10], [4, 10], [5, 30], [-5, 30], [0, 20], [1, 15]];
    const tcal = ok(calibrateHomography({ frame, points: world.map((w) => ({ world: w, image: tilted.project(w[0], w[1], 0) })) }));
    const zone: Zone = { id: 'sky', name: 'Sky', polygon: [[100, 10], [800, 10], [800, 600], [100, 600]] };
    expect(validateZone(tcal, zone).map((i) => i.code)).toContain('beyond-horizon');
  });

  const line: CountingLine = { id: 'l', name: 'L', a: [400, 500], b: [1400, 500], inDirection: 'left', widthM: 5 };
  it.each<[string, Partial<CountingLine>, string]>([
    ['zero length', { b: [400, 500] }, 'zero-length'],
    ['outside the frame', { b: [1400, 1200] }, 'outside-frame'],
    ['zero width', { widthM: 0 }, 'invalid-width'],
    ['bad direction', { inDirection: 'up' as never }, 'invalid-direction'],
    ['non-finite endpoint', { a: [NaN, 1] }, 'invalid-point'],
  ])('line: rejects %s', (_n, patch, code) => {
    expect(validateCountingLine(cal, { ...line, ...patch }).map((i) => i.code)).toEqual([code]);
  });

  it('layout: duplicate ids', () => {
    expect(validateCountingLine(cal, line)).toEqual([]);
    const z: Zone = { id: 'z', name: 'Z', polygon: groundRect(-2, 3, 2, 6) };
    expect(validateLayout(cal, [z, z], [line, line]).map((i) => i.code)).toEqual(['duplicate-id', 'duplicate-id']);
  });
});
