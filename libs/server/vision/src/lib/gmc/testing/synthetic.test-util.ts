// Synthetic grey frames for GMC specs and benches: an infinite, seeded, smooth world texture (two octaves of value
// noise plus soft-edged blobs, one per 32 px cell with probability 0.6) viewed through a known affine camera
// warp, optionally with textured "people" rectangles moving on their own and per-frame sensor noise.
import type { BBox } from '@crowdsafe/contracts';
import type { Affine2x3 } from '../../tracking/gmc';
import type { GrayFrame } from '../gray-frame';

// Math functions bound once: a global `Math.x` lookup per call is costly in sandboxed runtimes (jest's vm).
const { imul, floor, hypot, min, max, round, cos, sin, PI } = Math;

/** Integer hash of (i, j, seed) to [0, 1). */
function hash01(i: number, j: number, seed: number): number {
  let h = imul(i, 0x27d4eb2d) ^ imul(j, 0x165667b1) ^ imul(seed, 0x9e3779b1);
  h = imul(h ^ (h >>> 15), 0x85ebca6b);
  h = imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

function smooth(t: number): number {
  return t * t * (3 - 2 * t);
}

/** Value noise in [0, 1) with lattice spacing `cell`, smoothstep-interpolated (C1). */
function valueNoise(x: number, y: number, cell: number, seed: number): number {
  const gx = x / cell;
  const gy = y / cell;
  const i = floor(gx);
  const j = floor(gy);
  const u = smooth(gx - i);
  const v = smooth(gy - j);
  const a = hash01(i, j, seed);
  const b = hash01(i + 1, j, seed);
  const c = hash01(i, j + 1, seed);
  const d = hash01(i + 1, j + 1, seed);
  return (a + (b - a) * u) * (1 - v) + (c + (d - c) * u) * v;
}

const BLOB_CELL = 32;

/** A soft disc inside each 32 px cell (60% of cells), radius 3..13 px, +-90 grey levels. */
function blob(x: number, y: number, seed: number): number {
  const i = floor(x / BLOB_CELL);
  const j = floor(y / BLOB_CELL);
  if (hash01(i, j, seed + 1) > 0.6) return 0;
  const r = 3 + 10 * hash01(i, j, seed + 2);
  const cx = i * BLOB_CELL + r + 1 + (BLOB_CELL - 2 * r - 2) * hash01(i, j, seed + 3);
  const cy = j * BLOB_CELL + r + 1 + (BLOB_CELL - 2 * r - 2) * hash01(i, j, seed + 4);
  const amp = (hash01(i, j, seed + 5) - 0.5) * 180;
  const dist = hypot(x - cx, y - cy);
  const edge = min(1, max(0, (r - dist) / 1.5 + 0.5));
  return amp * smooth(edge);
}

/** World texture, grey levels (unclamped). */
export function texture(x: number, y: number, seed: number): number {
  return 40 + 110 * valueNoise(x, y, 23, seed) + 70 * valueNoise(x, y, 9, seed + 17) + blob(x, y, seed + 31);
}

export function invertAffine(m: Affine2x3): Affine2x3 {
  const [a, b, tx, c, d, ty] = m;
  const det = a * d - b * c;
  const ia = d / det;
  const ib = -b / det;
  const ic = -c / det;
  const id = a / det;
  return [ia, ib, -(ia * tx + ib * ty), ic, id, -(ic * tx + id * ty)];
}

/** p -> outer(inner(p)). */
export function composeAffine(outer: Affine2x3, inner: Affine2x3): Affine2x3 {
  const [a, b, tx, c, d, ty] = outer;
  const [e, f, ux, g, h, uy] = inner;
  return [a * e + b * g, a * f + b * h, a * ux + b * uy + tx, c * e + d * g, c * f + d * h, c * ux + d * uy + ty];
}

export function applyAffine(m: Affine2x3, x: number, y: number): [number, number] {
  return [m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]];
}

/** Rotation by `deg` degrees and uniform `scale` about (cx, cy), then translation (dx, dy). */
export function similarityAbout(cx: number, cy: number, deg: number, scale = 1, dx = 0, dy = 0): Affine2x3 {
  const t = (deg * PI) / 180;
  const a = scale * cos(t);
  const b = scale * sin(t);
  return [a, -b, cx - a * cx + b * cy + dx, b, a, cy - b * cx - a * cy + dy];
}

/** A person: a textured rectangle (its own texture, moving rigidly with the box), in frame pixels. */
export interface SyntheticPerson {
  box: BBox;
  seed: number;
}

export interface RenderOptions {
  /** World texture seed. */
  seed: number;
  /** People drawn over the background, in frame pixels. */
  people?: readonly SyntheticPerson[];
  /** Uniform sensor noise of +-noise grey levels (seeded by noiseSeed). */
  noise?: number;
  noiseSeed?: number;
  /** Constant grey frame (no texture) with this level. */
  flat?: number;
}

/**
 * Render a width x height grey frame of the world seen through `worldToFrame` (world point -> frame pixel,
 * continuous coordinates: pixel (i, j) samples the world at worldToFrame^-1 (i + 1/2, j + 1/2)).
 */
export function renderFrame(width: number, height: number, worldToFrame: Affine2x3, opts: RenderOptions): GrayFrame {
  const data = new Uint8Array(width * height);
  const inv = invertAffine(worldToFrame);
  const people = opts.people ?? [];
  let noiseState = (opts.noiseSeed ?? 1) >>> 0;
  for (let j = 0; j < height; j++) {
    for (let i = 0; i < width; i++) {
      const x = i + 0.5;
      const y = j + 0.5;
      let v: number;
      if (opts.flat !== undefined) {
        v = opts.flat;
      } else {
        const wx = inv[0] * x + inv[1] * y + inv[2];
        const wy = inv[3] * x + inv[4] * y + inv[5];
        v = texture(wx, wy, opts.seed);
      }
      for (const p of people) {
        const { x1, y1, x2, y2 } = p.box;
        if (x >= x1 && x < x2 && y >= y1 && y < y2) v = texture(x - x1 + 5000, y - y1 + 5000, p.seed);
      }
      if (opts.noise) {
        noiseState = (imul(noiseState, 1664525) + 1013904223) >>> 0;
        v += (noiseState / 4294967296 - 0.5) * 2 * opts.noise;
      }
      data[j * width + i] = max(0, min(255, round(v)));
    }
  }
  return { width, height, data };
}
