import { applyHomography } from '../homography';
import { inv3 } from '../linalg';
import type { Vec2 } from '../types';
import { pinholeCamera } from '../../testing/synthetic';
import { calibrateFromMarkers, markerWorldCorners, type MarkerLayout } from './calibrate';
import { ARUCO_DICTIONARIES, detectMarkers, dictionarySize, markerBits, type ArucoDictionaryName, type MarkerDetection } from './detect';
import { renderScene, trueImageCorners, type SceneMarker } from './render.test-util';

// 640 x 480 camera, f = 600 px, 4 m high, tilted 45 degrees down, at (0, -4) looking towards +Y: the frame sees the
// floor from y = -2.3 m (bottom edge, 4.3 m wide) to y = 5.3 m (top edge, 10 m wide), 54.74 m² in all.
const cam = pinholeCamera({ width: 640, height: 480, focalPx: 600, heightM: 4, tiltDeg: 45, y: -4 });
const frame = { width: cam.width, height: cam.height };
const truthImageToGround = inv3(cam.groundToImage) as number[];
const DICT: ArucoDictionaryName = 'ARUCO_4X4_1000';

function scene(markers: readonly SceneMarker[], extra: { noise?: number; channels?: 1 | 3 | 4; dictionary?: ArucoDictionaryName } = {}) {
  return renderScene({
    width: cam.width,
    height: cam.height,
    groundToImage: cam.groundToImage,
    dictionary: extra.dictionary ?? DICT,
    markers,
    noise: extra.noise,
    channels: extra.channels,
    seed: 7,
  });
}

const dist = (a: Vec2, b: Vec2): number => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Max ground error (m) of a fitted image -> ground homography against the truth, over image points. */
function groundError(h: readonly number[], pts: readonly Vec2[]): number {
  let max = 0;
  for (const [x, y] of pts) {
    const a = applyHomography(h, x, y);
    const b = applyHomography(truthImageToGround, x, y);
    max = Math.max(max, a && b ? dist(a, b) : Infinity);
  }
  return max;
}

/** An 11 x 11 grid over the whole frame (all of it is floor for this camera). */
const FRAME_GRID: Vec2[] = [];
for (let j = 0; j <= 10; j++) for (let i = 0; i <= 10; i++) FRAME_GRID.push([(i * cam.width) / 10, (j * cam.height) / 10]);

const layoutOf = (ms: readonly SceneMarker[]): MarkerLayout =>
  Object.fromEntries(ms.map((m) => [m.id, { sizeM: m.sizeM, center: m.center, rotationDeg: m.rotationDeg }]));

