import type { Detection } from '@crowdsafe/contracts';
import { decodeYoloOutput, describeYoloOutput, type YoloOutputLayout } from './yolo-decode';

interface Anchor {
  cx: number;
  cy: number;
  w: number;
  h: number;
  scores: number[];
}

/** Build a [B, 4+nc, N] (or transposed) output from per-image anchor lists. */
function makeOutput(images: Anchor[][], nc: number, layout: YoloOutputLayout): { data: Float32Array; dims: number[] } {
  const n = images[0].length;
  const f = 4 + nc;
  const data = new Float32Array(images.length * f * n);
  images.forEach((anchors, b) =>
    anchors.forEach((a, i) => {
      const values = [a.cx, a.cy, a.w, a.h, ...a.scores];
      values.forEach((v, j) => {
        const idx = layout === 'channels-first' ? b * f * n + j * n + i : b * f * n + i * f + j;
        data[idx] = v;
      });
    }),
  );
  return { data, dims: layout === 'channels-first' ? [images.length, f, n] : [images.length, n, f] };
}

const low = (cx: number): Anchor => ({ cx, cy: 10, w: 4, h: 4, scores: [0.1, 0.05, 0.2] });

describe('decodeYoloOutput', () => {
  const table: { name: string; images: Anchor[][]; batchIndex: number; classIds?: number[]; confidence: number; expected: Detection[] }[] = [
    { name: 'no anchor above the threshold', images: [[low(1), low(2), low(3), low(4), low(5)]], batchIndex: 0, confidence: 0.25, expected: [] },
    {
      name: 'one person',
      images: [[low(1), { cx: 50, cy: 60, w: 20, h: 40, scores: [0.9, 0.1, 0] }, low(3), low(4), low(5)]],
      batchIndex: 0,
      confidence: 0.25,
      expected: [{ box: { x1: 40, y1: 40, x2: 60, y2: 80 }, score: expect.closeTo(0.9, 6), classId: 0 } as Detection],
    },
    {
      name: 'best class wins, then the class filter applies (Ultralytics multi_label=false)',
      images: [[
        { cx: 10, cy: 10, w: 2, h: 2, scores: [0.4, 0.6, 0] },
        { cx: 20, cy: 20, w: 2, h: 2, scores: [0.5, 0, 0.3] },
        low(3), low(4), low(5),
      ]],
      batchIndex: 0,
      classIds: [0],
      confidence: 0.25,
      expected: [{ box: { x1: 19, y1: 19, x2: 21, y2: 21 }, score: 0.5, classId: 0 }],
    },
    {
      name: 'every class when classIds is empty; threshold is inclusive',
      images: [[
        { cx: 10, cy: 10, w: 2, h: 2, scores: [0.25, 0, 0] },
        { cx: 20, cy: 20, w: 2, h: 2, scores: [0, 0, 0.75] },
        low(3), low(4), low(5),
      ]],
      batchIndex: 0,
      classIds: [],
      confidence: 0.25,
      expected: [
        { box: { x1: 9, y1: 9, x2: 11, y2: 11 }, score: 0.25, classId: 0 },
        { box: { x1: 19, y1: 19, x2: 21, y2: 21 }, score: 0.75, classId: 2 },
      ],
    },
    {
      name: 'second image of a batch',
      images: [
        [{ cx: 10, cy: 10, w: 2, h: 2, scores: [0.9, 0, 0] }, low(2), low(3), low(4), low(5)],
        [low(1), low(2), { cx: 30, cy: 30, w: 2, h: 2, scores: [0.5, 0, 0] }, low(4), low(5)],
      ],
      batchIndex: 1,
      classIds: [0],
      confidence: 0.25,
      expected: [{ box: { x1: 29, y1: 29, x2: 31, y2: 31 }, score: 0.5, classId: 0 }],
    },
  ];

  describe.each(['channels-first', 'channels-last'] as const)('%s', (layout) => {
    it.each(table)('$name', ({ images, batchIndex, classIds, confidence, expected }) => {
      const { data, dims } = makeOutput(images, 3, layout);
      // numClasses: with N < 4+nc the layout cannot be guessed from the shape alone.
      expect(decodeYoloOutput(data, dims, batchIndex, { classIds, confidence, numClasses: 3 })).toEqual(expected);
    });
  });

  it.each([
    ['a 4-D output', [1, 1, 32, 32], /expected a YOLO output/],
    ['a symbolic dim', [1, -1, 8400], /expected a YOLO output/],
    ['no class scores', [1, 4, 8400], /no class scores/],
    ['a class count that does not match', [1, 84, 8400], /80 class scores, expected 3/],
  ])('rejects %s', (_name, dims, msg) => {
    expect(() => decodeYoloOutput(new Float32Array(1e6), dims, 0, { confidence: 0.5, numClasses: dims[1] === 84 ? 3 : undefined })).toThrow(msg);
  });

  it.each([
    ['batchIndex out of range', [1, 7, 5], 1, 35, /batchIndex 1/],
    ['output shorter than its shape', [2, 7, 5], 0, 35, /needs 70/],
  ])('rejects %s', (_name, dims, batchIndex, len, msg) => {
    expect(() => decodeYoloOutput(new Float32Array(len), dims, batchIndex, { confidence: 0.5 })).toThrow(msg);
  });
});

describe('describeYoloOutput', () => {
  it.each([
    [[1, 84, 8400], {}, { batch: 1, numClasses: 80, anchors: 8400, layout: 'channels-first' }],
    [[4, 8400, 84], {}, { batch: 4, numClasses: 80, anchors: 8400, layout: 'channels-last' }],
    // With the class count known, even a tiny N is unambiguous.
    [[1, 5, 10], { numClasses: 1 }, { batch: 1, numClasses: 1, anchors: 10, layout: 'channels-first' }],
    [[1, 10, 5], { numClasses: 1 }, { batch: 1, numClasses: 1, anchors: 10, layout: 'channels-last' }],
  ])('%p %p', (dims, opts, expected) => {
    expect(describeYoloOutput(dims, opts)).toEqual(expected);
  });
});
