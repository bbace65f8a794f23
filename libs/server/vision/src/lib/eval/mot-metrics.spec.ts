import { parseMotText, type MotRow } from './mot-format';
import { evaluateMot, type MotMetrics } from './mot-metrics';

/** Rows from `[frame, id, x, y, w, h, ...rest]` tuples. */
function rows(...r: number[][]): MotRow[] {
  return parseMotText(r.map((x) => x.join(',')).join('\n'));
}

// Two people far apart; boxes 10x10.
const A = [0, 0, 10, 10];
const B = [100, 0, 10, 10];
const FAR = [500, 500, 10, 10];

function expectAllFinite(m: MotMetrics): void {
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number') expect([k, Number.isFinite(v)]).toEqual([k, true]);
}

describe('evaluateMot (CLEAR MOT + identity)', () => {
  it('perfect tracking (other id numbers) scores MOTA 1, IDF1 1, MOTP 1', () => {
    const gt = rows([1, 1, ...A], [1, 2, ...B], [2, 1, ...A], [2, 2, ...B], [3, 1, ...A], [3, 2, ...B]);
    const pred = rows([1, 10, ...A], [1, 20, ...B], [2, 10, ...A], [2, 20, ...B], [3, 10, ...A], [3, 20, ...B]);
    const m = evaluateMot(gt, pred);
    expect(m).toMatchObject({ frames: 3, gtBoxes: 6, predBoxes: 6, tp: 6, fp: 0, fn: 0, idsw: 0, mota: 1, motp: 1 });
    expect(m).toMatchObject({ idtp: 6, idfp: 0, idfn: 0, idf1: 1, precision: 1, recall: 1, mt: 2, pt: 0, ml: 0, frag: 0 });
    expect(m).toMatchObject({ gtIds: 2, predIds: 2, gtFormat: 'mot15' });
  });

  it('one id switch: MOTA = 1 - 1/4, IDF1 = 2*2 / (2*2 + 2 + 2)', () => {
    const gt = rows([1, 1, ...A], [2, 1, ...A], [3, 1, ...A], [4, 1, ...A]);
    const pred = rows([1, 5, ...A], [2, 5, ...A], [3, 6, ...A], [4, 6, ...A]);
    const m = evaluateMot(gt, pred);
    expect(m).toMatchObject({ tp: 4, fp: 0, fn: 0, idsw: 1, mota: 0.75, idtp: 2, idfp: 2, idfn: 2, idf1: 0.5, mt: 1, frag: 0 });
  });

  it('a missed box: FN 1, MOTA 3/4, recall 3/4, IDF1 6/7', () => {
    const gt = rows([1, 1, ...A], [1, 2, ...B], [2, 1, ...A], [2, 2, ...B]);
    const pred = rows([1, 7, ...A], [1, 8, ...B], [2, 7, ...A]);
    const m = evaluateMot(gt, pred);
    expect(m).toMatchObject({ tp: 3, fn: 1, fp: 0, idsw: 0, mota: 0.75, recall: 0.75, precision: 1, idtp: 3, idfn: 1, idfp: 0 });
    expect(m.idf1).toBeCloseTo(6 / 7, 15);
  });

  it('a false positive: FP 1, MOTA 3/4, precision 4/5, IDF1 8/9', () => {
    const gt = rows([1, 1, ...A], [1, 2, ...B], [2, 1, ...A], [2, 2, ...B]);
    const pred = rows([1, 7, ...A], [1, 8, ...B], [1, 99, ...FAR], [2, 7, ...A], [2, 8, ...B]);
    const m = evaluateMot(gt, pred);
    expect(m).toMatchObject({ tp: 4, fn: 0, fp: 1, idsw: 0, mota: 0.75, precision: 0.8, recall: 1, idtp: 4, idfp: 1, idfn: 0 });
    expect(m.idf1).toBeCloseTo(8 / 9, 15);
    expect(m.predIds).toBe(3);
  });

  it('MOTP is the mean IoU of matches; IoU below the threshold is a miss and a false positive', () => {
    // IoU(A, 10x15) = 100/150 = 2/3; IoU(A, 10x20) = 0.5 exactly (still a match); IoU(A, 10x25) = 0.4.
    const gt = rows([1, 1, ...A], [2, 1, ...A], [3, 1, ...A]);
    const pred = rows([1, 1, 0, 0, 10, 15], [2, 1, 0, 0, 10, 20], [3, 1, 0, 0, 10, 25]);
    const m = evaluateMot(gt, pred);
    expect(m).toMatchObject({ tp: 2, fn: 1, fp: 1, idsw: 0 });
    expect(m.motp).toBeCloseTo((2 / 3 + 0.5) / 2, 15);
    expect(m.mota).toBeCloseTo(1 / 3, 15);
    expect(evaluateMot(gt, pred, { iouThreshold: 0.6 })).toMatchObject({ tp: 1, fn: 2, fp: 2 });
  });

  it('matches optimally (Hungarian), not greedily', () => {
    // Boxes along x, height 10. Greedy takes a-p (IoU 9/11) and leaves b-q at 1/3; optimal: a-q and b-p, both 2/3.
    const gt = rows([1, 1, 0, 0, 10, 10], [1, 2, 3, 0, 10, 10]);
    const pred = rows([1, 1, 1, 0, 10, 10], [1, 2, -2, 0, 10, 10]);
    const m = evaluateMot(gt, pred);
    expect(m).toMatchObject({ tp: 2, fn: 0, fp: 0 });
    expect(m.motp).toBeCloseTo(2 / 3, 15);
  });

  it('keeps a still-valid correspondence from the previous frame over a better-overlapping new box', () => {
    const gt = rows([1, 1, ...A], [2, 1, ...A]);
    const pred = rows([1, 1, ...A], [2, 1, 0, 0, 10, 15], [2, 2, ...A]); // frame 2: pred 1 IoU 2/3, pred 2 IoU 1
    const m = evaluateMot(gt, pred);
    expect(m).toMatchObject({ tp: 2, fp: 1, fn: 0, idsw: 0 });
    expect(m.motp).toBeCloseTo((1 + 2 / 3) / 2, 15);
  });

  it('counts a switch against the last match even across a gap; Frag counts the resumption', () => {
    const gt = rows([1, 1, ...A], [2, 1, ...A], [3, 1, ...A]);
    const pred = rows([1, 1, ...A], [2, 9, ...FAR], [3, 2, ...A]);
    const m = evaluateMot(gt, pred);
    expect(m).toMatchObject({ tp: 2, fn: 1, fp: 1, idsw: 1, mota: 0, frag: 1, mt: 0, pt: 1, ml: 0 });
  });

  it('IDF1 uses the global id matching: two tracks that swap people', () => {
    // pred 1 follows A for 2 frames then B; pred 2 follows B then A.
    const gt = rows([1, 1, ...A], [1, 2, ...B], [2, 1, ...A], [2, 2, ...B], [3, 1, ...A], [3, 2, ...B]);
    const pred = rows([1, 1, ...A], [1, 2, ...B], [2, 1, ...A], [2, 2, ...B], [3, 1, ...B], [3, 2, ...A]);
    const m = evaluateMot(gt, pred);
    expect(m).toMatchObject({ tp: 6, idsw: 2, idtp: 4, idfp: 2, idfn: 2 });
    expect(m.mota).toBeCloseTo(2 / 3, 15);
    expect(m.idf1).toBeCloseTo(2 / 3, 15);
  });

  it('MOT17: a prediction on a distractor is ignored, one on an occluder is a FP, non-pedestrians leave the gt', () => {
    // 9-column gt: frame,id,x,y,w,h,consider,class,visibility
    const gt = rows(
      [1, 1, ...A, 1, 1, 1], // pedestrian
      [1, 2, ...B, 0, 7, 1], // static person (distractor)
      [1, 3, ...FAR, 0, 9, 1], // occluder (dropped, not a distractor)
      [1, 4, 300, 0, 10, 10, 0, 1, 0.1], // pedestrian with consider flag 0 (dropped)
    );
    const pred = rows([1, 1, ...A], [1, 2, ...B], [1, 3, ...FAR]);
    const m = evaluateMot(gt, pred);
    expect(m).toMatchObject({ gtFormat: 'mot17', gtBoxes: 1, predBoxes: 2, tp: 1, fp: 1, fn: 0, ignoredPredBoxes: 1 });
    expect(m).toMatchObject({ droppedGtBoxes: 3, mota: 0, precision: 0.5, idtp: 1, idfp: 1, gtIds: 1, predIds: 2 });
    // Read as MOT15 instead, nothing is ignored: two of the three predictions are false positives.
    expect(evaluateMot(gt, pred, { gtFormat: 'mot15' })).toMatchObject({ gtBoxes: 1, tp: 1, fp: 2, ignoredPredBoxes: 0 });
  });

  it('MOT15: gt rows with flag 0 are dropped and a prediction on them is a FP', () => {
    const gt = rows([1, 1, ...A, 1, -1, -1, -1], [1, 2, ...B, 0, -1, -1, -1]);
    const m = evaluateMot(gt, rows([1, 1, ...A], [1, 2, ...B]));
    expect(m).toMatchObject({ gtFormat: 'mot15', gtBoxes: 1, droppedGtBoxes: 1, tp: 1, fp: 1, mota: 0 });
  });

  it('empty gt and empty predictions give defined results (TrackEval: ratios over max(1, n))', () => {
    const empty = evaluateMot([], []);
    expectAllFinite(empty);
    expect(empty).toMatchObject({ frames: 0, gtBoxes: 0, predBoxes: 0, tp: 0, fp: 0, fn: 0, idsw: 0, mota: 0, motp: 0, idf1: 0 });
    expect(empty).toMatchObject({ precision: 0, recall: 0, mt: 0, pt: 0, ml: 0 });

    const onlyPred = evaluateMot([], rows([1, 1, ...A], [2, 1, ...A]));
    expectAllFinite(onlyPred);
    expect(onlyPred).toMatchObject({ frames: 2, fp: 2, tp: 0, fn: 0, mota: -2, precision: 0, recall: 0, idf1: 0, idfp: 2 });

    const onlyGt = evaluateMot(rows([1, 1, ...A], [1, 2, ...B], [2, 1, ...A]), []);
    expectAllFinite(onlyGt);
    expect(onlyGt).toMatchObject({ fn: 3, fp: 0, tp: 0, mota: 0, recall: 0, idf1: 0, idfn: 3, ml: 2, motp: 0 });
  });

  it('numFrames (seqLength) bounds the frames scored and counts the rows beyond it', () => {
    const gt = rows([1, 1, ...A], [2, 1, ...A], [3, 1, ...A]);
    const pred = rows([1, 1, ...A], [3, 1, ...A], [4, 1, ...A]);
    expect(evaluateMot(gt, pred)).toMatchObject({ frames: 4, tp: 2, fn: 1, fp: 1 });
    expect(evaluateMot(gt, pred, { numFrames: 3 })).toMatchObject({ frames: 3, tp: 2, fn: 1, fp: 0, ignoredRowsBeyondSeq: { gt: 0, pred: 1 } });
    expect(evaluateMot(gt, pred, { numFrames: 5 }).frames).toBe(5);
  });

  it('rejects a bad threshold', () => {
    expect(() => evaluateMot([], [], { iouThreshold: 0 })).toThrow(RangeError);
  });
});
