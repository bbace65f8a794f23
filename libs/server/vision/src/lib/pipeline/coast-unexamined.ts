import type { Track } from '../tracking/types';
import type { ExaminedSlices } from './slice-carry';

/**
 * Confirmed lost tracks that coast on this frame because their region was not examined by the pass that can see them:
 * with slice scheduling, a person who is only visible at a slice's resolution is examined once per refresh period; on
 * the frames between, not being detected is no evidence that they left. A lost track coasts (is output at its
 * Kalman-predicted box and counted) when all hold:
 * - it is confirmed and was last matched at most `examined.holdFrames` frames ago (the achieved refresh period + 1);
 * - its predicted centre lies in the frame and inside a planned slice (`examined.planned`);
 * - no slice run on this frame contains that centre (examined now and not found = not coasted);
 * - no track matched on this frame (`matched`) covers more than DUPLICATE_OVERLAP of its predicted box.
 * Pure; returns the coasting tracks in the order given.
 */
export function coastingTracks(lost: readonly Track[], examined: ExaminedSlices | undefined, frame: { width: number; height: number }, matched: readonly Track[] = []): Track[] {
  const planned = examined?.planned;
  if (!examined || !planned || planned.length === 0 || examined.holdFrames <= 0) return [];
  return lost.filter((t) => {
    if (!t.confirmed || t.timeSinceUpdate > examined.holdFrames) return false;
    const x = (t.box.x1 + t.box.x2) / 2;
    const y = (t.box.y1 + t.box.y2) / 2;
    if (!(x >= 0 && x <= frame.width && y >= 0 && y <= frame.height)) return false;
    if (!planned.some((s) => contains(s, x, y)) || examined.slices.some((s) => contains(s, x, y))) return false;
    // A matched track over the predicted box is (most likely) the same person under a new id: not coasted twice.
    return !matched.some((m) => overlap(m.box, t.box) > DUPLICATE_OVERLAP);
  });
}

/** Share of a coasting box covered by a matched one above which they are taken for the same person. */
const DUPLICATE_OVERLAP = 0.3;

/** Intersection over the area of `b` (how much of the coasting box `b` the matched box `a` covers). */
function overlap(a: Track['box'], b: Track['box']): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  const area = (b.x2 - b.x1) * (b.y2 - b.y1);
  return iw <= 0 || ih <= 0 || area <= 0 ? 0 : (iw * ih) / area;
}

function contains(s: { x: number; y: number; width: number; height: number }, x: number, y: number): boolean {
  return x >= s.x && x < s.x + s.width && y >= s.y && y < s.y + s.height;
}
