import type { Detection } from '@crowdsafe/contracts';
import { acceptSliceFinds, asSecondStage, splitByConfidence } from './low-score';

const det = (score: number, x = 0): Detection => ({ box: { x1: x, y1: 0, x2: x + 10, y2: 20 }, score, classId: 0 });

describe('splitByConfidence', () => {
  it.each([
    // name, scores, confidence, expected confident scores, expected low scores
    ['empty', [], 0.5, [], []],
    ['no confidence given: nothing is low', [0.1, 0.6], undefined, [0.1, 0.6], []],
    ['split at the confidence (inclusive above)', [0.1, 0.35, 0.34, 0.9], 0.35, [0.35, 0.9], [0.1, 0.34]],
    ['confidence 0: everything kept', [0.1, 0.2], 0, [0.1, 0.2], []],
  ] as const)('%s', (_n, scores, conf, hi, lo) => {
    const s = splitByConfidence(scores.map((v, i) => det(v, i * 20)), conf);
    expect(s.detections.map((d) => d.score)).toEqual(hi);
    expect(s.lowScore.map((d) => d.score)).toEqual(lo);
  });

  it.each([[-0.1], [1.5], [Number.NaN]])('rejects confidence %p, naming it', (c) => {
    expect(() => splitByConfidence([det(0.5)], c)).toThrow(/confidence/);
  });
});

describe('asSecondStage', () => {
  it.each([
    // name, scores, trackHighThresh, trackLowThresh, expected scores (approx)
    ['empty', [], 0.25, 0.1, []],
    ['below the high threshold: unchanged', [0.15, 0.2], 0.25, 0.1, [0.15, 0.2]],
    ['at or above it (camera confidence above the tracker threshold): capped just below', [0.3, 0.45], 0.25, 0.1, [0.25 - 1e-6, 0.25 - 1e-6]],
    ['at or below the low threshold: dropped', [0.1, 0.05, 0.12], 0.25, 0.1, [0.12]],
  ] as const)('%s', (_n, scores, high, low, expected) => {
    const out = asSecondStage(scores.map((v, i) => det(v, i * 20)), high, low);
    expect(out).toHaveLength(expected.length);
    out.forEach((d, i) => expect(d.score).toBeCloseTo(expected[i], 9));
    for (const d of out) expect(d.score).toBeLessThan(high);
  });
});

describe('acceptSliceFinds', () => {
  const slice = { x: 0, y: 0, width: 100, height: 100 };
  it.each([
    // name, [score, x] of the low-score detections, slices, minScore, expected moved scores, expected still low
    ['empty', [], [slice], 0.25, [], []],
    ['no slices run: nothing moves', [[0.3, 10]], [], 0.25, [], [0.3]],
    ['minScore undefined: nothing moves', [[0.3, 10]], [slice], undefined, [], [0.3]],
    ['in a slice and >= minScore: moved', [[0.3, 10], [0.25, 50]], [slice], 0.25, [0.3, 0.25], []],
    ['below minScore: stays low', [[0.2, 10]], [slice], 0.25, [], [0.2]],
    ['centre outside every slice: stays low', [[0.3, 200]], [slice], 0.25, [], [0.3]],
  ] as const)('%s', (_n, low, slices, minScore, moved, still) => {
    const split = { detections: [det(0.9, 500)], lowScore: low.map(([s, x]) => det(s, x)) };
    const out = acceptSliceFinds(split, slices, minScore);
    expect(out.detections.map((d) => d.score)).toEqual([0.9, ...moved]);
    expect(out.lowScore.map((d) => d.score)).toEqual(still);
  });
});
