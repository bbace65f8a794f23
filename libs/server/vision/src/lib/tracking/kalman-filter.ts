/**
 * Constant-velocity Kalman filter on (cx, cy, w, h), BoT-SORT's model (Aharon et al. 2022, eq. 1-4), ported from
 * Ultralytics' `KalmanFilterXYWH`. State (8): cx, cy, w, h, vx, vy, vw, vh (velocities per frame step).
 * Process and measurement noise are proportional to the current width / height:
 * sigma_p = 1/20, sigma_v = 1/160 (process), sigma_m = 1/20 (measurement).
 *
 * States are mutated in place (typed arrays, no per-call allocation) to keep 300-track frames cheap.
 */

export const KF_STATE_DIM = 8;
export const KF_MEASURE_DIM = 4;

export interface KalmanState {
  /** cx, cy, w, h, vx, vy, vw, vh. */
  readonly mean: Float64Array;
  /** 8x8 row-major covariance. */
  readonly covariance: Float64Array;
}

export interface KalmanWeights {
  /** Relative standard deviation of position (default 1/20). */
  stdWeightPosition: number;
  /** Relative standard deviation of velocity (default 1/160). */
  stdWeightVelocity: number;
}

const N = KF_STATE_DIM;

export class KalmanFilterXYWH {
  readonly stdWeightPosition: number;
  readonly stdWeightVelocity: number;
  // scratch buffers (the filter is single-threaded and calls do not nest)
  private readonly s = new Float64Array(16);
  private readonly l = new Float64Array(16);
  private readonly gain = new Float64Array(N * 4);
  private readonly topRows = new Float64Array(4 * N);
  private readonly z = new Float64Array(4);

  constructor(weights: Partial<KalmanWeights> = {}) {
    this.stdWeightPosition = weights.stdWeightPosition ?? 1 / 20;
    this.stdWeightVelocity = weights.stdWeightVelocity ?? 1 / 160;
    if (!(this.stdWeightPosition > 0) || !(this.stdWeightVelocity > 0)) {
      throw new RangeError('Kalman std weights must be positive');
    }
  }

  /** New track from a measurement (cx, cy, w, h): zero velocity, covariance proportional to w and h. */
  initiate(measurement: ArrayLike<number>): KalmanState {
    const [cx, cy, w, h] = [measurement[0], measurement[1], measurement[2], measurement[3]];
    const mean = new Float64Array(N);
    mean[0] = cx;
    mean[1] = cy;
    mean[2] = w;
    mean[3] = h;
    const p = 2 * this.stdWeightPosition;
    const q = 10 * this.stdWeightVelocity;
    const std = [p * w, p * h, p * w, p * h, q * w, q * h, q * w, q * h];
    const covariance = new Float64Array(N * N);
    for (let k = 0; k < N; k++) covariance[k * N + k] = std[k] * std[k];
    return { mean, covariance };
  }

  /** Prediction step x = F x, P = F P F^T + Q, with Q from the state's current w and h. */
  predict(state: KalmanState): void {
    const { mean, covariance: P } = state;
    const w = mean[2];
    const h = mean[3];
    const pw = (this.stdWeightPosition * w) ** 2;
    const ph = (this.stdWeightPosition * h) ** 2;
    const vw = (this.stdWeightVelocity * w) ** 2;
    const vh = (this.stdWeightVelocity * h) ** 2;
    for (let k = 0; k < 4; k++) mean[k] += mean[k + 4];
    // F = [[I, I], [0, I]]: rows i<4 += rows i+4, then columns j<4 += columns j+4.
    for (let i = 0; i < 4; i++) {
      const r = i * N;
      const r4 = (i + 4) * N;
      for (let j = 0; j < N; j++) P[r + j] += P[r4 + j];
    }
    for (let i = 0; i < N; i++) {
      const r = i * N;
      for (let j = 0; j < 4; j++) P[r + j] += P[r + j + 4];
    }
    P[0] += pw;
    P[1 * N + 1] += ph;
    P[2 * N + 2] += pw;
    P[3 * N + 3] += ph;
    P[4 * N + 4] += vw;
    P[5 * N + 5] += vh;
    P[6 * N + 6] += vw;
    P[7 * N + 7] += vh;
  }

