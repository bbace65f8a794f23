/**
 * Linear assignment (pure TypeScript, no dependencies).
 *
 * `lapjv` is the Jonker-Volgenant algorithm for dense square matrices (R. Jonker, A. Volgenant, "A shortest
 * augmenting path algorithm for dense and sparse linear assignment problems", Computing 38, 1987), structured as
 * in the `lap` package that Ultralytics uses (column reduction + reduction transfer, two rounds of augmenting row
 * reduction, then shortest augmenting paths).
 *
 * `linearAssignment` is the rectangular, cost-capped variant that Ultralytics' trackers call as
 * `lap.lapjv(cost, extend_cost=True, cost_limit=thresh)`: leaving a row or a column unmatched costs
 * `costLimit / 2`, so a pair is only matched when that lowers the total, i.e. it minimises
 * `sum(cost[i][j] - costLimit)` over the chosen pairs. Every returned pair has `cost < costLimit`.
 */

/** Row-major dense cost matrix: `data[r * cols + c]`. */
export interface CostMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: ArrayLike<number>;
}

/** Result of `linearAssignment`: matched `[row, col]` pairs sorted by row, unmatched indices ascending. */
export interface AssignmentResult {
  matches: Array<[number, number]>;
  unmatchedRows: number[];
  unmatchedCols: number[];
}

/** Square assignment: `rowToCol[i]` is the column of row i, `colToRow[j]` the row of column j. */
export interface SquareAssignment {
  rowToCol: Int32Array;
  colToRow: Int32Array;
}

/**
 * Sparse costs: edge e joins row `row[e]` and column `col[e]` at `cost[e]`; absent pairs are never matched
 * (duplicate pairs: the lowest cost counts).
 */
export interface SparseCostMatrix {
  readonly rows: number;
  readonly cols: number;
  readonly row: ArrayLike<number>;
  readonly col: ArrayLike<number>;
  readonly cost: ArrayLike<number>;
}

/** Build a `CostMatrix` from nested arrays (every row must have the same length). */
export function costMatrixFromRows(rows: readonly (readonly number[])[]): CostMatrix {
  const nRows = rows.length;
  const nCols = nRows > 0 ? rows[0].length : 0;
  const data = new Float64Array(nRows * nCols);
  for (let i = 0; i < nRows; i++) {
    if (rows[i].length !== nCols) throw new RangeError(`row ${i} has ${rows[i].length} columns, expected ${nCols}`);
    for (let j = 0; j < nCols; j++) data[i * nCols + j] = rows[i][j];
  }
  return { rows: nRows, cols: nCols, data };
}

/**
 * Optimal assignment of an n x n cost matrix (row-major, finite values), minimising the total cost.
 * Throws RangeError on a wrong size or a non-finite cost.
 */
export function lapjv(cost: ArrayLike<number>, n: number): SquareAssignment {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (cost.length !== n * n) throw new RangeError(`cost has ${cost.length} entries, expected ${n * n}`);
  const c = Float64Array.from(cost);
  for (let k = 0; k < c.length; k++) {
    if (!Number.isFinite(c[k])) throw new RangeError(`cost[${k}] is not finite (${c[k]})`);
  }
  return solveSquare(c, n);
}

/**
 * Rectangular assignment with a cost cap, equivalent to `lap.lapjv(cost, extend_cost=True, cost_limit)`.
 * - finite `costLimit`: pairs with `cost >= costLimit` (and NaN / infinite costs) are never matched; among the
 *   rest the matching minimising `sum(cost - costLimit)` is returned (ties may differ from `lap`). The problem is
 *   split into connected components of the "cost < limit" graph first, which keeps sparse tracking matrices cheap.
 * - `costLimit = Infinity`: a maximum-cardinality (min(rows, cols) pairs) minimum-cost assignment; all costs must
 *   be finite.
 */
export function linearAssignment(matrix: CostMatrix, costLimit: number): AssignmentResult {
  const { rows, cols, data } = matrix;
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(`invalid matrix shape ${rows}x${cols}`);
  }
  if (data.length !== rows * cols) throw new RangeError(`matrix has ${data.length} entries, expected ${rows * cols}`);
  if (Number.isNaN(costLimit) || costLimit === -Infinity) throw new RangeError(`invalid costLimit ${costLimit}`);
  if (rows === 0 || cols === 0) return { matches: [], unmatchedRows: range(rows), unmatchedCols: range(cols) };
  return costLimit === Infinity ? assignUncapped(rows, cols, data) : assignCapped(rows, cols, data, costLimit);
}

/**
 * `linearAssignment` with a finite `costLimit` on a sparse matrix (absent pairs = inadmissible); same result as the
 * dense call with those pairs set to a cost >= costLimit. Lets the tracker skip the all-1 entries of
 * non-overlapping boxes.
 */
