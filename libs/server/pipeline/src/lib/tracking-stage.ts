// Tracking: the camera's PeopleCounter (BoT-SORT + count), advanced by the frames' seq, reset when the stream jumps.
import type { BBox, CountEstimate, Detection, RawFrame, TrackedPerson } from '@crowdsafe/contracts';
import { PeopleCounter, type ExaminedSlices, type GmcMode, type PeopleCounterOptions, type RoiPolygon } from '@crowdsafe/vision';

export interface CameraCountingOptions {
  /**
   * Rate frames are decoded and processed at: the camera's target FPS (not the video's rate). The tracker's frame
   * rate, so that its buffer (1 s) and frame indices keep their meaning in seconds.
   */
  fps: number;
  /** Counting region, normalised to the frame (settings.detection.roi); null/omitted = the whole frame. */
  roi?: RoiPolygon | null;
  tracker?: PeopleCounterOptions['tracker'];
  coastSeconds?: number;
  /** Global motion compensation for the tracker (settings.detection.gmc); default 'off'. */
  gmc?: GmcMode;
}

export const DEFAULT_COUNTING_FPS = 5;

export interface TrackingStep {
  /** The tracked (or, warming up, detection) count of the frame. */
  count: CountEstimate;
  /** Confirmed tracks matched in this frame, source-frame pixels. */
  tracks: TrackedPerson[];
  /** The tracker was reset before this frame (track ids restart at 1). */
  reset: boolean;
  /**
   * While the tracker warms up after a reset (the count is then the detection count): its tentative tracks, with
   * their provisional ids, so densities count the same people as the count. Empty once warmed up.
   */
  warmUp: Array<{ provisionalId: number; box: BBox; score: number }>;
}

export interface TrackerStats {
  resets: number;
  trackIds: number;
  tracked: number;
  tentative: number;
  lost: number;
}

/**
 * The tracker advances by the frames' `seq` (a gap = frames dropped or stale, which the tracker predicts through).
 * It is reset, and the count falls back to the detection count while it warms up (minHits - 1 frames), when the
 * stream jumps: after `streamBroke()` (a status other than 'online': ffmpeg restart, reconnect), when `seq` goes
 * backwards, and when processed frames are further apart in capture time than the tracker keeps lost tracks.
 */
export class TrackingStage {
  private readonly counter: PeopleCounter;
  /** Capture-time gap past which every lost track has expired (the tracker's maxTimeLost is fixed at construction). */
  private readonly maxGapMs: number;
  /** Tracker frame index = seq - seqBase. */
  private seqBase = 0;
  private lastSeq?: number;
  private lastCapturedAt?: number;
  private resetPending = false;
  private resets = 0;

  constructor(counting: CameraCountingOptions, opts: { trackBufferS?: number; detectionMethod: 'detection' | 'tiled-detection' }) {
    this.counter = new PeopleCounter({
      ...(opts.trackBufferS === undefined ? {} : { trackBufferS: opts.trackBufferS }),
      frameRate: counting.fps,
      roi: counting.roi ?? null,
      tracker: counting.tracker,
      coastSeconds: counting.coastSeconds,
      detectionMethod: opts.detectionMethod,
      gmc: counting.gmc,
    });
    this.maxGapMs = ((this.counter.stats.maxTimeLost + 1) * 1000) / counting.fps;
  }

  /** The stream broke (restart, reconnect, end): the next frame starts a new track set. */
  streamBroke(): void {
    this.resetPending = true;
  }

  track(frame: RawFrame, detections: readonly Detection[], examined?: ExaminedSlices): TrackingStep {
    const jumped =
      this.lastSeq !== undefined && (this.resetPending || frame.seq <= this.lastSeq || frame.capturedAt - (this.lastCapturedAt ?? frame.capturedAt) > this.maxGapMs);
    if (jumped) {
      this.counter.reset();
      this.resets++;
    }
    if (this.lastSeq === undefined || jumped) this.seqBase = frame.seq - 1;
    this.resetPending = false;
    this.lastSeq = frame.seq;
    this.lastCapturedAt = frame.capturedAt;
    const pixels = { width: frame.width, height: frame.height, rgb: frame.data };
    const r = this.counter.process(detections, frame.seq - this.seqBase, frame, undefined, pixels, examined);
    return { count: r.count, tracks: r.tracks, reset: jumped, warmUp: r.warmingUp ? r.unconfirmed : [] };
  }

  stats(): TrackerStats {
    const s = this.counter.stats;
    return { resets: this.resets, trackIds: s.confirmedTotal, tracked: s.tracked, tentative: s.tentative, lost: s.lost };
  }
}
