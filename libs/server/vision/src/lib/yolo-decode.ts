import type { Detection } from '@crowdsafe/contracts';

/** Memory layout of a YOLO detect head output. */
export type YoloOutputLayout = 'channels-first' | 'channels-last';

export interface YoloDecodeOptions {
  /** Keep only anchors whose best class is one of these (undefined or empty = every class). */
  classIds?: readonly number[];
  /** Minimum class score (the scores are already sigmoided in Ultralytics exports). */
  confidence: number;
  /**
   * 'channels-first' = Ultralytics' [B, 4+nc, N]; 'channels-last' = transposed [B, N, 4+nc].
   * Default: the smaller of the two trailing dims is the feature axis (N is thousands, 4+nc is small).
   */
  layout?: YoloOutputLayout;
  /** Number of classes, when known; checked against the output shape. */
  numClasses?: number;
}

/** A parsed YOLO output shape. */
export interface YoloOutputShape {
  batch: number;
  numClasses: number;
  anchors: number;
  layout: YoloOutputLayout;
}

/** Validate `dims` as a YOLO detect output ([B, 4+nc, N] or [B, N, 4+nc]) and say which layout it is. */
export function describeYoloOutput(
  dims: readonly number[],
  opts: { layout?: YoloOutputLayout; numClasses?: number } = {},
): YoloOutputShape {
  if (dims.length !== 3 || dims.some((d) => !Number.isInteger(d) || d <= 0)) {
    throw new RangeError(`expected a YOLO output [B, 4+nc, N], got [${dims.join(', ')}]`);
  }
  const [batch, a, b] = dims;
  let layout = opts.layout;
  if (!layout) {
    if (opts.numClasses !== undefined && a === 4 + opts.numClasses) layout = 'channels-first';
    else if (opts.numClasses !== undefined && b === 4 + opts.numClasses) layout = 'channels-last';
    else layout = a <= b ? 'channels-first' : 'channels-last';
  }
  const features = layout === 'channels-first' ? a : b;
  const anchors = layout === 'channels-first' ? b : a;
  const numClasses = features - 4;
  if (numClasses < 1) throw new RangeError(`YOLO output [${dims.join(', ')}] has no class scores (needs 4+nc with nc >= 1)`);
  if (opts.numClasses !== undefined && numClasses !== opts.numClasses) {
    throw new RangeError(
      `YOLO output [${dims.join(', ')}] has ${numClasses} class scores, expected ${opts.numClasses} (4 box values + ${opts.numClasses} classes)`,
    );
  }
  return { batch, numClasses, anchors, layout };
}

/**
 * Decode one image of a YOLO detect output into candidate boxes in model-input pixels (no NMS).
 * Like Ultralytics (multi_label=false), each anchor takes its best class; anchors whose best class is below
 * `confidence` or not in `classIds` are dropped. Class scores are read plane by plane (channels-first), which
 * keeps memory access sequential for the [B, 84, 8400] layout.
 */
export function decodeYoloOutput(
  output: Float32Array,
  dims: readonly number[],
  batchIndex: number,
  options: YoloDecodeOptions,
): Detection[] {
  const shape = describeYoloOutput(dims, options);
  const { numClasses: nc, anchors: n, layout } = shape;
  if (!Number.isInteger(batchIndex) || batchIndex < 0 || batchIndex >= shape.batch) {
    throw new RangeError(`batchIndex ${batchIndex} out of range for batch ${shape.batch}`);
  }
  const per = (4 + nc) * n;
  if (output.length < shape.batch * per) {
    throw new RangeError(`output has ${output.length} values, shape [${dims.join(', ')}] needs ${shape.batch * per}`);
  }
  const base = batchIndex * per;
  const allowed = options.classIds && options.classIds.length ? new Set(options.classIds) : undefined;
  const conf = options.confidence;
  const out: Detection[] = [];

  if (layout === 'channels-first') {
    const best = new Float32Array(n).fill(-Infinity);
    const bestCls = new Int32Array(n);
    for (let c = 0; c < nc; c++) {
      const row = base + (4 + c) * n;
      for (let i = 0; i < n; i++) {
        const s = output[row + i];
        if (s > best[i]) {
          best[i] = s;
          bestCls[i] = c;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const s = best[i];
      if (!(s >= conf)) continue;
      if (allowed && !allowed.has(bestCls[i])) continue;
      const cx = output[base + i];
      const cy = output[base + n + i];
      const w = output[base + 2 * n + i];
      const h = output[base + 3 * n + i];
      out.push({ box: { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 }, score: s, classId: bestCls[i] });
    }
    return out;
  }

  const stride = 4 + nc;
  for (let i = 0; i < n; i++) {
    const p = base + i * stride;
    let s = -Infinity;
    let cls = 0;
    for (let c = 0; c < nc; c++) {
      const v = output[p + 4 + c];
      if (v > s) {
        s = v;
        cls = c;
      }
    }
    if (!(s >= conf)) continue;
    if (allowed && !allowed.has(cls)) continue;
    const cx = output[p];
    const cy = output[p + 1];
    const w = output[p + 2];
    const h = output[p + 3];
    out.push({ box: { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 }, score: s, classId: cls });
  }
  return out;
}
