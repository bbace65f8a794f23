import { costMatrixFromRows, lapjv, linearAssignment, linearAssignmentSparse, type CostMatrix } from './lap';
import { prng } from './testing/prng.test-util';

function randomMatrix(rand: () => number, rows: number, cols: number, kind: 'uniform' | 'sparse' | 'ties'): CostMatrix {
  const data = new Float64Array(rows * cols);
  for (let k = 0; k < data.length; k++) {
    if (kind === 'uniform') data[k] = rand();
    else if (kind === 'sparse') data[k] = rand() < 0.6 ? 1 : rand();
    else data[k] = Math.floor(rand() * 4) / 4; // many exact ties
  }
  return { rows, cols, data };
}

/** Brute force of the capped objective: minimise sum(cost - limit) over partial matchings with cost < limit. */
function bruteCapped(m: CostMatrix, limit: number): number {
  const used = new Uint8Array(m.cols);
  const go = (i: number): number => {
    if (i === m.rows) return 0;
    let best = go(i + 1); // row i unmatched
    for (let j = 0; j < m.cols; j++) {
      const c = m.data[i * m.cols + j];
      if (used[j] || !(c < limit)) continue;
      used[j] = 1;
      best = Math.min(best, c - limit + go(i + 1));
      used[j] = 0;
    }
    return best;
  };
  return go(0);
}

/** Brute force of the uncapped rectangular problem: exactly min(rows, cols) pairs, minimum total. */
function bruteUncapped(m: CostMatrix): number {
  const target = Math.min(m.rows, m.cols);
  const used = new Uint8Array(m.cols);
  const go = (i: number, k: number): number => {
    if (k === target) return 0;
    if (m.rows - i < target - k) return Infinity;
    let best = go(i + 1, k);
    for (let j = 0; j < m.cols; j++) {
      if (used[j]) continue;
      used[j] = 1;
      best = Math.min(best, m.data[i * m.cols + j] + go(i + 1, k + 1));
      used[j] = 0;
    }
    return best;
  };
  return go(0, 0);
}

/** Independent O(n^3) Hungarian (potentials + shortest augmenting path) for medium-size cross-checks. */
function hungarianTotal(cost: Float64Array, n: number): number {
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * n + (j - 1)] - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  let total = 0;
  for (let j = 1; j <= n; j++) total += cost[(p[j] - 1) * n + (j - 1)];
  return total;
}

function checkResult(m: CostMatrix, limit: number, r: ReturnType<typeof linearAssignment>): number {
  const rowSeen = new Set<number>();
  const colSeen = new Set<number>();
  let objective = 0;
  for (const [i, j] of r.matches) {
    expect(rowSeen.has(i) || colSeen.has(j)).toBe(false);
    rowSeen.add(i);
    colSeen.add(j);
    const c = m.data[i * m.cols + j];
    if (limit !== Infinity) expect(c).toBeLessThan(limit);
    objective += limit === Infinity ? c : c - limit;
  }
  expect([...r.unmatchedRows, ...rowSeen].sort((a, b) => a - b)).toEqual([...Array(m.rows).keys()]);
  expect([...r.unmatchedCols, ...colSeen].sort((a, b) => a - b)).toEqual([...Array(m.cols).keys()]);
  expect(r.matches.map(([i]) => i)).toEqual([...r.matches.map(([i]) => i)].sort((a, b) => a - b));
  return objective;
}

