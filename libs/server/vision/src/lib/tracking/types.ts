import type { BBox } from '@crowdsafe/contracts';

/**
 * `tentative`: not activated yet (fewer than `minHits` consecutive detections and not started by a detection scoring
 * >= `activateThresh`); `tracked`: activated and matched this frame; `lost`: activated and not matched.
 */
export type TrackState = 'tentative' | 'tracked' | 'lost';

/** One track as reported for one frame. */
export interface Track {
  /**
   * Activated tracks: 1, 2, 3, ... in order of activation, per tracker instance, never reused.
   * Tentative tracks: a provisional negative id (-1, -2, ...), stable while tentative, replaced by the next
   * positive id when the track is activated.
   */
  id: number;
  /**
   * The track's provisional id (-1, -2, ...: the id it has while tentative), the same for its whole life: links the
   * frames before activation with the ones after (`crowdsafe analyze --mot` writes a confirmed track from its first
   * detection on).
   */
  provisionalId: number;
  /**
   * True once the track has had `minHits` detections (sticky): what a people count should count. A track activated
   * on its first frame (score >= `activateThresh`) has its id at once but is unconfirmed until then.
   */
  confirmed: boolean;
  /** Kalman-filtered box (for `lost` tracks: the prediction), source pixels. */
  box: BBox;
  /** Score of the last associated detection. */
  score: number;
  /** Class of the last associated detection. */
  classId: number;
  state: TrackState;
  /** Detections associated with the track so far (1 on creation). */
  hits: number;
  /** Frames since the track's first detection, counting that frame (1 on creation). */
  age: number;
  /** Frames since the last associated detection (0 for `tracked` and `tentative`). */
  timeSinceUpdate: number;
  /** Kalman velocity of the box centre, pixels per frame. */
  velocity: { vx: number; vy: number };
  /** Index in this frame's `detections` argument of the associated detection; -1 when not matched this frame. */
  detectionIndex: number;
}

export interface TrackerOutput {
  /** Frame index this output belongs to. */
  frameIndex: number;
  /** Confirmed tracks matched in this frame, ascending id: what a people count counts. */
  tracks: Track[];
  /**
   * Unconfirmed tracks matched or created in this frame: first the activated ones (positive id, `confirmed` false:
   * started by a detection scoring >= activateThresh, fewer than minHits detections so far), ascending id, then the
   * not yet activated ones (negative provisional id), most recent last. `tracks` + the activated ones here are what
   * Ultralytics returns (its output includes tracks activated on their first frame).
   */
  tentative: Track[];
  /** Activated tracks kept alive without a match (up to `maxTimeLost` frames), ascending id; see `confirmed`. */
  lost: Track[];
}

