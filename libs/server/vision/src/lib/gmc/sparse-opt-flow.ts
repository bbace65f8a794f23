import type { Detection } from '@crowdsafe/contracts';
import { IDENTITY_AFFINE, type Affine2x3, type GlobalMotionCompensation } from '../tracking/gmc';
import { CornerDetector } from './corners';
import { assertInteger, type GrayFrame } from './gray-frame';
import { LucasKanade } from './lucas-kanade';
import { Pyramid, pyramidSizes } from './pyramid';
import { RansacSimilarity, type Similarity } from './similarity';

export interface SparseOptFlowOptions {
  /** Integer box-downscale of the input frame before anything else (Ultralytics: 2). */
  downscale: number;
  /** Shi-Tomasi: at most this many corners per frame (Ultralytics: 1000). */
  maxCorners: number;
  /** Shi-Tomasi: keep corners at least qualityLevel x the strongest (Ultralytics: 0.01). */
  qualityLevel: number;
  /** Shi-Tomasi: minimum distance between corners, working (downscaled) pixels. Ultralytics uses 1; a larger
   * spacing spreads the corners over the frame, which conditions rotation and scale better. */
  minDistance: number;
  /** Shi-Tomasi: absolute floor on a corner's min eigenvalue (3x3 sum of squared grey-level gradients), so a
   * flat or nearly flat frame yields no corners (OpenCV has only the relative qualityLevel). */
  minEigenValue: number;
  /** Widen each detection box by this many working pixels when masking people out. */
  maskMargin: number;
  /** Pyramid levels including the full working resolution (OpenCV maxLevel + 1). */
  levels: number;
  /** Lucas-Kanade window half-size (10: OpenCV's 21x21). */
  winHalf: number;
  /** Lucas-Kanade iterations per level, at most. */
  lkIterations: number;
  /** Lucas-Kanade convergence: stop when the update is below this, working pixels. */
  lkEpsilon: number;
  /** Lucas-Kanade: drop points whose window's min gradient eigenvalue per pixel is below this (grey^2/px^2). */
  lkMinEigen: number;
  /** Forward-backward check: drop a track that does not come back within this distance, working pixels. */
  fbThreshold: number;
  /** RANSAC inlier distance, working pixels (OpenCV estimateAffinePartial2D default 3). */
  ransacThreshold: number;
  ransacMaxIterations: number;
  ransacConfidence: number;
  /** Least-squares refits on the inliers after RANSAC. */
  refineIterations: number;
  /** Fewer inliers than this: report the identity. */
  minInliers: number;
}

export const DEFAULT_SPARSE_OPT_FLOW_OPTIONS: Readonly<SparseOptFlowOptions> = Object.freeze({
  downscale: 2,
  maxCorners: 1000,
  qualityLevel: 0.01,
  minDistance: 5,
  minEigenValue: 2,
  maskMargin: 2,
  levels: 3,
  winHalf: 10,
  lkIterations: 20,
  lkEpsilon: 0.01,
  lkMinEigen: 0.05,
  fbThreshold: 1,
  ransacThreshold: 3,
  ransacMaxIterations: 500,
  ransacConfidence: 0.995,
  refineIterations: 5,
  minInliers: 10,
});

/** Why the last estimate is what it is. */
export type SparseOptFlowStatus =
  | 'ok'
  /** No previous frame (first frame, or after reset()). */
  | 'first-frame'
  /** The frame size (or its scale) changed: state reset, identity. */
  | 'size-change'
  /** The working image is too small for the pyramid and window. */
  | 'too-small'
  /** Fewer than minInliers tracked points / RANSAC inliers (flat frame, everything masked, fast motion). */
  | 'too-few-points'
  /** A model came out with an implausible scale (< 0.5 or > 2) or non-finite values. */
  | 'degenerate';

export interface SparseOptFlowStats {
  status: SparseOptFlowStatus;
  /** Corners found in this frame (tracked into the next one). */
  corners: number;
  /** Previous corners tracked into this frame that passed the forward-backward check and the mask. */
  tracked: number;
  /** RANSAC inliers after refinement (0 unless a model was fitted). */
  inliers: number;
}

