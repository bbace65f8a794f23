import type { Detection } from '@crowdsafe/contracts';
import type { TileRegion } from '../tiling/tile-plan';
import { PeopleCounter } from './people-counter';
import { SliceCarry } from './slice-carry';

const det = (x: number, y: number, w = 12, h = 30, score = 0.8): Detection => ({ box: { x1: x, y1: y, x2: x + w, y2: y + h }, score, classId: 0 });
const LEFT: TileRegion = { x: 0, y: 0, width: 640, height: 640, kind: 'tile' };
const RIGHT: TileRegion = { x: 640, y: 0, width: 640, height: 640, kind: 'tile' };
const FRAME = { width: 1280, height: 720 };

describe('SliceCarry', () => {
  it('nothing examined, nothing held: the detections pass through', () => {
    const c = new SliceCarry();
    expect(c.apply([], 1, { slices: [], holdFrames: 5 })).toEqual({ detections: [], carried: 0 });
    const d = [det(10, 10)];
    expect(c.apply(d, 2, { slices: [], holdFrames: 5 })).toEqual({ detections: d, carried: 0 });
    expect(c.size).toBe(0);
  });

  it.each([
    // name, frames: [frameIndex, detections, slices run] -> carried count expected per frame
    ['carried until its slice is re-examined and not found', [[1, [det(100, 50)], [LEFT]], [2, [], [RIGHT]], [3, [], []], [4, [], [LEFT]], [5, [], []]], [0, 1, 1, 0, 0]],
    ['found again by its slice: the fresh box replaces the held one', [[1, [det(100, 50)], [LEFT]], [2, [], []], [3, [det(104, 50)], [LEFT]], [4, [], []]], [0, 1, 0, 1]],
    ['expires after holdFrames (3) when the slice is not re-examined', [[1, [det(100, 50)], [LEFT]], [2, [], []], [3, [], []], [4, [], []], [5, [], []]], [0, 1, 1, 0, 0]],
    ['seen by the global pass now: not carried twice', [[1, [det(100, 50)], [LEFT]], [2, [det(101, 50)], []], [3, [], []]], [0, 0, 1]],
    ['a person outside the examined slice is not remembered', [[1, [det(900, 50)], [LEFT]], [2, [], []]], [0, 0]],
  ] as const)('%s', (_name, frames, expected) => {
    const c = new SliceCarry();
    frames.forEach(([fi, dets, slices], i) => {
      const r = c.apply(dets, fi, { slices, holdFrames: 3 });
      expect(r.carried).toBe(expected[i]);
      expect(r.detections).toHaveLength(dets.length + expected[i]);
    });
  });

  it('a frame index going backwards (stream restart) forgets everything', () => {
    const c = new SliceCarry();
    c.apply([det(100, 50)], 10, { slices: [LEFT], holdFrames: 5 });
    expect(c.apply([], 3, { slices: [], holdFrames: 5 }).carried).toBe(0);
  });
});

describe('PeopleCounter with slice scheduling (carried tracks)', () => {
  /**
   * A far person is detectable only by the LEFT slice, which runs every 5th frame (refresh 1 s at 5 fps); a near
   * person is seen by the global pass on every frame.
   */
  function run(farVisibleUntil: number, frames: number, withCarry: boolean): number[] {
    const counter = new PeopleCounter({ frameRate: 5, trackBufferS: 1 });
    const counts: number[] = [];
    for (let f = 1; f <= frames; f++) {
      const sliceRuns = f % 5 === 1;
      const dets = [det(800, 400, 60, 150)];
      if (sliceRuns && f <= farVisibleUntil) dets.push(det(100, 50));
      const r = counter.process(dets, f, FRAME, null, undefined, withCarry ? { slices: sliceRuns ? [LEFT] : [], holdFrames: 5 } : undefined);
      counts.push(r.count.count);
    }
    return counts;
  }

  it('empty scene: zero', () => {
    const counter = new PeopleCounter({ frameRate: 5 });
    expect(counter.process([], 1, FRAME, null, undefined, { slices: [LEFT], holdFrames: 5 }).count.count).toBe(0);
  });

  it('without carrying, a person seen once per refresh never becomes a track (count 1, should be 2)', () => {
    expect(run(1000, 30, false).slice(5)).toEqual(Array(25).fill(1));
  });

  it('with carrying: the slice-only person is tracked and counted on every frame between examinations (no flicker)', () => {
    const counts = run(1000, 30, true);
    // Confirmed on the 3rd frame (minHits 3), then steady at 2.
    expect(counts.slice(2)).toEqual(Array(28).fill(2));
  });

  it('with carrying: once the re-examined slice no longer finds the person, they stop counting at once', () => {
    const counts = run(11, 30, true); // seen at frames 1, 6, 11; frame 16 examines the slice and finds nobody
    expect(counts.slice(2, 15)).toEqual(Array(13).fill(2));
    expect(counts.slice(15)).toEqual(Array(15).fill(1));
  });

  it('reports how many counted tracks are carried', () => {
    const counter = new PeopleCounter({ frameRate: 5, trackBufferS: 1 });
    let carried = 0;
    for (let f = 1; f <= 4; f++) {
      const r = counter.process(f === 1 ? [det(100, 50)] : [], f, FRAME, null, undefined, { slices: f === 1 ? [LEFT] : [], holdFrames: 5 });
      carried = r.carried;
    }
    expect(carried).toBe(1);
  });

  it('trackBufferS sets the lost-track buffer in seconds', () => {
    expect(new PeopleCounter({ frameRate: 5, trackBufferS: 2 }).stats.maxTimeLost).toBe(10);
    expect(() => new PeopleCounter({ frameRate: 5, trackBufferS: -1 })).toThrow(RangeError);
  });
});
