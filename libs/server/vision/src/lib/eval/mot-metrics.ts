/**
 * Multi-object tracking metrics computed from their definitions, following TrackEval (the official MOTChallenge
 * evaluator) step for step:
 *
 * - CLEAR MOT (Bernardin & Stiefelhagen 2008). Per frame, gt and predicted boxes are matched one-to-one with an
 *   optimal assignment over pairs with IoU >= threshold (default 0.5). A pair that continues the previous frame's
 *   correspondence (same gt id, same pred id) scores 1000 + IoU, any other admissible pair IoU, and the assignment
 *   maximises the total, so still-valid correspondences are kept and the rest maximise the summed IoU.
 *   FN = unmatched gt, FP = unmatched predictions, IDSW = a gt id matched to a pred id different from the one it was
 *   last matched to (at any earlier frame). MOTA = 1 - (FN + FP + IDSW) / GT. MOTP is the mean IoU of the matched
 *   pairs (TrackEval's convention; py-motmetrics reports the distance 1 - IoU instead).
 *   MT / PT / ML: gt ids tracked in > 80 % / 20-80 % / < 20 % of their frames; Frag: times a tracked gt id resumes
 *   after an interruption.
 * - Identity metrics (Ristani et al. 2016). Every (gt id, pred id) pair earns one potential match per frame in which
 *   their boxes overlap with IoU >= threshold; a global bipartite matching between gt ids and pred ids maximises the
 *   matched total (= minimises IDFN + IDFP). IDTP = that total, IDFN = gt boxes - IDTP, IDFP = pred boxes - IDTP,
 *   IDF1 = 2 IDTP / (2 IDTP + IDFP + IDFN).
 *
 * Ratios divide by max(1, denominator), as TrackEval does, so no result is NaN: with no gt boxes MOTA = -FP (0 when
 * there are no predictions either), recall/IDF1/MOTP are 0.
 *
 * Ground-truth preprocessing (TrackEval's MotChallenge2DBox):
 * - `mot17`: in each frame the predictions are first matched (optimal assignment maximising IoU, IoU >= 0.5) to all
 *   gt boxes; predictions matched to a box of a distractor class (2 person on vehicle, 7 static person,
 *   8 distractor, 12 reflection) are removed, neither FP nor TP. Then only gt boxes with flag != 0 and class 1
 *   (pedestrian) are kept; the other classes are dropped.
 * - `mot15`: gt boxes with flag (column 7) 0 are dropped; there are no classes and nothing is removed from the
 *   predictions.
 * Prediction confidences are not thresholded (evaluate what the tracker wrote).
 */
import { iou } from '../nms';
import { linearAssignmentSparse } from '../tracking/lap';
import type { MotGtFormat, MotRow } from './mot-format';
import { detectMotGtFormat } from './mot-format';

/** MOT17 class 1: the only class scored. */
export const MOT17_PEDESTRIAN_CLASS = 1;
/** MOT17 classes whose matched predictions are ignored: person on vehicle, static person, distractor, reflection. */
export const MOT17_DISTRACTOR_CLASSES: readonly number[] = [2, 7, 8, 12];

const EPS = 2.220446049250313e-16; // numpy's float64 eps, used by TrackEval around thresholds
const CONTINUITY_BONUS = 1000;
const DISTRACTOR_MATCH_IOU = 0.5; // fixed in TrackEval's preprocessing, independent of the metric threshold

export interface MotEvalOptions {
  /** IoU a match needs (default 0.5). */
  iouThreshold?: number;
  /** Ground-truth convention; 'auto' (default) uses `detectMotGtFormat`. */
  gtFormat?: MotGtFormat | 'auto';
  /**
   * Sequence length (seqinfo.ini seqLength): frames 1..numFrames are scored and rows of later frames are ignored
   * (counted in `ignoredRowsBeyondSeq`). Default: the last frame present in either input.
   */
  numFrames?: number;
}

export interface MotMetrics {
  gtFormat: MotGtFormat;
  iouThreshold: number;
  /** Frames scored. */
  frames: number;
  /** Gt boxes scored (after preprocessing) = TP + FN. */
  gtBoxes: number;
  /** Predicted boxes scored (after removing those on distractors) = TP + FP. */
  predBoxes: number;
  gtIds: number;
  predIds: number;
  /** Gt rows dropped by preprocessing (flag 0, or a class other than pedestrian). */
  droppedGtBoxes: number;
  /** Predictions removed because they matched a distractor-class gt box (mot17 only). */
  ignoredPredBoxes: number;
  /** Rows with a frame beyond `numFrames`. */
  ignoredRowsBeyondSeq: { gt: number; pred: number };
  tp: number;
  fp: number;
  fn: number;
  idsw: number;
  /** 1 - (FN + FP + IDSW) / max(1, GT). */
  mota: number;
  /** Mean IoU of the matched pairs (higher is better); 0 without matches. */
  motp: number;
  /** TP / max(1, TP + FP). */
  precision: number;
  /** TP / max(1, TP + FN). */
  recall: number;
  /** Mostly tracked / partially tracked / mostly lost gt ids. */
  mt: number;
  pt: number;
  ml: number;
  frag: number;
  idtp: number;
  idfp: number;
  idfn: number;
  idf1: number;
  /** IDTP / max(1, IDTP + IDFP). */
  idp: number;
  /** IDTP / max(1, IDTP + IDFN). */
  idr: number;
}

