import { inflateSync } from 'node:zlib';
import { crc32, encodePng, heatColour, renderGridRgba } from './png';
import type { GridGeometry } from './types';

/** Minimal PNG reader for the tests: checks chunk CRCs, returns IHDR fields and the unfiltered RGBA rows. */
export function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let off = 8;
  let width = 0;
  let height = 0;
  const idat: Uint8Array[] = [];
  for (;;) {
    const len = dv.getUint32(off);
    const type = String.fromCharCode(...png.subarray(off + 4, off + 8));
    expect(dv.getUint32(off + 8 + len)).toBe(crc32(png, off + 4, off + 8 + len));
    if (type === 'IHDR') {
      width = dv.getUint32(off + 8);
      height = dv.getUint32(off + 12);
      expect(Array.from(png.subarray(off + 16, off + 21))).toEqual([8, 6, 0, 0, 0]);
    } else if (type === 'IDAT') idat.push(png.subarray(off + 8, off + 8 + len));
    off += 12 + len;
    if (type === 'IEND') break;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (width * 4 + 1)]).toBe(0);
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, rgba };
}

describe('png', () => {
  it('crc32 of a known string', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('encodes RGBA that decodes back to the same pixels', () => {
    const rgba = new Uint8Array([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4, 9, 9, 9, 9, 7, 7, 7, 7]);
    const out = decodePng(encodePng(rgba, 3, 2));
    expect(out.width).toBe(3);
    expect(out.height).toBe(2);
    expect(Array.from(out.rgba)).toEqual(Array.from(rgba));
  });

  it('rejects inconsistent sizes', () => {
    expect(() => encodePng(new Uint8Array(4), 0, 1)).toThrow(RangeError);
    expect(() => encodePng(new Uint8Array(5), 1, 1)).toThrow(RangeError);
  });

  it.each<[number, [number, number, number]]>([
    [0, [0, 0, 255]],
    [0.5, [255, 255, 0]],
    [1, [255, 0, 0]],
    [-1, [0, 0, 255]],
    [NaN, [0, 0, 255]],
    [0.75, [255, 128, 0]],
  ])('heatColour(%f)', (t, rgb) => {
    expect(heatColour(t)).toEqual(rgb);
  });

  it('renders a ground grid map-like (+Y up) with integer scaling', () => {
    const grid: GridGeometry = { space: 'ground', originX: 0, originY: 0, cell: 1, cols: 2, rows: 2 };
    const { rgba, width, height } = renderGridRgba([0, 0, 0, 4], grid, { scale: 2, vmax: 4, zeroAlpha: 0 });
    expect([width, height]).toEqual([4, 4]);
    // Cell (1, 1) (top right when +Y is up) is red and opaque; cell (0, 0) bottom left is transparent blue.
    expect(Array.from(rgba.subarray((0 * 4 + 3) * 4, (0 * 4 + 3) * 4 + 4))).toEqual([255, 0, 0, 255]);
    expect(Array.from(rgba.subarray((3 * 4 + 0) * 4, (3 * 4 + 0) * 4 + 4))).toEqual([0, 0, 255, 0]);
  });
});
