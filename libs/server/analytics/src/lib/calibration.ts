import { collinearity, convexHull, findSelfIntersection, polygonArea } from './geometry';
import { applyHomography, fitHomography, homographyW, invertHomography, type Mat3 } from './homography';
import type {
  Calibration,
  CalibrationPoint,
  CountingLine,
  FrameSize,
  Validated,
  ValidationIssue,
  Vec2,
  Zone,
} from './types';

/** A point set whose points deviate from their best-fit line by less than this share of its extent is collinear. */
export const COLLINEAR_TOLERANCE = 0.005;
/** sigma_8 / sigma_1 of the normalised DLT below this: the homography is not unique (degenerate configuration). */
export const DLT_UNIQUENESS_MIN = 1e-4;
/** Condition number of the normalised homography above this, or local anisotropy below the next: near-singular. */
export const NORMALISED_CONDITION_MAX = 1e5;
export const ANISOTROPY_MIN = 1e-4;
/** w at a point relative to w at the reference point below this: warn, the point is close to the horizon. */
export const NEAR_HORIZON_RATIO = 0.1;
/** Reprojection RMS above this many pixels is reported as a warning. */
export const RMS_WARNING_PX = 3;
/** Shortest counting line / scale reference accepted, pixels. */
export const MIN_SEGMENT_PX = 1;

export interface HomographyCalibrationInput {
  frame: FrameSize;
  /** >= 4 correspondences image px -> ground metres (>= 6 recommended for a meaningful error estimate). */
  points: readonly CalibrationPoint[];
  /** Floor region for camera-level density, image px (see `Calibration.floorPolygon` for the default). */
  floorPolygon?: readonly Vec2[];
}

export interface MatrixCalibrationInput {
  frame: FrameSize;
  /** Image -> ground homography, row-major 3x3, e.g. from a survey tool. */
  imageToGround: readonly number[];
  floorPolygon?: readonly Vec2[];
}

export interface ScaleCalibrationInput {
  frame: FrameSize;
  /** Two image points on the floor whose true distance is known. */
  a: Vec2;
  b: Vec2;
  distanceM: number;
  floorPolygon?: readonly Vec2[];
}

export interface ManualCalibrationInput {
  frame: FrameSize;
  /** Surveyed floor area of `floorPolygon` (default: the whole frame), m². */
  floorAreaM2: number;
  floorPolygon?: readonly Vec2[];
}

const err = (code: string, message: string, path?: string): ValidationIssue => ({ severity: 'error', code, message, path });
const warn = (code: string, message: string, path?: string): ValidationIssue => ({
  severity: 'warning',
  code,
  message,
  path,
});
const fmt = (v: number, digits = 2): string => (Number.isFinite(v) ? v.toFixed(digits) : String(v));
const finite2 = (p: unknown): p is Vec2 =>
  Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
const hasErrors = (issues: readonly ValidationIssue[]): boolean => issues.some((i) => i.severity === 'error');

function validateFrame(frame: FrameSize, issues: ValidationIssue[]): boolean {
  if (!frame || !(frame.width > 0) || !(frame.height > 0) || !Number.isFinite(frame.width) || !Number.isFinite(frame.height)) {
    issues.push(err('invalid-frame', `Frame size must be positive (got ${frame?.width} x ${frame?.height}).`, 'frame'));
    return false;
  }
  return true;
}

function inFrame(p: Vec2, frame: FrameSize): boolean {
  return p[0] >= 0 && p[0] <= frame.width && p[1] >= 0 && p[1] <= frame.height;
}

function framePolygon(frame: FrameSize): Vec2[] {
  return [
    [0, 0],
    [frame.width, 0],
    [frame.width, frame.height],
    [0, frame.height],
  ];
}

/** Local anisotropy sigma_min / sigma_max of the Jacobian of H at (x, y): ~0 when H squashes the plane to a line. */
export function jacobianAnisotropy(h: Mat3, x: number, y: number): number {
  const w = homographyW(h, x, y);
  const p = applyHomography(h, x, y);
  if (!p || w === 0) return 0;
  const a = (h[0] - p[0] * h[6]) / w;
  const b = (h[1] - p[0] * h[7]) / w;
  const c = (h[3] - p[1] * h[6]) / w;
  const d = (h[4] - p[1] * h[7]) / w;
  // Singular values of [[a, b], [c, d]].
  const s1 = Math.hypot(a + d, c - b);
  const s2 = Math.hypot(a - d, c + b);
  const smax = (s1 + s2) / 2;
  const smin = Math.abs(s1 - s2) / 2;
  return smax > 0 ? smin / smax : 0;
}

