import { fuseScore, iou, iouCostPairs, iouDistance } from './matching';
import { prng } from './testing/prng.test-util';

function boxes(rand: () => number, n: number): Float64Array {
  const out = new Float64Array(4 * n);
  for (let i = 0; i < n; i++) {
    const x = rand() * 300;
    const y = rand() * 200;
    out.set([x, y, x + 5 + rand() * 60, y + 10 + rand() * 120], 4 * i);
  }
  return out;
}

describe('iou', () => {
  it.each([
    { name: 'disjoint', a: { x1: 0, y1: 0, x2: 10, y2: 10 }, b: { x1: 20, y1: 0, x2: 30, y2: 10 }, v: 0 },
    { name: 'touching edges', a: { x1: 0, y1: 0, x2: 10, y2: 10 }, b: { x1: 10, y1: 0, x2: 20, y2: 10 }, v: 0 },
    { name: 'identical', a: { x1: 0, y1: 0, x2: 10, y2: 10 }, b: { x1: 0, y1: 0, x2: 10, y2: 10 }, v: 1 },
    { name: 'half overlap', a: { x1: 0, y1: 0, x2: 10, y2: 10 }, b: { x1: 5, y1: 0, x2: 15, y2: 10 }, v: 50 / 150 },
    { name: 'contained', a: { x1: 0, y1: 0, x2: 10, y2: 10 }, b: { x1: 2, y1: 2, x2: 7, y2: 7 }, v: 25 / 100 },
  ])('$name', ({ a, b, v }) => {
    expect(iou(a, b)).toBeCloseTo(v, 6);
  });
});

describe('iouDistance / fuseScore / iouCostPairs', () => {
  it('empty inputs', () => {
    expect(iouDistance(new Float64Array(0), 0, new Float64Array(0), 0)).toEqual({ rows: 0, cols: 0, data: new Float64Array(0) });
    expect(iouCostPairs(new Float64Array(0), 0, new Float64Array(4), 1, 0.8)).toEqual({ rows: 0, cols: 1, row: [], col: [], cost: [] });
  });

  it('fuseScore: 1 - IoU * score per column', () => {
    const m = { rows: 1, cols: 2, data: Float64Array.from([0.5, 1]) };
    fuseScore(m, [0.8, 0.9]);
    expect(m.data[0]).toBeCloseTo(0.6, 12);
    expect(m.data[1]).toBeCloseTo(1, 12);
  });

  it('iouCostPairs equals the dense (fused) matrix entries below the limit on random boxes', () => {
    const rand = prng(11);
    for (let trial = 0; trial < 200; trial++) {
      const nA = Math.floor(rand() * 30);
      const nB = Math.floor(rand() * 30);
      const a = boxes(rand, nA);
      const b = boxes(rand, nB);
      const scores = trial % 2 ? Float64Array.from({ length: nB }, () => rand()) : undefined;
      const limit = [0.15, 0.5, 0.8, 1][trial % 4];
      const dense = iouDistance(a, nA, b, nB);
      if (scores) fuseScore(dense, scores);
      const expected: Array<[number, number, number]> = [];
      for (let i = 0; i < nA; i++) {
        for (let j = 0; j < nB; j++) if (dense.data[i * nB + j] < limit) expected.push([i, j, dense.data[i * nB + j]]);
      }
      const pairs = iouCostPairs(a, nA, b, nB, limit, scores);
      const got = pairs.row.map((i, e): [number, number, number] => [i, pairs.col[e], pairs.cost[e]]);
      got.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
      expect(got.map(([i, j]) => [i, j])).toEqual(expected.map(([i, j]) => [i, j]));
      got.forEach(([, , c], k) => expect(c).toBeCloseTo(expected[k][2], 12));
    }
  });
});
