// The overlay drawn on live frames: the latest processed frame's boxes and tracks, moved to the picture's time.
import type { BBox, Detection, TrackedPerson } from '@crowdsafe/contracts';

/** What the latest processed frame contributes to the live view (source-frame pixels). */
export interface ProcessedOverlay {
  seq: number;
  capturedAt: number;
  width: number;
  height: number;
  detections: Detection[];
  tracks: TrackedPerson[];
  count: number;
}

/**
 * The overlay drawn on a live frame: the latest processed frame's boxes and tracks while they are at most maxAgeMs
 * older than the live frame and of the same size (else none: boxes from a stalled detector or an old stream would
 * mislead), its count (or `fallbackCount` before the first processed frame) and its capture time (absent: none yet).
 */
export function liveOverlayOf(
  o: ProcessedOverlay | null,
  frame: { capturedAt: number; width: number; height: number },
  maxAgeMs: number,
  fallbackCount: number,
  trackerFps = 0,
): { detections: Detection[]; tracks: TrackedPerson[]; count: number; capturedAt?: number } {
  if (!o) return { detections: [], tracks: [], count: fallbackCount };
  const ageMs = frame.capturedAt - o.capturedAt;
  const fresh = ageMs <= maxAgeMs && o.width === frame.width && o.height === frame.height;
  if (!fresh) return { detections: [], tracks: [], count: o.count, capturedAt: o.capturedAt };
  if (ageMs <= 0 || trackerFps <= 0 || o.tracks.length === 0) return { detections: o.detections, tracks: o.tracks, count: o.count, capturedAt: o.capturedAt };
  // The picture is newer than the overlay: move each confirmed track along its Kalman velocity (pixels per tracker
  // frame) to the picture's time, so boxes stay on walking people, and draw those instead of the raw detections.
  const steps = (ageMs / 1000) * trackerFps;
  const tracks = o.tracks.map((t) => ({ ...t, box: shiftBox(t.box, t.velocity.vx * steps, t.velocity.vy * steps, frame.width, frame.height) }));
  const detections = tracks.map((t) => ({ box: t.box, score: t.score, classId: 0 }));
  return { detections, tracks, count: o.count, capturedAt: o.capturedAt };
}

function shiftBox(b: BBox, dx: number, dy: number, width: number, height: number): BBox {
  const cx = Math.min(Math.max(dx, -b.x1), width - b.x2);
  const cy = Math.min(Math.max(dy, -b.y1), height - b.y2);
  return { x1: b.x1 + cx, y1: b.y1 + cy, x2: b.x2 + cx, y2: b.y2 + cy };
}
