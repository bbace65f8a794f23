import type { BBox } from '@crowdsafe/contracts';

/** `tentative`: fewer than `minHits` consecutive detections; `tracked`: matched this frame; `lost`: not matched. */
export type TrackState = 'tentative' | 'tracked' | 'lost';

/** One track as reported for one frame. */
export interface Track {
  /**
   * Confirmed tracks: 1, 2, 3, ... in order of confirmation, per tracker instance, never reused.
   * Tentative tracks: a provisional negative id (-1, -2, ...), stable while tentative, replaced by the next
   * positive id when the track is confirmed.
   */
  id: number;
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
  /** Confirmed tracks matched in this frame (what Ultralytics returns), ascending id. */
  tracks: Track[];
  /** Unconfirmed tracks matched or created in this frame, most recent provisional id last. */
  tentative: Track[];
  /** Confirmed tracks kept alive without a match (up to `maxTimeLost` frames), ascending id. */
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
  /** Frames a lost track is kept at 30 fps (default 30); scaled by frameRate / 30. */
  trackBuffer: number;
  /** First-association cost limit (default 0.8). */
  matchThresh: number;
  /** Multiply IoU similarity by detection score in the first and third associations (default true). */
  fuseScore: boolean;
  /** Consecutive detections before a track is confirmed and gets an id (default 3; Ultralytics behaves as 2). */
  minHits: number;
  /** Stream frame rate, frames per second (default 30). */
  frameRate: number;
}

export const DEFAULT_BOT_SORT_OPTIONS: Readonly<BotSortOptions> = Object.freeze({
  trackHighThresh: 0.25,
  trackLowThresh: 0.1,
  newTrackThresh: 0.25,
  trackBuffer: 30,
  matchThresh: 0.8,
  fuseScore: true,
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
  /** Tracks confirmed so far. */
  confirmedTotal: number;
  /** Tracks dropped so far (tentative misses, expired lost tracks, duplicates). */
  removedTotal: number;
  /** Detections skipped as invalid (non-finite values, empty box). */
  invalidDetections: number;
  /** trackBuffer * frameRate / 30, truncated. */
  maxTimeLost: number;
}