/** Per frame-size state: every buffer is allocated here, once. */
interface State {
  width: number;
  height: number;
  sourceWidth: number;
  sourceHeight: number;
  scale: number;
  prev: Pyramid;
  cur: Pyramid;
  hasPrev: boolean;
  mask: Uint8Array;
  corners: CornerDetector;
  keypoints: Float32Array; // previous frame's corners
  keypointCount: number;
  fresh: Float32Array; // this frame's corners
  fwd: Float32Array;
  back: Float32Array;
  status: Uint8Array;
  src: Float32Array;
  dst: Float32Array;
  ransac: RansacSimilarity;
}

/** Minimum working-image side for the coarsest level. */
const MIN_LEVEL_SIDE = 8;

/**
 * Global motion compensation by sparse optical flow, as Ultralytics' `GMC(method='sparseOptFlow')`, in pure
 * TypeScript: on the grey frame box-downscaled by `downscale`, Shi-Tomasi corners outside the (widened) detection
 * boxes (people move on their own), tracked from the previous frame by pyramidal Lucas-Kanade with a
 * forward-backward check, then a RANSAC 4-DoF similarity (estimateAffinePartial2D) refined by least squares on
 * the inliers. The warp maps previous-frame source pixels to current-frame source pixels (see `Affine2x3`);
 * the identity on the first frame, after a size change, or with fewer than `minInliers` inliers.
 *
 * Differences from Ultralytics: detections are masked (Ultralytics passes mask=None), points tracked onto a
 * current detection are dropped too, tracks must pass a forward-backward check, corners are spaced `minDistance`
 * (not 1) apart and must pass an absolute strength floor, the RANSAC is seeded (reproducible), and the working
 * pixel grid is mapped to source pixels exactly (pixel centres), not just by scaling the translation.
 *
 * Memory is bounded: two pyramids (previous and current), the keypoints and fixed scratch buffers, reallocated
 * only when the frame size changes. Frames may carry `scale` (see `rgbToGray`); warps are always in source pixels.
 */
export class SparseOptFlowGmc implements GlobalMotionCompensation<GrayFrame> {
  readonly options: Readonly<SparseOptFlowOptions>;
  private state: State | null = null;
  private readonly lk: LucasKanade;
  private readonly model: Similarity = { a: 1, b: 0, tx: 0, ty: 0 };
  private last: SparseOptFlowStats = { status: 'first-frame', corners: 0, tracked: 0, inliers: 0 };

  constructor(opts: Partial<SparseOptFlowOptions> = {}) {
    const merged: SparseOptFlowOptions = { ...DEFAULT_SPARSE_OPT_FLOW_OPTIONS };
    for (const [k, v] of Object.entries(opts) as Array<[keyof SparseOptFlowOptions, number | undefined]>) {
      if (v !== undefined) merged[k] = v;
    }
    validateOptions(merged);
    this.options = Object.freeze(merged);
    this.lk = new LucasKanade({
      winHalf: merged.winHalf,
      maxIterations: merged.lkIterations,
      epsilon: merged.lkEpsilon,
      minEigen: merged.lkMinEigen,
    });
  }

  /** Diagnostics of the last `estimate`. */
  get stats(): Readonly<SparseOptFlowStats> {
    return this.last;
  }

  reset(): void {
    if (this.state) {
      this.state.hasPrev = false;
      this.state.keypointCount = 0;
    }
    this.last = { status: 'first-frame', corners: 0, tracked: 0, inliers: 0 };
  }

