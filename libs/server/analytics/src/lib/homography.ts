import { cond3, inv3, mul3, svdJacobi } from './linalg';
import type { Vec2 } from './types';

/** Row-major 3x3 homography (9 numbers). */
export type Mat3 = readonly number[];

/**
 * Maps (x, y) through H. Returns null when the point maps to (or behind) the line at infinity, i.e. w <= 0 for a
 * homography scaled so that w > 0 in front of the camera (see `calibrateHomography`).
 */
export function applyHomography(h: Mat3, x: number, y: number): Vec2 | null {
  const w = h[6] * x + h[7] * y + h[8];
  if (!(w > 1e-12)) return null;
  return [(h[0] * x + h[1] * y + h[2]) / w, (h[3] * x + h[4] * y + h[5]) / w];
}

/** The projective weight w of (x, y) under H (sign tells the side of the horizon). */
export function homographyW(h: Mat3, x: number, y: number): number {
  return h[6] * x + h[7] * y + h[8];
}

/**
 * Hartley normalisation: translate the centroid to the origin and scale so that the mean distance from it is
 * sqrt(2). Returns the 3x3 transform, or null when all points coincide.
 */
export function hartleyTransform(points: readonly Vec2[]): number[] | null {
  const n = points.length;
  let cx = 0;
  let cy = 0;
  for (const [x, y] of points) {
    cx += x;
    cy += y;
  }
  cx /= n;
  cy /= n;
  let meanDist = 0;
  for (const [x, y] of points) meanDist += Math.hypot(x - cx, y - cy);
  meanDist /= n;
  if (!(meanDist > 0) || !Number.isFinite(meanDist)) return null;
  const s = Math.SQRT2 / meanDist;
  return [s, 0, -s * cx, 0, s, -s * cy, 0, 0, 1];
}

export interface HomographyFit {
  /** src -> dst, Frobenius-normalised, sign chosen so that w > 0 at the centroid of src. */
  h: number[];
  /** Singular values of the normalised DLT system, descending (9 values). */
  dltSingularValues: Float64Array;
  /** sigma_8 / sigma_1 of the normalised DLT system: ~0 means the solution is not unique (degenerate set). */
  uniqueness: number;
  /** Condition number of the homography between the normalised point sets. */
  normalisedCondition: number;
}

/**
 * Direct linear transform with Hartley normalisation: the least-squares (algebraic) homography mapping src[i] to
 * dst[i] for n >= 4 correspondences. Returns null when either point set is a single point.
 */
export function fitHomography(src: readonly Vec2[], dst: readonly Vec2[]): HomographyFit | null {
  const n = src.length;
  if (n < 4 || dst.length !== n) return null;
  const ts = hartleyTransform(src);
  const td = hartleyTransform(dst);
  if (!ts || !td) return null;
  const rows = 2 * n;
  const a = new Float64Array(rows * 9);
  for (let i = 0; i < n; i++) {
    const x = ts[0] * src[i][0] + ts[2];
    const y = ts[4] * src[i][1] + ts[5];
    const u = td[0] * dst[i][0] + td[2];
    const v = td[4] * dst[i][1] + td[5];
    a.set([-x, -y, -1, 0, 0, 0, u * x, u * y, u], 2 * i * 9);
    a.set([0, 0, 0, -x, -y, -1, v * x, v * y, v], (2 * i + 1) * 9);
  }
  const { s, v } = svdJacobi(a, rows, 9);
  const hn = new Array<number>(9);
  for (let k = 0; k < 9; k++) hn[k] = v[k * 9 + 8];
  const tdInv = inv3(td);
  if (!tdInv) return null;
  let h = mul3(mul3(tdInv, hn), ts);
  let norm = 0;
  for (const e of h) norm += e * e;
  norm = Math.sqrt(norm);
  if (!(norm > 0)) return null;
  let cx = 0;
  let cy = 0;
  for (const [x, y] of src) {
    cx += x / n;
    cy += y / n;
  }
  const sign = homographyW(h, cx, cy) < 0 ? -1 : 1;
  h = h.map((e) => (sign * e) / norm);
  return {
    h,
    dltSingularValues: s,
    uniqueness: s[0] > 0 ? s[7] / s[0] : 0,
    normalisedCondition: cond3(hn),
  };
}

/** Inverse homography scaled to unit Frobenius norm with w > 0 at `probe` (a point in its domain). */
export function invertHomography(h: Mat3, probe: Vec2): number[] | null {
  const inv = inv3(h);
  if (!inv) return null;
  let norm = 0;
  for (const e of inv) norm += e * e;
  norm = Math.sqrt(norm);
  const sign = homographyW(inv, probe[0], probe[1]) < 0 ? -1 : 1;
  return inv.map((e) => (sign * e) / norm);
}
