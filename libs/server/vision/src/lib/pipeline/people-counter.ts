import type { BBox, CountEstimate, CountMethod, Detection, TrackedPerson } from '@crowdsafe/contracts';
import { BotSortTracker } from '../tracking/bot-sort';
import type { BotSortOptions, BotSortStats, Track } from '../tracking/types';
import { rgbToGray } from '../gmc/gray-frame';
import { SparseOptFlowGmc } from '../gmc/sparse-opt-flow';
import type { GmcMode } from './detection-settings';
import { footInRoi, type FrameSize, type RoiPolygon } from './roi';
import { SliceCarry, type CarryMotion, type ExaminedSlices } from './slice-carry';
import { coastingTracks } from './coast-unexamined';
import { asSecondStage } from './low-score';
import { greenHalf, patchShift } from './patch-shift';
import type { GrayFrame } from '../gmc/gray-frame';

export interface PeopleCounterOptions {
  /**
   * Rate process() is called at, frames per second: the camera's target FPS live, the video's rate offline. Passed
   * to the tracker so that trackBuffer (30 frames at 30 fps) and coastSeconds keep their meaning in seconds.
   */
  frameRate: number;
  /** BoT-SORT parameters other than frameRate (defaults: Ultralytics botsort.yaml, minHits 3). */
  tracker?: Partial<Omit<BotSortOptions, 'frameRate'>>;
  /**
   * How long a lost track is kept, seconds (overrides tracker.trackBufferS). With slice
   * scheduling it must be at least the refresh period, so that a person seen only by a slice survives until the next
   * examination.
   */
  trackBufferS?: number;
  /** ROI used when process() is given none; omitted/null = the whole frame. */
  roi?: RoiPolygon | null;
  /**
   * A confirmed track that missed its detection for at most this long still counts (a person briefly occluded or
   * missed by the detector has not left); rounded to whole frames, at least one. Default 0 (off): on TUD-Campus
   * coasting only added overcount (count MAE vs ground truth 0.86 without, 1.17 with 0.2 s, conf 0.25).
   */
  coastSeconds?: number;
  /** Method reported while warming up (the count is then the detection count): default 'detection'. */
  detectionMethod?: Extract<CountMethod, 'detection' | 'tiled-detection'>;
  /**
   * Global motion compensation: 'sparseOptFlow' estimates the camera's motion between processed frames (pass the
   * frame's RGB pixels to process()) and warps the tracks with it; default 'off' (fixed cameras).
   */
  gmc?: GmcMode;
  /**
   * With slice scheduling (process() given `examined`): a fresh detection scoring at least this, whose centre lies in
   * a slice examined on this frame, confirms its new track on this first hit (the tracker's minHits is for the global
   * pass, which sees everyone every frame; a slice-found person is examined again only after the refresh period, and
   * would otherwise stay uncounted for minHits - 1 frames of carried boxes each time they are found). Lower-scoring
   * slice finds stay tentative until minHits, as everywhere. Default 0.25 (DEFAULT_SLICE_CONFIRM_SCORE, = LOW_SCORE_FLOOR: every
   * slice find the camera reports, which CameraScheduling accepts from 0.25 in zoomed slices; below about 0.3 a
   * tentative track can never be matched again, since the tracker's IoU distance is fused with the score, so such
   * finds were never counted: on the 1080p MOT17-02 stand-in with the detections reported from 0.25, 0.35 -> 0.25
   * lifted tracked recall 0.63 -> 0.84, replayed). On the hall sample (replayed
   * detections, 12 s at 5 fps) 0.35 / 0.4 / 0.5 / off gave tracked recall 0.845 / 0.829 / 0.808 / 0.775 at precision
   * 0.910 / 0.913 / 0.917 / 0.921 (the hall camera's confidence is 0.35, so 0.25 changes nothing there); 1 = off.
   */
  sliceConfirmScore?: number;
  /**
   * With slice scheduling (process() given `examined` with its `planned` slices): a confirmed track lost inside a
   * planned slice that was not run on this frame, for at most the hold period, is output in `tracks` at its predicted
   * box (timeSinceUpdate > 0) and counted (see coastingTracks). Default true; false = only matched tracks.
   */
  coastUnexamined?: boolean;
  /**
   * With slice scheduling and the frame's pixels given to process(): a carried person (SliceCarry) is moved by the
   * measured motion of their box's content from the previous processed frame (block matching on the 2x-downscaled green
   * channel, greenHalf + patchShift) instead of the velocity of their last two sightings. Default true.
   */
  carryMotion?: boolean;
}

/** Default `sliceConfirmScore`. */
export const DEFAULT_SLICE_CONFIRM_SCORE = 0.25;

/** RGB24 pixels of the processed frame, for global motion compensation. */
export interface FramePixels extends FrameSize {
  rgb: Uint8Array;
}

