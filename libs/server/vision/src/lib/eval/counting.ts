/**
 * Counting metrics for point-annotated crowd images (ShanghaiTech and similar), from their definitions:
 *   MAE  = mean |pred - gt|
 *   RMSE = sqrt(mean (pred - gt)^2)          (the crowd-counting literature's "MSE" is usually this RMSE)
 *   MRE  = mean |pred - gt| / gt over the images with gt > 0; images with gt = 0 are left out of MRE (and only of
 *          MRE; `mreImages` says how many counted), and MRE is null when no image has gt > 0.
 *   bias = mean (pred - gt) (positive = over-counting).
 * Images are matched by file name (the part after the last '/' or '\'), so `images/IMG_1.jpg` in annotations.json
 * matches `IMG_1.jpg` or `/abs/path/IMG_1.jpg` in a prediction file. Errors depend strongly on density, so the
 * result also breaks the images down into bands of gt count (default edges 50, 100, 200: <50, 50-100, 100-200,
 * >=200; a band holds lo <= gt < hi).
 */
import { EvalInputError } from './errors';

/** A ground-truth image: its head count and, when known, the head points [x, y] in pixels. */
export interface CountGtImage {
  image: string;
  count: number;
  points?: Array<[number, number]>;
}

/** One prediction, as `crowdsafe count --json` writes it (extra fields are ignored). */
export interface CountPrediction {
  image: string;
  count: number;
  method?: string;
  low?: number;
  high?: number;
}

export interface CountErrorStats {
  /** Images in this group. */
  n: number;
  /** Null when n = 0 (no NaN anywhere). */
  mae: number | null;
  rmse: number | null;
  mre: number | null;
  /** Images with gt > 0 that MRE averaged over. */
  mreImages: number;
  bias: number | null;
  meanGt: number | null;
  meanPred: number | null;
  /**
   * Fraction of the images whose prediction carries a range [low, high] that contains gt; null when no prediction
   * in the group has both low and high.
   */
  rangeCoverage: number | null;
  /** Images with both low and high. */
  rangeImages: number;
}

export interface CountBandStats extends CountErrorStats {
  label: string;
  /** gt count range [lo, hi). */
  lo: number;
  hi: number;
}

export interface CountImageResult {
  image: string;
  gt: number;
  pred: number;
  error: number;
}

export interface CountMetrics extends CountErrorStats {
  bands: CountBandStats[];
  /** Gt images without a prediction (left out of every metric). */
  missing: string[];
  /** Predictions whose image has no gt (left out). */
  unmatched: string[];
  perImage: CountImageResult[];
}

export const DEFAULT_DENSITY_BANDS: readonly number[] = [50, 100, 200];

/** File-name key used to match gt and predictions. */
export function countImageKey(image: string): string {
  const k = Math.max(image.lastIndexOf('/'), image.lastIndexOf('\\'));
  return k >= 0 ? image.slice(k + 1) : image;
}

/**
 * Read a ShanghaiTech-style `annotations.json`: `{images: [{image, count, points?: [[x, y], ...]}]}` (other fields
 * ignored). Throws `EvalInputError` for a wrong shape, a negative or non-integer count, a count that differs from
 * the number of points, or a duplicate file name.
 */
export function parseCountGroundTruth(json: unknown, source = 'annotations.json'): CountGtImage[] {
  const images = imagesArray(json, source);
  const out: CountGtImage[] = [];
  const seen = new Set<string>();
  images.forEach((item, k) => {
    const where = `${source}: images[${k}]`;
    const rec = asRecord(item, where);
    const image = requireString(rec, 'image', where);
    const count = rec['count'];
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      throw new EvalInputError(`${where} (${image}): count must be a non-negative integer, got ${JSON.stringify(count)}`);
    }
    let points: Array<[number, number]> | undefined;
    if (rec['points'] !== undefined) {
      const raw = rec['points'];
      if (!Array.isArray(raw)) throw new EvalInputError(`${where} (${image}): points must be an array`);
      points = raw.map((p: unknown, i) => {
        if (!Array.isArray(p) || p.length !== 2 || !p.every((v) => typeof v === 'number' && Number.isFinite(v))) {
          throw new EvalInputError(`${where} (${image}): points[${i}] must be [x, y]`);
        }
        return [p[0] as number, p[1] as number];
      });
      if (points.length !== count) {
        throw new EvalInputError(`${where} (${image}): count ${count} but ${points.length} points`);
      }
    }
    const key = countImageKey(image);
    if (seen.has(key)) throw new EvalInputError(`${where}: duplicate image ${key}`);
    seen.add(key);
    out.push(points ? { image, count, points } : { image, count });
  });
  return out;
}

/**
 * Read a predictions file `{images: [{image, count, method?, low?, high?}]}` (the format of `crowdsafe count --json`;
 * extra fields ignored). Counts may be fractional (density models); they must be finite and >= 0.
 */
