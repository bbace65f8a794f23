import type { BBox, Detection } from '@crowdsafe/contracts';
import type { TileRegion } from '../tiling/tile-plan';

/** Which slices a frame's detection examined (from DetectionScheduler.next()). */
export interface ExaminedSlices {
  /** Slices run on this frame, source pixels. */
  slices: readonly TileRegion[];
  /** Frames a slice-found person may be carried before its slice is re-examined (the achieved refresh period). */
  holdFrames: number;
  /**
   * Every slice of the current plan (DetectionScheduler's `planned`): a confirmed track lost inside a planned slice
   * that was not run on this frame coasts (PeopleCounter `coastUnexamined`). Absent = no coasting.
   */
  planned?: readonly TileRegion[];
  /**
   * This frame's detections below the camera's confidence (down to LOW_SCORE_FLOOR; splitByConfidence): given to the
   * tracker's second, low-score association only (BYTE). Absent = none.
   */
  lowScore?: readonly Detection[];
}

interface Held {
  det: Detection;
  /** Frame index of the last sighting (slice or global pass). */
  frame: number;
  /** Velocity of the box centre, pixels per frame, from the last two sightings (0 after the first). */
  vx: number;
  vy: number;
  /** Examinations of its place since the last sighting that did not find it. */
  misses: number;
  /** Where the person is held on frame `atFrame` (the last sighting, or the last carried place). */
  box: BBox;
  atFrame: number;
}

/**
 * Measured motion of a box's content from the previous processed frame to this one (source pixels; `guess` = the
 * velocity's prediction), null when it cannot be measured (see patchShift).
 */
export type CarryMotion = (box: BBox, guess: { dx: number; dy: number }) => { dx: number; dy: number } | null;

/** People carried at once (bounds memory whatever the scene). */
const MAX_HELD = 2000;
/** A fresh box overlapping a held one's predicted box by more than this IoU is the same person, seen now. */
const SAME_PERSON_IOU = 0.3;
/** ...or one whose centre is within this fraction of the held box's height of the predicted centre, at a similar size. */
const SAME_PERSON_DIST = 0.6;

/**
 * Carries people found by a slice until their slice is examined again. With rotated slices a far person is seen only
 * on the frames that run their slice; between two examinations their region is not examined at the resolution that
 * can see them, which is not evidence that they left. So each detection inside a slice run on this frame is
 * remembered, and on later frames that do not see it again it is given to the tracker at its predicted place (the
 * last box moved at the velocity measured between its last two sightings), until:
 * - a slice covering its predicted place runs again and does not find it (gone), or
 * - holdFrames frames have passed since it was last seen (the budget stretched the refresh beyond the hold).
 * A remembered person seen again (by a slice or by the global pass: IoU > 0.3 with the prediction, or centre within
 * 0.6 x its height at a similar size) is updated with the fresh box and its velocity, and not carried on that frame.
 * The tracker therefore keeps (and confirms) these people as tracks and the count includes them: a confirmed track
 * whose region was not examined on this frame but that was matched at its last examination, within the refresh
 * period, counts. Bounded (MAX_HELD). Pure.
 */
export class SliceCarry {
  private held: Held[] = [];
  private lastFrame: number | null = null;
  /** Velocity updates of held entries whose motion was measured on this frame (by index in `held`). */
  private measured: ({ vx: number; vy: number } | undefined)[] = [];

  /** @param maxMisses examinations of a carried person's place that find nobody before they are dropped (default 2). */
  constructor(private readonly maxMisses = 2) {
    if (!Number.isInteger(maxMisses) || maxMisses < 1) throw new RangeError(`maxMisses must be a positive integer, got ${maxMisses}`);
  }

  get size(): number {
    return this.held.length;
  }

  /**
   * A held person's place on `frameIndex`: with `motion` and a place on the previous processed frame, that place
   * moved by the measured motion of its content (the velocity's prediction when it cannot be measured); otherwise the
   * last sighting moved at the velocity.
   */
  private predict(h: Held, i: number, frameIndex: number, prevFrame: number | null, motion: CarryMotion | undefined): BBox {
    if (motion && prevFrame !== null && h.atFrame === prevFrame) {
      const dt = frameIndex - prevFrame;
      const guess = { dx: h.vx * dt, dy: h.vy * dt };
      const m = motion(h.box, guess);
      if (m) {
        this.measured[i] = { vx: (1 - MEASURED_WEIGHT) * h.vx + (MEASURED_WEIGHT * m.dx) / dt, vy: (1 - MEASURED_WEIGHT) * h.vy + (MEASURED_WEIGHT * m.dy) / dt };
        return moved(h.box, m.dx, m.dy);
      }
      return moved(h.box, guess.dx, guess.dy);
    }
    return moved(h.det.box, h.vx * (frameIndex - h.frame), h.vy * (frameIndex - h.frame));
  }

  reset(): void {
    this.measured = [];
    this.held = [];
    this.lastFrame = null;
  }

