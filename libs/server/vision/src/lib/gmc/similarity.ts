/**
 * A 4-DoF similarity (rotation, uniform scale, translation) `x' = a x - b y + tx, y' = b x + a y + ty`, i.e. the
 * 2x3 `[[a, -b, tx], [b, a, ty]]` with a = s cos(theta), b = s sin(theta) (OpenCV's estimateAffinePartial2D model).
 */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

export interface RansacOptions {
  /** Inlier if the transferred point lands within this distance of its match, pixels (OpenCV's default 3). */
  readonly threshold: number;
  /** RANSAC iterations at most (fewer once the confidence is reached). */
  readonly maxIterations: number;
  /** Stop when a better model would have been sampled with this probability (OpenCV 0.99). */
  readonly confidence: number;
  /** Least-squares refits on the inliers, each re-selecting the inliers, at most. */
  readonly refineIterations: number;
}

/**
 * Least-squares similarity from points src[k] -> dst[k] (x, y pairs) over k with use[k] = 1 (all k when `use` is
 * null), centred for conditioning. Returns false when fewer than 2 points or they coincide.
 */
export function fitSimilarity(
  src: Float32Array,
  dst: Float32Array,
  n: number,
  use: Uint8Array | null,
  out: Similarity,
): boolean {
  let m = 0;
  let sx = 0;
  let sy = 0;
  let su = 0;
  let sv = 0;
  for (let k = 0; k < n; k++) {
    if (use && !use[k]) continue;
    m++;
    sx += src[2 * k];
    sy += src[2 * k + 1];
    su += dst[2 * k];
    sv += dst[2 * k + 1];
  }
  if (m < 2) return false;
  const mx = sx / m;
  const my = sy / m;
  const mu = su / m;
  const mv = sv / m;
  let ss = 0;
  let sa = 0;
  let sb = 0;
  for (let k = 0; k < n; k++) {
    if (use && !use[k]) continue;
    const x = src[2 * k] - mx;
    const y = src[2 * k + 1] - my;
    const u = dst[2 * k] - mu;
    const v = dst[2 * k + 1] - mv;
    ss += x * x + y * y;
    sa += x * u + y * v;
    sb += x * v - y * u;
  }
  if (!(ss > 1e-9)) return false;
  const a = sa / ss;
  const b = sb / ss;
  out.a = a;
  out.b = b;
  out.tx = mu - (a * mx - b * my);
  out.ty = mv - (b * mx + a * my);
  return true;
}

/** Marks use[k] = 1 where the model transfers src[k] within `threshold` of dst[k]; returns the count. */
export function selectInliers(
  model: Similarity,
  src: Float32Array,
  dst: Float32Array,
  n: number,
  threshold: number,
  use: Uint8Array,
): number {
  const { a, b, tx, ty } = model;
  const t2 = threshold * threshold;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const x = src[2 * k];
    const y = src[2 * k + 1];
    const ex = a * x - b * y + tx - dst[2 * k];
    const ey = b * x + a * y + ty - dst[2 * k + 1];
    const inlier = ex * ex + ey * ey <= t2 ? 1 : 0;
    use[k] = inlier;
    count += inlier;
  }
  return count;
}

/** mulberry32, seeded per call so estimates are reproducible. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** RANSAC over 2-point minimal samples, then least-squares refinement on the inliers. Buffers sized once. */
export class RansacSimilarity {
  private readonly use: Uint8Array;
  private readonly sample: Similarity = { a: 1, b: 0, tx: 0, ty: 0 };

  constructor(
    readonly capacity: number,
    private readonly opts: RansacOptions,
  ) {
    this.use = new Uint8Array(capacity);
  }

  /** The inlier flags of the last `estimate` (first n entries). */
  get inliers(): Uint8Array {
    return this.use;
  }

  /**
   * Fit src -> dst (n <= capacity x, y pairs). Writes the model to `out` and returns the inlier count (0 when no
   * model could be fitted).
   */
  estimate(src: Float32Array, dst: Float32Array, n: number, out: Similarity, seed = 0x9e3779b9): number {
    if (n > this.capacity) throw new RangeError(`RansacSimilarity holds ${this.capacity} points, got ${n}`);
    const { threshold, maxIterations, confidence, refineIterations } = this.opts;
    const use = this.use;
    if (n < 2) return 0;
    const rand = mulberry32(seed);
    const t2 = threshold * threshold;
    const minSpread2 = 4 * t2; // minimal-sample points closer than this give a poorly conditioned rotation/scale
    const m = this.sample;
    let best = 0;
    let iterations = maxIterations;
    for (let it = 0; it < iterations; it++) {
      const i = Math.floor(rand() * n);
      let j = Math.floor(rand() * (n - 1));
      if (j >= i) j++;
      const x1 = src[2 * i];
      const y1 = src[2 * i + 1];
      const dx = src[2 * j] - x1;
      const dy = src[2 * j + 1] - y1;
      const ss = dx * dx + dy * dy;
      if (ss < minSpread2) continue;
      const du = dst[2 * j] - dst[2 * i];
      const dv = dst[2 * j + 1] - dst[2 * i + 1];
      m.a = (dx * du + dy * dv) / ss;
      m.b = (dx * dv - dy * du) / ss;
      m.tx = dst[2 * i] - (m.a * x1 - m.b * y1);
      m.ty = dst[2 * i + 1] - (m.b * x1 + m.a * y1);
      // Count inliers (inline: this is the hot loop).
      let count = 0;
      for (let k = 0; k < n; k++) {
        const x = src[2 * k];
        const y = src[2 * k + 1];
        const ex = m.a * x - m.b * y + m.tx - dst[2 * k];
        const ey = m.b * x + m.a * y + m.ty - dst[2 * k + 1];
        if (ex * ex + ey * ey <= t2) count++;
      }
      if (count > best) {
        best = count;
        out.a = m.a;
        out.b = m.b;
        out.tx = m.tx;
        out.ty = m.ty;
        const w = count / n;
        const p = 1 - w * w;
        if (p <= 0) break;
        const needed = Math.ceil(Math.log(1 - confidence) / Math.log(p));
        if (Number.isFinite(needed)) iterations = Math.min(iterations, Math.max(needed, it + 1));
      }
    }
    if (best < 2) return 0;

    // Refine: least squares on the inliers, re-select, until the set stops changing.
    let count = selectInliers(out, src, dst, n, threshold, use);
    for (let r = 0; r < refineIterations; r++) {
      if (!fitSimilarity(src, dst, n, use, m)) break;
      out.a = m.a;
      out.b = m.b;
      out.tx = m.tx;
      out.ty = m.ty;
      const next = selectInliers(out, src, dst, n, threshold, use);
      if (next === count) {
        count = next;
        break;
      }
      count = next;
    }
    return count;
  }
}
