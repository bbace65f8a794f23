/** A head position in the pixels of the image the map was computed from. */
export interface HeadPoint {
  x: number;
  y: number;
}

export interface LmdsOptions {
  /** Keep maxima >= relThreshold x map max (FIDTM: 100/255). */
  relThreshold?: number;
  /** A map whose max is below this has no heads (FIDTM: 0.1). */
  minMax?: number;
  /** Map-to-input pixel factor (fidt_light_B: the map is half the input size, so 2). */
  scale?: number;
}

export interface LmdsResult {
  count: number;
  /** Head positions in input pixels (map cell x scale), row-major order. */
  points: HeadPoint[];
  /** The map's maximum (diagnostic: near 0 on an empty scene). */
  max: number;
}

/**
 * LMDS decoding of a FIDT map (Liang et al. 2021, as in the FIDTM reference and the model's source repo):
 * a cell is a head when it equals the max of its 3x3 neighbourhood (torch max_pool2d(3, 1, 1) == map, so plateau
 * cells all count) and is >= relThreshold x the map max; no heads at all when the map max < minMax.
 */
export function lmdsDecode(map: Float32Array, width: number, height: number, opts: LmdsOptions = {}): LmdsResult {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || map.length < width * height) {
    throw new RangeError(`map of ${map.length} values cannot be ${width}x${height}`);
  }
  const rel = opts.relThreshold ?? 100 / 255;
  const minMax = opts.minMax ?? 0.1;
  const scale = opts.scale ?? 2;
  let max = -Infinity;
  for (let i = 0; i < width * height; i++) if (map[i] > max) max = map[i];
  if (!(max >= minMax)) return { count: 0, points: [], max: Number.isFinite(max) ? max : 0 };
  const thr = rel * max;
  const points: HeadPoint[] = [];
  for (let y = 0; y < height; y++) {
    const y0 = y > 0 ? y - 1 : 0;
    const y1 = y < height - 1 ? y + 1 : y;
    for (let x = 0; x < width; x++) {
      const v = map[y * width + x];
      if (v < thr) continue;
      const x0 = x > 0 ? x - 1 : 0;
      const x1 = x < width - 1 ? x + 1 : x;
      let isMax = true;
      for (let yy = y0; yy <= y1 && isMax; yy++) {
        const row = yy * width;
        for (let xx = x0; xx <= x1; xx++) {
          if (map[row + xx] > v) {
            isMax = false;
            break;
          }
        }
      }
      if (isMax) points.push({ x: x * scale, y: y * scale });
    }
  }
  return { count: points.length, points, max };
}