/** Validates a polygon in image px: >= 3 finite vertices in the frame, simple, with positive area. */
export function validateImagePolygon(poly: readonly Vec2[] | undefined, frame: FrameSize, path: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!Array.isArray(poly) || poly.length < 3) {
    issues.push(err('too-few-vertices', `A polygon needs at least 3 vertices (got ${Array.isArray(poly) ? poly.length : 0}).`, path));
    return issues;
  }
  poly.forEach((p, i) => {
    if (!finite2(p)) issues.push(err('invalid-point', `Vertex ${i + 1} is not a pair of finite numbers.`, `${path}[${i}]`));
    else if (!inFrame(p, frame)) {
      issues.push(
        err(
          'outside-frame',
          `Vertex ${i + 1} (${fmt(p[0], 1)}, ${fmt(p[1], 1)}) lies outside the ${frame.width} x ${frame.height} frame.`,
          `${path}[${i}]`,
        ),
      );
    }
  });
  if (hasErrors(issues)) return issues;
  const crossing = findSelfIntersection(poly);
  if (crossing) {
    const [i, j] = crossing;
    issues.push(
      err(
        'self-intersecting-polygon',
        `The polygon crosses itself: edge ${i + 1} (vertex ${i + 1} to ${((i + 1) % poly.length) + 1}) meets edge ${j + 1} ` +
          `(vertex ${j + 1} to ${((j + 1) % poly.length) + 1}). Draw the outline without crossing lines.`,
        path,
      ),
    );
    return issues;
  }
  if (!(polygonArea(poly) > 0)) issues.push(err('zero-area', 'The polygon has zero area (all vertices on one line).', path));
  return issues;
}

/**
 * Maps an image polygon to the ground. Errors when a vertex lies on or beyond the horizon, warns near it.
 * Returns the ground polygon or null.
 */
function polygonToGround(
  h: Mat3,
  poly: readonly Vec2[],
  refW: number,
  path: string,
  issues: ValidationIssue[],
): Vec2[] | null {
  const out: Vec2[] = [];
  let near = false;
  for (let i = 0; i < poly.length; i++) {
    const [x, y] = poly[i];
    const g = applyHomography(h, x, y);
    if (!g) {
      issues.push(
        err(
          'beyond-horizon',
          `Vertex ${i + 1} (${fmt(x, 1)}, ${fmt(y, 1)}) is on or above the horizon of the ground plane: it cannot be on the floor.`,
          `${path}[${i}]`,
        ),
      );
      return null;
    }
    if (homographyW(h, x, y) < NEAR_HORIZON_RATIO * refW) near = true;
    out.push(g);
  }
  if (near) {
    issues.push(
      warn('near-horizon', 'Part of the outline is close to the horizon, where a pixel covers a large floor area.', path),
    );
  }
  return out;
}

function finishCalibration(
  base: Omit<Calibration, 'floorPolygon' | 'floorAreaM2' | 'warnings'>,
  floorInput: readonly Vec2[] | undefined,
  fallbackFloor: () => { polygon: Vec2[] | null; note: string | null },
  refPoint: Vec2,
  issues: ValidationIssue[],
): Validated<Calibration> {
  const h = base.imageToGround;
  let floor: Vec2[];
  if (floorInput) {
    issues.push(...validateImagePolygon(floorInput, base.frame, 'floorPolygon'));
    if (hasErrors(issues)) return { ok: false, issues };
    floor = floorInput.map((p) => [p[0], p[1]] as Vec2);
  } else {
    const whole = framePolygon(base.frame);
    const refW = h ? homographyW(h, refPoint[0], refPoint[1]) : 1;
    const frameOnFloor = !h || whole.every(([x, y]) => homographyW(h, x, y) >= NEAR_HORIZON_RATIO * refW);
    if (frameOnFloor) floor = whole;
    else {
      const fb = fallbackFloor();
      if (!fb.polygon) {
        issues.push(err('floor-required', fb.note ?? 'A floor polygon is required.', 'floorPolygon'));
        return { ok: false, issues };
      }
      floor = fb.polygon;
      if (fb.note) issues.push(warn('default-floor', fb.note, 'floorPolygon'));
    }
  }
  let floorAreaM2 = 0;
  if (h) {
    const ground = polygonToGround(h, floor, homographyW(h, refPoint[0], refPoint[1]), 'floorPolygon', issues);
    if (!ground) return { ok: false, issues };
    floorAreaM2 = polygonArea(ground);
    if (!(floorAreaM2 > 0)) {
      issues.push(err('zero-area', 'The floor polygon has zero ground area.', 'floorPolygon'));
      return { ok: false, issues };
    }
  }
  const cal: Calibration = {
    ...base,
    floorPolygon: floor,
    floorAreaM2,
    warnings: issues.filter((i) => i.severity === 'warning').map((i) => i.message),
  };
  return { ok: true, value: cal, issues };
}

