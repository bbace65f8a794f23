import { rgbToGray } from './gray-frame';

function rgb(pixels: Array<[number, number, number]>): Uint8Array {
  return Uint8Array.from(pixels.flat());
}

const W: [number, number, number] = [255, 255, 255];
const K: [number, number, number] = [0, 0, 0];

describe('rgbToGray', () => {
  it.each([
    { name: 'empty 0x0 frame', data: new Uint8Array(0), w: 0, h: 0, ds: 1 },
    { name: 'data too short', data: new Uint8Array(5), w: 1, h: 2, ds: 1 },
    { name: 'fractional downscale', data: rgb([W, W, W, W]), w: 2, h: 2, ds: 1.5 },
    { name: 'zero downscale', data: rgb([W]), w: 1, h: 1, ds: 0 },
    { name: 'downscale larger than the frame', data: rgb([W, W]), w: 2, h: 1, ds: 2 },
  ])('rejects $name', ({ data, w, h, ds }) => {
    expect(() => rgbToGray(data, w, h, ds)).toThrow(RangeError);
  });

  it.each([
    { name: 'red', px: [255, 0, 0] as [number, number, number], luma: 76 },
    { name: 'green', px: [0, 255, 0] as [number, number, number], luma: 150 },
    { name: 'blue', px: [0, 0, 255] as [number, number, number], luma: 29 },
    { name: 'white', px: W, luma: 255 },
    { name: 'black', px: K, luma: 0 },
    { name: 'mid grey', px: [128, 128, 128] as [number, number, number], luma: 128 },
  ])('BT.601 luma of $name (OpenCV fixed point)', ({ px, luma }) => {
    const g = rgbToGray(rgb([px]), 1, 1);
    expect(g).toEqual({ width: 1, height: 1, data: Uint8Array.of(luma), scale: 1 });
  });

  it.each([
    { name: '2x2 checker -> 1 pixel (rounded mean)', px: [W, K, K, W], w: 2, h: 2, ds: 2, out: [128], ow: 1, oh: 1 },
    {
      name: '5x3, downscale 2: partial right column and bottom row dropped',
      px: [W, W, K, K, W, W, W, K, K, W, K, K, K, K, K],
      w: 5,
      h: 3,
      ds: 2,
      out: [255, 0],
      ow: 2,
      oh: 1,
    },
    { name: '3x3 -> 1 pixel, 1 white of 9', px: [W, K, K, K, K, K, K, K, K], w: 3, h: 3, ds: 3, out: [28], ow: 1, oh: 1 },
  ])('box-downscales: $name', ({ px, w, h, ds, out, ow, oh }) => {
    const g = rgbToGray(rgb(px as Array<[number, number, number]>), w, h, ds);
    expect(g.width).toBe(ow);
    expect(g.height).toBe(oh);
    expect(g.scale).toBe(ds);
    expect(Array.from(g.data)).toEqual(out);
  });

  it('writes into a caller buffer when given one', () => {
    const out = new Uint8Array(4).fill(7);
    const g = rgbToGray(rgb([W, K, K, W, W, W, K, K]), 4, 2, 2, out);
    expect(g.data).toBe(out);
    expect(Array.from(out)).toEqual([191, 64, 7, 7]); // blocks of 3 and 1 white pixels of 4
    expect(() => rgbToGray(rgb([W, W, W, W]), 2, 2, 1, new Uint8Array(3))).toThrow(RangeError);
  });
});