export interface PeopleCountResult {
  /** The tracker's frame index of this frame. */
  frameIndex: number;
  count: CountEstimate;
  /**
   * Confirmed tracks matched to a detection in this frame, inside the ROI or not (ids for overlays), ascending id;
   * with slice scheduling also the coasting ones (coastUnexamined: timeSinceUpdate > 0, Kalman-predicted box).
   */
  tracks: TrackedPerson[];
  /** Provisional id (Track.provisionalId) of each of `tracks`, same order: links them to their `unconfirmed` past. */
  trackProvisionalIds: number[];
  /**
   * Unconfirmed tracks matched or created in this frame (Kalman box, source pixels), by provisional id: not counted,
   * but an offline MOT writer can give them the id the track gets once confirmed (`crowdsafe analyze --mot`).
   */
  unconfirmed: Array<{ provisionalId: number; box: BBox; score: number }>;
  /** Ids of the confirmed tracks making up a 'tracking' count (matched in the ROI + coasting in the ROI). */
  countedIds: number[];
  /** Detections whose foot point lies in the ROI. */
  detectionsInRoi: number;
  /** Tentative (unconfirmed) tracks in this frame, inside the ROI or not. */
  tentative: number;
  /** Confirmed tracks currently lost (kept for re-identification), inside the ROI or not. */
  lost: number;
  /** True while the tracker cannot have confirmed anything yet (first minHits - 1 frames after start or reset). */
  warmingUp: boolean;
  /**
   * Confirmed tracks matched to a carried detection (a person found by a slice that was not re-examined on this
   * frame, see SliceCarry), inside the ROI or not; 0 without slice scheduling.
   */
  carried: number;
}

/** Detections at or above this score are "confident": the low end of a detection count's range. */
const CONFIDENT_SCORE = 0.5;

/**
 * The counting stage shared by the live camera runtime and `crowdsafe analyze`: owns one BoT-SORT tracker and turns
 * each frame's person detections into tracks and a people count with an uncertainty range. Pure (no I/O).
 *
 * Count, where "in the ROI" means the bottom-centre of the box (the feet) lies inside the ROI polygon:
 * - warm-up (the first minHits - 1 frames after start/reset, before any track can be confirmed): method
 *   `detectionMethod`, count = detections in the ROI, low = those scoring >= 0.5, high = count;
 * - then method 'tracking': count = confirmed tracks matched this frame in the ROI (+ with `coastSeconds` > 0,
 *   confirmed tracks lost for at most that long whose predicted box is still in the frame and in the ROI).
 *   Spurious one-off detections never count: a track needs minHits consecutive detections to be confirmed (with
 *   slice scheduling, a detection scoring >= sliceConfirmScore found by a slice examined on this frame confirms its
 *   track at once: that slice is not examined again for a refresh period, and the person is carried meanwhile).
 *   low  = confirmed tracks matched this frame in the ROI (what is certainly there; = count without coasting);
 *   high = count + tentative tracks in the ROI (people not confirmed yet) + the other lost tracks still in the frame
 *          and ROI (people possibly occluded for longer, up to the tracker's buffer).
 *   low <= count <= high always.
 */
export class PeopleCounter {
  readonly frameRate: number;
  readonly coastFrames: number;
  private readonly tracker: BotSortTracker;
  private readonly roi: RoiPolygon | null;
  private readonly detectionMethod: Extract<CountMethod, 'detection' | 'tiled-detection'>;
  private framesSinceReset = 0;
  private readonly gmc: SparseOptFlowGmc | null;
  private gray?: Uint8Array;
  private readonly carry = new SliceCarry();
  private readonly sliceConfirmScore: number;
  private readonly coastUnexamined: boolean;
  private readonly carryMotion: boolean;
  /** Grey frames (2x downscaled) of the previous and this processed frame, for carryMotion (two buffers, reused). */
  private carryGray: { prev: GrayFrame | null; cur: GrayFrame | null; frame: number } = { prev: null, cur: null, frame: -1 };