export function linearAssignmentSparse(matrix: SparseCostMatrix, costLimit: number): AssignmentResult {
  const { rows, cols, row, col, cost } = matrix;
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new RangeError(`invalid matrix shape ${rows}x${cols}`);
  }
  if (!Number.isFinite(costLimit)) throw new RangeError(`costLimit must be finite for a sparse matrix, got ${costLimit}`);
  const count = row.length;
  if (col.length !== count || cost.length !== count) throw new RangeError('row, col and cost must have equal lengths');
  for (let e = 0; e < count; e++) {
    const i = row[e];
    const j = col[e];
    if (!Number.isInteger(i) || i < 0 || i >= rows || !Number.isInteger(j) || j < 0 || j >= cols) {
      throw new RangeError(`edge ${e} (${i}, ${j}) is outside ${rows}x${cols}`);
    }
  }
  return assignEdges(rows, cols, row, col, cost, count, costLimit);
}

function range(n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}

function collect(rows: number, cols: number, rowToCol: Int32Array): AssignmentResult {
  const matches: Array<[number, number]> = [];
  const unmatchedRows: number[] = [];
  const colUsed = new Uint8Array(cols);
  for (let i = 0; i < rows; i++) {
    const j = rowToCol[i];
    if (j >= 0) {
      matches.push([i, j]);
      colUsed[j] = 1;
    } else {
      unmatchedRows.push(i);
    }
  }
  const unmatchedCols: number[] = [];
  for (let j = 0; j < cols; j++) if (!colUsed[j]) unmatchedCols.push(j);
  return { matches, unmatchedRows, unmatchedCols };
}

function assignUncapped(rows: number, cols: number, data: ArrayLike<number>): AssignmentResult {
  const n = Math.max(rows, cols);
  const sq = new Float64Array(n * n); // zero padding, as lap's extend_cost without a limit
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j];
      if (!Number.isFinite(v)) throw new RangeError(`cost[${i}][${j}] is not finite (${v}); use a finite costLimit`);
      sq[i * n + j] = v;
    }
  }
  const { rowToCol } = solveSquare(sq, n);
  const r2c = new Int32Array(rows);
  for (let i = 0; i < rows; i++) r2c[i] = rowToCol[i] < cols ? rowToCol[i] : -1;
  return collect(rows, cols, r2c);
}

function findRoot(parent: Int32Array, a: number): number {
  let r = a;
  while (parent[r] !== r) r = parent[r];
  while (parent[a] !== r) {
    const next = parent[a];
    parent[a] = r;
    a = next;
  }
  return r;
}

function assignCapped(rows: number, cols: number, data: ArrayLike<number>, limit: number): AssignmentResult {
  const er: number[] = [];
  const ec: number[] = [];
  const cost: number[] = [];
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    for (let j = 0; j < cols; j++) {
      const v = data[base + j];
      if (v < limit) {
        er.push(i);
        ec.push(j);
        cost.push(v);
      }
    }
  }
  return assignEdges(rows, cols, er, ec, cost, er.length, limit);
}

/**
 * Core of the capped problem on a sparse edge list (only edges with cost < limit count). Edges never cross connected
 * components of the bipartite edge graph, and inadmissible pairs are never worth matching, so each component is
 * solved on its own as lap's extended (rows + cols) square problem.
 */
