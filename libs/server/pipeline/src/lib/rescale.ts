// The one place where frame coordinates change frames: boxes from the decoded frame to the calibration's frame (the
// analyzer), polygons from the calibration's frame to the decoded frame (alert snapshots).
import type { BBox } from '@crowdsafe/contracts';

export interface FrameSize {
  width: number;
  height: number;
}

/** Per-axis factors that map `from` pixels to `to` pixels. */
export interface FrameScale {
  sx: number;
  sy: number;
}

export const IDENTITY_SCALE: FrameScale = { sx: 1, sy: 1 };

export function frameScale(from: FrameSize, to: FrameSize): FrameScale {
  return { sx: to.width / from.width, sy: to.height / from.height };
}

export function rescaleBox(b: BBox, s: FrameScale): BBox {
  return { x1: b.x1 * s.sx, y1: b.y1 * s.sy, x2: b.x2 * s.sx, y2: b.y2 * s.sy };
}

export function rescalePolygon(polygon: ReadonlyArray<readonly [number, number]>, s: FrameScale): Array<readonly [number, number]> {
  return polygon.map(([x, y]) => [x * s.sx, y * s.sy] as const);
}
