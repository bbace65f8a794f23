/**
 * Deterministic synthetic scenes for the analytics tests and the bench: a seeded PRNG, a pinhole camera looking
 * down at a ground plane, and person boxes whose foot point is the exact projection of a ground position.
 */
import type { BBox } from '@crowdsafe/contracts';
import { mul3 } from '../lib/linalg';
import type { TrackInput, Vec2 } from '../lib/types';

/** mulberry32: small, fast, seedable PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal deviate from a uniform PRNG (Box-Muller). */
export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

export interface PinholeCamera {
  width: number;
  height: number;
  /** Ground (X, Y, Z = 0) -> image homography, row-major. */
  groundToImage: number[];
  /** Projects a world point (Z up, metres) to image px. */
  project(x: number, y: number, z: number): Vec2;
}

export interface CameraSpec {
  width?: number;
  height?: number;
  /** Focal length, px. */
  focalPx?: number;
  /** Camera height above the floor, m. */
  heightM?: number;
  /** Downward tilt of the optical axis from horizontal, degrees. */
  tiltDeg?: number;
  /** Camera position on the floor plane (it looks towards +Y). */
  x?: number;
  y?: number;
}

/**
 * A camera at (x, y, heightM) looking towards +Y, tilted down by tiltDeg. Defaults: 1920 x 1080, f = 1200 px,
 * 10 m high, 50 degrees down, at (0, -5): the whole frame sees the floor, from ~2 m to ~16 m in Y.
 */
export function pinholeCamera(spec: CameraSpec = {}): PinholeCamera {
  const width = spec.width ?? 1920;
  const height = spec.height ?? 1080;
  const f = spec.focalPx ?? 1200;
  const h = spec.heightM ?? 10;
  const th = ((spec.tiltDeg ?? 50) * Math.PI) / 180;
  const cx = spec.x ?? 0;
  const cy = spec.y ?? -5;
  // Camera axes in world coordinates: x right, y image-down, z optical axis.
  const r = [1, 0, 0, 0, -Math.sin(th), -Math.cos(th), 0, Math.cos(th), -Math.sin(th)];
  const k = [f, 0, width / 2, 0, f, height / 2, 0, 0, 1];
  const m = [1, 0, -cx, 0, 1, -cy, 0, 0, -h];
  const groundToImage = mul3(mul3(k, r), m);
  const project = (x: number, y: number, z: number): Vec2 => {
    const px = x - cx;
    const py = y - cy;
    const pz = z - h;
    const xc = r[0] * px + r[1] * py + r[2] * pz;
    const yc = r[3] * px + r[4] * py + r[5] * pz;
    const zc = r[6] * px + r[7] * py + r[8] * pz;
    return [(f * xc) / zc + width / 2, (f * yc) / zc + height / 2];
  };
  return { width, height, groundToImage, project };
}

/** Box of a 1.7 m person standing at ground (x, y): bottom-centre exactly at the projected foot point. */
export function personBox(cam: PinholeCamera, x: number, y: number, jitter: Vec2 = [0, 0]): BBox {
  const [u, v] = cam.project(x, y, 0);
  const [, vh] = cam.project(x, y, 1.7);
  const w = 0.35 * (v - vh);
  return { x1: u - w / 2 + jitter[0], y1: vh + jitter[1], x2: u + w / 2 + jitter[0], y2: v + jitter[1] };
}

export function track(id: number, box: BBox, confirmed = true, score = 0.9): TrackInput {
  return { id, box, score, confirmed };
}

/** n people on a square lattice of the given spacing centred on (cx, cy) (ground metres), side = ceil(sqrt(n)). */
export function lattice(n: number, spacing: number, cx: number, cy: number): Vec2[] {
  const side = Math.ceil(Math.sqrt(n));
  const out: Vec2[] = [];
  for (let k = 0; k < n; k++) {
    const i = k % side;
    const j = Math.floor(k / side);
    out.push([cx + (i - (side - 1) / 2) * spacing, cy + (j - (side - 1) / 2) * spacing]);
  }
  return out;
}

/** A ground rectangle drawn on the camera image (a zone polygon in px). */
export function groundRect(cam: PinholeCamera, x0: number, y0: number, x1: number, y1: number): Vec2[] {
  return ([[x0, y0], [x1, y0], [x1, y1], [x0, y1]] as Vec2[]).map(([x, y]) => cam.project(x, y, 0));
}

/** Six well-spread surveyed floor points of the default camera (exact correspondences). */
export const SURVEY_POINTS: readonly Vec2[] = [[-4, 1], [4, 1], [5, 12], [-5, 12], [0, 6], [2, 3]];
