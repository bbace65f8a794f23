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
    ['carried until two examinations of its slice find nobody', [[1, [det(100, 50)], [LEFT]], [2, [], [RIGHT]], [3, [], [LEFT]], [4, [], []], [5, [], [LEFT]], [6, [], []]], [0, 1, 1, 1, 0, 0]],
    ['found again by its slice: the fresh box replaces the held one', [[1, [det(100, 50)], [LEFT]], [2, [], []], [3, [det(104, 50)], [LEFT]], [4, [], []]], [0, 1, 0, 1]],
    ['expires after holdFrames (4) when the slice is not re-examined', [[1, [det(100, 50)], [LEFT]], [2, [], []], [3, [], []], [4, [], []], [5, [], []]], [0, 1, 1, 1, 0]],
    ['seen by the global pass now: not carried twice', [[1, [det(100, 50)], [LEFT]], [2, [det(101, 50)], []], [3, [], []]], [0, 0, 1]],
    ['a person outside the examined slice is not remembered', [[1, [det(900, 50)], [LEFT]], [2, [], []]], [0, 0]],
  ] as const)('%s', (_name, frames, expected) => {
    const c = new SliceCarry();
    frames.forEach(([fi, dets, slices], i) => {
      const r = c.apply(dets, fi, { slices, holdFrames: 4 });
      expect(r.carried).toBe(expected[i]);
      expect(r.detections).toHaveLength(dets.length + expected[i]);
    });
  });

  it('a carried person moves at the velocity measured between their last two sightings', () => {
    const c = new SliceCarry();
    c.apply([det(100, 50)], 1, { slices: [LEFT], holdFrames: 5 });
    expect(c.apply([], 2, { slices: [], holdFrames: 5 }).detections[0].box.x1).toBe(100); // one sighting: no velocity yet
    c.apply([det(110, 52)], 3, { slices: [LEFT], holdFrames: 5 }); // 10 px right, 2 px down in 2 frames
    const r = c.apply([], 5, { slices: [RIGHT], holdFrames: 5 });
    expect(r.carried).toBe(1);
    expect(r.detections[0].box).toEqual({ x1: 120, y1: 54, x2: 132, y2: 84 });
  });

  it.each([
    // name, motion measured on frames 2 and 3 -> carried box x1 on frames 2 and 3
    ['no motion measured (null): the velocity (none after one sighting) keeps the box', [null, null], [100, 100]],
    ['motion measured each frame: the box follows it', [{ dx: 6, dy: 0 }, { dx: 5, dy: 0 }], [106, 111]],
    ['measured once, then not: the next frame goes on at the smoothed velocity (half the measured 6 px)', [{ dx: 6, dy: 0 }, null], [106, 109]],
  ] as const)('carried with measured motion: %s', (_name, measured, expectedX) => {
    const c = new SliceCarry();
    const guesses: number[] = [];
    c.apply([det(100, 50)], 1, { slices: [LEFT], holdFrames: 5 }, FRAME, () => ({ dx: 99, dy: 99 })); // nothing held yet
    measured.forEach((m, k) => {
      const r = c.apply([], 2 + k, { slices: [], holdFrames: 5 }, FRAME, (_b, guess) => {
        guesses.push(guess.dx);
        return m;
      });
      expect(r.carried).toBe(1);
      expect(r.detections[0].box.x1).toBe(expectedX[k]);
    });
    expect(guesses[0]).toBe(0); // one sighting: no velocity to guess with
  });

  it('the motion guess is the velocity times the frames since the previous processed frame', () => {
    const c = new SliceCarry();
    c.apply([det(100, 50)], 1, { slices: [LEFT], holdFrames: 8 }, FRAME);
    c.apply([det(110, 50)], 2, { slices: [LEFT], holdFrames: 8 }, FRAME); // 10 px per frame
    let guess = 0;
    const r = c.apply([], 4, { slices: [], holdFrames: 8 }, FRAME, (_b, g) => ((guess = g.dx), null));
    expect(guess).toBe(20);
    expect(r.detections[0].box.x1).toBe(130);
  });

  it('a person predicted out of the picture is not carried (they walked out)', () => {
    const c = new SliceCarry();
    c.apply([det(1230, 50, 40, 100)], 1, { slices: [RIGHT], holdFrames: 8 }, FRAME);
    c.apply([det(1240, 50, 40, 100)], 2, { slices: [RIGHT], holdFrames: 8 }, FRAME); // 10 px right per frame
    expect(c.apply([], 3, { slices: [], holdFrames: 8 }, FRAME).carried).toBe(1); // centre at 1270: inside
    expect(c.apply([], 5, { slices: [], holdFrames: 8 }, FRAME).carried).toBe(0); // centre at 1290 > 1280: gone
  });

  it('a remembered person seen by the global pass is updated, not carried, and the memory stays bounded', () => {
    const c = new SliceCarry();
    c.apply([det(100, 50)], 1, { slices: [LEFT], holdFrames: 5 });
    expect(c.apply([det(103, 50)], 2, { slices: [], holdFrames: 5 }).carried).toBe(0);
    expect(c.size).toBe(1);
    const r = c.apply([], 3, { slices: [], holdFrames: 5 });
    expect(r.detections[0].box.x1).toBe(106);
    const many = Array.from({ length: 3000 }, (_, i) => det((i % 50) * 12, Math.floor(i / 50) * 10, 10, 9));
    c.apply(many, 4, { slices: [LEFT, RIGHT], holdFrames: 5 });
    expect(c.size).toBeLessThanOrEqual(2000);
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

  it('with carrying: once the re-examined slice no longer finds the person, they stop counting (hold expired)', () => {
    const counts = run(11, 30, true); // seen at frames 1, 6, 11; frame 16 examines the slice and finds nobody
    expect(counts.slice(2, 15)).toEqual(Array(13).fill(2));
    expect(counts.slice(15)).toEqual(Array(15).fill(1));
  });

  it('with carrying and a long hold: the second examination that finds nobody ends the carry', () => {
    const counter = new PeopleCounter({ frameRate: 5, trackBufferS: 4 });
    const counts: number[] = [];
    for (let f = 1; f <= 12; f++) {
      const sliceRuns = f % 3 === 1; // frames 1, 4, 7, 10
      const dets = sliceRuns && f === 1 ? [det(100, 50)] : [];
      counts.push(counter.process(dets, f, FRAME, null, undefined, { slices: sliceRuns ? [LEFT] : [], holdFrames: 20 }).count.count);
    }
    // Confirmed on frame 3; frame 4 finds nobody (one miss forgiven), frame 7 finds nobody again: dropped.
    expect(counts.slice(2, 6)).toEqual([1, 1, 1, 1]);
    expect(counts.slice(6)).toEqual([0, 0, 0, 0, 0, 0]);
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

  it.each([
    // name, score of the slice find, sliceConfirmScore, count on frames 4, 5, 6
    ['a confident slice find counts on its first frame', 0.8, undefined, [2, 2, 2]],
    ['a weak (0.26) slice find counts on its first frame with the default sliceConfirmScore 0.25', 0.26, undefined, [2, 2, 2]],
    ['below sliceConfirmScore 0.35 a slice find stays tentative until minHits (carried hits included)', 0.34, 0.35, [1, 1, 2]],
    ['sliceConfirmScore 1 turns first-hit confirmation off', 0.8, 1, [1, 1, 2]],
  ] as const)('%s', (_name, score, sliceConfirmScore, expected) => {
    const counter = new PeopleCounter({ frameRate: 5, trackBufferS: 1, ...(sliceConfirmScore === undefined ? {} : { sliceConfirmScore }) });
    const counts: number[] = [];
    for (let f = 1; f <= 6; f++) {
      // A near person seen by the global pass on every frame; a far one found by the LEFT slice on frame 4, carried after.
      const dets = [det(800, 400, 60, 150), ...(f === 4 ? [det(100, 50, 12, 30, score)] : [])];
      counts.push(counter.process(dets, f, FRAME, null, undefined, { slices: f === 4 ? [LEFT] : [], holdFrames: 5 }).count.count);
    }
    expect(counts.slice(3)).toEqual(expected);
  });

  it('a confident detection outside the examined slices (global pass) still needs minHits', () => {
    const counter = new PeopleCounter({ frameRate: 5, trackBufferS: 1 });
    const counts: number[] = [];
    for (let f = 1; f <= 6; f++) {
      const dets = [det(800, 400, 60, 150), ...(f >= 4 ? [det(1000, 50, 40, 100, 0.9)] : [])];
      counts.push(counter.process(dets, f, FRAME, null, undefined, { slices: f === 4 ? [LEFT] : [], holdFrames: 5 }).count.count);
    }
    expect(counts.slice(3)).toEqual([1, 1, 2]);
  });

  it('rejects a sliceConfirmScore outside [0, 1]', () => {
    expect(() => new PeopleCounter({ frameRate: 5, sliceConfirmScore: 1.5 })).toThrow(RangeError);
  });

  it('trackBufferS sets the lost-track buffer in seconds', () => {
    expect(new PeopleCounter({ frameRate: 5, trackBufferS: 2 }).stats.maxTimeLost).toBe(10);
    expect(() => new PeopleCounter({ frameRate: 5, trackBufferS: -1 })).toThrow(RangeError);
  });
});
