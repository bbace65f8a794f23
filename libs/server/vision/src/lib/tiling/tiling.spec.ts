import type { Detection } from '@crowdsafe/contracts';
import { ios, isCutByTile, medianBoxHeight, mergeTileDetections, shouldTile, shiftBox, type PassDetections } from './tile-merge';
import { cropRgb, planTiles, sliceStarts, type TileRegion } from './tile-plan';

const det = (x1: number, y1: number, x2: number, y2: number, score = 0.9, classId = 0): Detection => ({ box: { x1, y1, x2, y2 }, score, classId });
const GLOBAL = (w: number, h: number): TileRegion => ({ x: 0, y: 0, width: w, height: h, kind: 'global' });

describe('sliceStarts', () => {
  it.each([
    // length, size, overlap, starts
    [640, 640, 0.2, [0]],
    [500, 640, 0.2, [0]],
    [1024, 640, 0.2, [0, 384]],
    [1280, 640, 0.2, [0, 320, 640]],
    [1280, 640, 0, [0, 640]],
    [768, 640, 0.2, [0, 128]],
    [1920, 640, 0.2, [0, 427, 853, 1280]],
  ])('length %i, slice %i, overlap %f -> %j', (length, size, overlap, starts) => {
    expect(sliceStarts(length, size, overlap)).toEqual(starts);
  });

  it('keeps at least the requested overlap and covers the whole length', () => {
    for (const [length, size, overlap] of [[1000, 300, 0.2], [4000, 640, 0.25], [641, 640, 0.5]] as const) {
      const s = sliceStarts(length, size, overlap);
      expect(s[0]).toBe(0);
      expect(s[s.length - 1] + size).toBe(length);
      for (let i = 1; i < s.length; i++) expect(s[i - 1] + size - s[i]).toBeGreaterThanOrEqual(Math.floor(overlap * size) - 1);
    }
  });

  it.each([
    [0, 640, 0.2],
    [100, 0, 0.2],
    [100, 50, 1],
    [100, 50, -0.1],
  ])('rejects length %i size %i overlap %f', (l, s, o) => expect(() => sliceStarts(l, s, o)).toThrow(RangeError));
});

describe('planTiles', () => {
  it('a frame that fits one slice gets only the global pass', () => {
    expect(planTiles(640, 480, { tileWidth: 640, tileHeight: 640 })).toEqual([GLOBAL(640, 480)]);
  });

  it('1280x720 at 640: global + 3 x 2 slices, row by row', () => {
    const plan = planTiles(1280, 720, { tileWidth: 640, tileHeight: 640, overlap: 0.2 });
    expect(plan[0]).toEqual(GLOBAL(1280, 720));
    expect(plan.slice(1).map((r) => [r.x, r.y, r.width, r.height, r.kind])).toEqual([
      [0, 0, 640, 640, 'tile'],
      [320, 0, 640, 640, 'tile'],
      [640, 0, 640, 640, 'tile'],
      [0, 80, 640, 640, 'tile'],
      [320, 80, 640, 640, 'tile'],
      [640, 80, 640, 640, 'tile'],
    ]);
  });

  it('without the global pass, and slices clipped to a narrow frame', () => {
    const plan = planTiles(500, 1000, { tileWidth: 640, tileHeight: 640, includeGlobal: false });
    expect(plan.map((r) => [r.x, r.y, r.width, r.height])).toEqual([
      [0, 0, 500, 640],
      [0, 360, 500, 640],
    ]);
  });
});

describe('cropRgb', () => {
  it('copies the region rows and returns the frame itself for the whole frame', () => {
    const w = 4;
    const h = 3;
    const data = Uint8Array.from({ length: w * h * 3 }, (_, i) => i);
    expect(cropRgb(data, w, h, GLOBAL(w, h))).toBe(data);
    const c = cropRgb(data, w, h, { x: 1, y: 1, width: 2, height: 2, kind: 'tile' });
    expect([...c]).toEqual([15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32]);
    expect(() => cropRgb(data, w, h, { x: 3, y: 0, width: 2, height: 1, kind: 'tile' })).toThrow(RangeError);
  });
});

