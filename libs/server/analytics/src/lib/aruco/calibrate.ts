/**
 * Automatic ground-plane calibration from ArUco markers lying flat on the floor at surveyed positions: every
 * corner of every known marker is one image <-> world correspondence, fed to `calibrateHomography` (least
 * squares beyond 4 points) so its validation, reprojection error and floor-area computation apply unchanged.
 */
import { calibrateHomography } from '../calibration';
import { convexHull, polygonArea } from '../geometry';
import { applyHomography } from '../homography';
import type { Calibration, CalibrationPoint, FrameSize, Validated, ValidationIssue, Vec2 } from '../types';
import type { MarkerDetection } from './detect';

/** Where one marker lies on the floor. */
export interface MarkerPlacement {
  /** Edge length of the black square (outer edge of the black border, quiet zone excluded), metres. */
  sizeM: number;
  /**
   * Centre of the marker on the floor, world metres (x, y; the world frame is right-handed seen from above, as
   * everywhere in the library). Omit it on the one marker that defines the origin: its centre is then [0, 0].
   */
  center?: Vec2;
  /**
   * Counter-clockwise rotation of the marker on the floor, degrees (seen from above). 0: the marker's top edge
   * (as printed, the side where its code's first row is) faces world +Y and its right edge faces +X. Default 0.
   */
  rotationDeg?: number;
}

/** Marker id -> placement (plain JSON: the keys become strings, lookups by numeric id still work). */
export type MarkerLayout = Readonly<Record<number, MarkerPlacement>>;

export interface MarkerCalibrationInput {
  frame: FrameSize;
  /** From `detectMarkers` on a snapshot of this camera (same frame size). */
  detections: readonly MarkerDetection[];
  layout: MarkerLayout;
  /** Floor region for camera-level density, image px (default: the whole frame if it is all floor). */
  floorPolygon?: readonly Vec2[];
  /**
   * A marker whose corners reproject worse than this (RMS, image px) makes the set inconsistent (default
   * `MARKER_INCONSISTENT_PX`): wrong centre / rotation / size in the layout, or a marker not flat on the floor.
   */
  maxMarkerErrorPx?: number;
}

/** One layout marker used for the fit. */
export interface UsedMarker {
  id: number;
  /** Detected corners, image px (dictionary order). */
  imageCorners: readonly Vec2[];
  /** The same corners on the floor from the layout, world metres. */
  worldCorners: Vec2[];
  /** Reprojection error of its 4 corners under the fitted homography: RMS / max in image px, RMS in metres. */
  rmsErrorPx: number;
  maxErrorPx: number;
  rmsErrorM: number;
  /** Its image area as a share of the frame, 0..1. */
  frameShare: number;
}

export interface MarkerCalibration {
  /** Store this as the camera's calibration (plain JSON, kind 'homography'). */
  calibration: Calibration;
  markers: UsedMarker[];
  /** Ids detected but absent from the layout (or seen twice), not used. */
  ignoredIds: number[];
  /** Convex hull of all used corners as a share of the frame, 0..1: accuracy degrades away from it. */
  coverage: number;
}

/** Default per-marker RMS reprojection error above which the markers are reported inconsistent, px. */
export const MARKER_INCONSISTENT_PX = 4;
/** With a single marker, its share of the frame below which the extrapolation warning says "tiny". */
export const SINGLE_MARKER_TINY_SHARE = 0.01;

const err = (code: string, message: string, path?: string): ValidationIssue => ({ severity: 'error', code, message, path });
const warn = (code: string, message: string, path?: string): ValidationIssue => ({ severity: 'warning', code, message, path });
const pct = (share: number): string => `${(share * 100).toFixed(share < 0.01 ? 2 : 1)}%`;
const finite2 = (p: unknown): p is Vec2 =>
  Array.isArray(p) && p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);

/**
 * World corners of a marker in the dictionary's corner order (top-left, top-right, bottom-right, bottom-left as
 * printed), for a marker of edge `sizeM` centred at `center` and rotated `rotationDeg` counter-clockwise.
 */
export function markerWorldCorners(center: Vec2, sizeM: number, rotationDeg = 0): Vec2[] {
  const r = (rotationDeg * Math.PI) / 180;
  const c = Math.cos(r);
  const s = Math.sin(r);
  const h = sizeM / 2;
  return (
    [
      [-h, h],
      [h, h],
      [h, -h],
      [-h, -h],
    ] as const
  ).map(([x, y]) => [center[0] + c * x - s * y, center[1] + s * x + c * y] as Vec2);
}