describe('linearAssignment (capped, rectangular)', () => {
  const cases: Array<{ name: string; m: CostMatrix; limit: number; matches: Array<[number, number]>; ur: number[]; uc: number[] }> = [
    { name: '0x0', m: { rows: 0, cols: 0, data: [] }, limit: 0.8, matches: [], ur: [], uc: [] },
    { name: '0x3', m: { rows: 0, cols: 3, data: [] }, limit: 0.8, matches: [], ur: [], uc: [0, 1, 2] },
    { name: '2x0', m: { rows: 2, cols: 0, data: [] }, limit: 0.8, matches: [], ur: [0, 1], uc: [] },
    { name: '1x1 below limit', m: costMatrixFromRows([[0.3]]), limit: 0.8, matches: [[0, 0]], ur: [], uc: [] },
    { name: '1x1 equal to limit is not matched', m: costMatrixFromRows([[0.8]]), limit: 0.8, matches: [], ur: [0], uc: [0] },
    {
      name: 'diagonal',
      m: costMatrixFromRows([[0.1, 0.9], [0.9, 0.2]]),
      limit: 0.5,
      matches: [[0, 0], [1, 1]],
      ur: [],
      uc: [],
    },
    {
      name: '2x3 picks the cheapest columns',
      m: costMatrixFromRows([[0.9, 0.1, 0.5], [0.2, 0.3, 0.9]]),
      limit: 0.8,
      matches: [[0, 1], [1, 0]],
      ur: [],
      uc: [2],
    },
    {
      name: '3x1 one winner',
      m: costMatrixFromRows([[0.7], [0.2], [0.4]]),
      limit: 0.8,
      matches: [[1, 0]],
      ur: [0, 2],
      uc: [],
    },
    {
      name: 'all above the limit',
      m: costMatrixFromRows([[0.9, 0.95], [1, 1]]),
      limit: 0.8,
      matches: [],
      ur: [0, 1],
      uc: [0, 1],
    },
    {
      // uncapped optimum is (0,1)+(1,0) = 1.0, but with the cap one good pair beats two mediocre ones
      name: 'cap prefers one good pair over two mediocre ones',
      m: costMatrixFromRows([[0.1, 0.5], [0.5, 2]]),
      limit: 0.6,
      matches: [[0, 0]],
      ur: [1],
      uc: [1],
    },
    {
      name: 'NaN and Infinity are never matched',
      m: costMatrixFromRows([[NaN, 0.2], [Infinity, 0.1]]),
      limit: 0.8,
      matches: [[1, 1]],
      ur: [0],
      uc: [0],
    },
    {
      name: 'two independent components',
      m: costMatrixFromRows([
        [0.1, 0.2, 1, 1],
        [0.2, 0.9, 1, 1],
        [1, 1, 1, 0.3],
        [1, 1, 0.4, 0.35],
      ]),
      limit: 0.8,
      matches: [[0, 1], [1, 0], [2, 3], [3, 2]],
      ur: [],
      uc: [],
    },
  ];
  it.each(cases)('$name', ({ m, limit, matches, ur, uc }) => {
    const r = linearAssignment(m, limit);
    expect(r.matches).toEqual(matches);
    expect(r.unmatchedRows).toEqual(ur);
    expect(r.unmatchedCols).toEqual(uc);
  });

  it.each([
    { kind: 'uniform' as const, seed: 1 },
    { kind: 'sparse' as const, seed: 2 },
    { kind: 'ties' as const, seed: 3 },
  ])('matches brute force on 600 random $kind matrices up to 6x6', ({ kind, seed }) => {
    const rand = prng(seed);
    for (let trial = 0; trial < 600; trial++) {
      const rows = 1 + Math.floor(rand() * 6);
      const cols = 1 + Math.floor(rand() * 6);
      const limit = [0.3, 0.5, 0.8, 1.01][Math.floor(rand() * 4)];
      const m = randomMatrix(rand, rows, cols, kind);
      const objective = checkResult(m, limit, linearAssignment(m, limit));
      expect(objective).toBeCloseTo(bruteCapped(m, limit), 9);
    }
  });

  it('uncapped (Infinity) matches brute force on random rectangular matrices', () => {
    const rand = prng(4);
    for (let trial = 0; trial < 400; trial++) {
      const rows = 1 + Math.floor(rand() * 6);
      const cols = 1 + Math.floor(rand() * 6);
      const m = randomMatrix(rand, rows, cols, trial % 2 ? 'uniform' : 'ties');
      const r = linearAssignment(m, Infinity);
      expect(r.matches).toHaveLength(Math.min(rows, cols));
      expect(checkResult(m, Infinity, r)).toBeCloseTo(bruteUncapped(m), 9);
    }
  });

  it.each([
    { name: 'wrong data length', run: () => linearAssignment({ rows: 2, cols: 2, data: [0, 1, 2] }, 1) },
    { name: 'negative shape', run: () => linearAssignment({ rows: -1, cols: 0, data: [] }, 1) },
    { name: 'NaN limit', run: () => linearAssignment(costMatrixFromRows([[0]]), NaN) },
    { name: 'non-finite cost without a limit', run: () => linearAssignment(costMatrixFromRows([[Infinity]]), Infinity) },
    { name: 'ragged rows', run: () => costMatrixFromRows([[0, 1], [0]]) },
  ])('rejects $name', ({ run }) => {
    expect(run).toThrow(RangeError);
  });
});

