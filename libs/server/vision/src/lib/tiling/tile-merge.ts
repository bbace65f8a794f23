import type { BBox, Detection } from '@crowdsafe/contracts';
import type { TileRegion } from './tile-plan';

/** Detections of one pass (global or slice), already shifted to source-frame pixels. */
export interface PassDetections {
  region: TileRegion;
  detections: readonly Detection[];
}

export interface TileMergeOptions {
  frameWidth: number;
  frameHeight: number;
  /** Plain NMS IoU threshold between any two boxes of a class (default 0.5). */
  iou?: number;
  /**
   * Intersection-over-smaller-area threshold, applied only when one of the two boxes is cut by an inner slice
   * edge (default 0.6): the partial box of a person cut by a slice edge lies mostly inside the whole box from the
   * neighbouring slice or the global pass, so IoU is low but IoS is high.
   */
  ios?: number;
  /** A box edge within this many pixels of an inner slice edge marks the box as cut (default 2). */
  edgeMargin?: number;
  /** Ordering weight of cut boxes, so that a whole box wins over a partial one (default 0.5). */
  cutPenalty?: number;
  maxDetections: number;
}

/** Intersection over the smaller box's area; 0 when either is empty. */
export function ios(a: BBox, b: BBox): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const small = Math.min((a.x2 - a.x1) * (a.y2 - a.y1), (b.x2 - b.x1) * (b.y2 - b.y1));
  return small > 0 ? (iw * ih) / small : 0;
}

/** Whether a box (source pixels) touches an edge of its slice that lies inside the frame (not a frame edge). */
export function isCutByTile(box: BBox, region: TileRegion, frameWidth: number, frameHeight: number, margin = 2): boolean {
  if (region.kind === 'global') return false;
  const right = region.x + region.width;
  const bottom = region.y + region.height;
  return (
    (region.x > 0 && box.x1 <= region.x + margin) ||
    (region.y > 0 && box.y1 <= region.y + margin) ||
    (right < frameWidth && box.x2 >= right - margin) ||
    (bottom < frameHeight && box.y2 >= bottom - margin)
  );
}

/**
 * Merge the detections of all passes of one frame into one list (class-aware greedy NMS):
 * candidates are visited by score (cut boxes weighted down by `cutPenalty`); a candidate is dropped when a kept box
 * of the same class overlaps it with IoU > `iou`, or, when either box is cut by an inner slice edge, with
 * IoS > `ios`. IoS is restricted to cut boxes on purpose: in a dense crowd the small box of a person standing behind
 * can lie mostly inside the box of the person in front, and an unconditional IoS rule would merge those two people.
 * The kept box is the original one (no box fusion), so scores and boxes stay those the model produced.
 * Returns the kept detections, highest score first, at most `maxDetections`.
 */
export function mergeTileDetections(passes: readonly PassDetections[], opts: TileMergeOptions): Detection[] {
  const iouThr = opts.iou ?? 0.5;
  const iosThr = opts.ios ?? 0.6;
  const margin = opts.edgeMargin ?? 2;
  const penalty = opts.cutPenalty ?? 0.5;
  const cands: { d: Detection; cut: boolean; key: number; area: number }[] = [];
  for (const p of passes) {
    for (const d of p.detections) {
      const cut = isCutByTile(d.box, p.region, opts.frameWidth, opts.frameHeight, margin);
      const area = Math.max(0, d.box.x2 - d.box.x1) * Math.max(0, d.box.y2 - d.box.y1);
      if (area > 0) cands.push({ d, cut, key: cut ? d.score * penalty : d.score, area });
    }
  }
  // Stable on ties (input order) so results are deterministic.
  const order = cands.map((_, i) => i).sort((a, b) => cands[b].key - cands[a].key || a - b);
  const kept: typeof cands = [];
  for (const i of order) {
    if (kept.length >= opts.maxDetections) break;
    const c = cands[i];
    const { x1, y1, x2, y2 } = c.d.box;
    let suppressed = false;
    for (const k of kept) {
      if (k.d.classId !== c.d.classId) continue;
      const iw = Math.min(x2, k.d.box.x2) - Math.max(x1, k.d.box.x1);
      if (iw <= 0) continue;
      const ih = Math.min(y2, k.d.box.y2) - Math.max(y1, k.d.box.y1);
      if (ih <= 0) continue;
      const inter = iw * ih;
      if (inter / (c.area + k.area - inter) > iouThr || ((c.cut || k.cut) && inter / Math.min(c.area, k.area) > iosThr)) {
        suppressed = true;
        break;
      }
    }
    if (!suppressed) kept.push(c);
  }
  return kept.map((k) => k.d).sort((a, b) => b.score - a.score);
}

export interface AutoTilingThresholds {
  /** Tile when the untiled pass finds at least this many people (default 15). */
  minCount?: number;
  /** Tile when the median person box height is below this fraction of the frame height (default 0.1)... */
  smallHeightRatio?: number;
  /** ...and at least this many people were found, so one far passer-by does not trigger it (default 3). */
  minCountForSmall?: number;
}

/**
 * 'auto' tiling rule, evaluated on the untiled (global) pass: tile when it found many people (>= 15: a crowd in
 * which the downscaled pass starts missing small or occluded people) or when the people it found are small
 * (median box height < 10 % of the frame height, with at least 3 of them; at 640 input from a 1280x720 frame such
 * a person is < 36 input pixels tall, where YOLO11n recall drops). An empty frame is not tiled.
 */
export function shouldTile(detections: readonly Detection[], frameHeight: number, t: AutoTilingThresholds = {}): boolean {
  const minCount = t.minCount ?? 15;
  const smallRatio = t.smallHeightRatio ?? 0.1;
  const minSmall = t.minCountForSmall ?? 3;
  const n = detections.length;
  if (n >= minCount) return true;
  if (n < minSmall) return false;
  return medianBoxHeight(detections) < smallRatio * frameHeight;
}

export function medianBoxHeight(detections: readonly Detection[]): number {
  if (detections.length === 0) return 0;
  const h = detections.map((d) => d.box.y2 - d.box.y1).sort((a, b) => a - b);
  const m = h.length >> 1;
  return h.length % 2 ? h[m] : (h[m - 1] + h[m]) / 2;
}

/** Shift a box from slice pixels to source-frame pixels. */
export function shiftBox(box: BBox, region: TileRegion): BBox {
  return { x1: box.x1 + region.x, y1: box.y1 + region.y, x2: box.x2 + region.x, y2: box.y2 + region.y };
}