function validateLayout(layout: MarkerLayout, issues: ValidationIssue[]): Map<number, Required<MarkerPlacement>> {
  const out = new Map<number, Required<MarkerPlacement>>();
  if (!layout || typeof layout !== 'object') {
    issues.push(err('invalid-layout', 'The marker layout must map marker ids to placements.', 'layout'));
    return out;
  }
  const withoutCenter: number[] = [];
  for (const [key, p] of Object.entries(layout)) {
    const path = `layout[${key}]`;
    const id = Number(key);
    if (!Number.isInteger(id) || id < 0) {
      issues.push(err('invalid-marker-id', `Marker id "${key}" is not a non-negative integer.`, path));
      continue;
    }
    if (!p || !(p.sizeM > 0) || !Number.isFinite(p.sizeM)) {
      issues.push(err('invalid-marker-size', `Marker ${id}: sizeM must be a positive number of metres (got ${p?.sizeM}).`, `${path}.sizeM`));
      continue;
    }
    if (p.center !== undefined && !finite2(p.center)) {
      issues.push(err('invalid-marker-center', `Marker ${id}: center must be 2 finite numbers (metres).`, `${path}.center`));
      continue;
    }
    if (p.rotationDeg !== undefined && !Number.isFinite(p.rotationDeg)) {
      issues.push(err('invalid-marker-rotation', `Marker ${id}: rotationDeg must be a finite number of degrees.`, `${path}.rotationDeg`));
      continue;
    }
    if (p.center === undefined) withoutCenter.push(id);
    out.set(id, { sizeM: p.sizeM, center: p.center ? [p.center[0], p.center[1]] : [0, 0], rotationDeg: p.rotationDeg ?? 0 });
  }
  if (withoutCenter.length > 1) {
    issues.push(
      err(
        'ambiguous-origin',
        `Markers ${withoutCenter.join(', ')} have no center: only one marker may define the origin, give the others ` +
          'their position (metres) relative to it.',
        'layout',
      ),
    );
  }
  const entries = [...out.entries()];
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const [ia, a] = entries[i];
      const [ib, b] = entries[j];
      if (withoutCenter.length > 1 && withoutCenter.includes(ia) && withoutCenter.includes(ib)) continue;
      if (Math.hypot(a.center[0] - b.center[0], a.center[1] - b.center[1]) < (a.sizeM + b.sizeM) / 2) {
        issues.push(
          err('overlapping-markers', `Markers ${ia} and ${ib} overlap on the floor: check their centers and sizes.`, `layout[${ib}].center`),
        );
      }
    }
  }
  return out;
}

/**
 * Calibrates a camera from markers detected in one of its snapshots. Known markers (in `layout`) contribute their
 * 4 corners each; the homography, its validation, reprojection error and the floor area come from
 * `calibrateHomography` (issue paths are rewritten to `markers[id].corners[k]`). Issues of its own:
 * `no-markers`, `no-layout-markers`, `marker-not-in-layout` (warning, ignored), `duplicate-marker` (warning,
 * ignored), `single-marker` (warning: extrapolation away from one marker is inaccurate), `inconsistent-markers`,
 * and layout errors (`invalid-marker-size`, `invalid-marker-center`, `ambiguous-origin`, `overlapping-markers`, ...).
 */