/**
 * Ground-plane homography from >= 4 image points with surveyed world coordinates (metres): DLT with Hartley
 * normalisation, least squares for more than 4 points, with the reprojection error (RMS and max, px and m).
 * Rejects fewer than 4 points, points outside the frame, duplicates, collinear or otherwise degenerate sets,
 * near-singular fits, and point sets that straddle the horizon.
 */
export function calibrateHomography(input: HomographyCalibrationInput): Validated<Calibration> {
  const issues: ValidationIssue[] = [];
  if (!validateFrame(input.frame, issues)) return { ok: false, issues };
  const { frame } = input;
  const pts = Array.isArray(input.points) ? input.points : [];
  if (pts.length < 4) {
    issues.push(
      err(
        'too-few-points',
        `A ground-plane homography needs at least 4 points with known floor coordinates (got ${pts.length}); ` +
          'with only 2 points and a known distance use a scale calibration.',
        'points',
      ),
    );
    return { ok: false, issues };
  }
  pts.forEach((p, i) => {
    if (!p || !finite2(p.image)) issues.push(err('invalid-point', `Point ${i + 1}: image position is not 2 finite numbers.`, `points[${i}].image`));
    else if (!inFrame(p.image, frame)) {
      issues.push(
        err(
          'outside-frame',
          `Point ${i + 1} (${fmt(p.image[0], 1)}, ${fmt(p.image[1], 1)}) lies outside the ${frame.width} x ${frame.height} frame.`,
          `points[${i}].image`,
        ),
      );
    }
    if (!p || !finite2(p.world)) issues.push(err('invalid-point', `Point ${i + 1}: world position is not 2 finite numbers.`, `points[${i}].world`));
  });
  if (hasErrors(issues)) return { ok: false, issues };
  const img = pts.map((p) => p.image);
  const wld = pts.map((p) => p.world);
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      if (Math.hypot(img[i][0] - img[j][0], img[i][1] - img[j][1]) < 0.5) {
        issues.push(err('duplicate-point', `Points ${i + 1} and ${j + 1} are at the same image position.`, `points[${j}].image`));
      }
      if (Math.hypot(wld[i][0] - wld[j][0], wld[i][1] - wld[j][1]) < 1e-3) {
        issues.push(err('duplicate-point', `Points ${i + 1} and ${j + 1} have the same world position.`, `points[${j}].world`));
      }
    }
  }
  if (hasErrors(issues)) return { ok: false, issues };
  for (const [set, name] of [
    [img, 'image'],
    [wld, 'world'],
  ] as const) {
    if (collinearity(set) < COLLINEAR_TOLERANCE) {
      issues.push(
        err(
          'collinear-points',
          `All ${set.length} points lie on one line in ${name} coordinates: a homography needs points spread over the floor ` +
            '(at least 4 with no three on a line).',
          'points',
        ),
      );
    }
  }
  if (!hasErrors(issues) && pts.length === 4) {
    for (const [i, j, k] of [
      [0, 1, 2],
      [0, 1, 3],
      [0, 2, 3],
      [1, 2, 3],
    ]) {
      for (const [set, name] of [
        [img, 'image'],
        [wld, 'world'],
      ] as const) {
        if (collinearity([set[i], set[j], set[k]]) < COLLINEAR_TOLERANCE) {
          issues.push(
            err(
              'collinear-points',
              `Points ${i + 1}, ${j + 1} and ${k + 1} are (nearly) on one line in ${name} coordinates; with 4 points no three ` +
                'may be collinear. Move one point or add more points.',
              'points',
            ),
          );
        }
      }
    }
  }
  if (hasErrors(issues)) return { ok: false, issues };

  const fit = fitHomography(img, wld);
  if (!fit || fit.uniqueness < DLT_UNIQUENESS_MIN) {
    issues.push(
      err(
        'degenerate-points',
        'The points do not determine a unique homography (degenerate configuration, e.g. all but one point on a line): ' +
          'use at least 4 points with no three collinear, spread over the floor.',
        'points',
      ),
    );
    return { ok: false, issues };
  }
  const h = fit.h;
  const n = pts.length;
  const centroid: Vec2 = [img.reduce((s, p) => s + p[0], 0) / n, img.reduce((s, p) => s + p[1], 0) / n];
  const behind = img.findIndex(([x, y]) => !(homographyW(h, x, y) > 0));
  if (behind >= 0) {
    issues.push(
      err(
        'inconsistent-points',
        `Point ${behind + 1} falls on the other side of the horizon than the rest: the correspondences are inconsistent ` +
          '(swapped or mistyped world coordinates?).',
        `points[${behind}]`,
      ),
    );
    return { ok: false, issues };
  }
  if (fit.normalisedCondition > NORMALISED_CONDITION_MAX || jacobianAnisotropy(h, centroid[0], centroid[1]) < ANISOTROPY_MIN) {
    issues.push(
      err(
        'near-singular-homography',
        `The fitted homography is near-singular (condition ${fmt(fit.normalisedCondition, 0)}): it collapses the floor ` +
          'onto a line. Check that the world coordinates belong to the right image points.',
        'points',
      ),
    );
    return { ok: false, issues };
  }
  const hinv = invertHomography(h, wld[0]);
  if (!hinv) {
    issues.push(err('near-singular-homography', 'The fitted homography cannot be inverted.', 'points'));
    return { ok: false, issues };
  }
  let sumPx = 0;
  let sumM = 0;
  let maxPx = 0;
  let maxM = 0;
  for (let i = 0; i < n; i++) {
    const g = applyHomography(h, img[i][0], img[i][1]);
    const r = applyHomography(hinv, wld[i][0], wld[i][1]);
    const em = g ? Math.hypot(g[0] - wld[i][0], g[1] - wld[i][1]) : Infinity;
    const ep = r ? Math.hypot(r[0] - img[i][0], r[1] - img[i][1]) : Infinity;
    sumM += em * em;
    sumPx += ep * ep;
    maxM = Math.max(maxM, em);
    maxPx = Math.max(maxPx, ep);
  }
  const rmsPx = Math.sqrt(sumPx / n);
  const rmsM = Math.sqrt(sumM / n);
  if (!Number.isFinite(rmsPx) || !Number.isFinite(rmsM)) {
    issues.push(err('inconsistent-points', 'Some points do not reproject: the correspondences are inconsistent.', 'points'));
    return { ok: false, issues };
  }
  if (n === 4) {
    issues.push(
      warn(
        'no-redundancy',
        'Exactly 4 points: the homography fits them exactly, so the reprojection error (0) says nothing about accuracy. ' +
          'Add 2 or more points to measure it.',
        'points',
      ),
    );
  }
  if (rmsPx > RMS_WARNING_PX) {
    issues.push(
      warn(
        'large-reprojection-error',
        `Reprojection error is ${fmt(rmsPx, 1)} px RMS (${fmt(rmsM, 3)} m): check the point correspondences.`,
        'points',
      ),
    );
  }
  return finishCalibration(
    {
      kind: 'homography',
      approximate: false,
      frame: { width: frame.width, height: frame.height },
      imageToGround: h,
      groundToImage: hinv,
      rmsErrorPx: rmsPx,
      rmsErrorM: rmsM,
      maxErrorPx: maxPx,
      maxErrorM: maxM,
      pointCount: n,
    },
    input.floorPolygon,
    () => ({
      polygon: convexHull(img),
      note:
        'The whole frame is not on the floor plane (the horizon is in view): the floor region defaults to the hull of ' +
        'the calibration points. Draw a floor polygon for camera-level density.',
    }),
    centroid,
    issues,
  );
}