  constructor(opts: PeopleCounterOptions) {
    if (!(opts.frameRate > 0) || !Number.isFinite(opts.frameRate)) throw new RangeError(`frameRate must be a positive number, got ${opts.frameRate}`);
    const coast = opts.coastSeconds ?? 0;
    if (!(coast >= 0) || !Number.isFinite(coast)) throw new RangeError(`coastSeconds must be a non-negative number, got ${opts.coastSeconds}`);
    this.frameRate = opts.frameRate;
    this.coastFrames = coast === 0 ? 0 : Math.max(1, Math.round(coast * opts.frameRate));
    const buf = opts.trackBufferS;
    if (buf !== undefined && !(buf >= 0 && Number.isFinite(buf))) throw new RangeError(`trackBufferS must be a non-negative number, got ${buf}`);
    this.tracker = new BotSortTracker({ ...opts.tracker, ...(buf === undefined ? {} : { trackBufferS: buf }), frameRate: opts.frameRate });
    this.roi = opts.roi ?? null;
    const sc = opts.sliceConfirmScore ?? DEFAULT_SLICE_CONFIRM_SCORE;
    if (!(sc >= 0 && sc <= 1)) throw new RangeError(`sliceConfirmScore must be in [0, 1], got ${opts.sliceConfirmScore}`);
    this.sliceConfirmScore = sc;
    this.coastUnexamined = opts.coastUnexamined ?? true;
    this.carryMotion = opts.carryMotion ?? true;
    this.detectionMethod = opts.detectionMethod ?? 'detection';
    // The GMC sees a 2x-downscaled grey frame; the warp it returns is in source pixels (GrayFrame.scale).
    this.gmc = opts.gmc === 'sparseOptFlow' ? new SparseOptFlowGmc({ downscale: 1 }) : null;
  }

  /** Tracker counters (frames, live tracks, ids issued, ...). */
  get stats(): BotSortStats {
    return this.tracker.stats;
  }

  /** Forget every track (ids restart at 1) and warm up again: use when the stream jumps (restart, long gap). */
  reset(): void {
    this.tracker.reset();
    this.gmc?.reset();
    this.carry.reset();
    this.carryGray = { prev: null, cur: null, frame: -1 };
    this.framesSinceReset = 0;
  }

  /** The camera motion since the previous processed frame (identity when GMC is off or pixels are missing). */
  private cameraMotion(detections: readonly Detection[], pixels: FramePixels | undefined): readonly number[] | undefined {
    if (!this.gmc || !pixels || !wholeRgb(pixels)) return undefined;
    const w = Math.floor(pixels.width / 2);
    const h = Math.floor(pixels.height / 2);
    if (!this.gray || this.gray.length !== w * h) this.gray = new Uint8Array(w * h);
    return this.gmc.estimate(rgbToGray(pixels.rgb, pixels.width, pixels.height, 2, this.gray), detections);
  }

  /**
   * carryMotion: keeps this and the previous processed frame's grey images and measures a box's motion between them;
   * undefined when off, without pixels, without slices (nothing is carried), or on the first frame.
   */
  private motionFor(fi: number, examined: ExaminedSlices, pixels: FramePixels | undefined): CarryMotion | undefined {
    // Pixels that are not a whole RGB24 frame (a source that hands no pixels on, a short buffer) count as none.
    if (!this.carryMotion || !pixels || !wholeRgb(pixels) || examined.holdFrames <= 0) {
      this.carryGray = { prev: null, cur: null, frame: -1 };
      return undefined;
    }
    const w = pixels.width >> 1;
    const h = pixels.height >> 1;
    const old = this.carryGray;
    const consecutive = old.cur !== null && old.frame === fi - 1 && old.cur.width === w && old.cur.height === h;
    // Reuse the older buffer for this frame's grey image.
    const reuse = consecutive && old.prev && old.prev.data.length === w * h ? old.prev.data : new Uint8Array(w * h);
    const cur = greenHalf(pixels.rgb, pixels.width, pixels.height, reuse);
    this.carryGray = { prev: consecutive ? old.cur : null, cur, frame: fi };
    const prev = this.carryGray.prev;
    return prev ? (box, guess) => patchShift(prev, cur, box, guess) : undefined;
  }

  /** Indices of this frame's confident detections found inside a slice examined on this frame (see sliceConfirmScore). */
  private sliceFinds(detections: readonly Detection[], examined: ExaminedSlices): Set<number> | undefined {
    if (this.sliceConfirmScore >= 1 || examined.slices.length === 0) return undefined;
    const out = new Set<number>();
    detections.forEach((d, i) => {
      if (d.score < this.sliceConfirmScore) return;
      const x = (d.box.x1 + d.box.x2) / 2;
      const y = (d.box.y1 + d.box.y2) / 2;
      if (examined.slices.some((s) => x >= s.x && x < s.x + s.width && y >= s.y && y < s.y + s.height)) out.add(i);
    });
    return out;
  }

