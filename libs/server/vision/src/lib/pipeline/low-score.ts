import type { Detection } from '@crowdsafe/contracts';

/**
 * Detector floor of scheduled detection (BYTE): the detector is asked for people down to this score; those below the
 * camera's confidence are given to the tracker's second (low-score) association only, to keep existing tracks of
 * small, far people alive on frames where the global pass sees them weakly. They never start a track, are never
 * counted as detections, and are not shown or stored; except the finds of a zoomed slice (acceptSliceFinds), which are
 * reported from SLICE_FIND_CONFIDENCE.
 */
export const LOW_SCORE_FLOOR = 0.25;

/** A frame's detections split at the camera's confidence. */
export interface SplitDetections {
  /** Score >= confidence: what the camera reports (tracks, overlays, size map, density). */
  detections: Detection[];
  /** Score < confidence: the tracker's second association only (ExaminedSlices.lowScore). */
  lowScore: Detection[];
}

/**
 * Splits a frame's detections at `confidence` (the camera's own threshold); `confidence` undefined = nothing is low.
 * Throws a RangeError naming `confidence` when it is not in [0, 1].
 */
export function splitByConfidence(detections: readonly Detection[], confidence: number | undefined): SplitDetections {
  if (confidence === undefined) return { detections: [...detections], lowScore: [] };
  if (!(confidence >= 0 && confidence <= 1)) throw new RangeError(`confidence must be in [0, 1], got ${confidence}`);
  const out: SplitDetections = { detections: [], lowScore: [] };
  for (const d of detections) (d.score >= confidence ? out.detections : out.lowScore).push(d);
  return out;
}

/**
 * The low-score detections as the tracker's second association sees them: scores capped just below
 * `trackHighThresh` (so that they never take part in the first association or start a track, whatever the camera's
 * confidence) and kept above `trackLowThresh` (below it the tracker ignores them). Pure.
 */
export function asSecondStage(lowScore: readonly Detection[], trackHighThresh: number, trackLowThresh: number): Detection[] {
  const cap = trackHighThresh - 1e-6;
  const out: Detection[] = [];
  for (const d of lowScore) {
    const score = Math.min(d.score, cap);
    if (score > trackLowThresh) out.push(score === d.score ? d : { ...d, score });
  }
  return out;
}

/** A rectangle of the frame (a slice run on this frame), source pixels. */
export interface SliceRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Slice finds count from a lower score: a low-score detection (of `split`) scoring >= `minScore` whose centre lies in
 * a slice run on this frame moves to the reported detections. A far person examined 1:1 by a slice is small for the
 * model and scores 0.25-0.5 (YOLO11n), where a near person of the global pass scoring that low is mostly a partial or
 * occluded one; so slice finds are accepted from the detector floor (SLICE_FIND_CONFIDENCE) while the global pass
 * keeps the camera's confidence. `minScore` undefined or no slices = `split` unchanged. Pure.
 */
export function acceptSliceFinds(split: SplitDetections, slices: readonly SliceRect[], minScore: number | undefined): SplitDetections {
  if (minScore === undefined || slices.length === 0 || split.lowScore.length === 0) return split;
  const out: SplitDetections = { detections: [...split.detections], lowScore: [] };
  for (const d of split.lowScore) {
    const x = (d.box.x1 + d.box.x2) / 2;
    const y = (d.box.y1 + d.box.y2) / 2;
    const inSlice = slices.some((s) => x >= s.x && x < s.x + s.width && y >= s.y && y < s.y + s.height);
    (d.score >= minScore && inSlice ? out.detections : out.lowScore).push(d);
  }
  return out;
}

/** Default score from which a slice find is reported (acceptSliceFinds): the detector floor. */
export const SLICE_FIND_CONFIDENCE = LOW_SCORE_FLOOR;
