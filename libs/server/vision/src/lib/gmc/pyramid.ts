import { boxDownscaleToFloat } from './gray-frame';

/**
 * One pyramid level: a float32 image with a replicated border of `pad` pixels on every side (so Lucas-Kanade
 * windows near the edge read valid memory without per-pixel clamping), and its Scharr gradients (true units:
 * grey levels per pixel). Pixel (x, y) of the image, 0 <= x < width, lives at `origin + y * stride + x`.
 */
export interface PyramidLevel {
  readonly width: number;
  readonly height: number;
  readonly pad: number;
  readonly stride: number;
  readonly origin: number;
  readonly image: Float32Array;
  readonly gx: Float32Array;
  readonly gy: Float32Array;
}

/** Level sizes as OpenCV's pyrDown: ceil(w / 2) x ceil(h / 2). */
export function pyramidSizes(width: number, height: number, levels: number): Array<[number, number]> {
  const sizes: Array<[number, number]> = [[width, height]];
  for (let k = 1; k < levels; k++) {
    const [w, h] = sizes[k - 1];
    sizes.push([(w + 1) >> 1, (h + 1) >> 1]);
  }
  return sizes;
}

function allocLevel(width: number, height: number, pad: number): PyramidLevel {
  const stride = width + 2 * pad;
  const size = stride * (height + 2 * pad);
  return {
    width,
    height,
    pad,
    stride,
    origin: pad * stride + pad,
    image: new Float32Array(size),
    gx: new Float32Array(size),
    gy: new Float32Array(size),
  };
}

/** Fill the border of `level.image` by replicating the edge pixels. */
function replicateBorder(level: PyramidLevel): void {
  const { width: w, height: h, pad, stride, image } = level;
  for (let y = 0; y < h; y++) {
    const row = (y + pad) * stride;
    const left = image[row + pad];
    const right = image[row + pad + w - 1];
    for (let x = 0; x < pad; x++) {
      image[row + x] = left;
      image[row + pad + w + x] = right;
    }
  }
  const first = pad * stride;
  const last = (pad + h - 1) * stride;
  for (let y = 0; y < pad; y++) {
    image.copyWithin(y * stride, first, first + stride);
    image.copyWithin((pad + h + y) * stride, last, last + stride);
  }
}

/** Scharr derivatives / 32 over the padded image (the outermost ring stays 0). */
function gradients(level: PyramidLevel): void {
  const { stride, image: I, gx, gy } = level;
  const rows = I.length / stride;
  for (let y = 1; y < rows - 1; y++) {
    const r = y * stride;
    for (let x = 1; x < stride - 1; x++) {
      const c = r + x;
      const up = c - stride;
      const dn = c + stride;
      gx[c] = (3 * (I[up + 1] - I[up - 1] + I[dn + 1] - I[dn - 1]) + 10 * (I[c + 1] - I[c - 1])) * (1 / 32);
      gy[c] = (3 * (I[dn - 1] - I[up - 1] + I[dn + 1] - I[up + 1]) + 10 * (I[dn] - I[up])) * (1 / 32);
    }
  }
}

/** 5x5 Gaussian [1 4 6 4 1]^2 / 256 then drop odd rows and columns (OpenCV pyrDown), into `dst`'s interior. */
function pyrDown(src: PyramidLevel, dst: PyramidLevel, tmp: Float32Array): void {
  const S = src.image;
  const D = dst.image;
  const ss = src.stride;
  const tw = 2 * dst.width + 3; // source columns -2 .. 2 * dstWidth
  for (let i = 0; i < dst.height; i++) {
    const base = src.origin + (2 * i) * ss - 2; // source (x = -2, y = 2i)
    for (let t = 0; t < tw; t++) {
      const c = base + t;
      tmp[t] = S[c - 2 * ss] + S[c + 2 * ss] + 4 * (S[c - ss] + S[c + ss]) + 6 * S[c];
    }
    const d = dst.origin + i * dst.stride;
    for (let j = 0; j < dst.width; j++) {
      const t = 2 * j + 2;
      D[d + j] = (tmp[t - 2] + tmp[t + 2] + 4 * (tmp[t - 1] + tmp[t + 1]) + 6 * tmp[t]) * (1 / 256);
    }
  }
}

/** A fixed-size image pyramid (buffers allocated once) rebuilt in place from each new 8-bit frame. */
export class Pyramid {
  readonly levels: readonly PyramidLevel[];
  private readonly tmp: Float32Array;

  /**
   * @param width working (level 0) width; @param height working height;
   * @param levelCount number of levels (1 = level 0 only); @param pad replicated border, pixels.
   */
  constructor(width: number, height: number, levelCount: number, pad: number) {
    this.levels = pyramidSizes(width, height, levelCount).map(([w, h]) => allocLevel(w, h, pad));
    this.tmp = new Float32Array(width + 8);
  }

  /** Level 0 = `src` (srcW wide) box-downscaled by `factor`; then pyrDown per level; then borders and gradients. */
  build(src: Uint8Array, srcW: number, factor: number): void {
    const l0 = this.levels[0];
    boxDownscaleToFloat(src, srcW, factor, l0.width, l0.height, l0.image, l0.origin, l0.stride);
    replicateBorder(l0);
    gradients(l0);
    for (let k = 1; k < this.levels.length; k++) {
      pyrDown(this.levels[k - 1], this.levels[k], this.tmp);
      replicateBorder(this.levels[k]);
      gradients(this.levels[k]);
    }
  }
}