  /** `predict` for many states (Ultralytics' vectorised multi_predict; same result). */
  multiPredict(states: readonly KalmanState[]): void {
    for (const s of states) this.predict(s);
  }

  /**
   * Projection to measurement space: mean (4) and innovation covariance S = H P H^T + R (4x4), R from the
   * state's w and h. Returned arrays are fresh.
   */
  project(state: KalmanState): { mean: Float64Array; covariance: Float64Array } {
    const mean = state.mean.slice(0, 4);
    const covariance = new Float64Array(16);
    this.innovationCovariance(state, covariance);
    return { mean, covariance };
  }

  /** Correction step with a measurement (cx, cy, w, h). */
  update(state: KalmanState, measurement: ArrayLike<number>): void {
    const { mean, covariance: P } = state;
    const S = this.s;
    this.innovationCovariance(state, S);
    // Cholesky S = L L^T (S is symmetric positive definite: P is PSD and R > 0 for w, h > 0).
    const L = this.l;
    L.fill(0);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j <= i; j++) {
        let sum = S[i * 4 + j];
        for (let k = 0; k < j; k++) sum -= L[i * 4 + k] * L[j * 4 + k];
        if (i === j) {
          if (!(sum > 0)) throw new RangeError('Kalman update: innovation covariance is not positive definite');
          L[i * 4 + i] = Math.sqrt(sum);
        } else {
          L[i * 4 + j] = sum / L[j * 4 + j];
        }
      }
    }
    // Kalman gain K (8x4) = P H^T S^-1: solve S k_r = (P H^T)_r for every row r (P H^T = first 4 columns of P).
    const K = this.gain;
    const z = this.z;
    for (let r = 0; r < N; r++) {
      for (let i = 0; i < 4; i++) {
        let sum = P[r * N + i];
        for (let k = 0; k < i; k++) sum -= L[i * 4 + k] * z[k];
        z[i] = sum / L[i * 4 + i];
      }
      for (let i = 3; i >= 0; i--) {
        let sum = z[i];
        for (let k = i + 1; k < 4; k++) sum -= L[k * 4 + i] * K[r * 4 + k];
        K[r * 4 + i] = sum / L[i * 4 + i];
      }
    }
    const innov0 = measurement[0] - mean[0];
    const innov1 = measurement[1] - mean[1];
    const innov2 = measurement[2] - mean[2];
    const innov3 = measurement[3] - mean[3];
    for (let r = 0; r < N; r++) {
      const k = r * 4;
      mean[r] += K[k] * innov0 + K[k + 1] * innov1 + K[k + 2] * innov2 + K[k + 3] * innov3;
    }
    // P -= K S K^T = K (H P), and H P is the first 4 rows of P (copied first: P is overwritten in place).
    const top = this.topRows;
    for (let k = 0; k < 4 * N; k++) top[k] = P[k];
    for (let r = 0; r < N; r++) {
      const k = r * 4;
      for (let c = 0; c < N; c++) {
        P[r * N + c] -= K[k] * top[c] + K[k + 1] * top[N + c] + K[k + 2] * top[2 * N + c] + K[k + 3] * top[3 * N + c];
      }
    }
  }

  private innovationCovariance(state: KalmanState, out: Float64Array): void {
    const { mean, covariance: P } = state;
    const rw = (this.stdWeightPosition * mean[2]) ** 2;
    const rh = (this.stdWeightPosition * mean[3]) ** 2;
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) out[i * 4 + j] = P[i * N + j];
    out[0] += rw;
    out[5] += rh;
    out[10] += rw;
    out[15] += rh;
  }
}
