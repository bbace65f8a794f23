import type { BBox } from '@crowdsafe/contracts';

/** How a source frame maps into the model input: scaled by `scale` to newW x newH, then padded (centred). */
export interface Letterbox {
  scale: number;
  newW: number;
  newH: number;
  /** Left padding in input pixels. */
  padX: number;
  /** Top padding in input pixels. */
  padY: number;
}

/** Ultralytics pads with grey 114 (uint8), i.e. 114/255 after scaling to 0..1. */
export const LETTERBOX_PAD_VALUE = 114 / 255;

function assertDim(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer, got ${v}`);
}

/**
 * Ultralytics LetterBox geometry (auto=false, scaleup=true, center=true): keep the aspect ratio, fit inside
 * dstW x dstH, centre the image. The `-0.1` / `+0.1` rounding reproduces Ultralytics' top/left choice when the
 * padding is odd (the extra pixel goes to the bottom/right).
 */
export function computeLetterbox(srcW: number, srcH: number, dstW: number, dstH: number): Letterbox {
  assertDim('srcW', srcW);
  assertDim('srcH', srcH);
  assertDim('dstW', dstW);
  assertDim('dstH', dstH);
  const scale = Math.min(dstW / srcW, dstH / srcH);
  const newW = Math.min(dstW, Math.max(1, Math.round(srcW * scale)));
  const newH = Math.min(dstH, Math.max(1, Math.round(srcH * scale)));
  const padX = Math.max(0, Math.round((dstW - newW) / 2 - 0.1));
  const padY = Math.max(0, Math.round((dstH - newH) / 2 - 0.1));
  return { scale, newW, newH, padX, padY };
}

/**
 * Write one letterboxed image into a planar (CHW) float tensor at `offset`: the resized RGB pixels scaled to
 * 0..1 at (padX, padY) and grey 114/255 everywhere else. `resizedRgb` is packed RGB24, newW x newH.
 * Only the padding bands are filled, so the cost is one pass over the input plane.
 */
export function packLetterboxedChw(
  resizedRgb: Uint8Array,
  newW: number,
  newH: number,
  lb: Letterbox,
  inputW: number,
  inputH: number,
  out: Float32Array,
  offset: number,
): void {
  assertDim('newW', newW);
  assertDim('newH', newH);
  assertDim('inputW', inputW);
  assertDim('inputH', inputH);
  const { padX, padY } = lb;
  if (resizedRgb.length < newW * newH * 3) {
    throw new RangeError(`resizedRgb has ${resizedRgb.length} bytes, expected ${newW}x${newH}x3 = ${newW * newH * 3}`);
  }
  if (padX < 0 || padY < 0 || padX + newW > inputW || padY + newH > inputH) {
    throw new RangeError(`a ${newW}x${newH} image at (${padX}, ${padY}) does not fit in a ${inputW}x${inputH} input`);
  }
  const plane = inputW * inputH;
  if (!Number.isInteger(offset) || offset < 0 || offset + 3 * plane > out.length) {
    throw new RangeError(`tensor of ${out.length} floats cannot hold 3x${inputH}x${inputW} at offset ${offset}`);
  }
  const pad = LETTERBOX_PAD_VALUE;
  const inv = 1 / 255;
  const right = inputW - padX - newW;
  for (let c = 0; c < 3; c++) {
    const base = offset + c * plane;
    // Top and bottom bands.
    out.fill(pad, base, base + padY * inputW);
    out.fill(pad, base + (padY + newH) * inputW, base + plane);
    for (let y = 0; y < newH; y++) {
      const row = base + (padY + y) * inputW;
      if (padX > 0) out.fill(pad, row, row + padX);
      if (right > 0) out.fill(pad, row + padX + newW, row + inputW);
      let src = y * newW * 3 + c;
      const dst = row + padX;
      for (let x = 0; x < newW; x++, src += 3) out[dst + x] = resizedRgb[src] * inv;
    }
  }
}

/** Map a box from model-input pixels back to source-frame pixels, clamped to the frame. */
export function letterboxToSource(box: BBox, lb: Letterbox, srcW: number, srcH: number): BBox {
  const clamp = (v: number, max: number) => (v < 0 ? 0 : v > max ? max : v);
  return {
    x1: clamp((box.x1 - lb.padX) / lb.scale, srcW),
    y1: clamp((box.y1 - lb.padY) / lb.scale, srcH),
    x2: clamp((box.x2 - lb.padX) / lb.scale, srcW),
    y2: clamp((box.y2 - lb.padY) / lb.scale, srcH),
  };
}