  estimate(frame: GrayFrame, detections: readonly Detection[]): Affine2x3 {
    assertInteger('frame.width', frame.width, 1);
    assertInteger('frame.height', frame.height, 1);
    if (frame.data.length < frame.width * frame.height) {
      throw new RangeError(`frame.data has ${frame.data.length} bytes, need ${frame.width * frame.height}`);
    }
    const frameScale = frame.scale ?? 1;
    if (!(frameScale > 0) || !Number.isFinite(frameScale)) {
      throw new RangeError(`frame.scale must be a positive finite number, got ${frame.scale}`);
    }
    const o = this.options;
    const width = Math.floor(frame.width / o.downscale);
    const height = Math.floor(frame.height / o.downscale);
    const scale = frameScale * o.downscale;

    let st = this.state;
    let sizeChanged = false;
    if (!st || st.sourceWidth !== frame.width || st.sourceHeight !== frame.height || st.scale !== scale) {
      sizeChanged = st !== null;
      st = null;
      this.state = null;
      if (Math.min(width, height) < Math.max(MIN_LEVEL_SIDE, o.winHalf + 1)) {
        this.last = { status: 'too-small', corners: 0, tracked: 0, inliers: 0 };
        return IDENTITY_AFFINE;
      }
      st = this.allocate(frame.width, frame.height, width, height, scale);
      this.state = st;
    }

    st.cur.build(frame.data, frame.width, o.downscale);
    this.buildMask(st, detections);

    let status: SparseOptFlowStatus = sizeChanged ? 'size-change' : 'first-frame';
    let tracked = 0;
    let inliers = 0;
    let warp: Affine2x3 = IDENTITY_AFFINE;
    if (st.hasPrev) {
      tracked = this.trackKeypoints(st);
      status = 'too-few-points';
      if (tracked >= o.minInliers) {
        inliers = st.ransac.estimate(st.src, st.dst, tracked, this.model);
        if (inliers >= o.minInliers) {
          const w = toSourceAffine(this.model, scale);
          if (w) {
            warp = w;
            status = 'ok';
          } else {
            status = 'degenerate';
          }
        }
      }
    }

    // This frame's corners become the keypoints tracked into the next frame; this pyramid the previous one.
    const corners = st.corners.detect(st.cur.levels[0], st.mask, st.fresh);
    [st.keypoints, st.fresh] = [st.fresh, st.keypoints];
    st.keypointCount = corners;
    [st.prev, st.cur] = [st.cur, st.prev];
    st.hasPrev = true;
    this.last = { status, corners, tracked, inliers };
    return warp;
  }

  private allocate(sourceWidth: number, sourceHeight: number, width: number, height: number, scale: number): State {
    const o = this.options;
    let levels = 1;
    while (levels < o.levels) {
      const [w, h] = pyramidSizes(width, height, levels + 1)[levels];
      if (Math.min(w, h) < MIN_LEVEL_SIDE) break;
      levels++;
    }
    const pad = o.winHalf + 2;
    const n = o.maxCorners;
    return {
      width,
      height,
      sourceWidth,
      sourceHeight,
      scale,
      prev: new Pyramid(width, height, levels, pad),
      cur: new Pyramid(width, height, levels, pad),
      hasPrev: false,
      mask: new Uint8Array(width * height),
      corners: new CornerDetector(width, height, {
        maxCorners: n,
        qualityLevel: o.qualityLevel,
        minDistance: o.minDistance,
        minEigenValue: o.minEigenValue,
        border: o.winHalf, // keep level-0 windows inside the image (the replicated border biases the flow)
      }),
      keypoints: new Float32Array(2 * n),
      keypointCount: 0,
      fresh: new Float32Array(2 * n),
      fwd: new Float32Array(2 * n),
      back: new Float32Array(2 * n),
      status: new Uint8Array(n),
      src: new Float32Array(2 * n),
      dst: new Float32Array(2 * n),
      ransac: new RansacSimilarity(n, {
        threshold: o.ransacThreshold,
        maxIterations: o.ransacMaxIterations,
        confidence: o.ransacConfidence,
        refineIterations: o.refineIterations,
      }),
    };
  }

  /** mask = 1 outside every (widened) detection box, in working pixels. Non-finite boxes are ignored. */
  private buildMask(st: State, detections: readonly Detection[]): void {
    const { mask, width: w, height: h, scale } = st;
    const m = this.options.maskMargin;
    mask.fill(1);
    for (const d of detections) {
      const { x1, y1, x2, y2 } = d.box;
      if (!Number.isFinite(x1 + y1 + x2 + y2)) continue;
      const xa = Math.max(0, Math.floor(Math.min(x1, x2) / scale - m));
      const xb = Math.min(w, Math.ceil(Math.max(x1, x2) / scale + m));
      const ya = Math.max(0, Math.floor(Math.min(y1, y2) / scale - m));
      const yb = Math.min(h, Math.ceil(Math.max(y1, y2) / scale + m));
      if (xa >= xb) continue;
      for (let y = ya; y < yb; y++) mask.fill(0, y * w + xa, y * w + xb);
    }
  }