/** Calibration from a known image -> ground homography (e.g. exported from a survey tool). */
export function calibrateFromMatrix(input: MatrixCalibrationInput): Validated<Calibration> {
  const issues: ValidationIssue[] = [];
  if (!validateFrame(input.frame, issues)) return { ok: false, issues };
  const m = input.imageToGround;
  if (!Array.isArray(m) || m.length !== 9 || !m.every((e) => Number.isFinite(e))) {
    issues.push(err('invalid-matrix', 'The homography must be 9 finite numbers (row-major 3x3).', 'imageToGround'));
    return { ok: false, issues };
  }
  const centre: Vec2 = [input.frame.width / 2, input.frame.height / 2];
  const refPoint = input.floorPolygon && input.floorPolygon.length > 0 ? polygonCentroidApprox(input.floorPolygon) : centre;
  let norm = 0;
  for (const e of m) norm += e * e;
  norm = Math.sqrt(norm);
  const sign = homographyW(m, refPoint[0], refPoint[1]) < 0 ? -1 : 1;
  const h = norm > 0 ? m.map((e) => (sign * e) / norm) : [...m];
  if (!(norm > 0) || !(homographyW(h, refPoint[0], refPoint[1]) > 0) || jacobianAnisotropy(h, refPoint[0], refPoint[1]) < ANISOTROPY_MIN) {
    issues.push(
      err(
        'near-singular-homography',
        'The homography is singular or near-singular at the floor region (it collapses the floor onto a line or a point).',
        'imageToGround',
      ),
    );
    return { ok: false, issues };
  }
  const g = applyHomography(h, refPoint[0], refPoint[1]);
  const hinv = g ? invertHomography(h, g) : null;
  if (!hinv) {
    issues.push(err('near-singular-homography', 'The homography cannot be inverted.', 'imageToGround'));
    return { ok: false, issues };
  }
  return finishCalibration(
    {
      kind: 'homography',
      approximate: false,
      frame: { width: input.frame.width, height: input.frame.height },
      imageToGround: h,
      groundToImage: hinv,
      rmsErrorPx: 0,
      rmsErrorM: 0,
      maxErrorPx: 0,
      maxErrorM: 0,
      pointCount: 0,
    },
    input.floorPolygon,
    () => ({
      polygon: null,
      note:
        'The whole frame is not on the floor plane (the horizon is in view): draw a floor polygon (floorPolygon) for ' +
        'camera-level density.',
    }),
    refPoint,
    issues,
  );
}

