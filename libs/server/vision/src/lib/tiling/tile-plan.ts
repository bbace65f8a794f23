/** A rectangle of the source frame that runs through the model as one input (source-frame pixels, integers). */
export interface TileRegion {
  x: number;
  y: number;
  width: number;
  height: number;
  /** 'global' = the whole frame downscaled into the model input; 'tile' = a slice at (about) native resolution. */
  kind: 'global' | 'tile';
}

export interface TilePlanOptions {
  /** Slice width/height in source pixels; normally the model input size (640), so a slice runs at 1:1 scale. */
  tileWidth: number;
  tileHeight: number;
  /** Overlap between neighbouring slices as a fraction of the slice size, 0 <= overlap < 1 (default 0.2). */
  overlap?: number;
  /** Add the whole frame as one extra pass (catches people larger than a slice). Default true. */
  includeGlobal?: boolean;
}

export const DEFAULT_TILE_OVERLAP = 0.2;

function assertDim(name: string, v: number): void {
  if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer, got ${v}`);
}

/**
 * Start offsets of slices of `size` covering [0, length) with at least `overlap` x size overlap: the fewest slices
 * that satisfy the overlap, spread evenly, first at 0 and last flush with the far edge (no slice hangs outside
 * the frame, so no slice is padded). One slice at 0 when the frame is not larger than a slice.
 */
export function sliceStarts(length: number, size: number, overlap: number): number[] {
  assertDim('length', length);
  assertDim('size', size);
  if (!(overlap >= 0 && overlap < 1)) throw new RangeError(`overlap must be within [0, 1), got ${overlap}`);
  if (length <= size) return [0];
  const step = Math.max(1, Math.floor(size * (1 - overlap)));
  const n = Math.ceil((length - size) / step) + 1;
  const span = length - size;
  const starts: number[] = [];
  for (let i = 0; i < n; i++) starts.push(Math.round((i * span) / (n - 1)));
  return starts;
}

/**
 * SAHI-style slicing plan for one frame: the global pass first (when included), then slices row by row.
 * A frame no larger than one slice gets no slices at all (slicing would only repeat the global pass); with
 * `includeGlobal: false` it gets the one whole-frame region as a tile.
 */
export function planTiles(frameWidth: number, frameHeight: number, opts: TilePlanOptions): TileRegion[] {
  assertDim('frameWidth', frameWidth);
  assertDim('frameHeight', frameHeight);
  assertDim('tileWidth', opts.tileWidth);
  assertDim('tileHeight', opts.tileHeight);
  const overlap = opts.overlap ?? DEFAULT_TILE_OVERLAP;
  const includeGlobal = opts.includeGlobal ?? true;
  const plan: TileRegion[] = [];
  if (includeGlobal) plan.push({ x: 0, y: 0, width: frameWidth, height: frameHeight, kind: 'global' });
  const w = Math.min(opts.tileWidth, frameWidth);
  const h = Math.min(opts.tileHeight, frameHeight);
  const xs = sliceStarts(frameWidth, w, overlap);
  const ys = sliceStarts(frameHeight, h, overlap);
  if (includeGlobal && xs.length === 1 && ys.length === 1) return plan;
  for (const y of ys) for (const x of xs) plan.push({ x, y, width: w, height: h, kind: 'tile' });
  return plan;
}

/** Copy a region out of a packed RGB24 frame (row copies; no resampling). */
export function cropRgb(data: Uint8Array, frameWidth: number, frameHeight: number, r: TileRegion): Uint8Array {
  if (r.x < 0 || r.y < 0 || r.x + r.width > frameWidth || r.y + r.height > frameHeight) {
    throw new RangeError(`region ${r.width}x${r.height}+${r.x}+${r.y} is outside the ${frameWidth}x${frameHeight} frame`);
  }
  if (r.x === 0 && r.y === 0 && r.width === frameWidth && r.height === frameHeight) return data;
  const out = new Uint8Array(r.width * r.height * 3);
  const rowBytes = r.width * 3;
  for (let j = 0; j < r.height; j++) {
    const src = ((r.y + j) * frameWidth + r.x) * 3;
    out.set(data.subarray(src, src + rowBytes), j * rowBytes);
  }
  return out;
}