describe('detectMarkers', () => {
  // Corner tolerance 0.35 px (0.6 px for the ~4 px cells of the small marker): the renderer's 3 x 3 supersampling
  // alone quantises axis-aligned edges to 1/3 px.
  const cases: { name: string; markers: SceneMarker[]; noise?: number; dictionary?: ArucoDictionaryName; tolPx?: number }[] = [
    { name: 'empty floor: no markers', markers: [] },
    { name: 'one upright marker', markers: [{ id: 7, sizeM: 0.5, center: [0.3, 0.5] }] },
    { name: 'rotated 90 degrees', markers: [{ id: 7, sizeM: 0.5, center: [0.3, 0.5], rotationDeg: 90 }] },
    { name: 'rotated 180 degrees', markers: [{ id: 7, sizeM: 0.5, center: [0.3, 0.5], rotationDeg: 180 }] },
    { name: 'rotated 270 degrees', markers: [{ id: 7, sizeM: 0.5, center: [0.3, 0.5], rotationDeg: 270 }] },
    { name: 'rotated 33 degrees, noisy', markers: [{ id: 7, sizeM: 0.5, center: [0.3, 0.5], rotationDeg: 33 }], noise: 4 },
    {
      name: 'three markers, high ids',
      markers: [
        { id: 999, sizeM: 0.5, center: [-1.5, 0] },
        { id: 250, sizeM: 0.4, center: [1.5, 1], rotationDeg: -20 },
        { id: 0, sizeM: 0.6, center: [0, 3.5], rotationDeg: 135 },
      ],
    },
    { name: 'small marker (~25 px, 1-cell quiet zone)', markers: [{ id: 42, sizeM: 0.25, center: [0, 0] }], tolPx: 0.6 },
    { name: 'DICT_6X6 marker', markers: [{ id: 123, sizeM: 0.6, center: [0, 1] }], dictionary: 'ARUCO_6X6_1000' },
    { name: 'AprilTag 36h11 marker', markers: [{ id: 5, sizeM: 0.6, center: [0, 1], rotationDeg: 60 }], dictionary: 'APRILTAG_36h11' },
  ];

  it.each(cases)('$name', ({ markers, noise, dictionary, tolPx }) => {
    const img = scene(markers, { noise, dictionary });
    const dets = detectMarkers(img, { dictionary: dictionary ?? DICT });
    expect(dets.map((d) => d.id).sort((a, b) => a - b)).toEqual(markers.map((m) => m.id).sort((a, b) => a - b));
    for (const m of markers) {
      const d = dets.find((x) => x.id === m.id) as MarkerDetection;
      const truth = trueImageCorners({ groundToImage: cam.groundToImage }, m);
      // Dictionary corner order (top-left, top-right, bottom-right, bottom-left as printed), sub-pixel after refinement.
      expect(d.refined).toBe(true);
      d.corners.forEach((c, k) => expect(dist(c, truth[k])).toBeLessThan(tolPx ?? 0.35));
    }
  });

  it('raw js-aruco2 corners (no refinement) are within ~1.5 px and in the same order', () => {
    const m: SceneMarker = { id: 7, sizeM: 0.5, center: [0.3, 0.5], rotationDeg: 33 };
    const [d] = detectMarkers(scene([m]), { dictionary: DICT, refineCorners: false });
    const truth = trueImageCorners({ groundToImage: cam.groundToImage }, m);
    expect(d.refined).toBe(false);
    d.corners.forEach((c, k) => expect(dist(c, truth[k])).toBeLessThan(1.5));
  });

  it.each([1, 3, 4] as const)('accepts %i-channel images with the same result', (channels) => {
    const m: SceneMarker = { id: 11, sizeM: 0.5, center: [0, 1], rotationDeg: 10 };
    const ref = detectMarkers(scene([m], { channels: 3 }), { dictionary: DICT });
    const img = scene([m], { channels });
    expect(detectMarkers({ width: img.width, height: img.height, data: img.data }, { dictionary: DICT })).toEqual(ref);
    expect(detectMarkers({ ...img, data: new Uint8ClampedArray(img.data) }, { dictionary: DICT })).toEqual(ref);
  });

  it('rejects malformed images and unknown dictionaries / ids', () => {
    expect(() => detectMarkers({ width: 4, height: 4, data: new Uint8Array(5) }, { dictionary: DICT })).toThrow(RangeError);
    expect(() => detectMarkers({ width: 0, height: 4, data: new Uint8Array(0) }, { dictionary: DICT })).toThrow(RangeError);
    expect(() => detectMarkers({ width: 2, height: 2, data: new Uint8Array(8), channels: 3 }, { dictionary: DICT })).toThrow(RangeError);
    expect(() => detectMarkers({ width: 2, height: 2, data: new Uint8Array(4) }, { dictionary: 'NOPE' as ArucoDictionaryName })).toThrow(
      RangeError,
    );
    expect(() => markerBits(DICT, 1000)).toThrow(RangeError);
    expect(() => markerBits(DICT, 1.5)).toThrow(RangeError);
  });

  it('exposes every dictionary with its bit grid', () => {
    const sides: Record<ArucoDictionaryName, [number, number]> = {
      ARUCO_4X4_1000: [4, 1000],
      ARUCO_5X5_1000: [5, 1000],
      ARUCO_6X6_1000: [6, 1000],
      ARUCO_7X7_1000: [7, 1000],
      ARUCO_DEFAULT_OPENCV: [5, 1024],
      APRILTAG_36h11: [6, 587],
      ARUCO_MIP_36h12: [6, 250],
      ARUCO: [5, 1023],
    };
    for (const name of ARUCO_DICTIONARIES) {
      const bits = markerBits(name, 0);
      expect([bits.length, dictionarySize(name)]).toEqual(sides[name]);
      expect(bits.every((row) => row.length === bits.length && row.every((b) => b === 0 || b === 1))).toBe(true);
    }
    // OpenCV DICT_4X4_50 id 0 (first row 1 0 1 1 as printed, 1 = white).
    expect(markerBits('ARUCO_4X4_1000', 0)).toEqual([
      [1, 0, 1, 1],
      [0, 1, 0, 1],
      [0, 0, 1, 1],
      [0, 0, 1, 0],
    ]);
  });
});

