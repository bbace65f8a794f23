import type { Detection } from '@crowdsafe/contracts';
import { assertAffine, isIdentityAffine, warpKalmanState } from './gmc';
import { KalmanFilterXYWH, type KalmanState } from './kalman-filter';
import { linearAssignmentSparse } from './lap';
import { iouCostPairs, type CostPairs } from './matching';
import {
  DEFAULT_BOT_SORT_OPTIONS,
  type BotSortOptions,
  type BotSortStats,
  type Track,
  type TrackerOutput,
  type TrackState,
} from './types';

/** Cap of the buffered-IoU growth per side (fraction of the box size). */
const MAX_IOU_BUFFER = 0.5;
/** Unconfirmed tracks vs remaining high-score detections. */
const UNCONFIRMED_MATCH_THRESH = 0.7;
/** Tracked/lost pairs closer than this IoU distance are duplicates; the younger one is dropped. */
const DUPLICATE_IOU_DISTANCE = 0.15;

interface InternalTrack {
  /** Provisional serial (tentative id = -serial). */
  readonly serial: number;
  /** Public id once activated, 0 before. */
  id: number;
  /** minHits detections reached (sticky). */
  confirmed: boolean;
  state: TrackState;
  removed: boolean;
  readonly kf: KalmanState;
  score: number;
  classId: number;
  hits: number;
  readonly startFrame: number;
  /** Frame of the last associated detection (Ultralytics `frame_id` / `end_frame`). */
  lastFrame: number;
  /** Index in the current frame's detections, -1 when not matched this frame. */
  detectionIndex: number;
  /** Recent observed centres (oldest first), for the direction of travel (directionWeight). */
  readonly history: Observation[];
  /** Filter state right after the last update (reupdateOnRefind), null when off. */
  snapshot: KalmanState | null;
}

interface Observation {
  readonly frame: number;
  readonly cx: number;
  readonly cy: number;
}

/** A displacement shorter than this fraction of the box height has no reliable direction. */
const MIN_DIRECTION_FRACTION = 0.05;
/** Height ratio limit of a lost-track recovery pair. */
const RECOVERY_HEIGHT_RATIO = 1.5;

interface Det {
  /** cx, cy, w, h */
  readonly xywh: [number, number, number, number];
  readonly score: number;
  readonly classId: number;
  readonly index: number;
}

