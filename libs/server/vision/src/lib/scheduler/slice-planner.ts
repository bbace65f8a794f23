import { DEFAULT_TILE_OVERLAP, planTiles, sliceStarts, type TileRegion } from '../tiling/tile-plan';
import type { PersonSizeMap } from './person-size-map';

export interface SlicePlannerOptions {
  /** Model input side in pixels (640 for the bundled YOLO11n). */
  inputSize: number;
  /**
   * People whose expected height in the global pass (frame letterboxed into the input) is at least this many input
   * pixels are left to the global pass: their rows are never sliced (default 64: on the crowded hall sample YOLO11n's
   * global pass still misses a large share of people 35-60 input pixels tall that 1:1 slices find).
   */
  globalMinPx?: number;
  /** Slices are sized so that the smallest expected person in them is about this many input pixels tall (default 64). */
  targetPx?: number;
  /**
   * Smallest slice side, source pixels (default inputSize: slices run 1:1, as the tiled reference's tiles; on the hall
   * at 2.5 passes per frame, 1:1 slices gave a higher tracked recall than smaller upscaled or larger downscaled ones,
   * because fewer slices are refreshed more often).
   */
  minSlice?: number;
  /** Largest slice side, source pixels (default inputSize). */
  maxSlice?: number;
  /** Overlap between neighbouring slice rows, fraction of the slice side (default 0.2, as SAHI). */
  overlap?: number;
  /**
   * Least overlap between neighbouring slices of a row, fraction of the slice side (default 0: the fewest slices that
   * cover the width, spread evenly, so any overlap is what the width leaves; 1280 px = two 640 px slices). Issue 13,
   * replayed on the hall with measured carry motion (2.46 passes/frame): 0.2 (three 640 px slices on 1280, as SAHI)
   * gave tracked recall 0.919, 0 gave 0.924; on the hall upscaled to 1920x1080, 0.865 (4 x 2 slices) and 0.887
   * (3 x 2): fewer slices are re-examined more often, and a person cut by an inner edge is still carried, tracked and
   * seen by the global pass.
   */
  columnOverlap?: number;
}

/** What the planner decided and why (reported in the camera's health). */
export interface SlicePlan {
  slices: TileRegion[];
  /** 'map': slices from the person-size map; 'fallback': the map is not learnt, the whole frame is sliced. */
  mode: 'map' | 'fallback';
  /** Rows [from, to) of the frame whose people are too small for the global pass (empty when none). */
  smallRows: { from: number; to: number } | null;
}

/** How many rows are sampled down the frame to find where people get too small (bounded work per plan). */
const ROW_SAMPLES = 48;

/**
 * Plans the slices of a camera from its person-size map:
 * - a row needs slicing when the expected person height there, times the global pass's scale, is below
 *   `globalMinPx` (regions where people are large enough for the global pass are never sliced);
 * - slice rows are laid top-down over the rows that need it, each row's slice side chosen so that the smallest
 *   expected person in it reaches `targetPx` input pixels (far rows get small slices, upscaled; nearer rows larger
 *   ones, downscaled), clamped to [minSlice, maxSlice] and to the frame; columns are the fewest that cover the width
 *   with `columnOverlap` (default 0), spread evenly;
 * - a map that is not learnt yet plans the plain SAHI grid at the model input size over the whole frame
 *   (mode 'fallback'): nothing is known, so everything is examined.
 * Pure; returns slices only (the global pass is implied).
 */
export function planSlices(map: PersonSizeMap, opts: SlicePlannerOptions): SlicePlan {
  const W = map.frameWidth;
  const H = map.frameHeight;
  const input = opts.inputSize;
  const overlap = opts.overlap ?? DEFAULT_TILE_OVERLAP;
  const columnOverlap = opts.columnOverlap ?? 0;
  if (!map.learnt) {
    return { slices: planTiles(W, H, { tileWidth: input, tileHeight: input, overlap, includeGlobal: false }).filter((r) => r.width < W || r.height < H), mode: 'fallback', smallRows: null };
  }
  const globalScale = Math.min(input / W, input / H);
  const globalMin = opts.globalMinPx ?? 64;
  const target = opts.targetPx ?? 64;
  const minSlice = Math.max(16, Math.round(opts.minSlice ?? input));
  const maxSlice = Math.max(minSlice, Math.round(opts.maxSlice ?? input));
  const heightAtRow = (y: number): number => map.minHeightOnRow(y) ?? H;

  // Foot rows whose people the global pass would see too small.
  let from = -1;
  let to = -1;
  for (let i = 0; i < ROW_SAMPLES; i++) {
    const y = ((i + 0.5) * H) / ROW_SAMPLES;
    if (heightAtRow(y) * globalScale < globalMin) {
      if (from < 0) from = y;
      to = y;
    }
  }
  if (from < 0) return { slices: [], mode: 'map', smallRows: null };
  const rowFrom = Math.max(0, Math.floor(from - H / (2 * ROW_SAMPLES)));
  const rowTo = Math.min(H, Math.ceil(to + H / (2 * ROW_SAMPLES)));

  const slices: TileRegion[] = [];
  const maxSide = Math.min(W, H);
  // Top of the first slice row: the head of the first small person (feet at rowFrom, height h above it).
  let top = Math.max(0, Math.floor(rowFrom - heightAtRow(rowFrom)));
  let prevY = -1;
  let prevBottom = 0;
  for (let guard = 0; guard < 64; guard++) {
    // The smallest whole people of this slice row stand near its top (people grow down the frame on a fixed camera):
    // feet one person-height below the top; the smaller of that and a quarter down handles a flat or inverted map.
    const hTop = Math.min(heightAtRow(Math.min(H - 1, top + heightAtRow(top))), heightAtRow(Math.min(H - 1, top + minSlice / 4)));
    let side = Math.min(maxSide, clampInt(Math.round((input * hTop) / target), minSlice, maxSlice));
    // A slice that does not fit below `top` would be pushed back up over the previous row: shrink it to what is left
    // (a finer slice than needed, never a gap).
    if (top + side > H && prevY >= 0) side = Math.max(Math.min(minSlice, maxSide), H - top);
    const y = Math.min(top, H - side);
    if (y <= prevY) break;
    // A row pushed back up by the frame's edge that adds less than `overlap` of a slice of new rows below the previous
    // row is not worth a slice: that strip is left to the global pass (and the budget refreshes the others sooner).
    if (prevY >= 0 && y + side - prevBottom < overlap * side) break;
    prevY = y;
    prevBottom = y + side;
    for (const x of sliceStarts(W, side, columnOverlap)) slices.push({ x, y, width: side, height: side, kind: 'tile' });
    if (y + side >= rowTo || y + side >= H) break;
    top = y + Math.max(1, Math.floor(side * (1 - overlap)));
  }
  return { slices, mode: 'map', smallRows: { from: rowFrom, to: rowTo } };
}

function clampInt(v: number, lo: number, hi: number): number {
  return Math.max(lo, Math.min(hi, Math.round(v)));
}
