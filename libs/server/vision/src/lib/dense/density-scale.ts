// Input resolution of the density model (FIDT) from the people the tracker sees: pure, no I/O.
// FIDT localises heads; heads below ~8 px at the model's input are lost, so a camera whose far people are small
// gets its frame upscaled, within a compute cap.

/** One observed person: foot row and box height, both in source-frame pixels. */
export interface PersonSizeSample {
  y: number;
  height: number;
}

export interface DensityScaleOptions {
  frameWidth: number;
  frameHeight: number;
  /** Compute cap: the longest side of the model input never exceeds this (FIDT_MAX_SIDE). */
  maxSide: number;
  /** Head size (px at the model's input) the smallest people should get. Default 12 (the model loses heads < ~8 px). */
  targetHeadPx?: number;
  /** Head height / person box height. Default 0.13 (head ≈ 1/7.5 of a standing adult). */
  headRatio?: number;
  /** Which quantile of the observed heights counts as "the smallest people" (robust to a few tiny false boxes). Default 0.1. */
  quantile?: number;
  /** Fewer samples than this = not enough evidence: the default rule (longest side = maxSide, never upscaled). Default 5. */
  minSamples?: number;
  /**
   * Bounds of the scale. Defaults 1 and 4: never downscaled for size (the detector misses exactly the smallest
   * people, so observed sizes overestimate the smallest heads; on ShanghaiTech B a 0.625 downscale raised the MAE
   * from 33 to 54), only the compute cap downscales.
   */
  minScale?: number;
  maxScale?: number;
}

export interface DensityScale {
  /** Resize factor for the model input (source px x scale = input px). */
  scale: number;
  /** Longest side of the model input at that scale (<= maxSide). */
  maxSide: number;
  /** The small people's estimated head size in source pixels (null without enough samples). */
  smallHeadPx: number | null;
  /** The scale the heads asked for before the compute cap / bounds (null without enough samples). */
  wantedScale: number | null;
  /** True when the compute cap lowered the scale below what the heads asked for (far heads may be missed). */
  capped: boolean;
  reason: 'no-samples' | 'person-size';
}

function quantileOf(sorted: readonly number[], q: number): number {
  if (sorted.length === 1) return sorted[0];
  const pos = Math.min(1, Math.max(0, q)) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * The density model's input scale: the `quantile` of the observed person heights gives the small (far) people's
 * head size h = height x headRatio; scale = targetHeadPx / h, bounded to [minScale, maxScale] and by the compute cap
 * (longest side x scale <= maxSide). Without enough samples: min(1, maxSide / longest side), as before.
 * The input is a plain list of (y, height) samples so that any person-size source (recent tracks, a person-size
 * map) can feed it.
 */
export function densityInputScale(samples: readonly PersonSizeSample[], o: DensityScaleOptions): DensityScale {
  const longest = Math.max(o.frameWidth, o.frameHeight);
  if (!(longest > 0) || !(o.maxSide > 0)) throw new RangeError(`frame size and maxSide must be positive (got ${o.frameWidth}x${o.frameHeight}, maxSide ${o.maxSide})`);
  const cap = o.maxSide / longest;
  const heights = samples
    .filter((s) => Number.isFinite(s.height) && s.height > 0 && Number.isFinite(s.y))
    .map((s) => s.height)
    .sort((a, b) => a - b);
  if (heights.length < (o.minSamples ?? 5)) {
    const scale = Math.min(1, cap);
    return { scale, maxSide: Math.round(longest * scale), smallHeadPx: null, wantedScale: null, capped: false, reason: 'no-samples' };
  }
  const smallHeadPx = quantileOf(heights, o.quantile ?? 0.1) * (o.headRatio ?? 0.13);
  const wantedScale = (o.targetHeadPx ?? 12) / smallHeadPx;
  const bounded = Math.min(o.maxScale ?? 4, Math.max(o.minScale ?? 1, wantedScale));
  const scale = Math.min(bounded, cap);
  return { scale, maxSide: Math.round(longest * scale), smallHeadPx, wantedScale, capped: scale < wantedScale - 1e-9 && scale === cap, reason: 'person-size' };
}

/**
 * A bounded ring of the most recent person-size samples of one camera (confirmed tracks matched in a frame).
 * Capacity default 256: about 10 s of a 5-person scene at 5 fps, a second of a 50-person one.
 */
export class PersonSizeSamples {
  private readonly buf: PersonSizeSample[] = [];
  private next = 0;

  constructor(private readonly capacity = 256) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** Adds the boxes of the people seen in one frame (x1/y1/x2/y2 in source pixels). */
  add(boxes: Iterable<{ box: { y1: number; y2: number } }>): void {
    for (const { box } of boxes) {
      const s = { y: box.y2, height: box.y2 - box.y1 };
      if (!(s.height > 0)) continue;
      if (this.buf.length < this.capacity) this.buf.push(s);
      else this.buf[this.next] = s;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  get size(): number {
    return this.buf.length;
  }

  list(): PersonSizeSample[] {
    return [...this.buf];
  }

  clear(): void {
    this.buf.length = 0;
    this.next = 0;
  }
}
