import type { BBox } from '@crowdsafe/contracts';
import type { CostMatrix } from './lap';

/** A `CostMatrix` backed by a mutable Float64Array. */
export interface DenseCostMatrix extends CostMatrix {
  readonly data: Float64Array;
}

/** Ultralytics `bbox_ioa(..., iou=True)` epsilon. */
const IOU_EPS = 1e-7;

/** Intersection over union of two xyxy boxes (Ultralytics convention: inter / (areaA + areaB - inter + 1e-7)). */
export function iou(a: BBox, b: BBox): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  const inter = (iw > 0 ? iw : 0) * (ih > 0 ? ih : 0);
  const areaA = (a.x2 - a.x1) * (a.y2 - a.y1);
  const areaB = (b.x2 - b.x1) * (b.y2 - b.y1);
  return inter / (areaA + areaB - inter + IOU_EPS);
}

/**
 * IoU distance `1 - IoU` between packed xyxy boxes (`a`: rows, `b`: columns; 4 numbers per box), as
 * Ultralytics' `matching.iou_distance`.
 */
export function iouDistance(a: Float64Array, nA: number, b: Float64Array, nB: number): DenseCostMatrix {
  const data = new Float64Array(nA * nB);
  for (let i = 0; i < nA; i++) {
    const ax1 = a[4 * i];
    const ay1 = a[4 * i + 1];
    const ax2 = a[4 * i + 2];
    const ay2 = a[4 * i + 3];
    const areaA = (ax2 - ax1) * (ay2 - ay1);
    const row = i * nB;
    for (let j = 0; j < nB; j++) {
      const bx1 = b[4 * j];
      const by1 = b[4 * j + 1];
      const bx2 = b[4 * j + 2];
      const by2 = b[4 * j + 3];
      const iw = (ax2 < bx2 ? ax2 : bx2) - (ax1 > bx1 ? ax1 : bx1);
      if (iw <= 0) {
        data[row + j] = 1;
        continue;
      }
      const ih = (ay2 < by2 ? ay2 : by2) - (ay1 > by1 ? ay1 : by1);
      if (ih <= 0) {
        data[row + j] = 1;
        continue;
      }
      const inter = iw * ih;
      const areaB = (bx2 - bx1) * (by2 - by1);
      data[row + j] = 1 - inter / (areaA + areaB - inter + IOU_EPS);
    }
  }
  return { rows: nA, cols: nB, data };
}

/** Ultralytics `matching.fuse_score`: cost = 1 - (1 - cost) * detectionScore, per column, in place. */
export function fuseScore(matrix: DenseCostMatrix, scores: ArrayLike<number>): DenseCostMatrix {
  const { rows, cols, data } = matrix;
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    for (let j = 0; j < cols; j++) data[row + j] = 1 - (1 - data[row + j]) * scores[j];
  }
  return matrix;
}

/** Sparse cost pairs (`SparseCostMatrix` shape) produced by `iouCostPairs`. */
export interface CostPairs {
  readonly rows: number;
  readonly cols: number;
  readonly row: number[];
  readonly col: number[];
  readonly cost: number[];
}

/**
 * The entries of `iouDistance` (optionally `fuseScore`d with `scores`) that are below `limit`, for limit <= 1:
 * non-overlapping boxes cost exactly 1, so only overlapping pairs can qualify. Candidates come from a sweep over
 * `b` sorted by x1, so crowds cost O((nA + nB) log nB + overlaps) instead of nA * nB.
 */
export function iouCostPairs(
  a: Float64Array,
  nA: number,
  b: Float64Array,
  nB: number,
  limit: number,
  scores?: ArrayLike<number>,
): CostPairs {
  const out: CostPairs = { rows: nA, cols: nB, row: [], col: [], cost: [] };
  if (nA === 0 || nB === 0) return out;
  const order = new Int32Array(nB);
  let maxW = 0;
  for (let j = 0; j < nB; j++) {
    order[j] = j;
    const w = b[4 * j + 2] - b[4 * j];
    if (w > maxW) maxW = w;
  }
  order.sort((p, q) => b[4 * p] - b[4 * q] || p - q);
  const x1s = new Float64Array(nB);
  for (let k = 0; k < nB; k++) x1s[k] = b[4 * order[k]];
  for (let i = 0; i < nA; i++) {
    const ax1 = a[4 * i];
    const ay1 = a[4 * i + 1];
    const ax2 = a[4 * i + 2];
    const ay2 = a[4 * i + 3];
    const areaA = (ax2 - ax1) * (ay2 - ay1);
    // first k with x1s[k] >= ax1 - maxW (any box starting earlier ends before ax1)
    let lo = 0;
    let hi = nB;
    const from = ax1 - maxW;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x1s[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < nB && x1s[k] < ax2; k++) {
      const j = order[k];
      const bx1 = b[4 * j];
      const by1 = b[4 * j + 1];
      const bx2 = b[4 * j + 2];
      const by2 = b[4 * j + 3];
      const iw = (ax2 < bx2 ? ax2 : bx2) - (ax1 > bx1 ? ax1 : bx1);
      if (iw <= 0) continue;
      const ih = (ay2 < by2 ? ay2 : by2) - (ay1 > by1 ? ay1 : by1);
      if (ih <= 0) continue;
      const inter = iw * ih;
      const overlap = inter / (areaA + (bx2 - bx1) * (by2 - by1) - inter + IOU_EPS);
      const cost = 1 - (scores ? overlap * scores[j] : overlap);
      if (cost < limit) {
        out.row.push(i);
        out.col.push(j);
        out.cost.push(cost);
      }
    }
  }
  return out;
}
