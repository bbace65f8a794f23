// Math functions bound once: a global `Math.x` lookup per call is costly in sandboxed runtimes (jest's vm).
const { floor } = Math;
/**
 * An 8-bit luma frame, row-major, `width * height` bytes (extra trailing bytes are ignored).
 * `scale` is the number of source-frame pixels per frame pixel along each axis (default 1): `rgbToGray` with a
 * downscale of k sets it to k, so a GMC fed the downscaled frame still reports its warp in source pixels.
 */
export interface GrayFrame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  readonly scale?: number;
}

// OpenCV's fixed-point RGB->grey (BT.601 luma 0.299 R + 0.587 G + 0.114 B), 14 fractional bits.
const R_W = 4899;
const G_W = 9617;
const B_W = 1868;

/** Throws RangeError unless `value` is an integer >= `min`. */
export function assertInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
}

/**
 * Packed RGB24 (a `RawFrame`'s data) to 8-bit luma, box-downscaled by an integer factor: each output pixel is the
 * rounded mean luma of a `downscale` x `downscale` block; a partial block at the right/bottom edge is dropped
 * (output `floor(width / downscale)` x `floor(height / downscale)`, like OpenCV's `resize(..., INTER_AREA)` for
 * integer factors). The result carries `scale = downscale`. Pass `out` (at least outW * outH bytes) to reuse a
 * buffer across frames.
 */
export function rgbToGray(rgb: Uint8Array, width: number, height: number, downscale = 1, out?: Uint8Array): GrayFrame {
  assertInteger('width', width, 1);
  assertInteger('height', height, 1);
  assertInteger('downscale', downscale, 1);
  if (rgb.length < width * height * 3) {
    throw new RangeError(`rgb has ${rgb.length} bytes, need ${width * height * 3} for ${width}x${height} RGB24`);
  }
  const ow = floor(width / downscale);
  const oh = floor(height / downscale);
  if (ow < 1 || oh < 1) throw new RangeError(`downscale ${downscale} leaves no pixel of a ${width}x${height} frame`);
  const data = out ?? new Uint8Array(ow * oh);
  if (data.length < ow * oh) throw new RangeError(`out has ${data.length} bytes, need ${ow * oh}`);

  if (downscale === 1) {
    for (let i = 0, p = 0; i < ow * oh; i++, p += 3) {
      data[i] = (rgb[p] * R_W + rgb[p + 1] * G_W + rgb[p + 2] * B_W + 8192) >> 14;
    }
    return { width: ow, height: oh, data, scale: 1 };
  }

  // Sum luma (kept at 14 fractional bits) of each block, then divide once; at most 255 << 14 per pixel, so up to
  // 65 536 / 255 ~ 257 pixels per block stay exact in an int32 and far more in a float64.
  const acc = new Float64Array(ow);
  const norm = 1 / (downscale * downscale * 16384);
  for (let oy = 0; oy < oh; oy++) {
    acc.fill(0);
    for (let dy = 0; dy < downscale; dy++) {
      let p = ((oy * downscale + dy) * width) * 3;
      for (let ox = 0; ox < ow; ox++) {
        let s = 0;
        for (let dx = 0; dx < downscale; dx++, p += 3) s += rgb[p] * R_W + rgb[p + 1] * G_W + rgb[p + 2] * B_W;
        acc[ox] += s;
      }
    }
    const row = oy * ow;
    for (let ox = 0; ox < ow; ox++) data[row + ox] = floor(acc[ox] * norm + 0.5);
  }
  return { width: ow, height: oh, data, scale: downscale };
}

/**
 * Box-downscale 8-bit luma by an integer factor into float32 (mean of each block, no rounding), writing rows of
 * `dstW` values every `dstStride` floats starting at `dstOffset`. Used for the GMC's working image.
 */
export function boxDownscaleToFloat(
  src: Uint8Array,
  srcW: number,
  factor: number,
  dstW: number,
  dstH: number,
  dst: Float32Array,
  dstOffset: number,
  dstStride: number,
): void {
  const norm = 1 / (factor * factor);
  for (let oy = 0; oy < dstH; oy++) {
    const d = dstOffset + oy * dstStride;
    if (factor === 1) {
      const s = oy * srcW;
      for (let ox = 0; ox < dstW; ox++) dst[d + ox] = src[s + ox];
      continue;
    }
    for (let ox = 0; ox < dstW; ox++) dst[d + ox] = 0;
    for (let dy = 0; dy < factor; dy++) {
      let s = (oy * factor + dy) * srcW;
      for (let ox = 0; ox < dstW; ox++) {
        let sum = 0;
        for (let dx = 0; dx < factor; dx++) sum += src[s++];
        dst[d + ox] += sum;
      }
    }
    for (let ox = 0; ox < dstW; ox++) dst[d + ox] *= norm;
  }
}