function assignEdges(
  rows: number,
  cols: number,
  er: ArrayLike<number>,
  ec: ArrayLike<number>,
  cost: ArrayLike<number>,
  count: number,
  limit: number,
): AssignmentResult {
  const r2c = new Int32Array(rows).fill(-1);
  if (count === 0) return collect(rows, cols, r2c);
  // Union-find over rows (0..rows-1) and columns (rows..rows+cols-1).
  const parent = new Int32Array(rows + cols);
  for (let k = 0; k < parent.length; k++) parent[k] = k;
  const hasEdge = new Uint8Array(rows + cols);
  let admissible = 0;
  for (let e = 0; e < count; e++) {
    if (!(cost[e] < limit)) continue;
    admissible++;
    hasEdge[er[e]] = 1;
    hasEdge[rows + ec[e]] = 1;
    const a = findRoot(parent, er[e]);
    const b = findRoot(parent, rows + ec[e]);
    if (a !== b) parent[a] = b;
  }
  // Number the components that have edges; local (ascending) indices of their rows and columns.
  const compOf = new Int32Array(rows + cols).fill(-1);
  const local = new Int32Array(rows + cols);
  const compRows: number[][] = [];
  const compCols: number[][] = [];
  const compOfRoot = (root: number): number => {
    if (compOf[root] < 0) {
      compOf[root] = compRows.length;
      compRows.push([]);
      compCols.push([]);
    }
    return compOf[root];
  };
  if (admissible === 0) return collect(rows, cols, r2c);
  for (let i = 0; i < rows; i++) {
    if (!hasEdge[i]) continue;
    const list = compRows[compOfRoot(findRoot(parent, i))];
    local[i] = list.length;
    list.push(i);
  }
  for (let j = 0; j < cols; j++) {
    if (!hasEdge[rows + j]) continue;
    const list = compCols[compOfRoot(findRoot(parent, rows + j))];
    local[rows + j] = list.length;
    list.push(j);
  }

  const half = limit / 2;
  const inadmissible = Math.max(limit + 1, limit * 2); // strictly worse than leaving both unmatched
  const ext: Array<Float64Array | null> = compRows.map((rList, c) => {
    const nr = rList.length;
    const nc = compCols[c].length;
    if (nr === 1 && nc === 1) return null;
    const n = nr + nc;
    const m = new Float64Array(n * n);
    for (let a = 0; a < nr; a++) {
      m.fill(inadmissible, a * n, a * n + nc);
      m.fill(half, a * n + nc, a * n + n);
    }
    for (let a = nr; a < n; a++) m.fill(half, a * n, a * n + nc); // dummy rows: [half..., 0...]
    return m;
  });
  const single = new Float64Array(compRows.length).fill(Infinity);
  for (let e = 0; e < count; e++) {
    const v = cost[e];
    if (!(v < limit)) continue;
    const c = compOf[findRoot(parent, er[e])];
    const m = ext[c];
    if (m === null) {
      if (v < single[c]) single[c] = v;
      continue;
    }
    const n = compRows[c].length + compCols[c].length;
    const k = local[er[e]] * n + local[rows + ec[e]];
    if (v < m[k]) m[k] = v;
  }
  for (let c = 0; c < compRows.length; c++) {
    const rList = compRows[c];
    const cList = compCols[c];
    const m = ext[c];
    if (m === null) {
      r2c[rList[0]] = cList[0]; // a single admissible edge: matching it lowers the total
      continue;
    }
    const nr = rList.length;
    const nc = cList.length;
    const { rowToCol } = solveSquare(m, nr + nc);
    for (let a = 0; a < nr; a++) {
      const b = rowToCol[a];
      if (b < nc && m[a * (nr + nc) + b] < limit) r2c[rList[a]] = cList[b];
    }
  }
  return collect(rows, cols, r2c);
}

// ---------------------------------------------------------------------------------------------------------------
// Dense square LAPJV. `x` = row -> column, `y` = column -> row, `v` = column dual variables.

function solveSquare(cost: Float64Array, n: number): SquareAssignment {
  const x = new Int32Array(n).fill(-1);
  const y = new Int32Array(n).fill(-1);
  if (n === 0) return { rowToCol: x, colToRow: y };
  if (n === 1) {
    x[0] = 0;
    y[0] = 0;
    return { rowToCol: x, colToRow: y };
  }
  const v = new Float64Array(n);
  const freeRows = new Int32Array(n);
  let nFree = columnReductionTransfer(n, cost, freeRows, x, y, v);
  for (let round = 0; nFree > 0 && round < 2; round++) {
    nFree = augmentingRowReduction(n, cost, nFree, freeRows, x, y, v);
  }
  if (nFree > 0) augment(n, cost, nFree, freeRows, x, y, v);
  return { rowToCol: x, colToRow: y };
}

/** Column reduction and reduction transfer; returns the number of free rows written to `freeRows`. */
function columnReductionTransfer(
  n: number,
  cost: Float64Array,
  freeRows: Int32Array,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
): number {
  v.fill(Infinity);
  y.fill(0);
  for (let i = 0; i < n; i++) {
    const base = i * n;
    for (let j = 0; j < n; j++) {
      const c = cost[base + j];
      if (c < v[j]) {
        v[j] = c;
        y[j] = i;
      }
    }
  }
  const unique = new Uint8Array(n).fill(1);
  for (let j = n - 1; j >= 0; j--) {
    const i = y[j];
    if (x[i] < 0) {
      x[i] = j;
    } else {
      unique[i] = 0;
      y[j] = -1;
    }
  }
  let nFree = 0;
  for (let i = 0; i < n; i++) {
    if (x[i] < 0) {
      freeRows[nFree++] = i;
    } else if (unique[i]) {
      const j = x[i];
      const base = i * n;
      let min = Infinity;
      for (let j2 = 0; j2 < n; j2++) {
        if (j2 === j) continue;
        const c = cost[base + j2] - v[j2];
        if (c < min) min = c;
      }
      v[j] -= min;
    }
  }
  return nFree;
}

