import type { Detection } from '@crowdsafe/contracts';
import { iou, nms } from './nms';

const det = (x1: number, y1: number, x2: number, y2: number, score: number, classId = 0): Detection => ({
  box: { x1, y1, x2, y2 },
  score,
  classId,
});

/** The textbook O(n^2) greedy NMS, as a reference for the optimised one. */
function referenceNms(c: Detection[], thr: number, max: number): Detection[] {
  const sorted = c.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score || a.i - b.i).map((x) => x.d);
  const removed = new Set<number>();
  const keep: Detection[] = [];
  for (let i = 0; i < sorted.length && keep.length < max; i++) {
    if (removed.has(i)) continue;
    keep.push(sorted[i]);
    for (let j = i + 1; j < sorted.length; j++) {
      if (sorted[j].classId === sorted[i].classId && iou(sorted[i].box, sorted[j].box) > thr) removed.add(j);
    }
  }
  return keep;
}

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('iou', () => {
  it.each([
    ['empty boxes', det(0, 0, 0, 0, 1).box, det(0, 0, 0, 0, 1).box, 0],
    ['disjoint', det(0, 0, 1, 1, 1).box, det(2, 2, 3, 3, 1).box, 0],
    ['touching edges', det(0, 0, 1, 1, 1).box, det(1, 0, 2, 1, 1).box, 0],
    ['identical', det(0, 0, 2, 2, 1).box, det(0, 0, 2, 2, 1).box, 1],
    ['half overlap', det(0, 0, 2, 1, 1).box, det(1, 0, 3, 1, 1).box, 1 / 3],
  ])('%s', (_name, a, b, expected) => {
    expect(iou(a, b)).toBeCloseTo(expected, 10);
  });
});

describe('nms', () => {
  it.each([
    { name: 'no candidates', input: [], thr: 0.5, max: 10, agnostic: false, expected: [] },
    { name: 'one candidate', input: [det(0, 0, 1, 1, 0.5)], thr: 0.5, max: 10, agnostic: false, expected: [det(0, 0, 1, 1, 0.5)] },
    {
      name: 'overlapping same class: the higher score survives',
      input: [det(0, 0, 10, 10, 0.6), det(1, 1, 11, 11, 0.9)],
      thr: 0.5,
      max: 10,
      agnostic: false,
      expected: [det(1, 1, 11, 11, 0.9)],
    },
    {
      name: 'overlapping different classes both survive',
      input: [det(0, 0, 10, 10, 0.6, 1), det(1, 1, 11, 11, 0.9, 0)],
      thr: 0.5,
      max: 10,
      agnostic: false,
      expected: [det(1, 1, 11, 11, 0.9, 0), det(0, 0, 10, 10, 0.6, 1)],
    },
    {
      name: 'agnostic: classes suppress each other',
      input: [det(0, 0, 10, 10, 0.6, 1), det(1, 1, 11, 11, 0.9, 0)],
      thr: 0.5,
      max: 10,
      agnostic: true,
      expected: [det(1, 1, 11, 11, 0.9, 0)],
    },
    {
      name: 'IoU exactly at the threshold is kept (suppress only when greater)',
      input: [det(0, 0, 2, 1, 0.9), det(1, 0, 3, 1, 0.8)],
      thr: 1 / 3,
      max: 10,
      agnostic: false,
      expected: [det(0, 0, 2, 1, 0.9), det(1, 0, 3, 1, 0.8)],
    },
    {
      name: 'a suppressed box does not suppress others (greedy)',
      // B overlaps A and C; A suppresses B, so C survives.
      input: [det(0, 0, 10, 10, 0.9), det(5, 0, 15, 10, 0.8), det(10, 0, 20, 10, 0.7)],
      thr: 0.3,
      max: 10,
      agnostic: false,
      expected: [det(0, 0, 10, 10, 0.9), det(10, 0, 20, 10, 0.7)],
    },
    {
      name: 'capped at maxDetections, highest scores first',
      input: [det(0, 0, 1, 1, 0.1), det(10, 0, 11, 1, 0.3), det(20, 0, 21, 1, 0.2)],
      thr: 0.5,
      max: 2,
      agnostic: false,
      expected: [det(10, 0, 11, 1, 0.3), det(20, 0, 21, 1, 0.2)],
    },
    { name: 'maxDetections 0', input: [det(0, 0, 1, 1, 0.5)], thr: 0.5, max: 0, agnostic: false, expected: [] },
  ])('$name', ({ input, thr, max, agnostic, expected }) => {
    expect(nms(input, thr, max, { agnostic })).toEqual(expected);
  });

  it.each([
    [1, 0.7, 1000],
    [2, 0.45, 1000],
    [3, 0.7, 50],
  ])('matches the reference on 3000 random boxes (seed %i, iou %p, max %i)', (seed, thr, max) => {
    const r = rng(seed);
    const boxes = Array.from({ length: 3000 }, () => {
      const x = r() * 600;
      const y = r() * 600;
      return det(x, y, x + 5 + r() * 60, y + 5 + r() * 60, r(), r() < 0.8 ? 0 : 1);
    });
    expect(nms(boxes, thr, max)).toEqual(referenceNms(boxes, thr, max));
  });
});
