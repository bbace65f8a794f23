import { computeLetterbox, letterboxToSource, LETTERBOX_PAD_VALUE, packLetterboxedChw, type Letterbox } from './letterbox';

describe('computeLetterbox', () => {
  it.each([
    // [srcW, srcH, dstW, dstH, expected]
    [1280, 720, 640, 640, { scale: 0.5, newW: 640, newH: 360, padX: 0, padY: 140 }],
    [640, 360, 640, 640, { scale: 1, newW: 640, newH: 360, padX: 0, padY: 140 }],
    [720, 1280, 640, 640, { scale: 0.5, newW: 360, newH: 640, padX: 140, padY: 0 }],
    [640, 640, 640, 640, { scale: 1, newW: 640, newH: 640, padX: 0, padY: 0 }],
    // Upscaling (Ultralytics scaleup=True).
    [320, 320, 640, 640, { scale: 2, newW: 640, newH: 640, padX: 0, padY: 0 }],
    // Odd padding: the extra pixel goes to the bottom (top = round(dh - 0.1)).
    [640, 479, 640, 640, { scale: 1, newW: 640, newH: 479, padX: 0, padY: 80 }],
    // Non-square input.
    [1920, 1080, 640, 384, { scale: 1 / 3, newW: 640, newH: 360, padX: 0, padY: 12 }],
  ])('%ix%i into %ix%i', (srcW, srcH, dstW, dstH, expected) => {
    const lb = computeLetterbox(srcW, srcH, dstW, dstH);
    expect(lb.scale).toBeCloseTo(expected.scale, 10);
    expect({ ...lb, scale: 0 }).toEqual({ ...expected, scale: 0 });
  });

  it.each([
    [0, 720, 640, 640, /srcW/],
    [1280, 0, 640, 640, /srcH/],
    [1280, 720, 0, 640, /dstW/],
    [1280, 720, 640, 1.5, /dstH/],
    [NaN, 720, 640, 640, /srcW/],
  ])('rejects %p x %p into %p x %p', (srcW, srcH, dstW, dstH, msg) => {
    expect(() => computeLetterbox(srcW, srcH, dstW, dstH)).toThrow(msg);
  });
});

describe('packLetterboxedChw', () => {
  const P = LETTERBOX_PAD_VALUE;

  it('rejects an empty image', () => {
    const lb: Letterbox = { scale: 1, newW: 0, newH: 0, padX: 0, padY: 0 };
    expect(() => packLetterboxedChw(new Uint8Array(0), 0, 0, lb, 4, 4, new Float32Array(48), 0)).toThrow(/newW/);
  });

  it.each([
    {
      name: '2x1 image centred in 4x3',
      // pixels: (255,0,51) (0,255,102)
      rgb: [255, 0, 51, 0, 255, 102],
      newW: 2,
      newH: 1,
      lb: { scale: 1, newW: 2, newH: 1, padX: 1, padY: 1 },
      inW: 4,
      inH: 3,
      offset: 0,
      expected: [
        // R plane
        [P, P, P, P, P, 1, 0, P, P, P, P, P],
        // G plane
        [P, P, P, P, P, 0, 1, P, P, P, P, P],
        // B plane
        [P, P, P, P, P, 0.2, 0.4, P, P, P, P, P],
      ],
    },
    {
      name: 'no padding, second image of a batch',
      rgb: [0, 0, 0, 255, 255, 255],
      newW: 1,
      newH: 2,
      lb: { scale: 1, newW: 1, newH: 2, padX: 0, padY: 0 },
      inW: 1,
      inH: 2,
      offset: 6,
      expected: [
        [0, 1],
        [0, 1],
        [0, 1],
      ],
    },
  ])('$name', ({ rgb, newW, newH, lb, inW, inH, offset, expected }) => {
    const out = new Float32Array(offset + 3 * inW * inH).fill(-1);
    packLetterboxedChw(Uint8Array.from(rgb), newW, newH, lb, inW, inH, out, offset);
    expect(Array.from(out.subarray(0, offset))).toEqual(new Array(offset).fill(-1));
    const planes = [0, 1, 2].map((c) => Array.from(out.subarray(offset + c * inW * inH, offset + (c + 1) * inW * inH)));
    planes.forEach((plane, c) => plane.forEach((v, i) => expect(v).toBeCloseTo(expected[c][i], 6)));
  });

  it.each([
    ['too few pixel bytes', new Uint8Array(5), 2, 1, { scale: 1, newW: 2, newH: 1, padX: 0, padY: 0 }, 2, 1, 6, 0, /resizedRgb/],
    ['image outside the input', new Uint8Array(6), 2, 1, { scale: 1, newW: 2, newH: 1, padX: 1, padY: 0 }, 2, 1, 6, 0, /does not fit/],
    ['tensor too small', new Uint8Array(6), 2, 1, { scale: 1, newW: 2, newH: 1, padX: 0, padY: 0 }, 2, 1, 5, 0, /tensor/],
    ['offset past the end', new Uint8Array(6), 2, 1, { scale: 1, newW: 2, newH: 1, padX: 0, padY: 0 }, 2, 1, 6, 1, /offset/],
  ])('rejects %s', (_name, rgb, newW, newH, lb, inW, inH, outLen, offset, msg) => {
    expect(() => packLetterboxedChw(rgb, newW, newH, lb, inW, inH, new Float32Array(outLen), offset)).toThrow(msg);
  });
});

describe('letterboxToSource', () => {
  const lb1280 = computeLetterbox(1280, 720, 640, 640);
  it.each([
    ['zero box at the origin of the image area', { x1: 0, y1: 140, x2: 0, y2: 140 }, lb1280, 1280, 720, { x1: 0, y1: 0, x2: 0, y2: 0 }],
    ['identity letterbox', { x1: 1, y1: 2, x2: 3, y2: 4 }, { scale: 1, newW: 10, newH: 10, padX: 0, padY: 0 }, 10, 10, { x1: 1, y1: 2, x2: 3, y2: 4 }],
    ['scaled and shifted', { x1: 100, y1: 240, x2: 200, y2: 340 }, lb1280, 1280, 720, { x1: 200, y1: 200, x2: 400, y2: 400 }],
    ['clamped to the frame', { x1: -10, y1: 100, x2: 700, y2: 600 }, lb1280, 1280, 720, { x1: 0, y1: 0, x2: 1280, y2: 720 }],
  ])('%s', (_name, box, lb, w, h, expected) => {
    expect(letterboxToSource(box, lb, w, h)).toEqual(expected);
  });
});