export function parseCountPredictions(json: unknown, source = 'predictions'): CountPrediction[] {
  const images = imagesArray(json, source);
  const seen = new Set<string>();
  return images.map((item, k) => {
    const where = `${source}: images[${k}]`;
    const rec = asRecord(item, where);
    const image = requireString(rec, 'image', where);
    const count = rec['count'];
    if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) {
      throw new EvalInputError(`${where} (${image}): count must be a finite number >= 0, got ${JSON.stringify(count)}`);
    }
    const pred: CountPrediction = { image, count };
    if (rec['method'] !== undefined && rec['method'] !== null) {
      if (typeof rec['method'] !== 'string') throw new EvalInputError(`${where} (${image}): method must be a string`);
      pred.method = rec['method'];
    }
    for (const f of ['low', 'high'] as const) {
      const v = rec[f];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new EvalInputError(`${where} (${image}): ${f} must be a finite number, got ${JSON.stringify(v)}`);
      }
      pred[f] = v;
    }
    if (pred.low !== undefined && pred.high !== undefined && pred.low > pred.high) {
      throw new EvalInputError(`${where} (${image}): low ${pred.low} > high ${pred.high}`);
    }
    const key = countImageKey(image);
    if (seen.has(key)) throw new EvalInputError(`${where}: duplicate image ${key}`);
    seen.add(key);
    return pred;
  });
}

export interface CountEvalOptions {
  /** Ascending band edges on the gt count (default 50, 100, 200). */
  bandEdges?: readonly number[];
}

/**
 * Compare predicted counts with ground truth, image by image (matched by file name). Throws `EvalInputError` when no
 * image matches.
 */
export function evaluateCounts(
  gt: readonly CountGtImage[],
  predictions: readonly CountPrediction[],
  options: CountEvalOptions = {},
): CountMetrics {
  const edges = [...(options.bandEdges ?? DEFAULT_DENSITY_BANDS)];
  for (let k = 0; k < edges.length; k++) {
    if (!Number.isFinite(edges[k]) || edges[k] <= 0 || (k > 0 && edges[k] <= edges[k - 1])) {
      throw new RangeError(`band edges must be positive and strictly ascending, got ${edges.join(',')}`);
    }
  }
  const predByKey = new Map(predictions.map((p) => [countImageKey(p.image), p]));
  const gtKeys = new Set<string>();
  const pairs: Array<{ gt: CountGtImage; pred: CountPrediction }> = [];
  const missing: string[] = [];
  for (const g of gt) {
    const key = countImageKey(g.image);
    gtKeys.add(key);
    const p = predByKey.get(key);
    if (p) pairs.push({ gt: g, pred: p });
    else missing.push(g.image);
  }
  const unmatched = predictions.filter((p) => !gtKeys.has(countImageKey(p.image))).map((p) => p.image);
  if (pairs.length === 0) {
    throw new EvalInputError(
      `no prediction matches a ground-truth image by file name (${gt.length} gt images, ${predictions.length} predictions)`,
    );
  }
  const bounds = [0, ...edges, Infinity];
  const bands: CountBandStats[] = [];
  for (let b = 0; b + 1 < bounds.length; b++) {
    const lo = bounds[b];
    const hi = bounds[b + 1];
    const label = b === 0 ? `<${hi}` : hi === Infinity ? `>=${lo}` : `${lo}-${hi}`;
    bands.push({ label, lo, hi, ...stats(pairs.filter((p) => p.gt.count >= lo && p.gt.count < hi)) });
  }
  return {
    ...stats(pairs),
    bands,
    missing,
    unmatched,
    perImage: pairs.map(({ gt: g, pred: p }) => ({ image: countImageKey(g.image), gt: g.count, pred: p.count, error: p.count - g.count })),
  };
}

function stats(pairs: ReadonlyArray<{ gt: CountGtImage; pred: CountPrediction }>): CountErrorStats {
  const n = pairs.length;
  let abs = 0;
  let sq = 0;
  let signed = 0;
  let rel = 0;
  let relN = 0;
  let gtSum = 0;
  let predSum = 0;
  let covered = 0;
  let rangeN = 0;
  for (const { gt, pred } of pairs) {
    const e = pred.count - gt.count;
    abs += Math.abs(e);
    sq += e * e;
    signed += e;
    gtSum += gt.count;
    predSum += pred.count;
    if (gt.count > 0) {
      rel += Math.abs(e) / gt.count;
      relN++;
    }
    if (pred.low !== undefined && pred.high !== undefined) {
      rangeN++;
      if (pred.low <= gt.count && gt.count <= pred.high) covered++;
    }
  }
  const mean = (v: number): number | null => (n > 0 ? v / n : null);
  return {
    n,
    mae: mean(abs),
    rmse: n > 0 ? Math.sqrt(sq / n) : null,
    mre: relN > 0 ? rel / relN : null,
    mreImages: relN,
    bias: mean(signed),
    meanGt: mean(gtSum),
    meanPred: mean(predSum),
    rangeCoverage: rangeN > 0 ? covered / rangeN : null,
    rangeImages: rangeN,
  };
}

function imagesArray(json: unknown, source: string): unknown[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json) || !Array.isArray((json as Record<string, unknown>)['images'])) {
    throw new EvalInputError(`${source}: expected an object {images: [...]}`);
  }
  return (json as Record<string, unknown[]>)['images'];
}

function asRecord(item: unknown, where: string): Record<string, unknown> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new EvalInputError(`${where}: expected an object`);
  return item as Record<string, unknown>;
}

function requireString(rec: Record<string, unknown>, field: string, where: string): string {
  const v = rec[field];
  if (typeof v !== 'string' || v === '') throw new EvalInputError(`${where}: ${field} must be a non-empty string`);
  return v;
}
