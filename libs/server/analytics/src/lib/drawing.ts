import { applyHomography } from './homography';
import type { Calibration, GroundGridSnapshot, Vec2 } from './types';

export interface FlowArrow {
  /** Arrow tail and head in image px (tail at the cell centre). */
  from: Vec2;
  to: Vec2;
  /** Ground speed of the local mean velocity, m/s, and the local density, people/m². */
  speedMps: number;
  density: number;
}

export interface FlowArrowOptions {
  /** Skip cells with a local density below this, people/m² (default 0.2). */
  minDensity?: number;
  /** Skip cells slower than this, m/s (default 0.2). */
  minSpeedMps?: number;
  /** Arrow length = distance covered in this many seconds (default 1). */
  seconds?: number;
  /** Use every stride-th cell on each axis (default 2). */
  stride?: number;
}

/** Flow vectors of a frame's ground grid as arrows in image px (for drawing over the video). */
export function flowArrowsInImage(grid: GroundGridSnapshot, cal: Calibration, opts: FlowArrowOptions = {}): FlowArrow[] {
  const h = cal.groundToImage;
  if (!h) return [];
  const minDensity = opts.minDensity ?? 0.2;
  const minSpeed = opts.minSpeedMps ?? 0.2;
  const seconds = opts.seconds ?? 1;
  const stride = Math.max(1, Math.floor(opts.stride ?? 2));
  const out: FlowArrow[] = [];
  for (let j = 0; j < grid.rows; j += stride) {
    for (let i = 0; i < grid.cols; i += stride) {
      const c = j * grid.cols + i;
      const density = grid.density[c];
      const speed = Math.hypot(grid.vx[c], grid.vy[c]);
      if (!(density >= minDensity) || !(speed >= minSpeed)) continue;
      const cx = grid.originX + (i + 0.5) * grid.cell;
      const cy = grid.originY + (j + 0.5) * grid.cell;
      const from = applyHomography(h, cx, cy);
      const to = applyHomography(h, cx + grid.vx[c] * seconds, cy + grid.vy[c] * seconds);
      if (from && to) out.push({ from, to, speedMps: speed, density });
    }
  }
  return out;
}
