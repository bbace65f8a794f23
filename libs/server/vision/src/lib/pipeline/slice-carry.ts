import type { BBox, Detection } from '@crowdsafe/contracts';
import type { TileRegion } from '../tiling/tile-plan';

/** Which slices a frame's detection examined (from DetectionScheduler.next()). */
export interface ExaminedSlices {
  /** Slices run on this frame, source pixels. */
  slices: readonly TileRegion[];
  /** Frames a slice-found person may be carried before its slice is re-examined (the achieved refresh period). */
  holdFrames: number;
}

interface Held {
  det: Detection;
  /** Frame index of the examination that found it. */
  frame: number;
}

/** People carried at once (bounds memory whatever the scene). */
const MAX_HELD = 2000;
/** A held detection overlapping a fresh one by more than this IoU is the same person, seen now: the fresh one wins. */
const SAME_PERSON_IOU = 0.3;

/**
 * Carries people found by a slice until their slice is examined again. With rotated slices a far person is seen only
 * on the frames that run their slice (once per refresh period); between two examinations their region is not
 * examined at the resolution that can see them, which is not evidence that they left. So each detection inside a slice
 * run on this frame is remembered with the frame it was seen on, and on later frames that do not examine its place it
 * is given to the tracker again (its last seen box), until:
 * - a slice covering it runs again (the fresh result replaces it: found again, moved, or gone), or
 * - holdFrames frames have passed (its slice should have been re-examined by then; the budget stretched the refresh).
 * The tracker therefore keeps (and confirms) these people as tracks and the count includes them: a confirmed track
 * whose region was not examined on this frame but that was matched at its last examination, within the refresh
 * period, counts. People the global pass sees on this frame are never carried twice (IoU > 0.3 with a fresh box).
 * Bounded (MAX_HELD). Pure.
 */
export class SliceCarry {
  private held: Held[] = [];
  private lastFrame: number | null = null;

  get size(): number {
    return this.held.length;
  }

  reset(): void {
    this.held = [];
    this.lastFrame = null;
  }

  /**
   * This frame's detections plus the carried ones. `carried` = how many were added (their indices are
   * detections.length .. detections.length + carried - 1 of the returned list).
   */
  apply(detections: readonly Detection[], frameIndex: number, examined: ExaminedSlices): { detections: Detection[]; carried: number } {
    if (this.lastFrame !== null && frameIndex <= this.lastFrame) this.held = [];
    this.lastFrame = frameIndex;
    const hold = Math.max(0, Math.floor(examined.holdFrames));
    // Forget what was re-examined now (the fresh result speaks for it) and what is older than the hold.
    this.held = this.held.filter((h) => frameIndex - h.frame < hold && !examined.slices.some((s) => centreIn(h.det.box, s)));
    const carried: Detection[] = [];
    for (const h of this.held) {
      if (detections.some((d) => iou(d.box, h.det.box) > SAME_PERSON_IOU)) continue;
      if (carried.some((d) => iou(d.box, h.det.box) > SAME_PERSON_IOU)) continue;
      carried.push(h.det);
    }
    // Remember what the slices of this frame found (global-pass boxes inside them included: the merged result).
    if (hold > 0) {
      for (const d of detections) {
        if (this.held.length >= MAX_HELD) break;
        if (examined.slices.some((s) => centreIn(d.box, s))) this.held.push({ det: d, frame: frameIndex });
      }
    }
    return { detections: carried.length ? [...detections, ...carried] : [...detections], carried: carried.length };
  }
}

function centreIn(b: BBox, r: TileRegion): boolean {
  const cx = (b.x1 + b.x2) / 2;
  const cy = (b.y1 + b.y2) / 2;
  return cx >= r.x && cx < r.x + r.width && cy >= r.y && cy < r.y + r.height;
}

function iou(a: BBox, b: BBox): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}
