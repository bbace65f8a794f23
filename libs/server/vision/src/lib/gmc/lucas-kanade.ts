import type { Pyramid } from './pyramid';

// Math functions bound once: a global `Math.x` lookup per call is costly in sandboxed runtimes (jest's vm).
const { sqrt, floor, round, abs } = Math;

/** Convergence threshold on the levels above 0, pixels of that level. */
const COARSE_EPSILON = 0.1;

export interface LucasKanadeOptions {
  /** Window half-size: the window is (2 * winHalf + 1)^2 (OpenCV's default 21x21 -> 10). */
  readonly winHalf: number;
  /** Gauss-Newton iterations per level, at most. */
  readonly maxIterations: number;
  /** Stop at level 0 when the update is shorter than this, pixels (coarser levels: max(epsilon, 0.1), since the
   * next level refines them anyway). */
  readonly epsilon: number;
  /** Drop a point whose window's gradient matrix has min eigenvalue / window area below this (grey^2 / px^2). */
  readonly minEigen: number;
}

/**
 * Pyramidal Lucas-Kanade (Bouguet; the algorithm of OpenCV's calcOpticalFlowPyrLK): for each point, from the
 * coarsest level down, iterate d <- d + G^-1 sum((I - J) grad I) over a window, where G is the window's gradient
 * matrix of the previous image I (bilinear, sub-pixel) and J the next image sampled at the current guess; the
 * result of a level, doubled, seeds the next finer one. Pyramids must have a border of at least winHalf + 2.
 */
export class LucasKanade {
  /** The previous image's window: (value, d/dx, d/dy) per pixel, interleaved. */
  private readonly patch: Float32Array;

  constructor(private readonly opts: LucasKanadeOptions) {
    const win = 2 * opts.winHalf + 1;
    this.patch = new Float32Array(3 * win * win);
  }

  /**
   * Track `count` level-0 points (x, y pairs in `from`) from `prev` into `next`; writes the tracked positions to
   * `to` and 1/0 to `status` (0: flat window, left the image, or diverged). The search starts at the point itself.
   */
  track(
    prev: Pyramid,
    next: Pyramid,
    from: Float32Array,
    count: number,
    to: Float32Array,
    status: Uint8Array,
  ): void {
    const { winHalf: half, maxIterations, epsilon, minEigen } = this.opts;
    const win = 2 * half + 1;
    const area = win * win;
    const eps2 = epsilon * epsilon;
    const coarseEps2 = Math.max(epsilon, COARSE_EPSILON) ** 2;
    const pw = this.patch;
    const top = prev.levels.length - 1;
    const topScale = 1 / (1 << top);

    for (let i = 0; i < count; i++) {
      let qx = from[2 * i] * topScale;
      let qy = from[2 * i + 1] * topScale;
      let ok = true;
      for (let L = top; L >= 0 && ok; L--) {
        const lp = prev.levels[L];
        const ln = next.levels[L];
        const scale = 1 / (1 << L);
        // The window of the previous image is taken at the nearest pixel (no interpolation: 3 reads a pixel, not
        // 12) and the sub-pixel remainder (fx, fy) is carried over to the next image: tracking p = round(p) + f to
        // q is tracking round(p) to q - f, exact for a locally translating window.
        const rx = round(from[2 * i] * scale) | 0;
        const ry = round(from[2 * i + 1] * scale) | 0;
        const fx = from[2 * i] * scale - rx;
        const fy = from[2 * i + 1] * scale - ry;
        const { image: I, gx: GX, gy: GY, stride: ps } = lp;
        let a11 = 0;
        let a12 = 0;
        let a22 = 0;
        let k = 0;
        for (let wy = -half; wy <= half; wy++) {
          let c = lp.origin + (ry + wy) * ps + rx - half;
          for (let wx = 0; wx < win; wx++, c++, k += 3) {
            const vx = GX[c];
            const vy = GY[c];
            pw[k] = I[c];
            pw[k + 1] = vx;
            pw[k + 2] = vy;
            a11 += vx * vx;
            a12 += vx * vy;
            a22 += vy * vy;
          }
        }
        const det = a11 * a22 - a12 * a12;
        const minEig = (a11 + a22 - sqrt((a11 - a22) * (a11 - a22) + 4 * a12 * a12)) / (2 * area);
        if (!(minEig >= minEigen) || !(det > 0)) {
          ok = false;
          break;
        }
        const inv = 1 / det;

        const J = ln.image;
        const ns = ln.stride;
        let pdx = 0;
        let pdy = 0;
        for (let it = 0; it < maxIterations; it++) {
          if (!(qx >= -1 && qx <= ln.width && qy >= -1 && qy <= ln.height)) {
            ok = false;
            break;
          }
          const x0 = qx - fx - half;
          const y0 = qy - fy - half;
          const jx = floor(x0) | 0;
          const jy = floor(y0) | 0;
          const ax = x0 - jx;
          const ay = y0 - jy;
          const w00 = (1 - ax) * (1 - ay);
          const w01 = ax * (1 - ay);
          const w10 = (1 - ax) * ay;
          const w11 = ax * ay;
          let b1 = 0;
          let b2 = 0;
          k = 0;
          for (let wy = 0; wy < win; wy++) {
            let c = ln.origin + (jy + wy) * ns + jx;
            // Slide along the row keeping the left column's two samples (2 reads a pixel instead of 4).
            let top0 = J[c];
            let bot0 = J[c + ns];
            for (let wx = 0; wx < win; wx++, k += 3) {
              c++;
              const top1 = J[c];
              const bot1 = J[c + ns];
              const diff = pw[k] - (w00 * top0 + w01 * top1 + w10 * bot0 + w11 * bot1);
              b1 += diff * pw[k + 1];
              b2 += diff * pw[k + 2];
              top0 = top1;
              bot0 = bot1;
            }
          }
          const dx = (a22 * b1 - a12 * b2) * inv;
          const dy = (a11 * b2 - a12 * b1) * inv;
          qx += dx;
          qy += dy;
          if (dx * dx + dy * dy < (L > 0 ? coarseEps2 : eps2)) break;
          if (it > 0 && abs(dx + pdx) < 0.01 && abs(dy + pdy) < 0.01) {
            // Oscillating between two positions: settle in the middle (as OpenCV).
            qx -= dx * 0.5;
            qy -= dy * 0.5;
            break;
          }
          pdx = dx;
          pdy = dy;
        }
        if (ok && L > 0) {
          qx *= 2;
          qy *= 2;
        }
      }
      const l0 = next.levels[0];
      if (ok && !(qx >= 0 && qx <= l0.width - 1 && qy >= 0 && qy <= l0.height - 1)) ok = false;
      to[2 * i] = qx;
      to[2 * i + 1] = qy;
      status[i] = ok ? 1 : 0;
    }
  }
}