  /**
   * Track the previous keypoints into the current frame (forward), back again from there (backward); keep those
   * that return within fbThreshold and do not land on a current detection. Writes pairs to st.src / st.dst and
   * returns how many.
   */
  private trackKeypoints(st: State): number {
    const n = st.keypointCount;
    if (n === 0) return 0;
    const { keypoints, fwd, back, status, src, dst, mask, width: w } = st;
    this.lk.track(st.prev, st.cur, keypoints, n, fwd, status);
    // Compact the forward survivors (src = start, dst = forward end), then track dst back into the previous frame.
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (!status[i]) continue;
      const qx = fwd[2 * i];
      const qy = fwd[2 * i + 1];
      if (!mask[Math.round(qy) * w + Math.round(qx)]) continue;
      src[2 * m] = keypoints[2 * i];
      src[2 * m + 1] = keypoints[2 * i + 1];
      dst[2 * m] = qx;
      dst[2 * m + 1] = qy;
      m++;
    }
    if (m === 0) return 0;
    this.lk.track(st.cur, st.prev, dst, m, back, status);
    const fb2 = this.options.fbThreshold * this.options.fbThreshold;
    let kept = 0;
    for (let i = 0; i < m; i++) {
      if (!status[i]) continue;
      const ex = back[2 * i] - src[2 * i];
      const ey = back[2 * i + 1] - src[2 * i + 1];
      if (ex * ex + ey * ey > fb2) continue;
      src[2 * kept] = src[2 * i];
      src[2 * kept + 1] = src[2 * i + 1];
      dst[2 * kept] = dst[2 * i];
      dst[2 * kept + 1] = dst[2 * i + 1];
      kept++;
    }
    return kept;
  }
}

/**
 * Working-pixel similarity (pixel i's centre at i) to a source-pixel affine (continuous coordinates, pixel i
 * spans [i, i + 1)): with u = x + 1/2 and U = scale u, U' = A U + scale (t + (I - A) [1/2, 1/2]).
 * Null when the scale is implausible or a value is not finite.
 */
function toSourceAffine(m: Similarity, scale: number): Affine2x3 | null {
  const { a, b } = m;
  const s = Math.hypot(a, b);
  if (!(s >= 0.5 && s <= 2)) return null;
  const tx = scale * (m.tx + 0.5 * (1 - a + b));
  const ty = scale * (m.ty + 0.5 * (1 - a - b));
  const out: Affine2x3 = [a, -b, tx, b, a, ty];
  for (const v of out) if (!Number.isFinite(v)) return null;
  return out;
}

function validateOptions(o: SparseOptFlowOptions): void {
  assertInteger('downscale', o.downscale, 1);
  assertInteger('maxCorners', o.maxCorners, 2);
  assertInteger('levels', o.levels, 1);
  assertInteger('winHalf', o.winHalf, 1);
  assertInteger('lkIterations', o.lkIterations, 1);
  assertInteger('ransacMaxIterations', o.ransacMaxIterations, 1);
  assertInteger('refineIterations', o.refineIterations, 0);
  assertInteger('minInliers', o.minInliers, 2);
  const positive: Array<keyof SparseOptFlowOptions> = ['lkEpsilon', 'fbThreshold', 'ransacThreshold'];
  for (const k of positive) {
    if (!(o[k] > 0) || !Number.isFinite(o[k])) throw new RangeError(`${k} must be a positive number, got ${o[k]}`);
  }
  const nonNegative: Array<keyof SparseOptFlowOptions> = ['minDistance', 'minEigenValue', 'maskMargin', 'lkMinEigen'];
  for (const k of nonNegative) {
    if (!(o[k] >= 0) || !Number.isFinite(o[k])) throw new RangeError(`${k} must be a number >= 0, got ${o[k]}`);
  }
  if (!(o.qualityLevel > 0 && o.qualityLevel < 1)) {
    throw new RangeError(`qualityLevel must be in (0, 1), got ${o.qualityLevel}`);
  }
  if (!(o.ransacConfidence > 0 && o.ransacConfidence < 1)) {
    throw new RangeError(`ransacConfidence must be in (0, 1), got ${o.ransacConfidence}`);
  }
}