/** Ultralytics `cfg/trackers/botsort.yaml` parameters (camelCase) plus `minHits` and `frameRate`. */
export interface BotSortOptions {
  /** First-association threshold on detection score (default 0.25). */
  trackHighThresh: number;
  /** Detections with score <= this are ignored; (low, high) goes to the second association (default 0.1). */
  trackLowThresh: number;
  /** Minimum score to start a new track (default 0.25). */
  newTrackThresh: number;
  /**
   * A new track whose first detection scores >= this is activated at once (gets its id, takes part in the first
   * association and survives misses as a lost track, as Ultralytics activates new tracks); below it a track stays
   * tentative (removed on its first miss) until minHits. Either way it is `confirmed` only at minHits. 1 = off.
   */
  activateThresh: number;
  /** Seconds a lost track is kept for re-identification (Ultralytics: track_buffer 30 frames at 30 fps = 1 s). */
  trackBufferS: number;
  /** First-association cost limit (default 0.8). */
  matchThresh: number;
  /** Second association (low-score detections vs unmatched tracked tracks): IoU-distance limit (default 0.5). */
  lowMatchThresh: number;
  /** Multiply IoU similarity by detection score in the first and third associations (default true). */
  fuseScore: boolean;
  /**
   * Buffered IoU (C-BIoU, Yang et al. 2023) scaled by the frame interval: association boxes (prediction and
   * detection) grow by iouBufferS / frameRate of their width/height on each side (capped at 0.5), so the same
   * walking speed keeps overlapping at 5 fps as at 25 fps. 0 = plain IoU (Ultralytics).
   */
  iouBufferS: number;
  /**
   * Frame rate at which the Kalman noise weights (Ultralytics') apply per step, default 30; at another frame rate
   * the per-step noise is scaled to the frame interval (see `kalmanWeightsFor`), so a 5 fps camera's tracks adapt
   * their velocity as fast in seconds as a 30 fps one's. 0 = Ultralytics' per-step weights at every rate.
   */
  kalmanReferenceFps: number;
  /**
   * Predict the box size with its Kalman velocity (vw, vh), as Ultralytics does (true). false = constant size in the
   * prediction (the size still follows the detections through the update): at a few frames per second a partly
   * occluded detection gives a large size velocity that shrinks or inflates the prediction until it no longer
   * overlaps the person's next detection.
   */
  sizeVelocity: boolean;
  /**
   * Velocity direction consistency (OC-SORT, Cao et al. 2023) in the first association: a pair's cost falls by up to
   * directionWeight / 2 when the direction from the track's last observation to the detection agrees with the
   * track's own direction of travel (over `directionDeltaS`) and rises by as much when it is opposite, so people
   * crossing each other keep their ids. Applied only when both displacements exceed 5% of the box height. 0 = off.
   */
  directionWeight: number;
  /** Time span, seconds, over which a track's direction of travel is measured (observations this far back). */
  directionDeltaS: number;
  /**
   * Observation-centric re-update (OC-SORT ORU): when a lost track is found again, its filter is rewound to the last
   * observation and re-run along a straight virtual path to the new one, so the velocity accumulated while coasting
   * (which drifts) is replaced by the one the two observations imply. false = plain Kalman update (Ultralytics).
   */
  reupdateOnRefind: boolean;
  /**
   * Lost-track recovery gate, in box heights: after the IoU associations, lost tracks whose predicted box no longer
   * overlaps may take a remaining high-score detection whose centre lies within `recoveryGate` x the track's height
   * of the prediction and whose height is within a factor 1.5 of the track's (Hungarian on the normalised distance).
   * 0 = off.
   */
  recoveryGate: number;
  /** Consecutive detections before a track is confirmed (default 3; Ultralytics behaves as 2). */
  minHits: number;
  /** Stream frame rate, frames per second (default 30). */
  frameRate: number;
}

export const DEFAULT_BOT_SORT_OPTIONS: Readonly<BotSortOptions> = Object.freeze({
  trackHighThresh: 0.25,
  trackLowThresh: 0.1,
  newTrackThresh: 0.25,
  activateThresh: 1,
  trackBufferS: 1,
  matchThresh: 0.8,
  lowMatchThresh: 0.5,
  fuseScore: true,
  iouBufferS: 0.5,
  kalmanReferenceFps: 30,
  sizeVelocity: false,
  directionWeight: 0,
  directionDeltaS: 0.4,
  reupdateOnRefind: false,
  recoveryGate: 0,
  minHits: 3,
  frameRate: 30,
});

/** Internal sizes and counters (all O(1) to read). */
export interface BotSortStats {
  /** `update` calls since construction or `reset`. */
  frames: number;
  /** Frame index of the last update (0 before the first). */
  frameIndex: number;
  /** Confirmed tracks in the tracked list. */
  tracked: number;
  /** Unconfirmed tracks in the tracked list. */
  tentative: number;
  /** Lost tracks retained for re-identification. */
  lost: number;
  /** Removed tracks retained: always 0, removed tracks are dropped immediately. */
  removed: number;
  /** Id the next confirmed track will get. */
  nextId: number;
  /** Tracks confirmed (minHits detections) so far: distinct people seen. */
  confirmedTotal: number;
  /** Tracks activated (ids issued) so far; >= confirmedTotal (activated on their first frame, never confirmed). */
  activatedTotal: number;
  /** Tracks dropped so far (tentative misses, expired lost tracks, duplicates). */
  removedTotal: number;
  /** Detections skipped as invalid (non-finite values, empty box). */
  invalidDetections: number;
  /** trackBufferS * frameRate, rounded, at least 1: frames a lost track is kept. */
  maxTimeLost: number;
}