function polygonCentroidApprox(poly: readonly Vec2[]): Vec2 {
  let x = 0;
  let y = 0;
  for (const p of poly) {
    x += p[0];
    y += p[1];
  }
  return [x / poly.length, y / poly.length];
}

/**
 * Approximate calibration from 2 floor points with a known distance: a flat, uniform pixel-to-metre scale
 * (ignores perspective; flagged approximate). Ground frame: x right, y up, origin at the image origin.
 */
export function calibrateScale(input: ScaleCalibrationInput): Validated<Calibration> {
  const issues: ValidationIssue[] = [];
  if (!validateFrame(input.frame, issues)) return { ok: false, issues };
  const { a, b, distanceM, frame } = input;
  for (const [p, name] of [
    [a, 'a'],
    [b, 'b'],
  ] as const) {
    if (!finite2(p)) issues.push(err('invalid-point', `Reference point ${name} is not 2 finite numbers.`, name));
    else if (!inFrame(p, frame)) {
      issues.push(err('outside-frame', `Reference point ${name} (${fmt(p[0], 1)}, ${fmt(p[1], 1)}) lies outside the frame.`, name));
    }
  }
  if (!(distanceM > 0) || !Number.isFinite(distanceM)) {
    issues.push(err('invalid-distance', `The reference distance must be a positive number of metres (got ${distanceM}).`, 'distanceM'));
  }
  if (hasErrors(issues)) return { ok: false, issues };
  const px = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (px < MIN_SEGMENT_PX) {
    issues.push(err('zero-length', 'The two reference points coincide: the reference has zero length.', 'b'));
    return { ok: false, issues };
  }
  if (px < 50) {
    issues.push(warn('short-reference', `The reference is only ${fmt(px, 1)} px long: the scale will be imprecise.`, 'b'));
  }
  issues.push(
    warn(
      'approximate-scale',
      'Scale calibration assumes a uniform pixel size over the floor (no perspective): distances, speeds and areas ' +
        'are approximate away from the reference.',
    ),
  );
  const s = distanceM / px;
  return finishCalibration(
    {
      kind: 'scale',
      approximate: true,
      frame: { width: frame.width, height: frame.height },
      imageToGround: [s, 0, 0, 0, -s, 0, 0, 0, 1],
      groundToImage: [1 / s, 0, 0, 0, -1 / s, 0, 0, 0, 1],
      rmsErrorPx: 0,
      rmsErrorM: 0,
      maxErrorPx: 0,
      maxErrorM: 0,
      pointCount: 2,
    },
    input.floorPolygon,
    () => ({ polygon: framePolygon(frame), note: null }),
    a,
    issues,
  );
}

