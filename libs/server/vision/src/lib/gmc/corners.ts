import type { PyramidLevel } from './pyramid';

// Math functions bound once: a global `Math.x` lookup per call is costly in sandboxed runtimes (jest's vm).
const { sqrt, floor, ceil, max, min, log2 } = Math;

export interface CornerOptions {
  /** Keep at most this many corners, strongest first. */
  readonly maxCorners: number;
  /** Reject corners weaker than qualityLevel x the strongest (OpenCV goodFeaturesToTrack). */
  readonly qualityLevel: number;
  /** Minimum Euclidean distance between kept corners, working pixels (<= 0: no check). */
  readonly minDistance: number;
  /** Absolute floor on the min eigenvalue (sum over the 3x3 block of squared grey-level gradients). */
  readonly minEigenValue: number;
  /** Ignore this many pixels along the image edges. */
  readonly border: number;
}

/**
 * Shi-Tomasi corners ("good features to track") on a pyramid level: min eigenvalue of the 3x3-summed structure
 * tensor of the level's gradients, masked (mask[y * width + x] = 0 forbids a pixel), thresholded at
 * max(qualityLevel x max, minEigenValue), 3x3 non-maximum suppression, strongest first with a minimum distance.
 * All buffers are allocated once for a frame size.
 */
export class CornerDetector {
  private readonly eig: Float32Array;
  private readonly keys: Float64Array;
  private readonly rows: Float32Array; // 3 ring rows x 3 products (xx, xy, yy) x width
  private readonly cellHead: Int32Array;
  private readonly cellNext: Int32Array;
  private readonly cellW: number;
  private readonly cellSize: number;
  private readonly indexSpan: number;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly opts: CornerOptions,
  ) {
    const n = width * height;
    this.eig = new Float32Array(n);
    this.keys = new Float64Array(n);
    this.rows = new Float32Array(9 * width);
    this.cellSize = max(1, ceil(opts.minDistance));
    this.cellW = ceil(width / this.cellSize);
    this.cellHead = new Int32Array(this.cellW * ceil(height / this.cellSize));
    this.cellNext = new Int32Array(opts.maxCorners);
    this.indexSpan = 2 ** ceil(log2(n + 1));
  }

  /** Horizontal 3-sums of gx^2, gx*gy, gy^2 for image row y (may be -1 or height: gradients exist in the border). */
  private horizontalSums(level: PyramidLevel, y: number, slot: number): void {
    const { gx, gy, stride, origin } = level;
    const w = this.width;
    const o = slot * 3 * w;
    const r = this.rows;
    let c = origin + y * stride - 1;
    let ax0 = gx[c] * gx[c], ay0 = gy[c] * gy[c], axy0 = gx[c] * gy[c];
    c++;
    let ax1 = gx[c] * gx[c], ay1 = gy[c] * gy[c], axy1 = gx[c] * gy[c];
    for (let x = 0; x < w; x++) {
      c++;
      const ax2 = gx[c] * gx[c];
      const ay2 = gy[c] * gy[c];
      const axy2 = gx[c] * gy[c];
      r[o + x] = ax0 + ax1 + ax2;
      r[o + w + x] = axy0 + axy1 + axy2;
      r[o + 2 * w + x] = ay0 + ay1 + ay2;
      ax0 = ax1; ay0 = ay1; axy0 = axy1;
      ax1 = ax2; ay1 = ay2; axy1 = axy2;
    }
  }

  /**
   * Detect corners; writes (x, y) pairs into `out` (length >= 2 * maxCorners) and returns how many.
   * `level` must be width x height.
   */
  detect(level: PyramidLevel, mask: Uint8Array, out: Float32Array): number {
    const { width: w, height: h, eig, rows } = this;
    const { maxCorners, qualityLevel, minDistance, minEigenValue } = this.opts;
    const border = max(1, this.opts.border);
    if (w <= 2 * border || h <= 2 * border) return 0;

    // Min eigenvalue map (0 where masked).
    let maxEig = 0;
    this.horizontalSums(level, -1, 0);
    this.horizontalSums(level, 0, 1);
    for (let y = 0; y < h; y++) {
      this.horizontalSums(level, y + 1, (y + 2) % 3);
      const o0 = (y % 3) * 3 * w;
      const o1 = ((y + 1) % 3) * 3 * w;
      const o2 = ((y + 2) % 3) * 3 * w;
      const e = y * w;
      for (let x = 0; x < w; x++) {
        if (mask[e + x] === 0) {
          eig[e + x] = 0;
          continue;
        }
        const a = rows[o0 + x] + rows[o1 + x] + rows[o2 + x];
        const b = rows[o0 + w + x] + rows[o1 + w + x] + rows[o2 + w + x];
        const d = rows[o0 + 2 * w + x] + rows[o1 + 2 * w + x] + rows[o2 + 2 * w + x];
        const half = (a - d) * 0.5;
        const v = (a + d) * 0.5 - sqrt(half * half + b * b);
        eig[e + x] = v;
        if (v > maxEig && x >= border && x < w - border && y >= border && y < h - border) maxEig = v;
      }
    }
    const thresh = max(qualityLevel * maxEig, minEigenValue);
    if (!(maxEig > 0) || maxEig < thresh) return 0;

    // Local maxima above the threshold, keyed (quantised strength, index) so a numeric sort orders them.
    const span = this.indexSpan;
    const quant = floor(2 ** 52 / span) - 1;
    const qScale = quant / maxEig;
    let n = 0;
    for (let y = border; y < h - border; y++) {
      for (let x = border; x < w - border; x++) {
        const c = y * w + x;
        const v = eig[c];
        if (v < thresh) continue;
        const u = c - w;
        const dn = c + w;
        if (
          v < eig[c - 1] || v < eig[c + 1] || v < eig[u] || v < eig[dn] ||
          v < eig[u - 1] || v < eig[u + 1] || v < eig[dn - 1] || v < eig[dn + 1]
        ) continue;
        this.keys[n++] = floor(v * qScale) * span + c;
      }
    }
    const keys = this.keys.subarray(0, n).sort();

    // Strongest first, at least minDistance apart (grid of cells minDistance wide).
    const check = minDistance > 0;
    const md2 = minDistance * minDistance;
    const cs = this.cellSize;
    const cw = this.cellW;
    const ch = this.cellHead.length / cw;
    if (check) this.cellHead.fill(-1);
    let count = 0;
    for (let k = n - 1; k >= 0 && count < maxCorners; k--) {
      const c = keys[k] % span;
      const y = floor(c / w);
      const x = c - y * w;
      if (check) {
        const gx = floor(x / cs);
        const gy = floor(y / cs);
        let ok = true;
        for (let yy = max(0, gy - 1); ok && yy <= min(ch - 1, gy + 1); yy++) {
          for (let xx = max(0, gx - 1); ok && xx <= min(cw - 1, gx + 1); xx++) {
            for (let j = this.cellHead[yy * cw + xx]; j >= 0; j = this.cellNext[j]) {
              const dx = out[2 * j] - x;
              const dy = out[2 * j + 1] - y;
              if (dx * dx + dy * dy < md2) {
                ok = false;
                break;
              }
            }
          }
        }
        if (!ok) continue;
        const cell = gy * cw + gx;
        this.cellNext[count] = this.cellHead[cell];
        this.cellHead[cell] = count;
      }
      out[2 * count] = x;
      out[2 * count + 1] = y;
      count++;
    }
    return count;
  }
}
