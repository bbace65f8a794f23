import type { Detection } from '@crowdsafe/contracts';
import { KF_STATE_DIM, type KalmanState } from './kalman-filter';

/**
 * Row-major 2x3 affine `[a, b, tx, c, d, ty]` = [[a, b, tx], [c, d, ty]], mapping pixel coordinates of the
 * previous frame to the current frame (what Ultralytics' `GMC.apply` returns as a 2x3 `H`).
 */
export type Affine2x3 = readonly [number, number, number, number, number, number];

export const IDENTITY_AFFINE: Affine2x3 = [1, 0, 0, 0, 1, 0];

/**
 * Camera-motion compensation (BoT-SORT section 3.2). An implementation estimates, once per frame, the affine
 * warp between the previous and the current frame (Ultralytics: sparse optical flow / ORB / SIFT / ECC on the
 * downscaled grey frame, masking out the detected boxes) and the caller passes it to `BotSortTracker.update`:
 *
 *   const warp = gmc.estimate(frame, detections);
 *   const out = tracker.update(detections, frameIndex, warp);
 *
 * The frame type is left to the implementation (this library does no image I/O). Fixed cameras need none:
 * `NoMotionCompensation` (the default here, unlike Ultralytics' sparseOptFlow) always returns the identity.
 */
export interface GlobalMotionCompensation<TFrame = unknown> {
  /** Warp from the previous frame to `frame`; the identity on the first frame or when estimation fails. */
  estimate(frame: TFrame, detections: readonly Detection[]): Affine2x3;
  /** Forget the previous frame (new stream / tracker reset). */
  reset(): void;
}

/** Static camera: no motion to compensate. */
export class NoMotionCompensation implements GlobalMotionCompensation {
  estimate(): Affine2x3 {
    return IDENTITY_AFFINE;
  }

  reset(): void {
    // stateless
  }
}

/** Throws RangeError unless `affine` has 6 finite numbers. */
export function assertAffine(affine: readonly number[]): asserts affine is Affine2x3 {
  if (affine.length !== 6) throw new RangeError(`affine must have 6 values (2x3 row-major), got ${affine.length}`);
  for (let k = 0; k < 6; k++) {
    if (!Number.isFinite(affine[k])) throw new RangeError(`affine[${k}] is not finite (${affine[k]})`);
  }
}

export function isIdentityAffine(a: Affine2x3): boolean {
  return a[0] === 1 && a[1] === 0 && a[2] === 0 && a[3] === 0 && a[4] === 1 && a[5] === 0;
}

/**
 * Warp a Kalman state by the affine, as Ultralytics' `STrack.multi_gmc`: with R = [[a, b], [c, d]] and
 * R8 = kron(I4, R), mean = R8 mean + [tx, ty, 0, ...], covariance = R8 P R8^T. (Like Ultralytics, the 2x2 part
 * is also applied to the (w, h) and (vw, vh) pairs.)
 */
export function warpKalmanState(state: KalmanState, affine: Affine2x3): void {
  const [a, b, tx, c, d, ty] = affine;
  const { mean, covariance: P } = state;
  const n = KF_STATE_DIM;
  for (let k = 0; k < n; k += 2) {
    const u = mean[k];
    const w = mean[k + 1];
    mean[k] = a * u + b * w;
    mean[k + 1] = c * u + d * w;
  }
  mean[0] += tx;
  mean[1] += ty;
  // rows: P <- R8 P
  for (let i = 0; i < n; i += 2) {
    const r0 = i * n;
    const r1 = (i + 1) * n;
    for (let j = 0; j < n; j++) {
      const u = P[r0 + j];
      const w = P[r1 + j];
      P[r0 + j] = a * u + b * w;
      P[r1 + j] = c * u + d * w;
    }
  }
  // columns: P <- P R8^T
  for (let i = 0; i < n; i++) {
    const r = i * n;
    for (let j = 0; j < n; j += 2) {
      const u = P[r + j];
      const w = P[r + j + 1];
      P[r + j] = a * u + b * w;
      P[r + j + 1] = c * u + d * w;
    }
  }
}