/**
 * Manual calibration: no ground mapping, only the surveyed floor area (people per m² = count / area). Speeds,
 * directions, pressure and the ground heatmap are unavailable; counting lines use a pixel hysteresis.
 */
export function calibrateManual(input: ManualCalibrationInput): Validated<Calibration> {
  const issues: ValidationIssue[] = [];
  if (!validateFrame(input.frame, issues)) return { ok: false, issues };
  if (!(input.floorAreaM2 > 0) || !Number.isFinite(input.floorAreaM2)) {
    issues.push(err('zero-area', `The floor area must be a positive number of m² (got ${input.floorAreaM2}).`, 'floorAreaM2'));
    return { ok: false, issues };
  }
  if (input.floorPolygon) {
    issues.push(...validateImagePolygon(input.floorPolygon, input.frame, 'floorPolygon'));
    if (hasErrors(issues)) return { ok: false, issues };
  }
  const cal: Calibration = {
    kind: 'manual',
    approximate: true,
    frame: { width: input.frame.width, height: input.frame.height },
    imageToGround: null,
    groundToImage: null,
    floorPolygon: (input.floorPolygon ?? framePolygon(input.frame)).map((p) => [p[0], p[1]] as Vec2),
    floorAreaM2: input.floorAreaM2,
    rmsErrorPx: 0,
    rmsErrorM: 0,
    maxErrorPx: 0,
    maxErrorM: 0,
    pointCount: 0,
    warnings: [],
  };
  return { ok: true, value: cal, issues };
}

/** Image px -> ground metres (null without a ground mapping or on/above the horizon). */
export function imageToGround(cal: Calibration, x: number, y: number): Vec2 | null {
  return cal.imageToGround ? applyHomography(cal.imageToGround, x, y) : null;
}

/** Ground metres -> image px (null without a ground mapping or behind the camera). */
export function groundToImage(cal: Calibration, x: number, y: number): Vec2 | null {
  return cal.groundToImage ? applyHomography(cal.groundToImage, x, y) : null;
}

function refW(cal: Calibration): number {
  const h = cal.imageToGround;
  if (!h) return 1;
  const c = polygonCentroidApprox(cal.floorPolygon);
  return homographyW(h, c[0], c[1]);
}

/** Ground polygon of an image polygon (null without mapping or when a vertex is beyond the horizon). */
export function polygonToGroundPolygon(cal: Calibration, poly: readonly Vec2[]): Vec2[] | null {
  if (!cal.imageToGround) return null;
  const out: Vec2[] = [];
  for (const [x, y] of poly) {
    const g = applyHomography(cal.imageToGround, x, y);
    if (!g) return null;
    out.push(g);
  }
  return out;
}

/** Floor area of a zone in m² and where it comes from (manual override, the calibration, or none). */
export function zoneArea(cal: Calibration, zone: Zone): { areaM2: number; source: 'homography' | 'scale' | 'manual' | 'none' } {
  if (zone.areaM2 !== undefined && zone.areaM2 > 0 && Number.isFinite(zone.areaM2)) return { areaM2: zone.areaM2, source: 'manual' };
  const ground = polygonToGroundPolygon(cal, zone.polygon);
  if (!ground) return { areaM2: 0, source: 'none' };
  return { areaM2: polygonArea(ground), source: cal.kind === 'homography' ? 'homography' : 'scale' };
}

