/** Small dense linear algebra for the calibration (row-major Float64 matrices). */

export interface Svd {
  /** Singular values, descending. */
  s: Float64Array;
  /** Right singular vectors: column k of V (row-major n x n) belongs to s[k]. */
  v: Float64Array;
}

/**
 * Singular values and right singular vectors of an m x n matrix (row-major) by one-sided Jacobi (Hestenes).
 * Accurate for the small systems here (n <= 9); works for m < n (rows are zero-padded).
 */
export function svdJacobi(a: ArrayLike<number>, m: number, n: number): Svd {
  const rows = Math.max(m, n);
  const u = new Float64Array(rows * n);
  for (let i = 0; i < m * n; i++) u[i] = a[i];
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const eps = 1e-15;
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < rows; i++) {
          const up = u[i * n + p];
          const uq = u[i * n + q];
          alpha += up * up;
          beta += uq * uq;
          gamma += up * uq;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < rows; i++) {
          const up = u[i * n + p];
          const uq = u[i * n + q];
          u[i * n + p] = c * up - s * uq;
          u[i * n + q] = s * up + c * uq;
        }
        for (let i = 0; i < n; i++) {
          const vp = v[i * n + p];
          const vq = v[i * n + q];
          v[i * n + p] = c * vp - s * vq;
          v[i * n + q] = s * vp + c * vq;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += u[i * n + k] * u[i * n + k];
    norms[k] = Math.sqrt(sum);
  }
  const order = Array.from({ length: n }, (_, k) => k).sort((x, y) => norms[y] - norms[x]);
  const s = new Float64Array(n);
  const vs = new Float64Array(n * n);
  order.forEach((k, col) => {
    s[col] = norms[k];
    for (let i = 0; i < n; i++) vs[i * n + col] = v[i * n + k];
  });
  return { s, v: vs };
}

/** Product of two 3x3 row-major matrices. */
export function mul3(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const r = new Array<number>(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      r[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
    }
  }
  return r;
}

export function det3(m: ArrayLike<number>): number {
  return (
    m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6])
  );
}

/** Inverse of a 3x3 matrix, or null when singular. */
export function inv3(m: ArrayLike<number>): number[] | null {
  const d = det3(m);
  if (!Number.isFinite(d) || d === 0) return null;
  const r = [
    m[4] * m[8] - m[5] * m[7],
    m[2] * m[7] - m[1] * m[8],
    m[1] * m[5] - m[2] * m[4],
    m[5] * m[6] - m[3] * m[8],
    m[0] * m[8] - m[2] * m[6],
    m[2] * m[3] - m[0] * m[5],
    m[3] * m[7] - m[4] * m[6],
    m[1] * m[6] - m[0] * m[7],
    m[0] * m[4] - m[1] * m[3],
  ];
  for (let i = 0; i < 9; i++) r[i] /= d;
  return r;
}

/** 2-norm condition number sigma_max / sigma_min of a 3x3 matrix (Infinity when singular). */
export function cond3(m: ArrayLike<number>): number {
  const { s } = svdJacobi(m, 3, 3);
  return s[2] === 0 ? Infinity : s[0] / s[2];
}