export function calibrateFromMarkers(input: MarkerCalibrationInput): Validated<MarkerCalibration> {
  const issues: ValidationIssue[] = [];
  const layout = validateLayout(input.layout, issues);
  const detections = Array.isArray(input.detections) ? input.detections : [];
  detections.forEach((d, i) => {
    if (!d || !Number.isInteger(d.id) || !Array.isArray(d.corners) || d.corners.length !== 4 || !d.corners.every(finite2)) {
      issues.push(err('invalid-detection', `Detection ${i + 1} needs an integer id and 4 corners of 2 finite numbers.`, `detections[${i}]`));
    }
  });
  if (issues.some((i) => i.severity === 'error')) return { ok: false, issues };
  if (detections.length === 0) {
    issues.push(
      err(
        'no-markers',
        'No markers were found in the image. Check that the markers are in view, use the configured dictionary, are ' +
          'printed with a white border, evenly lit, and at least ~20 px across in the image (bigger is more accurate).',
        'detections',
      ),
    );
    return { ok: false, issues };
  }
  const counts = new Map<number, number>();
  for (const d of detections) counts.set(d.id, (counts.get(d.id) ?? 0) + 1);
  const ignored = new Set<number>();
  const used: MarkerDetection[] = [];
  detections.forEach((d, i) => {
    if (!layout.has(d.id)) {
      if (!ignored.has(d.id)) {
        issues.push(warn('marker-not-in-layout', `Marker ${d.id} is not in the layout: ignored.`, `detections[${i}]`));
      }
      ignored.add(d.id);
    } else if ((counts.get(d.id) ?? 0) > 1) {
      if (!ignored.has(d.id)) {
        issues.push(
          warn(
            'duplicate-marker',
            `Marker ${d.id} was found ${counts.get(d.id)} times in the image: ignored (each id must appear once).`,
            `detections[${i}]`,
          ),
        );
      }
      ignored.add(d.id);
    } else used.push(d);
  });
  if (used.length === 0) {
    const found = [...counts.keys()].sort((a, b) => a - b);
    const known = [...layout.keys()].sort((a, b) => a - b);
    issues.push(
      err(
        'no-layout-markers',
        `Markers ${found.join(', ')} were found but none of them can be used (layout: ${known.length ? known.join(', ') : 'empty'}). ` +
          'Check the marker ids and the dictionary.',
        'layout',
      ),
    );
    return { ok: false, issues };
  }

  const frameArea = input.frame && input.frame.width > 0 && input.frame.height > 0 ? input.frame.width * input.frame.height : NaN;
  const points: CalibrationPoint[] = [];
  const worldOf = new Map<number, Vec2[]>();
  for (const d of used) {
    const p = layout.get(d.id);
    if (!p) continue;
    const world = markerWorldCorners(p.center, p.sizeM, p.rotationDeg);
    worldOf.set(d.id, world);
    for (let k = 0; k < 4; k++) points.push({ image: [d.corners[k][0], d.corners[k][1]], world: world[k] });
  }
  const pathOf = (i: number): string => `markers[${used[i >> 2].id}].corners[${i & 3}]`;
  const cal = calibrateHomography({ frame: input.frame, points, floorPolygon: input.floorPolygon });
  const mapped = cal.issues.map((i) => {
    const m = i.path ? /^points\[(\d+)\](.*)$/.exec(i.path) : null;
    return m ? { ...i, path: pathOf(Number(m[1])) + m[2] } : i;
  });
  issues.push(...mapped);
  if (!cal.ok) return { ok: false, issues };
  const calibration = cal.value;
  const h = calibration.imageToGround;
  const hinv = calibration.groundToImage;
  if (!h || !hinv) return { ok: false, issues: [...issues, err('near-singular-homography', 'No homography was fitted.', 'points')] };

  const markers: UsedMarker[] = used.map((d) => {
    const world = worldOf.get(d.id) ?? [];
    let sPx = 0;
    let sM = 0;
    let maxPx = 0;
    for (let k = 0; k < 4; k++) {
      const r = applyHomography(hinv, world[k][0], world[k][1]);
      const g = applyHomography(h, d.corners[k][0], d.corners[k][1]);
      const ep = r ? Math.hypot(r[0] - d.corners[k][0], r[1] - d.corners[k][1]) : Infinity;
      const em = g ? Math.hypot(g[0] - world[k][0], g[1] - world[k][1]) : Infinity;
      sPx += ep * ep;
      sM += em * em;
      maxPx = Math.max(maxPx, ep);
    }
    return {
      id: d.id,
      imageCorners: d.corners.map((c) => [c[0], c[1]] as Vec2),
      worldCorners: world,
      rmsErrorPx: Math.sqrt(sPx / 4),
      maxErrorPx: maxPx,
      rmsErrorM: Math.sqrt(sM / 4),
      frameShare: polygonArea(d.corners) / frameArea,
    };
  });
  const coverage = polygonArea(convexHull(points.map((p) => p.image))) / frameArea;
  const limit = input.maxMarkerErrorPx ?? MARKER_INCONSISTENT_PX;
  const bad = markers.filter((m) => !(m.rmsErrorPx <= limit)).sort((a, b) => b.rmsErrorPx - a.rmsErrorPx);
  if (bad.length > 0) {
    const list = bad.map((m) => `${m.id} (${m.rmsErrorPx.toFixed(1)} px, ${m.rmsErrorM.toFixed(3)} m)`).join(', ');
    issues.push(
      err(
        'inconsistent-markers',
        `The markers do not agree with the layout: corners of marker${bad.length > 1 ? 's' : ''} ${list} reproject ` +
          `worse than ${limit} px RMS. Check ${bad.length > 1 ? 'their' : 'its'} center, rotation and size in the ` +
          'layout (the worst is not necessarily the wrong one when only 2 markers are used), and that every marker ' +
          'lies flat on the floor.',
        `markers[${bad[0].id}]`,
      ),
    );
    return { ok: false, issues };
  }
  if (markers.length === 1) {
    const m = markers[0];
    issues.push(
      warn(
        'single-marker',
        `Only one marker (${m.id}) calibrates the camera and it covers ${pct(m.frameShare)} of the frame` +
          `${m.frameShare < SINGLE_MARKER_TINY_SHARE ? ' (tiny)' : ''}: distances and areas far from it are extrapolated ` +
          'and can be badly off (a corner error of a fraction of a pixel tilts the whole floor plane). Add markers ' +
          'spread over the floor, or use a bigger marker.',
        `markers[${m.id}]`,
      ),
    );
  }
  const own = issues.filter((i) => i.severity === 'warning' && !mapped.includes(i)).map((i) => i.message);
  const value: MarkerCalibration = {
    calibration: { ...calibration, warnings: [...calibration.warnings, ...own] },
    markers,
    ignoredIds: [...ignored].sort((a, b) => a - b),
    coverage,
  };
  return { ok: true, value, issues };
}