/** Validates a zone against a calibration (frame, polygon shape, ground mapping, capacity and manual area). */
export function validateZone(cal: Calibration, zone: Zone, path = `zones[${zone?.id}]`): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!zone || typeof zone.id !== 'string' || zone.id.length === 0) {
    issues.push(err('invalid-id', 'A zone needs a non-empty id.', path));
    return issues;
  }
  issues.push(...validateImagePolygon(zone.polygon, cal.frame, `${path}.polygon`));
  if (zone.capacity !== undefined && !(zone.capacity > 0 && Number.isFinite(zone.capacity))) {
    issues.push(err('invalid-capacity', `Capacity must be a positive number of people (got ${zone.capacity}).`, `${path}.capacity`));
  }
  if (zone.areaM2 !== undefined && !(zone.areaM2 > 0 && Number.isFinite(zone.areaM2))) {
    issues.push(err('zero-area', `A manual area must be a positive number of m² (got ${zone.areaM2}).`, `${path}.areaM2`));
  }
  if (hasErrors(issues)) return issues;
  if (cal.imageToGround) {
    const ground = polygonToGround(cal.imageToGround, zone.polygon, refW(cal), `${path}.polygon`, issues);
    if (ground && !(polygonArea(ground) > 0)) issues.push(err('zero-area', 'The zone has zero floor area.', `${path}.polygon`));
  } else if (zone.areaM2 === undefined) {
    issues.push(
      warn('no-area', 'Without a ground calibration the zone needs a manual area (areaM2) for its density.', `${path}.areaM2`),
    );
  }
  return issues;
}

/** Validates a counting line against a calibration (frame, zero length, side, width, ground mapping). */
export function validateCountingLine(cal: Calibration, line: CountingLine, path = `lines[${line?.id}]`): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!line || typeof line.id !== 'string' || line.id.length === 0) {
    issues.push(err('invalid-id', 'A counting line needs a non-empty id.', path));
    return issues;
  }
  for (const [p, name] of [
    [line.a, 'a'],
    [line.b, 'b'],
  ] as const) {
    if (!finite2(p)) issues.push(err('invalid-point', `Endpoint ${name} is not 2 finite numbers.`, `${path}.${name}`));
    else if (!inFrame(p, cal.frame)) {
      issues.push(
        err(
          'outside-frame',
          `Endpoint ${name} (${fmt(p[0], 1)}, ${fmt(p[1], 1)}) lies outside the ${cal.frame.width} x ${cal.frame.height} frame.`,
          `${path}.${name}`,
        ),
      );
    }
  }
  if (line.inDirection !== 'left' && line.inDirection !== 'right') {
    issues.push(err('invalid-direction', `inDirection must be 'left' or 'right' (got ${String(line.inDirection)}).`, `${path}.inDirection`));
  }
  if (!(line.widthM > 0 && Number.isFinite(line.widthM))) {
    issues.push(err('invalid-width', `widthM must be a positive number of metres (got ${line.widthM}).`, `${path}.widthM`));
  }
  if (hasErrors(issues)) return issues;
  if (Math.hypot(line.b[0] - line.a[0], line.b[1] - line.a[1]) < MIN_SEGMENT_PX) {
    issues.push(err('zero-length', 'The counting line has zero length (both endpoints at the same place).', path));
    return issues;
  }
  if (cal.imageToGround) {
    const ground = polygonToGround(cal.imageToGround, [line.a, line.b], refW(cal), path, issues);
    if (ground && !(Math.hypot(ground[1][0] - ground[0][0], ground[1][1] - ground[0][1]) > 1e-3)) {
      issues.push(err('zero-length', 'The counting line has zero length on the floor.', path));
    }
  }
  return issues;
}

/** Maximum zones and lines per camera (per-track state grows with the number of lines). */
export const MAX_ZONES = 64;
export const MAX_LINES = 64;

/** Validates every zone and line plus unique ids and the per-camera limits. */
export function validateLayout(cal: Calibration, zones: readonly Zone[], lines: readonly CountingLine[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (zones.length > MAX_ZONES) issues.push(err('too-many-zones', `At most ${MAX_ZONES} zones per camera (got ${zones.length}).`, 'zones'));
  if (lines.length > MAX_LINES) issues.push(err('too-many-lines', `At most ${MAX_LINES} counting lines per camera (got ${lines.length}).`, 'lines'));
  const seenZ = new Set<string>();
  zones.forEach((z, i) => {
    const path = `zones[${z?.id ?? i}]`;
    if (z && seenZ.has(z.id)) issues.push(err('duplicate-id', `Zone id "${z.id}" is used twice.`, path));
    if (z) seenZ.add(z.id);
    issues.push(...validateZone(cal, z, path));
  });
  const seenL = new Set<string>();
  lines.forEach((l, i) => {
    const path = `lines[${l?.id ?? i}]`;
    if (l && seenL.has(l.id)) issues.push(err('duplicate-id', `Line id "${l.id}" is used twice.`, path));
    if (l) seenL.add(l.id);
    issues.push(...validateCountingLine(cal, l, path));
  });
  return issues;
}