/** Augmenting row reduction; returns the number of rows still free (rewritten at the front of `freeRows`). */
function augmentingRowReduction(
  n: number,
  cost: Float64Array,
  nFreeIn: number,
  freeRows: Int32Array,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
): number {
  let current = 0;
  let newFree = 0;
  let rrCount = 0;
  while (current < nFreeIn) {
    rrCount++;
    const freeI = freeRows[current++];
    const base = freeI * n;
    let j1 = 0;
    let v1 = cost[base] - v[0];
    let j2 = -1;
    let v2 = Infinity;
    for (let j = 1; j < n; j++) {
      const c = cost[base + j] - v[j];
      if (c < v2) {
        if (c >= v1) {
          v2 = c;
          j2 = j;
        } else {
          v2 = v1;
          v1 = c;
          j2 = j1;
          j1 = j;
        }
      }
    }
    let i0 = y[j1];
    const v1New = v[j1] - (v2 - v1);
    const v1Lowers = v1New < v[j1];
    if (rrCount < current * n) {
      if (v1Lowers) {
        v[j1] = v1New;
      } else if (i0 >= 0 && j2 >= 0) {
        j1 = j2;
        i0 = y[j2];
      }
      if (i0 >= 0) {
        if (v1Lowers) freeRows[--current] = i0;
        else freeRows[newFree++] = i0;
      }
    } else if (i0 >= 0) {
      freeRows[newFree++] = i0;
    }
    x[freeI] = j1;
    y[j1] = freeI;
  }
  return newFree;
}

/** Shortest augmenting path (Dijkstra over columns with reduced costs) for every remaining free row. */
function augment(
  n: number,
  cost: Float64Array,
  nFree: number,
  freeRows: Int32Array,
  x: Int32Array,
  y: Int32Array,
  v: Float64Array,
): void {
  const pred = new Int32Array(n);
  const cols = new Int32Array(n);
  const d = new Float64Array(n);
  for (let f = 0; f < nFree; f++) {
    const startI = freeRows[f];
    let j = findPath(n, cost, startI, y, v, pred, cols, d);
    let i = -1;
    let guard = 0;
    while (i !== startI) {
      i = pred[j];
      y[j] = i;
      const k = j;
      j = x[i];
      x[i] = k;
      if (++guard > n) throw new Error('lapjv: augmenting path did not terminate');
    }
  }
}

function findPath(
  n: number,
  cost: Float64Array,
  startI: number,
  y: Int32Array,
  v: Float64Array,
  pred: Int32Array,
  cols: Int32Array,
  d: Float64Array,
): number {
  let lo = 0;
  let hi = 0;
  let nReady = 0;
  let finalJ = -1;
  const startBase = startI * n;
  for (let j = 0; j < n; j++) {
    cols[j] = j;
    pred[j] = startI;
    d[j] = cost[startBase + j] - v[j];
  }
  while (finalJ === -1) {
    if (lo === hi) {
      // No columns left to scan: move every column at the minimum distance to [lo, hi).
      nReady = lo;
      hi = lo + 1;
      let mind = d[cols[lo]];
      for (let k = hi; k < n; k++) {
        const j = cols[k];
        if (d[j] <= mind) {
          if (d[j] < mind) {
            hi = lo;
            mind = d[j];
          }
          cols[k] = cols[hi];
          cols[hi++] = j;
        }
      }
      for (let k = lo; k < hi; k++) {
        if (y[cols[k]] < 0) {
          finalJ = cols[k];
          break;
        }
      }
    }
    if (finalJ === -1) {
      // Scan the columns at the minimum distance, relaxing the rest through their assigned rows.
      scan: while (lo !== hi) {
        const jScan = cols[lo++];
        const i = y[jScan];
        const mind = d[jScan];
        const base = i * n;
        const h = cost[base + jScan] - v[jScan] - mind;
        for (let k = hi; k < n; k++) {
          const j = cols[k];
          const cred = cost[base + j] - v[j] - h;
          if (cred < d[j]) {
            d[j] = cred;
            pred[j] = i;
            if (cred === mind) {
              if (y[j] < 0) {
                finalJ = j;
                break scan;
              }
              cols[k] = cols[hi];
              cols[hi++] = j;
            }
          }
        }
      }
    }
  }
  // Columns in [nReady, hi) sit at the minimum distance, so only the ready ones need their duals moved.
  const mind = d[cols[nReady]];
  for (let k = 0; k < nReady; k++) {
    const j = cols[k];
    v[j] += d[j] - mind;
  }
  return finalJ;
}
