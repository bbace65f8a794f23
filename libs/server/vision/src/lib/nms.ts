import type { BBox, Detection } from '@crowdsafe/contracts';

export interface NmsOptions {
  /** Let boxes of different classes suppress each other (Ultralytics `agnostic`; default false = per class). */
  agnostic?: boolean;
}

/** Intersection over union of two boxes; 0 when either is empty. */
export function iou(a: BBox, b: BBox): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy non-maximum suppression. Candidates are visited by descending score; one is kept unless a kept box of
 * the same class (any class when agnostic) overlaps it with IoU > `iouThreshold`. Stops at `maxDetections`.
 * Cost is O(n log n + n * kept) over flat typed arrays, so thousands of candidates stay in the low milliseconds.
 * Returns the kept candidates (same objects), highest score first.
 */
export function nms(
  candidates: readonly Detection[],
  iouThreshold: number,
  maxDetections: number,
  options: NmsOptions = {},
): Detection[] {
  const n = candidates.length;
  if (n === 0 || maxDetections <= 0) return [];
  const order = new Uint32Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
    scores[i] = candidates[i].score;
  }
  // Stable on ties (index order) so results are deterministic.
  order.sort((a, b) => scores[b] - scores[a] || a - b);

  const cap = Math.min(n, maxDetections);
  const kx1 = new Float64Array(cap);
  const ky1 = new Float64Array(cap);
  const kx2 = new Float64Array(cap);
  const ky2 = new Float64Array(cap);
  const karea = new Float64Array(cap);
  const kcls = new Int32Array(cap);
  const kept: Detection[] = [];
  const agnostic = options.agnostic === true;

  for (let oi = 0; oi < n && kept.length < cap; oi++) {
    const d = candidates[order[oi]];
    const { x1, y1, x2, y2 } = d.box;
    const area = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
    let suppressed = false;
    for (let k = 0; k < kept.length; k++) {
      if (!agnostic && kcls[k] !== d.classId) continue;
      const iw = Math.min(x2, kx2[k]) - Math.max(x1, kx1[k]);
      if (iw <= 0) continue;
      const ih = Math.min(y2, ky2[k]) - Math.max(y1, ky1[k]);
      if (ih <= 0) continue;
      const inter = iw * ih;
      const union = area + karea[k] - inter;
      if (union > 0 && inter / union > iouThreshold) {
        suppressed = true;
        break;
      }
    }
    if (suppressed) continue;
    const k = kept.length;
    kx1[k] = x1;
    ky1[k] = y1;
    kx2[k] = x2;
    ky2[k] = y2;
    karea[k] = area;
    kcls[k] = d.classId;
    kept.push(d);
  }
  return kept;
}