function validateOptions(o: BotSortOptions): void {
  const unit = (name: keyof BotSortOptions, v: number): void => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${name} must be in [0, 1], got ${v}`);
  };
  unit('trackHighThresh', o.trackHighThresh);
  unit('trackLowThresh', o.trackLowThresh);
  unit('newTrackThresh', o.newTrackThresh);
  unit('matchThresh', o.matchThresh);
  unit('lowMatchThresh', o.lowMatchThresh);
  unit('activateThresh', o.activateThresh);
  if (o.trackLowThresh > o.trackHighThresh) {
    throw new RangeError(`trackLowThresh (${o.trackLowThresh}) must not exceed trackHighThresh (${o.trackHighThresh})`);
  }
  if (!(o.trackBufferS >= 0) || !Number.isFinite(o.trackBufferS)) {
    throw new RangeError(`trackBufferS must be a non-negative number of seconds, got ${o.trackBufferS}`);
  }
  if (!Number.isInteger(o.minHits) || o.minHits < 1) {
    throw new RangeError(`minHits must be a positive integer, got ${o.minHits}`);
  }
  if (!(o.frameRate > 0) || !Number.isFinite(o.frameRate)) {
    throw new RangeError(`frameRate must be a positive number, got ${o.frameRate}`);
  }
  if (typeof o.fuseScore !== 'boolean') throw new RangeError('fuseScore must be a boolean');
  if (!(o.kalmanReferenceFps >= 0) || !Number.isFinite(o.kalmanReferenceFps)) {
    throw new RangeError(`kalmanReferenceFps must be a non-negative number, got ${o.kalmanReferenceFps}`);
  }
  if (!(o.iouBufferS >= 0) || !Number.isFinite(o.iouBufferS)) {
    throw new RangeError(`iouBufferS must be a non-negative number, got ${o.iouBufferS}`);
  }
  if (typeof o.sizeVelocity !== 'boolean') throw new RangeError('sizeVelocity must be a boolean');
  if (typeof o.reupdateOnRefind !== 'boolean') throw new RangeError('reupdateOnRefind must be a boolean');
  if (!(o.directionWeight >= 0 && o.directionWeight <= 1)) {
    throw new RangeError(`directionWeight must be in [0, 1], got ${o.directionWeight}`);
  }
  if (!(o.directionDeltaS > 0) || !Number.isFinite(o.directionDeltaS)) {
    throw new RangeError(`directionDeltaS must be a positive number of seconds, got ${o.directionDeltaS}`);
  }
  if (!(o.recoveryGate >= 0) || !Number.isFinite(o.recoveryGate)) {
    throw new RangeError(`recoveryGate must be a non-negative number of box heights, got ${o.recoveryGate}`);
  }
}

/**
 * BoT-SORT multi-object tracker (Aharon et al. 2022, without ReID), following Ultralytics' `BOTSORT` /
 * `BYTETracker.update`:
 * 1. Kalman-predict the activated tracked + lost tracks (lost ones with vw = vh = 0), optional camera-motion warp;
 * 2. high-score detections (score >= trackHighThresh) vs that pool, IoU distance (fused with the score),
 *    cost limit matchThresh; lost tracks matched here are re-activated with their id;
 * 3. low-score detections (trackLowThresh < score < trackHighThresh) vs the remaining tracked ones, IoU
 *    distance, limit lowMatchThresh; still unmatched tracked tracks become lost;
 * 4. tentative tracks vs the remaining high-score detections (limit 0.7); unmatched tentative ones are removed;
 * 5. new tracks from the remaining detections with score >= newTrackThresh: activated at once when the score is
 *    >= activateThresh, else tentative;
 * 6. lost tracks older than maxTimeLost = trackBufferS * frameRate are removed; tracked/lost duplicates
 *    (IoU > 0.85) lose the younger track.
 * A tentative track is activated (gets its id) on its `minHits`-th consecutive detection; every track is
 * `confirmed` on its `minHits`-th detection. Counts use confirmed tracks only.
 *
 * Deliberate differences from Ultralytics (everything else reproduces it; cross-checked against a numpy port):
 * - ids are issued on activation (dense 1, 2, 3, ...; tentative tracks carry provisional negative ids), where
 *   Ultralytics draws an id for every new tentative track and activates on the 2nd hit (minHits = 2);
 * - Ultralytics activates every new track on the stream's first frame only; here a track is activated on its
 *   first frame whenever its score is >= activateThresh (any frame), and is confirmed only at minHits;
 * - tentative tracks are Kalman-predicted like the others (they live minHits - 1 frames with a velocity);
 * - no ReID (detections carry no embeddings); camera motion is an optional per-frame affine, identity by default;
 * - a frameIndex jump of k runs k predictions; invalid detections are skipped; removed tracks are not retained;
 * - by default the prediction keeps the box size (sizeVelocity false); optional OC-SORT refinements (velocity
 *   direction consistency, observation-centric re-update) and a lost-track recovery stage by normalised centre
 *   distance (after step 3, before step 4) are off by default (see BotSortOptions).
 */
export class BotSortTracker {
  readonly options: Readonly<BotSortOptions>;
  readonly maxTimeLost: number;
  /** Association boxes grow by this fraction of their size on each side (iouBufferS x frame interval, capped). */
  readonly iouBuffer: number;
  /** directionDeltaS in frames (at least 1). */
  readonly directionDelta: number;

  private readonly kf: KalmanFilterXYWH;
  /** Tracked (confirmed and tentative), as Ultralytics' tracked_stracks. */
  private tracked: InternalTrack[] = [];
  /** Lost (confirmed) tracks, as Ultralytics' lost_stracks. Removed tracks are not kept. */
  private lost: InternalTrack[] = [];
  private frameIndex = 0;
  private frames = 0;
  private nextId = 1;
  private nextSerial = 1;
  private confirmedTotal = 0;
  private activatedTotal = 0;
  private removedTotal = 0;
  private invalidDetections = 0;

  constructor(opts: Partial<BotSortOptions> = {}) {
    const merged: BotSortOptions = { ...DEFAULT_BOT_SORT_OPTIONS };
    for (const [k, v] of Object.entries(opts) as Array<[keyof BotSortOptions, unknown]>) {
      if (v !== undefined) (merged as unknown as Record<string, unknown>)[k] = v;
    }
    validateOptions(merged);
    this.options = Object.freeze(merged);
    this.maxTimeLost = Math.round(merged.trackBufferS * merged.frameRate);
    this.kf = new KalmanFilterXYWH(kalmanWeightsFor(merged));
    this.iouBuffer = Math.min(MAX_IOU_BUFFER, merged.iouBufferS / merged.frameRate);
    this.directionDelta = Math.max(1, Math.round(merged.directionDeltaS * merged.frameRate));
  }

  get stats(): BotSortStats {
    let confirmed = 0;
    for (const t of this.tracked) if (t.id > 0) confirmed++;
    return {
      frames: this.frames,
      frameIndex: this.frameIndex,
      tracked: confirmed,
      tentative: this.tracked.length - confirmed,
      lost: this.lost.length,
      removed: 0,
      nextId: this.nextId,
      confirmedTotal: this.confirmedTotal,
      activatedTotal: this.activatedTotal,
      removedTotal: this.removedTotal,
      invalidDetections: this.invalidDetections,
      maxTimeLost: this.maxTimeLost,
    };
  }

  /** Forget every track; ids start at 1 again. */
  reset(): void {
    this.tracked = [];
    this.lost = [];
    this.frameIndex = 0;
    this.frames = 0;
    this.nextId = 1;
    this.nextSerial = 1;
    this.confirmedTotal = 0;
    this.activatedTotal = 0;
    this.removedTotal = 0;
    this.invalidDetections = 0;
  }

  /**
   * Advance one frame.
   * @param detections this frame's detections (source pixels). Invalid ones (non-finite, empty box) are skipped.
   * @param frameIndex integer, strictly increasing; default previous + 1 (first frame 1). A jump of k frames
   *   (dropped frames) runs k Kalman predictions and counts k frames toward maxTimeLost.
   * @param affine camera motion since the previous frame, 2x3 row-major (see `GlobalMotionCompensation`).
   * @param confirmOnFirstHit indices (in `detections`) of detections the caller vouches for: a new track started by
   *   one is activated and confirmed on this first hit instead of at minHits (e.g. a confident find of a slice
   *   examination, which will not be re-examined for a while). Default: none.
   */
  update(detections: readonly Detection[], frameIndex?: number, affine?: readonly number[], confirmOnFirstHit?: ReadonlySet<number>): TrackerOutput {
    const frame = frameIndex ?? this.frameIndex + 1;
    if (!Number.isInteger(frame) || frame <= this.frameIndex) {
      throw new RangeError(`frameIndex must be an integer greater than ${this.frameIndex}, got ${frameIndex}`);
    }
    if (affine !== undefined) assertAffine(affine);
    const steps = this.frames === 0 ? 1 : Math.min(frame - this.frameIndex, this.maxTimeLost + 1);
    this.frameIndex = frame;
    this.frames++;

    const { trackHighThresh, trackLowThresh } = this.options;
    const high: Det[] = [];
    const low: Det[] = [];
    for (let index = 0; index < detections.length; index++) {
      const d = detections[index];
      const { x1, y1, x2, y2 } = d.box;
      const w = x2 - x1;
      const h = y2 - y1;
      if (!Number.isFinite(x1 + y1 + w + h + d.score) || !(w > 0) || !(h > 0)) {
        this.invalidDetections++;
        continue;
      }
      const det: Det = { xywh: [x1 + w / 2, y1 + h / 2, w, h], score: d.score, classId: d.classId, index };
      if (d.score >= trackHighThresh) high.push(det);
      else if (d.score > trackLowThresh) low.push(det);
    }

    for (const t of this.tracked) t.detectionIndex = -1;
    for (const t of this.lost) t.detectionIndex = -1;

    const unconfirmed: InternalTrack[] = [];
    const pool: InternalTrack[] = [];
    for (const t of this.tracked) (t.id > 0 ? pool : unconfirmed).push(t);
    for (const t of this.lost) pool.push(t);

    // Predict (lost tracks with their size velocity zeroed, as BOTrack.multi_predict), then camera motion.
    for (const t of pool) for (let s = 0; s < steps; s++) this.predict(t.kf, t.state !== 'tracked');
    for (const t of unconfirmed) for (let s = 0; s < steps; s++) this.predict(t.kf, false);
    if (affine !== undefined && !isIdentityAffine(affine)) {
      for (const t of [...pool, ...unconfirmed]) {
        warpKalmanState(t.kf, affine);
        if (t.snapshot) warpKalmanState(t.snapshot, affine);
      }
    }

    const refound: InternalTrack[] = [];
    const newlyLost: InternalTrack[] = [];
    const created: InternalTrack[] = [];

    // First association: high-score detections vs tracked + lost.
    const { matchThresh, fuseScore, lowMatchThresh } = this.options;
    const firstCosts = this.distances(pool, high, fuseScore, matchThresh, this.options.directionWeight);
    const first = linearAssignmentSparse(firstCosts, matchThresh);
    for (const [ti, di] of first.matches) {
      const t = pool[ti];
      if (t.state === 'lost') {
        refound.push(t);
        this.rewind(t, high[di], frame);
      }
      this.applyDetection(t, high[di], frame);
    }

    // Second association: low-score detections vs the still-unmatched tracked tracks (IoU only).
    const remainingTracked: InternalTrack[] = [];
    for (const ti of first.unmatchedRows) if (pool[ti].state === 'tracked') remainingTracked.push(pool[ti]);
    const second = linearAssignmentSparse(this.distances(remainingTracked, low, false, lowMatchThresh), lowMatchThresh);
    for (const [ti, di] of second.matches) this.applyDetection(remainingTracked[ti], low[di], frame);
    for (const ti of second.unmatchedRows) {
      const t = remainingTracked[ti];
      t.state = 'lost';
      newlyLost.push(t);
    }

    // Lost-track recovery: the tracks lost before this frame that no detection overlaps vs the remaining high-score
    // detections, by centre distance in track heights.
    let remainingHigh: Det[] = first.unmatchedCols.map((j) => high[j]);
    if (this.options.recoveryGate > 0) {
      const lostNow = new Set(newlyLost);
      const lostRows: InternalTrack[] = [];
      for (const ti of first.unmatchedRows) if (pool[ti].state === 'lost' && !lostNow.has(pool[ti])) lostRows.push(pool[ti]);
      const recovery = linearAssignmentSparse(this.recoveryCosts(lostRows, remainingHigh), 1);
      for (const [ti, di] of recovery.matches) {
        const t = lostRows[ti];
        refound.push(t);
        this.rewind(t, remainingHigh[di], frame);
        this.applyDetection(t, remainingHigh[di], frame);
      }
      remainingHigh = recovery.unmatchedCols.map((j) => remainingHigh[j]);
    }

    // Unconfirmed tracks vs the remaining high-score detections.
    const third = linearAssignmentSparse(
      this.distances(unconfirmed, remainingHigh, fuseScore, UNCONFIRMED_MATCH_THRESH),
      UNCONFIRMED_MATCH_THRESH,
    );
    for (const [ti, di] of third.matches) this.applyDetection(unconfirmed[ti], remainingHigh[di], frame);
    for (const ti of third.unmatchedRows) this.remove(unconfirmed[ti]);

    // New tentative tracks.
    for (const j of third.unmatchedCols) {
      const d = remainingHigh[j];
      if (d.score < this.options.newTrackThresh) continue;
      const t: InternalTrack = {
        serial: this.nextSerial++,
        id: 0,
        confirmed: false,
        state: 'tentative',
        removed: false,
        kf: this.kf.initiate(d.xywh),
        score: d.score,
        classId: d.classId,
        hits: 1,
        startFrame: frame,
        lastFrame: frame,
        detectionIndex: d.index,
        history: [{ frame, cx: d.xywh[0], cy: d.xywh[1] }],
        snapshot: null,
      };
      if (this.options.reupdateOnRefind) t.snapshot = copyState(t.kf);
      if (d.score >= this.options.activateThresh) this.activate(t);
      if (this.options.minHits <= 1 || confirmOnFirstHit?.has(d.index)) this.confirm(t);
      created.push(t);
    }

    // Expire lost tracks (the ones lost before this frame and not re-found).
    for (const t of this.lost) {
      if (t.state === 'lost' && frame - t.lastFrame > this.maxTimeLost) this.remove(t);
    }

    const tracked: InternalTrack[] = [];
    for (const t of this.tracked) if (!t.removed && t.state !== 'lost') tracked.push(t);
    for (const t of created) tracked.push(t);
    for (const t of refound) tracked.push(t);
    const lost: InternalTrack[] = [];
    for (const t of this.lost) if (!t.removed && t.state === 'lost') lost.push(t);
    for (const t of newlyLost) lost.push(t);
    this.removeDuplicates(tracked, lost);
    this.tracked = tracked.filter((t) => !t.removed);
    this.lost = lost.filter((t) => !t.removed);

    return this.output(frame);
  }

  /** Kalman prediction step; `freezeSize` (lost tracks, as BOTrack.multi_predict) or sizeVelocity off: vw = vh = 0. */
  private predict(state: KalmanState, freezeSize: boolean): void {
    if (freezeSize || !this.options.sizeVelocity) {
      state.mean[6] = 0;
      state.mean[7] = 0;
    }
    this.kf.predict(state);
  }

  /**
   * OC-SORT observation-centric re-update of a lost track found again (reupdateOnRefind): back to the filter state
   * at its last observation, then predict + update along the straight path to `d` for each missed frame, and one
   * last prediction; `applyDetection` then updates with `d` itself.
   */
  private rewind(t: InternalTrack, d: Det, frame: number): void {
    const snap = t.snapshot;
    if (!snap) return;
    const gap = Math.min(frame - t.lastFrame, this.maxTimeLost + 1);
    if (gap < 2) return;
    t.kf.mean.set(snap.mean);
    t.kf.covariance.set(snap.covariance);
    const from = [snap.mean[0], snap.mean[1], snap.mean[2], snap.mean[3]];
    const virtual = [0, 0, 0, 0];
    for (let k = 1; k < gap; k++) {
      this.predict(t.kf, false);
      for (let c = 0; c < 4; c++) virtual[c] = from[c] + ((d.xywh[c] - from[c]) * k) / gap;
      this.kf.update(t.kf, virtual);
    }
    this.predict(t.kf, false);
  }

  private applyDetection(t: InternalTrack, d: Det, frame: number): void {
    this.kf.update(t.kf, d.xywh);
    if (this.options.reupdateOnRefind) {
      if (t.snapshot) {
        t.snapshot.mean.set(t.kf.mean);
        t.snapshot.covariance.set(t.kf.covariance);
      } else {
        t.snapshot = copyState(t.kf);
      }
    }
    t.history.push({ frame, cx: d.xywh[0], cy: d.xywh[1] });
    while (t.history.length > 1 && t.history[1].frame <= frame - this.directionDelta) t.history.shift();
    t.hits++;
    t.lastFrame = frame;
    t.score = d.score;
    t.classId = d.classId;
    t.detectionIndex = d.index;
    if (t.id > 0) t.state = 'tracked';
    if (t.hits >= this.options.minHits) this.confirm(t);
  }

  /** Issue the track's id: it joins the first association and survives misses as a lost track. */
  private activate(t: InternalTrack): void {
    if (t.id > 0) return;
    t.id = this.nextId++;
    t.state = 'tracked';
    this.activatedTotal++;
  }

  private confirm(t: InternalTrack): void {
    this.activate(t);
    if (t.confirmed) return;
    t.confirmed = true;
    this.confirmedTotal++;
  }

  private remove(t: InternalTrack): void {
    if (t.removed) return;
    t.removed = true;
    this.removedTotal++;
  }

  /**
   * IoU distance (fused with the detection score when `fuse`) of the pairs below `limit` (sparse; <= 1); with
   * `directionWeight` > 0, adjusted by the velocity direction consistency (see BotSortOptions.directionWeight).
   */
  private distances(tracks: readonly InternalTrack[], dets: readonly Det[], fuse: boolean, limit: number, directionWeight = 0): CostPairs {
    if (directionWeight > 0) {
      const wide = this.distances(tracks, dets, fuse, Math.min(1, limit + directionWeight / 2));
      const out: CostPairs = { rows: wide.rows, cols: wide.cols, row: [], col: [], cost: [] };
      for (let e = 0; e < wide.row.length; e++) {
        const cost = wide.cost[e] - directionWeight * directionConsistency(tracks[wide.row[e]], dets[wide.col[e]]);
        if (cost < limit) {
          out.row.push(wide.row[e]);
          out.col.push(wide.col[e]);
          out.cost.push(Math.max(0, cost));
        }
      }
      return out;
    }
    const buffer = this.iouBuffer;
    const a = new Float64Array(4 * tracks.length);
    for (let i = 0; i < tracks.length; i++) writeXyxy(tracks[i].kf.mean, a, i, buffer);
    const b = new Float64Array(4 * dets.length);
    for (let j = 0; j < dets.length; j++) {
      const [cx, cy, w, h] = dets[j].xywh;
      const hw = (w / 2) * (1 + 2 * buffer);
      const hh = (h / 2) * (1 + 2 * buffer);
      b[4 * j] = cx - hw;
      b[4 * j + 1] = cy - hh;
      b[4 * j + 2] = cx + hw;
      b[4 * j + 3] = cy + hh;
    }
    let scores: Float64Array | undefined;
    if (fuse) {
      scores = new Float64Array(dets.length);
      for (let j = 0; j < dets.length; j++) scores[j] = dets[j].score;
    }
    return iouCostPairs(a, tracks.length, b, dets.length, limit, scores);
  }

  /** Lost tracks vs detections: centre distance / (recoveryGate x track height), pairs below 1 of similar height. */
  private recoveryCosts(tracks: readonly InternalTrack[], dets: readonly Det[]): CostPairs {
    const out: CostPairs = { rows: tracks.length, cols: dets.length, row: [], col: [], cost: [] };
    const gate = this.options.recoveryGate;
    for (let i = 0; i < tracks.length; i++) {
      const m = tracks[i].kf.mean;
      for (let j = 0; j < dets.length; j++) {
        const [cx, cy, , h] = dets[j].xywh;
        const ratio = h / m[3];
        if (!(ratio <= RECOVERY_HEIGHT_RATIO && ratio >= 1 / RECOVERY_HEIGHT_RATIO)) continue;
        const cost = Math.hypot(cx - m[0], cy - m[1]) / (gate * m[3]);
        if (cost < 1) {
          out.row.push(i);
          out.col.push(j);
          out.cost.push(cost);
        }
      }
    }
    return out;
  }

  /** Ultralytics `remove_duplicate_stracks`: of a tracked/lost pair with IoU > 0.85 the younger one goes. */
  private removeDuplicates(tracked: InternalTrack[], lost: InternalTrack[]): void {
    if (tracked.length === 0 || lost.length === 0) return;
    const a = new Float64Array(4 * tracked.length);
    for (let i = 0; i < tracked.length; i++) writeXyxy(tracked[i].kf.mean, a, i);
    const b = new Float64Array(4 * lost.length);
    for (let j = 0; j < lost.length; j++) writeXyxy(lost[j].kf.mean, b, j);
    const pairs = iouCostPairs(a, tracked.length, b, lost.length, DUPLICATE_IOU_DISTANCE);
    for (let e = 0; e < pairs.row.length; e++) {
      const p = tracked[pairs.row[e]];
      const q = lost[pairs.col[e]];
      if (p.lastFrame - p.startFrame > q.lastFrame - q.startFrame) this.remove(q);
      else this.remove(p);
    }
  }

  private output(frame: number): TrackerOutput {
    const tracks: Track[] = [];
    const tentative: Track[] = [];
    for (const t of this.tracked) (t.confirmed ? tracks : tentative).push(toTrack(t, frame));
    const lost = this.lost.map((t) => toTrack(t, frame));
    tracks.sort((p, q) => p.id - q.id);
    // Activated (positive ids) ascending, then provisional ids -1, -2, ... (most recent last).
    tentative.sort((p, q) => (p.id > 0 && q.id > 0 ? p.id - q.id : q.id - p.id));
    lost.sort((p, q) => p.id - q.id);
    return { frameIndex: frame, tracks, tentative, lost };
  }
}

/** Kalman box as packed xyxy, optionally grown by `buffer` x its width/height on every side (buffered IoU). */
/**
 * Kalman noise per prediction step for the stream's frame rate: Ultralytics' weights (position 1/20, velocity 1/160
 * of the box size) hold for one frame at `kalmanReferenceFps`; a step of k = reference / frameRate such frames has
 * position noise sqrt(k) times and velocity (per step) noise k^1.5 times larger (random-walk velocity over k frames,
 * expressed per step). 0 = the weights per step whatever the rate (Ultralytics).
 */
export function kalmanWeightsFor(o: Pick<BotSortOptions, 'kalmanReferenceFps' | 'frameRate'>): { stdWeightPosition: number; stdWeightVelocity: number } {
  const k = o.kalmanReferenceFps > 0 ? o.kalmanReferenceFps / o.frameRate : 1;
  return { stdWeightPosition: Math.sqrt(k) / 20, stdWeightVelocity: k ** 1.5 / 160 };
}

function copyState(s: KalmanState): KalmanState {
  return { mean: s.mean.slice(), covariance: s.covariance.slice() };
}

/**
 * OC-SORT's direction term in [-0.5, 0.5]: (pi/2 - angle) / pi between the track's direction of travel (oldest kept
 * observation to the last one) and the direction from its last observation to the detection; 0 when either
 * displacement is shorter than MIN_DIRECTION_FRACTION x the box height (no reliable direction).
 */
export function directionConsistency(t: { readonly history: readonly Observation[]; readonly kf: KalmanState }, d: { readonly xywh: readonly number[] }): number {
  const h = t.history;
  if (h.length < 2) return 0;
  const first = h[0];
  const last = h[h.length - 1];
  const tx = last.cx - first.cx;
  const ty = last.cy - first.cy;
  const dx = d.xywh[0] - last.cx;
  const dy = d.xywh[1] - last.cy;
  const minLen = MIN_DIRECTION_FRACTION * t.kf.mean[3];
  const lt = Math.hypot(tx, ty);
  const ld = Math.hypot(dx, dy);
  if (!(lt >= minLen && ld >= minLen)) return 0;
  const cos = Math.max(-1, Math.min(1, (tx * dx + ty * dy) / (lt * ld)));
  return (Math.PI / 2 - Math.acos(cos)) / Math.PI;
}

function writeXyxy(mean: Float64Array, out: Float64Array, i: number, buffer = 0): void {
  const cx = mean[0];
  const cy = mean[1];
  const hw = (mean[2] / 2) * (1 + 2 * buffer);
  const hh = (mean[3] / 2) * (1 + 2 * buffer);
  out[4 * i] = cx - hw;
  out[4 * i + 1] = cy - hh;
  out[4 * i + 2] = cx + hw;
  out[4 * i + 3] = cy + hh;
}

function toTrack(t: InternalTrack, frame: number): Track {
  const m = t.kf.mean;
  return {
    id: t.id > 0 ? t.id : -t.serial,
    provisionalId: -t.serial,
    confirmed: t.confirmed,
    box: { x1: m[0] - m[2] / 2, y1: m[1] - m[3] / 2, x2: m[0] + m[2] / 2, y2: m[1] + m[3] / 2 },
    score: t.score,
    classId: t.classId,
    state: t.state,
    hits: t.hits,
    age: frame - t.startFrame + 1,
    timeSinceUpdate: frame - t.lastFrame,
    velocity: { vx: m[4], vy: m[5] },
    detectionIndex: t.detectionIndex,
  };
}