  /**
   * This frame's detections plus the carried ones. `carried` = how many were added (their indices are
   * detections.length .. detections.length + carried - 1 of the returned list).
   */
  apply(
    detections: readonly Detection[],
    frameIndex: number,
    examined: ExaminedSlices,
    frame?: { width: number; height: number },
    motion?: CarryMotion,
  ): { detections: Detection[]; carried: number } {
    if (this.lastFrame !== null && frameIndex <= this.lastFrame) this.held = [];
    const prevFrame = this.lastFrame;
    this.lastFrame = frameIndex;
    const hold = Math.max(0, Math.floor(examined.holdFrames));
    this.measured = [];
    const predicted = this.held.map((h, i) => this.predict(h, i, frameIndex, prevFrame, motion));

    // Fresh sightings of remembered people (greedy, closest first).
    const pairs: [number, number, number][] = [];
    for (let i = 0; i < this.held.length; i++) {
      for (let j = 0; j < detections.length; j++) {
        const d = samePerson(predicted[i], detections[j].box);
        if (d !== null) pairs.push([d, i, j]);
      }
    }
    pairs.sort((a, b) => a[0] - b[0]);
    const heldSeen = new Set<number>();
    const freshUsed = new Set<number>();
    const next: Held[] = [];
    for (const [, i, j] of pairs) {
      if (heldSeen.has(i) || freshUsed.has(j)) continue;
      heldSeen.add(i);
      freshUsed.add(j);
      const h = this.held[i];
      const dt = frameIndex - h.frame;
      const b = detections[j].box;
      next.push({ det: detections[j], frame: frameIndex, vx: (cx(b) - cx(h.det.box)) / dt, vy: (cy(b) - cy(h.det.box)) / dt, misses: 0, box: b, atFrame: frameIndex });
    }
    // The others are carried unless their place was examined now (not found: gone) or they are too old.
    const carried: Detection[] = [];
    this.held.forEach((h, i) => {
      if (heldSeen.has(i)) return;
      if (frameIndex - h.frame >= hold) return;
      // Predicted out of the picture: they walked out, nothing to carry.
      if (frame && !centreIn(predicted[i], { x: 0, y: 0, width: frame.width, height: frame.height })) return;
      // Examined and not found: one miss is forgiven (a detector score flickering around the threshold), two are not.
      const missed = examined.slices.some((s) => centreIn(predicted[i], s)) ? h.misses + 1 : h.misses;
      if (missed >= this.maxMisses) return;
      if (detections.some((d) => iou(d.box, predicted[i]) > SAME_PERSON_IOU)) return;
      if (carried.some((d) => iou(d.box, predicted[i]) > SAME_PERSON_IOU)) return;
      next.push({ ...h, misses: missed, box: predicted[i], atFrame: frameIndex, ...this.measured[i] });
      carried.push({ ...h.det, box: predicted[i] });
    });
    // New people found by this frame's slices.
    if (hold > 0) {
      detections.forEach((d, j) => {
        if (freshUsed.has(j) || next.length >= MAX_HELD) return;
        if (examined.slices.some((s) => centreIn(d.box, s))) next.push({ det: d, frame: frameIndex, vx: 0, vy: 0, misses: 0, box: d.box, atFrame: frameIndex });
      });
    }
    this.held = next;
    this.measured = [];
    return { detections: carried.length ? [...detections, ...carried] : [...detections], carried: carried.length };
  }
}

/** Weight of a measured per-frame motion in a carried person's velocity (exponential smoothing). */
const MEASURED_WEIGHT = 0.5;

const cx = (b: BBox) => (b.x1 + b.x2) / 2;
const cy = (b: BBox) => (b.y1 + b.y2) / 2;

function moved(b: BBox, dx: number, dy: number): BBox {
  return dx === 0 && dy === 0 ? b : { x1: b.x1 + dx, y1: b.y1 + dy, x2: b.x2 + dx, y2: b.y2 + dy };
}

/** Distance-like key when `fresh` is the same person as the held box `held` (lower = closer), else null. */
function samePerson(held: BBox, fresh: BBox): number | null {
  const o = iou(held, fresh);
  const hh = held.y2 - held.y1;
  const fh = fresh.y2 - fresh.y1;
  const dist = Math.hypot(cx(held) - cx(fresh), cy(held) - cy(fresh));
  if (o > SAME_PERSON_IOU) return dist / Math.max(1, hh) - 1; // overlapping boxes first
  if (hh > 0 && fh / hh > 0.67 && fh / hh < 1.5 && dist < SAME_PERSON_DIST * hh) return dist / hh;
  return null;
}

function centreIn(b: BBox, r: Pick<TileRegion, 'x' | 'y' | 'width' | 'height'>): boolean {
  return cx(b) >= r.x && cx(b) < r.x + r.width && cy(b) >= r.y && cy(b) < r.y + r.height;
}

function iou(a: BBox, b: BBox): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}
