import type { BBox } from '@crowdsafe/contracts';
import type { GrayFrame } from '../gmc/gray-frame';
import { greenHalf, patchShift } from './patch-shift';

const W = 80;
const H = 60;

/** A grey frame: flat background 100 with a textured block (a fixed non-periodic pattern, 30-229) at (bx, by), size bw x bh. */
function frame(bx: number, by: number, bw = 10, bh = 24, scale?: number): GrayFrame {
  const data = new Uint8Array(W * H).fill(100);
  for (let y = by; y < by + bh; y++) for (let x = bx; x < bx + bw; x++) data[y * W + x] = 30 + ((((x - bx) * 73 + (y - by) * 151 + (x - bx) * (y - by) * 37) ^ ((y - by) * 11)) % 200);
  return { width: W, height: H, data, ...(scale ? { scale } : {}) };
}

const box = (x: number, y: number, w = 10, h = 24): BBox => ({ x1: x, y1: y, x2: x + w, y2: y + h });

describe('patchShift', () => {
  it.each([
    // name, prev, cur, box on prev, guess, expected
    ['a box too small to match: null', frame(20, 10), frame(22, 10), box(20, 10, 2, 2), { dx: 0, dy: 0 }, null],
    ['a flat patch (no texture): null', frame(50, 30), frame(50, 30), box(5, 5), { dx: 0, dy: 0 }, null],
    ['frames of different sizes: null', frame(20, 10), { width: 10, height: 10, data: new Uint8Array(100) }, box(20, 10), { dx: 0, dy: 0 }, null],
    ['a box mostly outside the frame: null', frame(0, 10), frame(0, 10), box(-8, 10), { dx: 0, dy: 0 }, null],
    ['standing still: no shift', frame(20, 10), frame(20, 10), box(20, 10), { dx: 3, dy: 0 }, { dx: 0, dy: 0 }],
    ['walked 3 px right and 2 px down', frame(20, 10), frame(23, 12), box(20, 10), { dx: 0, dy: 0 }, { dx: 3, dy: 2 }],
    ['walked 5 px left: found around the guess', frame(30, 10), frame(25, 10), box(30, 10), { dx: -4, dy: 0 }, { dx: -5, dy: 0 }],
    ['moved beyond the search radius (0.3 x 24 px = 7 px around the guess): the best inside it is not the motion', frame(20, 10), frame(40, 10), box(20, 10), { dx: 0, dy: 0 }, 'not 20'],
  ] as const)('%s', (_name, prev, cur, b, guess, expected) => {
    const r = patchShift(prev, cur, b, guess);
    if (expected === 'not 20') expect(r?.dx ?? 0).not.toBe(20);
    else expect(r).toEqual(expected);
  });

  it('boxes and shifts are in source pixels: a grey frame of scale 2 reports twice its own pixels', () => {
    const r = patchShift(frame(20, 10, 10, 24, 2), frame(23, 11, 10, 24, 2), box(40, 20, 20, 48), { dx: 0, dy: 0 });
    expect(r).toEqual({ dx: 6, dy: 2 });
  });
});

describe('greenHalf', () => {
  it.each([
    // name, width, height, rgb (green values per pixel, row-major), expected half frame
    ['a 1x1 frame: nothing left at half size', 1, 1, [7], { width: 0, height: 0, data: [] }],
    ['2x2: the mean green, rounded', 2, 2, [10, 20, 30, 41], { width: 1, height: 1, data: [25] }],
    ['3x2: the odd last column is dropped', 3, 2, [0, 4, 99, 8, 12, 99], { width: 1, height: 1, data: [6] }],
  ] as const)('%s', (_n, w, h, green, expected) => {
    const rgb = new Uint8Array(w * h * 3).fill(255);
    green.forEach((g, i) => (rgb[i * 3 + 1] = g));
    const r = greenHalf(rgb, w, h);
    expect({ width: r.width, height: r.height, data: [...r.data] }).toEqual(expected);
    expect(r.scale).toBe(2);
  });

  it('too few bytes: RangeError naming rgb', () => {
    expect(() => greenHalf(new Uint8Array(5), 2, 2)).toThrow(/rgb has 5 bytes/);
  });
});
