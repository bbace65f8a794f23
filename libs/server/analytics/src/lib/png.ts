import { deflateSync } from 'node:zlib';
import { applyHomography } from './homography';
import type { Calibration, GridGeometry } from './types';

let crcTable: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, as used by PNG). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * Encodes 8-bit RGBA pixels (row-major, width * height * 4 bytes) as a PNG (colour type 6, filter 0 on every
 * row, zlib deflate from node:zlib, which does no I/O).
 */
export function encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`PNG size must be positive integers (got ${width} x ${height})`);
  }
  if (rgba.length !== width * height * 4) {
    throw new RangeError(`Expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  }
  const raw = new Uint8Array(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  const idat = deflateSync(raw);
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const chunks: Array<[string, Uint8Array]> = [
    ['IHDR', ihdr],
    ['IDAT', new Uint8Array(idat.buffer, idat.byteOffset, idat.byteLength)],
    ['IEND', new Uint8Array(0)],
  ];
  const total = 8 + chunks.reduce((s, [, d]) => s + 12 + d.length, 0);
  const out = new Uint8Array(total);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 0);
  const odv = new DataView(out.buffer);
  let off = 8;
  for (const [type, data] of chunks) {
    odv.setUint32(off, data.length);
    for (let i = 0; i < 4; i++) out[off + 4 + i] = type.charCodeAt(i);
    out.set(data, off + 8);
    odv.setUint32(off + 8 + data.length, crc32(out, off + 4, off + 8 + data.length));
    off += 12 + data.length;
  }
  return out;
}

/** Blue (t = 0) -> yellow (t = 0.5) -> red (t = 1), linear in RGB; t is clamped to [0, 1]. */
export function heatColour(t: number): [number, number, number] {
  const v = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  if (v <= 0.5) {
    const a = v / 0.5;
    return [Math.round(255 * a), Math.round(255 * a), Math.round(255 * (1 - a))];
  }
  const a = (v - 0.5) / 0.5;
  return [255, Math.round(255 * (1 - a)), 0];
}

export interface HeatmapRenderOptions {
  /** Value mapped to red (default: the maximum of the values; 1 when all are 0). */
  vmax?: number;
  /** Pixels per cell edge (integer, default 4). */
  scale?: number;
  /** Alpha of cells with value 0 (default 255; 0 makes empty cells transparent for overlays). */
  zeroAlpha?: number;
  /** Alpha of non-empty cells (default 255). */
  alpha?: number;
  /**
   * Draw ground grids with +Y up (row rows-1 at the top, default true for ground grids, as on a map); image
   * grids are always drawn with row 0 at the top.
   */
  yUp?: boolean;
}

function resolveVmax(values: ArrayLike<number>, vmax: number | undefined): number {
  if (vmax !== undefined && vmax > 0 && Number.isFinite(vmax)) return vmax;
  let m = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > m) m = values[i];
  return m > 0 ? m : 1;
}

/** Renders grid values as RGBA pixels with the heat colour scale. */
export function renderGridRgba(
  values: ArrayLike<number>,
  grid: GridGeometry,
  opts: HeatmapRenderOptions = {},
): { rgba: Uint8Array; width: number; height: number } {
  const scale = Math.max(1, Math.floor(opts.scale ?? 4));
  const vmax = resolveVmax(values, opts.vmax);
  const yUp = grid.space === 'ground' && (opts.yUp ?? true);
  const width = grid.cols * scale;
  const height = grid.rows * scale;
  const rgba = new Uint8Array(width * height * 4);
  const zeroAlpha = opts.zeroAlpha ?? 255;
  const alpha = opts.alpha ?? 255;
  for (let j = 0; j < grid.rows; j++) {
    const row = yUp ? grid.rows - 1 - j : j;
    for (let i = 0; i < grid.cols; i++) {
      const v = values[j * grid.cols + i];
      const [r, g, b] = heatColour(v / vmax);
      const a = v > 0 ? alpha : zeroAlpha;
      for (let dy = 0; dy < scale; dy++) {
        let o = ((row * scale + dy) * width + i * scale) * 4;
        for (let dx = 0; dx < scale; dx++, o += 4) {
          rgba[o] = r;
          rgba[o + 1] = g;
          rgba[o + 2] = b;
          rgba[o + 3] = a;
        }
      }
    }
  }
  return { rgba, width, height };
}

/**
 * Renders a GROUND grid warped into the camera view (for overlaying on the video): an outWidth x outHeight RGBA
 * image covering the whole frame; each pixel centre is mapped to the ground and coloured by its cell. Pixels off
 * the grid or above the horizon are transparent.
 */
export function renderGridInImage(
  values: ArrayLike<number>,
  grid: GridGeometry,
  cal: Calibration,
  outWidth: number,
  outHeight: number,
  opts: Omit<HeatmapRenderOptions, 'scale' | 'yUp'> = {},
): Uint8Array {
  const rgba = new Uint8Array(outWidth * outHeight * 4);
  const h = cal.imageToGround;
  if (!h || grid.space !== 'ground') return rgba;
  const vmax = resolveVmax(values, opts.vmax);
  const sx = cal.frame.width / outWidth;
  const sy = cal.frame.height / outHeight;
  const zeroAlpha = opts.zeroAlpha ?? 0;
  const alpha = opts.alpha ?? 160;
  for (let py = 0; py < outHeight; py++) {
    for (let px = 0; px < outWidth; px++) {
      const g = applyHomography(h, (px + 0.5) * sx, (py + 0.5) * sy);
      if (!g) continue;
      const i = Math.floor((g[0] - grid.originX) / grid.cell);
      const j = Math.floor((g[1] - grid.originY) / grid.cell);
      if (i < 0 || j < 0 || i >= grid.cols || j >= grid.rows) continue;
      const v = values[j * grid.cols + i];
      const [r, gg, b] = heatColour(v / vmax);
      const o = (py * outWidth + px) * 4;
      rgba[o] = r;
      rgba[o + 1] = gg;
      rgba[o + 2] = b;
      rgba[o + 3] = v > 0 ? alpha : zeroAlpha;
    }
  }
  return rgba;
}
