import type { BBox } from '@crowdsafe/contracts';

/** A point normalised to the frame: x = 0 at the left edge, 1 at the right; y = 0 at the top, 1 at the bottom. */
export type NormalizedPoint = readonly [x: number, y: number];

/**
 * Region of interest: a simple polygon (3+ vertices, implicitly closed) in normalised frame coordinates, so that it
 * stays valid whatever resolution the camera is decoded at.
 */
export type RoiPolygon = readonly NormalizedPoint[];

export interface FrameSize {
  width: number;
  height: number;
}

/** Bottom-centre of a box (where the person stands), clamped to the frame. Source pixels. */
export function footPoint(box: BBox, frame: FrameSize): { x: number; y: number } {
  return {
    x: clamp((box.x1 + box.x2) / 2, 0, frame.width),
    y: clamp(box.y2, 0, frame.height),
  };
}

/** Even-odd (ray casting) point-in-polygon test; points on an edge are inside (a foot clamped to the frame's bottom
 * edge is in an ROI that reaches down to y = 1). */
export function pointInPolygon(x: number, y: number, polygon: RoiPolygon): boolean {
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) if (onSegment(x, y, polygon[j], polygon[i])) return true;
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i];
    const [xj, yj] = polygon[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** True when the box's foot point lies in the ROI (always true without one). */
export function footInRoi(box: BBox, frame: FrameSize, roi: RoiPolygon | null | undefined): boolean {
  if (!roi) return true;
  const p = footPoint(box, frame);
  return pointInPolygon(p.x / frame.width, p.y / frame.height, roi);
}

function onSegment(x: number, y: number, [ax, ay]: NormalizedPoint, [bx, by]: NormalizedPoint): boolean {
  const eps = 1e-9;
  const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
  if (Math.abs(cross) > eps) return false;
  return x >= Math.min(ax, bx) - eps && x <= Math.max(ax, bx) + eps && y >= Math.min(ay, by) - eps && y <= Math.max(ay, by) + eps;
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}