describe('mergeTileDetections', () => {
  const W = 1280;
  const H = 720;
  const left: TileRegion = { x: 0, y: 0, width: 640, height: 640, kind: 'tile' };
  const mid: TileRegion = { x: 320, y: 0, width: 640, height: 640, kind: 'tile' };
  const opts = { frameWidth: W, frameHeight: H, maxDetections: 100 };

  it('no passes, or passes without detections, give nothing', () => {
    expect(mergeTileDetections([], opts)).toEqual([]);
    expect(mergeTileDetections([{ region: GLOBAL(W, H), detections: [] }, { region: left, detections: [] }], opts)).toEqual([]);
  });

  it('the same person seen by two overlapping slices counts once (IoU)', () => {
    const a = det(400, 100, 440, 200, 0.8);
    const b = det(401, 101, 441, 199, 0.7);
    const out = mergeTileDetections([{ region: left, detections: [a] }, { region: mid, detections: [b] }], opts);
    expect(out).toEqual([a]);
  });

  it('a person cut by a slice edge is merged into the whole box from the neighbour (IoS), even with a higher score', () => {
    // Person spans x 620..660; the left slice ends at 640 and sees only 620..640.
    const partial = det(620, 100, 640, 200, 0.95);
    const whole = det(620, 100, 660, 200, 0.6);
    expect(isCutByTile(partial.box, left, W, H)).toBe(true);
    expect(isCutByTile(whole.box, mid, W, H)).toBe(false);
    const out = mergeTileDetections([{ region: left, detections: [partial] }, { region: mid, detections: [whole] }], opts);
    expect(out).toEqual([whole]);
  });

  it('two people one behind the other (high IoS, neither cut) stay two', () => {
    const front = det(100, 100, 200, 400, 0.9);
    const behind = det(120, 110, 160, 200, 0.8); // fully inside the front box: IoS 1, IoU small
    expect(ios(front.box, behind.box)).toBe(1);
    const out = mergeTileDetections([{ region: GLOBAL(W, H), detections: [front] }, { region: left, detections: [behind] }], opts);
    expect(out).toHaveLength(2);
  });

  it('frame edges do not count as cuts; classes never merge; maxDetections caps', () => {
    expect(isCutByTile(det(0, 0, 30, 60).box, left, W, H)).toBe(false);
    expect(isCutByTile(det(0, 0, 30, 60).box, GLOBAL(W, H), W, H)).toBe(false);
    const p = det(10, 10, 50, 90, 0.9, 0);
    const q = det(10, 10, 50, 90, 0.8, 1);
    expect(mergeTileDetections([{ region: left, detections: [p, q] }], opts)).toHaveLength(2);
    const many: PassDetections = { region: GLOBAL(W, H), detections: Array.from({ length: 10 }, (_, i) => det(i * 60, 0, i * 60 + 50, 100, (50 + i) / 100)) };
    const capped = mergeTileDetections([many], { ...opts, maxDetections: 3 });
    expect(capped.map((d) => d.score)).toEqual([0.59, 0.58, 0.57]);
  });

  it('shiftBox moves slice pixels to frame pixels', () => {
    expect(shiftBox({ x1: 1, y1: 2, x2: 3, y2: 4 }, mid)).toEqual({ x1: 321, y1: 2, x2: 323, y2: 4 });
  });
});

describe('shouldTile (auto)', () => {
  const people = (n: number, h: number) => Array.from({ length: n }, (_, i) => det(i * 10, 0, i * 10 + h / 2, h));
  it.each([
    ['empty frame', 0, 20, false],
    ['one small far person', 1, 20, false],
    ['three big people', 3, 300, false],
    ['three small people', 3, 50, true],
    ['many big people', 15, 300, true],
    ['14 people of median 72 px (exactly 10 %)', 14, 72, false],
  ])('%s', (_, n, h, expected) => {
    expect(shouldTile(people(n as number, h as number), 720)).toBe(expected);
  });
  it('median height', () => {
    expect(medianBoxHeight([])).toBe(0);
    expect(medianBoxHeight([det(0, 0, 1, 10), det(0, 0, 1, 30), det(0, 0, 1, 20), det(0, 0, 1, 40)])).toBe(25);
  });
});
