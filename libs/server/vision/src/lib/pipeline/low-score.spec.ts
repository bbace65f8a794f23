import type { Detection } from '@crowdsafe/contracts';
import { asSecondStage, splitByConfidence } from './low-score';

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