interface Box {
  id: number; // dense index
  box: MotRow['box'];
}

/** Score a tracker's rows against ground-truth rows (both as parsed by `parseMotText`). */
export function evaluateMot(gtRows: readonly MotRow[], predRows: readonly MotRow[], options: MotEvalOptions = {}): MotMetrics {
  const thr = options.iouThreshold ?? 0.5;
  if (!(thr > 0 && thr <= 1)) throw new RangeError(`iouThreshold must be in (0, 1], got ${thr}`);
  const gtFormat = !options.gtFormat || options.gtFormat === 'auto' ? detectMotGtFormat(gtRows) : options.gtFormat;
  let lastFrame = 0;
  for (const r of gtRows) lastFrame = Math.max(lastFrame, r.frame);
  for (const r of predRows) lastFrame = Math.max(lastFrame, r.frame);
  const frames = options.numFrames ?? lastFrame;
  if (!Number.isInteger(frames) || frames < 0) throw new RangeError(`numFrames must be a non-negative integer, got ${frames}`);

  const ignoredRowsBeyondSeq = { gt: 0, pred: 0 };
  const gtByFrame = groupByFrame(gtRows, frames, () => ignoredRowsBeyondSeq.gt++);
  const predByFrame = groupByFrame(predRows, frames, () => ignoredRowsBeyondSeq.pred++);

  // Preprocess every frame: drop predictions on distractors, keep only scored gt boxes; dense ids.
  const gtIdIndex = new Map<number, number>();
  const predIdIndex = new Map<number, number>();
  const dense = (m: Map<number, number>, id: number): number => {
    let k = m.get(id);
    if (k === undefined) {
      k = m.size;
      m.set(id, k);
    }
    return k;
  };
  let droppedGtBoxes = 0;
  let ignoredPredBoxes = 0;
  const gtFrames: Box[][] = [];
  const predFrames: Box[][] = [];
  for (let t = 0; t < frames; t++) {
    const gtAll = gtByFrame[t];
    let preds = predByFrame[t];
    if (gtFormat === 'mot17' && gtAll.length > 0 && preds.length > 0) {
      const { matches } = matchMaxIou(gtAll.map((r) => r.box), preds.map((r) => r.box), DISTRACTOR_MATCH_IOU);
      const remove = new Set<number>();
      for (const [g, p] of matches) {
        if (MOT17_DISTRACTOR_CLASSES.includes(gtAll[g].col8 ?? -1)) remove.add(p);
      }
      if (remove.size > 0) {
        ignoredPredBoxes += remove.size;
        preds = preds.filter((_, j) => !remove.has(j));
      }
    }
    const kept = gtAll.filter((r) =>
      gtFormat === 'mot17' ? r.conf !== 0 && r.col8 === MOT17_PEDESTRIAN_CLASS : r.conf !== 0,
    );
    droppedGtBoxes += gtAll.length - kept.length;
    gtFrames.push(kept.map((r) => ({ id: dense(gtIdIndex, r.id), box: r.box })));
    predFrames.push(preds.map((r) => ({ id: dense(predIdIndex, r.id), box: r.box })));
  }
  const nGt = gtIdIndex.size;
  const nPred = predIdIndex.size;

  // CLEAR MOT.
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let idsw = 0;
  let iouSum = 0;
  const prevPred = new Int32Array(nGt).fill(-1); // last pred ever matched to each gt id
  let prevStep = new Int32Array(nGt).fill(-1); // pred matched to each gt id in the last scored frame
  const gtCount = new Float64Array(nGt);
  const gtMatched = new Float64Array(nGt);
  const gtFrag = new Float64Array(nGt);
  // Identity: potential matches per (gt id, pred id) pair.
  const potential = new Map<number, number>();
  const predCount = new Float64Array(nPred);

  for (let t = 0; t < frames; t++) {
    const gts = gtFrames[t];
    const preds = predFrames[t];
    for (const g of gts) gtCount[g.id]++;
    for (const p of preds) predCount[p.id]++;
    if (gts.length === 0) {
      fp += preds.length;
      continue;
    }
    if (preds.length === 0) {
      fn += gts.length;
      continue;
    }
    const ious = new Float64Array(gts.length * preds.length);
    const er: number[] = [];
    const ec: number[] = [];
    const cost: number[] = [];
    for (let i = 0; i < gts.length; i++) {
      for (let j = 0; j < preds.length; j++) {
        const v = iou(gts[i].box, preds[j].box);
        ious[i * preds.length + j] = v;
        if (v >= thr) {
          const key = gts[i].id * nPred + preds[j].id;
          potential.set(key, (potential.get(key) ?? 0) + 1);
        }
        if (v >= thr - EPS && v > EPS) {
          er.push(i);
          ec.push(j);
          cost.push(-(v + (prevStep[gts[i].id] === preds[j].id ? CONTINUITY_BONUS : 0)));
        }
      }
    }
    const { matches } = linearAssignmentSparse(
      { rows: gts.length, cols: preds.length, row: er, col: ec, cost },
      0,
    );
    const wasTracked = prevStep;
    prevStep = new Int32Array(nGt).fill(-1);
    for (const [i, j] of matches) {
      const g = gts[i].id;
      const p = preds[j].id;
      if (prevPred[g] >= 0 && prevPred[g] !== p) idsw++;
      prevPred[g] = p;
      prevStep[g] = p;
      gtMatched[g]++;
      if (wasTracked[g] < 0) gtFrag[g]++;
      iouSum += ious[i * preds.length + j];
    }
    tp += matches.length;
    fn += gts.length - matches.length;
    fp += preds.length - matches.length;
  }

  let mt = 0;
  let pt = 0;
  let ml = 0;
  let frag = 0;
  for (let g = 0; g < nGt; g++) {
    if (gtCount[g] === 0) continue;
    const ratio = gtMatched[g] / gtCount[g];
    if (ratio > 0.8) mt++;
    else if (ratio >= 0.2) pt++;
    else ml++;
    if (gtFrag[g] > 0) frag += gtFrag[g] - 1;
  }

  // Identity: maximum-weight bipartite matching of the potential-match counts (cost -count, admissible when > 0).
  const er: number[] = [];
  const ec: number[] = [];
  const cost: number[] = [];
  for (const [key, count] of potential) {
    er.push(Math.floor(key / nPred));
    ec.push(key % nPred);
    cost.push(-count);
  }
  let idtp = 0;
  if (er.length > 0) {
    const { matches } = linearAssignmentSparse({ rows: nGt, cols: nPred, row: er, col: ec, cost }, 0);
    for (const [g, p] of matches) idtp += potential.get(g * nPred + p) ?? 0;
  }
  const gtBoxes = tp + fn;
  const predBoxes = tp + fp;
  const idfn = gtBoxes - idtp;
  const idfp = predBoxes - idtp;
  return {
    gtFormat,
    iouThreshold: thr,
    frames,
    gtBoxes,
    predBoxes,
    gtIds: countNonZero(gtCount),
    predIds: countNonZero(predCount),
    droppedGtBoxes,
    ignoredPredBoxes,
    ignoredRowsBeyondSeq,
    tp,
    fp,
    fn,
    idsw,
    mota: (tp - fp - idsw) / Math.max(1, gtBoxes),
    motp: iouSum / Math.max(1, tp),
    precision: tp / Math.max(1, predBoxes),
    recall: tp / Math.max(1, gtBoxes),
    mt,
    pt,
    ml,
    frag,
    idtp,
    idfp,
    idfn,
    idf1: idtp / Math.max(1, idtp + 0.5 * idfp + 0.5 * idfn),
    idp: idtp / Math.max(1, idtp + idfp),
    idr: idtp / Math.max(1, idtp + idfn),
  };
}

function groupByFrame(rows: readonly MotRow[], frames: number, beyond: () => void): MotRow[][] {
  const out: MotRow[][] = Array.from({ length: frames }, () => []);
  for (const r of rows) {
    if (r.frame > frames) beyond();
    else out[r.frame - 1].push(r);
  }
  return out;
}

function countNonZero(a: Float64Array): number {
  let n = 0;
  for (const v of a) if (v > 0) n++;
  return n;
}

/** One-to-one matching maximising the summed IoU over pairs with IoU >= threshold (TrackEval's matching step). */
function matchMaxIou(a: readonly MotRow['box'][], b: readonly MotRow['box'][], threshold: number): { matches: Array<[number, number]> } {
  const er: number[] = [];
  const ec: number[] = [];
  const cost: number[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const v = iou(a[i], b[j]);
      if (v >= threshold - EPS && v > EPS) {
        er.push(i);
        ec.push(j);
        cost.push(-v);
      }
    }
  }
  return linearAssignmentSparse({ rows: a.length, cols: b.length, row: er, col: ec, cost }, 0);
}