describe('markerWorldCorners', () => {
  it('orders corners top-left, top-right, bottom-right, bottom-left (top faces +Y at 0 degrees)', () => {
    const c = markerWorldCorners([1, 2], 0.5);
    expect(c).toEqual([
      [0.75, 2.25],
      [1.25, 2.25],
      [1.25, 1.75],
      [0.75, 1.75],
    ]);
    const r = markerWorldCorners([0, 0], 2, 90); // top now faces -X
    const expected: Vec2[] = [
      [-1, -1],
      [-1, 1],
      [1, 1],
      [1, -1],
    ];
    r.forEach((p, k) => expect(dist(p, expected[k])).toBeLessThan(1e-12));
  });
});

describe('calibrateFromMarkers (rendered, detected, calibrated)', () => {
  const TWO: SceneMarker[] = [
    { id: 3, sizeM: 0.5, center: [-1.5, -0.5] },
    { id: 17, sizeM: 0.5, center: [1.5, 2.5], rotationDeg: 30 },
  ];
  const FOUR: SceneMarker[] = [
    ...TWO,
    { id: 40, sizeM: 0.5, center: [1.5, -0.5], rotationDeg: 90 },
    { id: 41, sizeM: 0.4, center: [-1.8, 3], rotationDeg: -45 },
  ];
  interface Case {
    name: string;
    markers: SceneMarker[];
    layout?: MarkerLayout;
    noise?: number;
    ok: boolean;
    codes: string[];
    /** Max ground error at the markers' corners / over the whole frame, metres. */
    atMarkersM?: number;
    acrossFloorM?: number;
    ignoredIds?: number[];
  }
  const cases: Case[] = [
    { name: 'empty image: no markers', markers: [], layout: layoutOf(TWO), ok: false, codes: ['no-markers'] },
    {
      name: 'markers found, none in the layout',
      markers: [{ id: 99, sizeM: 0.5, center: [0, 1] }],
      layout: layoutOf(TWO),
      ok: false,
      codes: ['marker-not-in-layout', 'no-layout-markers'],
    },
    {
      // One marker without a center defines the origin; 4 exact points: 0 error at the marker by construction,
      // extrapolation over the frame (up to ~6 m away) measured at ~15 cm.
      name: 'one marker at the origin (no center in the layout)',
      markers: [{ id: 7, sizeM: 0.5, center: [0, 0] }],
      layout: { 7: { sizeM: 0.5 } },
      ok: true,
      codes: ['no-redundancy', 'single-marker'],
      atMarkersM: 0.02,
      acrossFloorM: 0.3,
    },
    {
      name: 'two markers',
      markers: TWO,
      ok: true,
      codes: [],
      atMarkersM: 0.02,
      acrossFloorM: 0.1,
    },
    {
      name: 'two markers and one not in the layout (ignored)',
      markers: [...TWO, { id: 99, sizeM: 0.5, center: [0, 1.5] }],
      layout: layoutOf(TWO),
      ok: true,
      codes: ['marker-not-in-layout'],
      atMarkersM: 0.02,
      acrossFloorM: 0.1,
      ignoredIds: [99],
    },
    {
      name: 'four rotated markers, noisy image',
      markers: FOUR,
      noise: 4,
      ok: true,
      codes: [],
      atMarkersM: 0.02,
      acrossFloorM: 0.05,
    },
    {
      name: 'inconsistent layout: one center 0.5 m off',
      markers: FOUR,
      layout: { ...layoutOf(FOUR), 41: { sizeM: 0.4, center: [-1.3, 3], rotationDeg: -45 } },
      ok: false,
      codes: ['inconsistent-markers', 'large-reprojection-error'],
    },
    {
      name: 'inconsistent layout: one rotation 90 degrees off',
      markers: FOUR,
      layout: { ...layoutOf(FOUR), 40: { sizeM: 0.5, center: [1.5, -0.5], rotationDeg: 0 } },
      ok: false,
      codes: ['inconsistent-markers', 'large-reprojection-error'],
    },
  ];

  it.each(cases)('$name', ({ markers, layout, noise, ok, codes, atMarkersM, acrossFloorM, ignoredIds }) => {
    const detections = detectMarkers(scene(markers, { noise }), { dictionary: DICT });
    const r = calibrateFromMarkers({ frame, detections, layout: layout ?? layoutOf(markers) });
    expect([...new Set(r.issues.map((i) => i.code))].sort()).toEqual([...codes].sort());
    expect(r.ok).toBe(ok);
    if (!r.ok) return;
    const { calibration, markers: used } = r.value;
    expect(calibration.kind).toBe('homography');
    expect(used.map((m) => m.id).sort((a, b) => a - b)).toEqual(
      markers
        .map((m) => m.id)
        .filter((id) => !(ignoredIds ?? []).includes(id))
        .sort((a, b) => a - b),
    );
    expect(r.value.ignoredIds).toEqual(ignoredIds ?? []);
    const h = calibration.imageToGround as number[];
    const cornerPts = markers.flatMap((m) => trueImageCorners({ groundToImage: cam.groundToImage }, m));
    expect(groundError(h, cornerPts)).toBeLessThan(atMarkersM ?? 0);
    expect(groundError(h, FRAME_GRID)).toBeLessThan(acrossFloorM ?? 0);
    // Monitored area: the whole frame on the floor (true 54.74 m²), within the across-floor tolerance's effect.
    expect(calibration.floorPolygon).toHaveLength(4);
    expect(Math.abs(calibration.floorAreaM2 - 54.74) / 54.74).toBeLessThan(markers.length > 1 ? 0.01 : 0.05);
    for (const m of used) expect(m.rmsErrorPx).toBeLessThan(0.5);
    expect(calibration.warnings).toHaveLength(codes.length);
  });

  it('reports the single marker share of the frame', () => {
    const detections = detectMarkers(scene([{ id: 7, sizeM: 0.5, center: [0, 0] }]), { dictionary: DICT });
    const r = calibrateFromMarkers({ frame, detections, layout: { 7: { sizeM: 0.5 } } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const share = r.value.markers[0].frameShare;
    expect(share).toBeGreaterThan(0.004);
    expect(share).toBeLessThan(0.008);
    const issue = r.issues.find((i) => i.code === 'single-marker');
    expect(issue?.message).toContain(`${(share * 100).toFixed(2)}% of the frame (tiny)`);
    expect(issue?.path).toBe('markers[7]');
  });
});

describe('calibrateFromMarkers (input validation, exact detections)', () => {
  /** Exact detection of a scene marker (no image). */
  const exact = (m: SceneMarker, g2i: readonly number[] = cam.groundToImage): MarkerDetection => {
    const c = trueImageCorners({ groundToImage: g2i }, m);
    return { id: m.id, corners: [c[0], c[1], c[2], c[3]], hammingDistance: 0, refined: true };
  };
  const A: SceneMarker = { id: 1, sizeM: 0.5, center: [-1, 0] };
  const B: SceneMarker = { id: 2, sizeM: 0.5, center: [1, 2] };

  const cases: { name: string; detections: MarkerDetection[]; layout: MarkerLayout; codes: string[]; ok: boolean; floorPolygon?: Vec2[] }[] = [
    { name: 'empty detections', detections: [], layout: layoutOf([A, B]), codes: ['no-markers'], ok: false },
    {
      name: 'two markers without a center',
      detections: [exact(A)],
      layout: { 1: { sizeM: 0.5 }, 2: { sizeM: 0.5 } },
      codes: ['ambiguous-origin'],
      ok: false,
    },
    { name: 'invalid size', detections: [exact(A)], layout: { 1: { sizeM: 0 } }, codes: ['invalid-marker-size'], ok: false },
    {
      name: 'invalid center',
      detections: [exact(A)],
      layout: { 1: { sizeM: 0.5, center: [Number.NaN, 0] } },
      codes: ['invalid-marker-center'],
      ok: false,
    },
    {
      name: 'overlapping markers',
      detections: [exact(A)],
      layout: { 1: { sizeM: 0.5, center: [0, 0] }, 2: { sizeM: 0.5, center: [0.3, 0] } },
      codes: ['overlapping-markers'],
      ok: false,
    },
    {
      name: 'malformed detection',
      detections: [{ id: 1, corners: [[0, 0], [1, 0], [1, 1]] as unknown as MarkerDetection['corners'], hammingDistance: 0, refined: false }],
      layout: layoutOf([A]),
      codes: ['invalid-detection'],
      ok: false,
    },
    {
      name: 'same id twice, far apart: ignored',
      detections: [exact(A), exact({ ...A, center: [1, 2] }), exact(B)],
      layout: layoutOf([A, B]),
      codes: ['duplicate-marker', 'no-redundancy', 'single-marker'],
      ok: true,
    },
    {
      name: 'exact corners: exact calibration',
      detections: [exact(A), exact(B)],
      layout: layoutOf([A, B]),
      codes: [],
      ok: true,
    },
    {
      name: 'floor polygon passed through',
      detections: [exact(A), exact(B)],
      layout: layoutOf([A, B]),
      floorPolygon: [
        [100, 200],
        [500, 200],
        [500, 400],
        [100, 400],
      ],
      codes: [],
      ok: true,
    },
    {
      name: 'floor polygon outside the frame',
      detections: [exact(A), exact(B)],
      layout: layoutOf([A, B]),
      floorPolygon: [
        [100, 200],
        [700, 200],
        [500, 400],
      ],
      codes: ['outside-frame'],
      ok: false,
    },
  ];

  it.each(cases)('$name', ({ detections, layout, codes, ok, floorPolygon }) => {
    const r = calibrateFromMarkers({ frame, detections, layout, floorPolygon });
    expect([...new Set(r.issues.map((i) => i.code))].sort()).toEqual([...codes].sort());
    expect(r.ok).toBe(ok);
    if (r.ok) {
      expect(groundError(r.value.calibration.imageToGround as number[], FRAME_GRID)).toBeLessThan(1e-6);
      if (floorPolygon) {
        const g = floorPolygon.map(([x, y]) => applyHomography(truthImageToGround, x, y) as Vec2);
        const area = Math.abs(g.reduce((s, p, i) => s + p[0] * g[(i + 1) % g.length][1] - g[(i + 1) % g.length][0] * p[1], 0)) / 2;
        expect(r.value.calibration.floorAreaM2).toBeCloseTo(area, 6);
      }
    }
  });

  it('refuses a floor polygon above the horizon (camera tilted 15 degrees: horizon at y ~ 79 px)', () => {
    const low = pinholeCamera({ width: 640, height: 480, focalPx: 600, heightM: 4, tiltDeg: 15, y: -4 });
    const a: SceneMarker = { id: 1, sizeM: 1, center: [-2, 20] };
    const b: SceneMarker = { id: 2, sizeM: 1, center: [2, 12] };
    const detections = [exact(a, low.groundToImage), exact(b, low.groundToImage)];
    const above = calibrateFromMarkers({
      frame,
      detections,
      layout: layoutOf([a, b]),
      floorPolygon: [
        [0, 40],
        [640, 40],
        [640, 480],
        [0, 480],
      ],
    });
    expect(above.ok).toBe(false);
    expect(above.issues.map((i) => i.code)).toContain('beyond-horizon');
    // Without a floor polygon the floor defaults to the hull of the marker corners, with a warning.
    const dflt = calibrateFromMarkers({ frame, detections, layout: layoutOf([a, b]) });
    expect(dflt.ok).toBe(true);
    expect(dflt.issues.map((i) => i.code)).toEqual(['default-floor']);
  });

  it('rewrites calibrateHomography issue paths to marker corners', () => {
    // Marker 2's detected corners pushed outside the frame.
    const d2 = exact(B);
    const shifted: MarkerDetection = { ...d2, corners: [[-5, 10], d2.corners[1], d2.corners[2], d2.corners[3]] };
    const r = calibrateFromMarkers({ frame, detections: [exact(A), shifted], layout: layoutOf([A, B]) });
    expect(r.ok).toBe(false);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'outside-frame', path: 'markers[2].corners[0].image' })]);
  });
});
