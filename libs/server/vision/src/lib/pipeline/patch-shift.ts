import type { BBox } from '@crowdsafe/contracts';
import type { GrayFrame } from '../gmc/gray-frame';

/** A measured displacement of a box's content between two frames, source-frame pixels. */
export interface PatchShift {
  dx: number;
  dy: number;
}

export interface PatchShiftOptions {
  /** Search radius around the guess, in grey-frame pixels, as a fraction of the box height there (default 0.25). */
  radiusFraction?: number;
  /** Search radius cap, grey-frame pixels (default 8). */
  maxRadius?: number;
  /**
   * The best shift must beat the worst one in the search window by at least this mean absolute grey-level difference
   * per pixel, else the patch has no texture to lock on to and no motion is reported (default 2).
   */
  minContrast?: number;
}

/** Pixels of a box compared per shift, at most (about). */
const MAX_SAMPLES = 64;

/** Boxes smaller than this (grey-frame pixels, either side) carry too little texture to be matched. */
const MIN_SIDE = 3;

/**
 * Where the content of `box` (source pixels, on `prev`) moved on `cur`: block matching (sum of absolute grey-level
 * differences over a regular subsample of at most ~64 pixels of the box) over the shifts within a radius of `guess`
 * (the motion the velocity predicts; radius = radiusFraction x box height, at least 1 and at most maxRadius grey
 * pixels). Both frames must be the same size;
 * boxes are mapped by their `scale` (source pixels per grey pixel). Returns null when the box is too small or mostly
 * outside the frame, or the match is not distinct (a flat patch, see minContrast). Pure; O(64 x window).
 */
export function patchShift(prev: GrayFrame, cur: GrayFrame, box: BBox, guess: PatchShift, opts: PatchShiftOptions = {}): PatchShift | null {
  if (prev.width !== cur.width || prev.height !== cur.height) return null;
  const s = prev.scale ?? 1;
  const W = prev.width;
  const H = prev.height;
  const x1 = Math.max(0, Math.round(box.x1 / s));
  const y1 = Math.max(0, Math.round(box.y1 / s));
  const x2 = Math.min(W, Math.round(box.x2 / s));
  const y2 = Math.min(H, Math.round(box.y2 / s));
  const bw = x2 - x1;
  const bh = y2 - y1;
  if (bw < MIN_SIDE || bh < MIN_SIDE) return null;
  // Mostly outside the frame (a person walking out): the visible part is not the person's motion.
  const fullH = (box.y2 - box.y1) / s;
  const fullW = (box.x2 - box.x1) / s;
  if (bh * bw < 0.5 * fullH * fullW) return null;
  const r = Math.max(1, Math.min(opts.maxRadius ?? 8, Math.round((opts.radiusFraction ?? 0.25) * fullH)));
  const gx = Math.round(guess.dx / s);
  const gy = Math.round(guess.dy / s);
  // At most ~MAX_SAMPLES pixels of the box are compared (a regular subsample), whatever its size.
  const step = Math.max(1, Math.ceil(Math.sqrt((bw * bh) / MAX_SAMPLES)));
  const p = prev.data;
  const c = cur.data;
  let n = 0;
  const sad = (dx: number, dy: number): number => {
    if (y1 + dy < 0 || y2 + dy > H || x1 + dx < 0 || x2 + dx > W) return Number.POSITIVE_INFINITY;
    let cost = 0;
    n = 0;
    for (let y = y1; y < y2; y += step) {
      const rp = y * W;
      const rc = (y + dy) * W + dx;
      for (let x = x1; x < x2; x += step) {
        const d = p[rp + x] - c[rc + x];
        cost += d < 0 ? -d : d;
        n++;
      }
    }
    return cost;
  };
  let best = Number.POSITIVE_INFINITY;
  let worst = 0;
  let bdx = gx;
  let bdy = gy;
  let samples = 0;
  // Ties go to the shift closest to the guess (the velocity's prediction).
  const consider = (dx: number, dy: number): void => {
    const cost = sad(dx, dy);
    if (!Number.isFinite(cost)) return;
    samples = n;
    const tie = cost === best && Math.abs(dx - gx) + Math.abs(dy - gy) < Math.abs(bdx - gx) + Math.abs(bdy - gy);
    if (cost < best || tie) {
      best = cost;
      bdx = dx;
      bdy = dy;
    }
    if (cost > worst) worst = cost;
  };
  for (let dy = gy - r; dy <= gy + r; dy++) for (let dx = gx - r; dx <= gx + r; dx++) consider(dx, dy);
  n = samples;
  if (!Number.isFinite(best) || n === 0) return null;
  // Distinct: the best match is clearly better than the worst shift in the window (texture to lock on to).
  if ((worst - best) / n < (opts.minContrast ?? 2)) return null;
  return { dx: bdx * s, dy: bdy * s };
}

/**
 * The green channel of packed RGB24, 2x2-averaged (half width and height, scale 2): a cheap luma stand-in for
 * patchShift (green carries most of the luma), ~4x cheaper than rgbToGray. `out` (at least half x half bytes) is
 * reused when given. Throws RangeError when `rgb` is shorter than width x height x 3.
 */
export function greenHalf(rgb: Uint8Array, width: number, height: number, out?: Uint8Array): GrayFrame {
  if (rgb.length < width * height * 3) throw new RangeError(`rgb has ${rgb.length} bytes, need ${width * height * 3} for ${width}x${height} RGB24`);
  const ow = width >> 1;
  const oh = height >> 1;
  const data = out && out.length >= ow * oh ? out : new Uint8Array(ow * oh);
  const row = width * 3;
  for (let y = 0; y < oh; y++) {
    let a = 2 * y * row + 1;
    let o = y * ow;
    for (let x = 0; x < ow; x++, a += 6, o++) data[o] = (rgb[a] + rgb[a + 3] + rgb[a + row] + rgb[a + row + 3] + 2) >> 2;
  }
  return { width: ow, height: oh, data, scale: 2 };
}