describe('linearAssignmentSparse', () => {
  it.each([
    { name: 'no edges', m: { rows: 0, cols: 0, row: [], col: [], cost: [] }, matches: [], ur: [], uc: [] },
    { name: 'no edges, 2x1', m: { rows: 2, cols: 1, row: [], col: [], cost: [] }, matches: [], ur: [0, 1], uc: [0] },
    {
      name: 'inadmissible single edge is not matched',
      m: { rows: 1, cols: 1, row: [0], col: [0], cost: [0.9] },
      matches: [],
      ur: [0],
      uc: [0],
    },
    {
      name: 'duplicate pair: the lowest cost counts',
      m: { rows: 2, cols: 2, row: [0, 0, 1], col: [0, 0, 0], cost: [0.9, 0.1, 0.3] },
      matches: [[0, 0]],
      ur: [1],
      uc: [1],
    },
  ])('$name', ({ m, matches, ur, uc }) => {
    const r = linearAssignmentSparse(m, 0.8);
    expect(r.matches).toEqual(matches);
    expect(r.unmatchedRows).toEqual(ur);
    expect(r.unmatchedCols).toEqual(uc);
  });

  it('equals the dense result with absent pairs as inadmissible, on 500 random sparse matrices up to 40x40', () => {
    const rand = prng(7);
    for (let trial = 0; trial < 500; trial++) {
      const rows = Math.floor(rand() * 41);
      const cols = Math.floor(rand() * 41);
      const limit = [0.5, 0.8][trial % 2];
      const dense = randomMatrix(rand, rows, cols, trial % 3 ? 'sparse' : 'ties');
      const row: number[] = [];
      const col: number[] = [];
      const cost: number[] = [];
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const v = dense.data[i * cols + j];
          if (v < 1) {
            row.push(i);
            col.push(j);
            cost.push(v);
          }
        }
      }
      expect(linearAssignmentSparse({ rows, cols, row, col, cost }, limit)).toEqual(linearAssignment(dense, limit));
    }
  });

  it('matches an independent Hungarian on the full extended problem for 30x40 matrices', () => {
    const rand = prng(8);
    for (let trial = 0; trial < 30; trial++) {
      const rows = 30;
      const cols = 40;
      const limit = 0.8;
      const m = randomMatrix(rand, rows, cols, 'sparse');
      const objective = checkResult(m, limit, linearAssignment(m, limit));
      // lap's extend_cost construction without the component split: (rows+cols)^2, dummies at limit / 2
      const n = rows + cols;
      const ext = new Float64Array(n * n).fill(limit / 2);
      for (let a = rows; a < n; a++) ext.fill(0, a * n + cols, a * n + n);
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) ext[i * n + j] = m.data[i * cols + j];
      expect(objective + (n * limit) / 2).toBeCloseTo(hungarianTotal(ext, n), 9);
    }
  });

  it.each([
    { name: 'infinite limit', run: () => linearAssignmentSparse({ rows: 1, cols: 1, row: [0], col: [0], cost: [0] }, Infinity) },
    { name: 'edge outside the shape', run: () => linearAssignmentSparse({ rows: 1, cols: 1, row: [0], col: [1], cost: [0] }, 1) },
    { name: 'length mismatch', run: () => linearAssignmentSparse({ rows: 1, cols: 1, row: [0], col: [], cost: [0] }, 1) },
  ])('rejects $name', ({ run }) => {
    expect(run).toThrow(RangeError);
  });
});

describe('lapjv (square)', () => {
  it.each([
    { name: '0x0', n: 0, cost: [], rowToCol: [] },
    { name: '1x1', n: 1, cost: [5], rowToCol: [0] },
    { name: '2x2 anti-diagonal', n: 2, cost: [4, 1, 2, 8], rowToCol: [1, 0] },
    { name: '3x3', n: 3, cost: [4, 1, 3, 2, 0, 5, 3, 2, 2], rowToCol: [1, 0, 2] },
  ])('$name', ({ n, cost, rowToCol }) => {
    const r = lapjv(cost, n);
    expect([...r.rowToCol]).toEqual(rowToCol);
    for (let i = 0; i < n; i++) expect(r.colToRow[r.rowToCol[i]]).toBe(i);
  });

  it('matches brute force on random square matrices up to 7x7', () => {
    const rand = prng(5);
    for (let trial = 0; trial < 500; trial++) {
      const n = 1 + Math.floor(rand() * 7);
      const m = randomMatrix(rand, n, n, trial % 3 === 0 ? 'ties' : trial % 3 === 1 ? 'sparse' : 'uniform');
      const r = lapjv(m.data, n);
      let total = 0;
      for (let i = 0; i < n; i++) {
        expect(r.colToRow[r.rowToCol[i]]).toBe(i);
        total += m.data[i * n + r.rowToCol[i]];
      }
      expect(total).toBeCloseTo(bruteUncapped(m), 9);
    }
  });

  it('matches an independent Hungarian on random 10..80 square matrices', () => {
    const rand = prng(6);
    for (let trial = 0; trial < 60; trial++) {
      const n = 10 + Math.floor(rand() * 71);
      const m = randomMatrix(rand, n, n, trial % 3 === 0 ? 'ties' : trial % 3 === 1 ? 'sparse' : 'uniform');
      const data = Float64Array.from(m.data);
      const r = lapjv(data, n);
      const cols = new Set(r.rowToCol);
      expect(cols.size).toBe(n);
      let total = 0;
      for (let i = 0; i < n; i++) total += data[i * n + r.rowToCol[i]];
      expect(total).toBeCloseTo(hungarianTotal(data, n), 9);
    }
  });

  it.each([
    { name: 'wrong size', run: () => lapjv([1, 2, 3], 2) },
    { name: 'non-integer n', run: () => lapjv([], 0.5) },
    { name: 'NaN cost', run: () => lapjv([NaN], 1) },
  ])('rejects $name', ({ run }) => {
    expect(run).toThrow(RangeError);
  });
});