  /**
   * Advance one frame.
   * @param detections this frame's person detections, source-frame pixels
   * @param frameIndex strictly increasing integer (default previous + 1); a jump of k = k - 1 frames not processed
   * @param frame the frame's size in pixels (for the normalised ROI and the in-frame test of coasting tracks)
   * @param roi overrides the constructor's ROI for this frame; null = the whole frame
   * @param pixels the frame's RGB pixels, used only when GMC is on
   * @param examined with slice scheduling (DetectionScheduler): the slices run on this frame; people found by a slice
   *   are carried (SliceCarry) until it is examined again, so they stay tracked and counted between refreshes
   */
  process(
    frameDetections: readonly Detection[],
    frameIndex: number | undefined,
    frame: FrameSize,
    roi?: RoiPolygon | null,
    pixels?: FramePixels,
    examined?: ExaminedSlices,
  ): PeopleCountResult {
    if (!(frame.width > 0 && frame.height > 0)) throw new RangeError(`invalid frame size ${frame.width}x${frame.height}`);
    const region = roi === undefined ? this.roi : roi;
    const fi = frameIndex ?? this.tracker.stats.frameIndex + 1;
    // BYTE (scheduled detection): the frame's low-score detections, scores capped below trackHighThresh, join the
    // frame's own: the tracker's second association only; SliceCarry takes them as sightings of the people it holds.
    const low = examined?.lowScore?.length ? asSecondStage(examined.lowScore, this.tracker.options.trackHighThresh, this.tracker.options.trackLowThresh) : [];
    const input = low.length ? [...frameDetections, ...low] : frameDetections;
    const carried = examined ? this.carry.apply(input, fi, examined, frame, this.motionFor(fi, examined, pixels)) : null;
    const detections = carried ? carried.detections : input;
    const isLow = (i: number) => i >= frameDetections.length && i < input.length;
    const out = this.tracker.update(detections, fi, this.cameraMotion(frameDetections, pixels), examined ? this.sliceFinds(frameDetections, examined) : undefined);
    this.framesSinceReset++;
    const warmingUp = this.framesSinceReset < this.tracker.options.minHits;

    let detectionsInRoi = 0;
    let confident = 0;
    for (const [i, d] of detections.entries()) {
      if (isLow(i) || !footInRoi(d.box, frame, region)) continue;
      detectionsInRoi++;
      if (d.score >= CONFIDENT_SCORE) confident++;
    }

    // A matched track is placed by its detection (what was seen), a lost one by its Kalman prediction.
    const countedIds: number[] = [];
    for (const t of out.tracks) {
      const seen = detections[t.detectionIndex]?.box ?? t.box;
      if (footInRoi(seen, frame, region)) countedIds.push(t.id);
    }
    const matched = countedIds.length;
    // Scheduled slices: confirmed tracks whose region was not examined on this frame coast (output and counted).
    const coasting = this.coastUnexamined ? coastingTracks(out.lost, examined, frame, out.tracks) : [];
    const coastIds = new Set(coasting.map((t) => t.id));
    for (const t of coasting) if (footInRoi(t.box, frame, region)) countedIds.push(t.id);
    const shown = coasting.length ? [...out.tracks, ...coasting].sort((a, b) => a.id - b.id) : out.tracks;
    let extra = 0;
    for (const t of out.lost) {
      if (coastIds.has(t.id) || !inFrame(t, frame) || !footInRoi(t.box, frame, region)) continue;
      if (t.timeSinceUpdate <= this.coastFrames) countedIds.push(t.id);
      else extra++;
    }
    for (const t of out.tentative) if (footInRoi(detections[t.detectionIndex]?.box ?? t.box, frame, region)) extra++;

    let count: CountEstimate;
    if (warmingUp) {
      count = { count: detectionsInRoi, method: this.detectionMethod, low: confident, high: detectionsInRoi };
    } else {
      const n = countedIds.length;
      count = { count: n, method: 'tracking', low: matched, high: n + extra };
    }
    return {
      frameIndex: out.frameIndex,
      count,
      tracks: shown.map(toTrackedPerson),
      trackProvisionalIds: shown.map((t) => t.provisionalId),
      unconfirmed: out.tentative.map((t) => ({ provisionalId: t.provisionalId, box: { ...t.box }, score: t.score })),
      countedIds: warmingUp ? [] : countedIds,
      detectionsInRoi,
      tentative: out.tentative.length,
      lost: out.lost.length,
      warmingUp,
      carried: carried ? out.tracks.filter((t) => t.detectionIndex >= input.length).length : 0,
    };
  }
}

/** The centre of a (predicted) box is inside the frame: a lost track that walked out is not counted. */
function inFrame(t: Track, frame: FrameSize): boolean {
  const cx = (t.box.x1 + t.box.x2) / 2;
  const cy = (t.box.y1 + t.box.y2) / 2;
  return cx >= 0 && cx <= frame.width && cy >= 0 && cy <= frame.height;
}

function toTrackedPerson(t: Track): TrackedPerson {
  return { id: t.id, box: { ...t.box }, score: t.score, timeSinceUpdate: t.timeSinceUpdate, velocity: { ...t.velocity } };
}

/** True when the pixels hold a whole RGB24 frame of their size. */
function wholeRgb(pixels: FramePixels): boolean {
  return pixels.width > 0 && pixels.height > 0 && pixels.rgb.length >= pixels.width * pixels.height * 3;
}
