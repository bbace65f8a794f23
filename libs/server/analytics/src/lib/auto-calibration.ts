import { calibrateFromMatrix, calibrateScale } from './calibration';
import type { Calibration, FrameSize, Validated } from './types';

/**
 * Zero-configuration ground scale from people's heights (an adult is ~1.7 m tall), for cameras without a
 * calibration. Pure; bounded memory.
 *
 * Samples: (foot row, box height) of confirmed tracks. Fit: the median box height in horizontal bands of the frame,
 * then a Theil-Sen line h(y) = a + b*y through the band medians (robust to sitting people, partial boxes and
 * mis-detections). Model: a pinhole camera over a flat floor with little roll: a person of height H standing at foot
 * row y is h = (H / Hc) * (y - yH) pixels tall (Hc: camera height, yH: horizon row), so
 *   - perspective (b > 0 and the horizon well above the observed people): Hc = H / b, yH = -a / b, and the
 *     image->ground homography [X, Z, 1] ~ [Hc (x - cx), f Hc, y - yH] with f = (W / 2) / tan(hfov / 2): the lateral
 *     scale is exact under the model, the depth scale depends on the ASSUMED horizontal field of view (`hfovDeg`,
 *     default 60 degrees) - the main uncertainty of density (area) and of speeds along the view axis;
 *   - otherwise (top-down or flat views, slope not significant): one scale, median height / H pixels per metre
 *     (a 'scale' calibration). Top-down views show people's shoulders, not their height: the estimate is then too
 *     small and the area too large, and the result says so in its warnings.
 * The result is always `approximate` and is only produced once `minSamples` samples span `minBands` bands.
 */
export interface AutoCalibrationOptions {
  frame: FrameSize;
  /** Assumed person height, metres (default 1.7). */
  personHeightM?: number;
  /** Bound of the sample store (oldest replaced first; default 2000). */
  maxSamples?: number;
  /** Samples needed before any estimate (default 150). */
  minSamples?: number;
  /** Horizontal bands of the frame (default 12) and bands with >= 5 samples needed (default 3). */
  bands?: number;
  minBands?: number;
  /** Refit after this many new samples (default 100). */
  refitEvery?: number;
  /** Assumed horizontal field of view for the depth axis, degrees (default 60). */
  hfovDeg?: number;
}

export interface AutoCalibrationFit {
  model: 'perspective' | 'uniform';
  /** h(y) = a + b*y, box height in px at foot row y. */
  a: number;
  b: number;
  /** Pixels per metre at the frame's middle row (lateral). */
  pxPerMAtMid: number;
  /** Camera height (perspective model), metres. */
  cameraHeightM: number | null;
  horizonRow: number | null;
  samples: number;
  bands: number;
}

const MIN_PER_BAND = 5;

function median(v: number[]): number {
  const s = [...v].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export class AutoCalibrationEstimator {
  private readonly o: Required<AutoCalibrationOptions>;
  private readonly rows: Float64Array;
  private readonly heights: Float64Array;
  private size = 0;
  private next = 0;
  private sinceFit = 0;
  private current: { fit: AutoCalibrationFit; calibration: Calibration } | null = null;

  constructor(opts: AutoCalibrationOptions) {
    this.o = {
      personHeightM: 1.7,
      maxSamples: 2000,
      minSamples: 150,
      bands: 12,
      minBands: 3,
      refitEvery: 100,
      hfovDeg: 60,
      ...opts,
    };
    const { frame, personHeightM, maxSamples, minSamples, bands, minBands, refitEvery, hfovDeg } = this.o;
    if (!(frame?.width > 0 && frame.height > 0)) throw new RangeError('frame must have a positive width and height');
    if (!(personHeightM > 0)) throw new RangeError(`personHeightM must be positive, got ${personHeightM}`);
    if (!(Number.isInteger(maxSamples) && maxSamples >= 10)) throw new RangeError(`maxSamples must be an integer >= 10, got ${maxSamples}`);
    if (!(Number.isInteger(minSamples) && minSamples >= 1 && minSamples <= maxSamples)) throw new RangeError(`minSamples must be an integer in [1, maxSamples], got ${minSamples}`);
    if (!(Number.isInteger(bands) && bands >= 2) || !(Number.isInteger(minBands) && minBands >= 2 && minBands <= bands)) {
      throw new RangeError(`bands (${bands}) and minBands (${minBands}) must be integers with 2 <= minBands <= bands`);
    }
    if (!(Number.isInteger(refitEvery) && refitEvery >= 1)) throw new RangeError(`refitEvery must be a positive integer, got ${refitEvery}`);
    if (!(hfovDeg > 10 && hfovDeg < 170)) throw new RangeError(`hfovDeg must be in (10, 170), got ${hfovDeg}`);
    this.rows = new Float64Array(maxSamples);
    this.heights = new Float64Array(maxSamples);
  }

  /** Samples held (<= maxSamples). */
  get sampleCount(): number {
    return this.size;
  }

  /** The current estimate (null until enough samples over enough rows). */
  get estimate(): { fit: AutoCalibrationFit; calibration: Calibration } | null {
    return this.current;
  }

  /**
   * Adds people seen in one frame (boxes in `frame` pixels; only whole people: boxes cut by the frame's top or
   * bottom edge are skipped). Refits every `refitEvery` samples; returns true when the estimate changed.
   */
  add(boxes: ReadonlyArray<{ x1: number; y1: number; x2: number; y2: number }>): boolean {
    const H = this.o.frame.height;
    for (const b of boxes) {
      const h = b.y2 - b.y1;
      if (!(h > 0) || !Number.isFinite(h + b.x1 + b.x2) || b.y1 <= 1 || b.y2 >= H - 1) continue;
      this.rows[this.next] = b.y2;
      this.heights[this.next] = h;
      this.next = (this.next + 1) % this.rows.length;
      if (this.size < this.rows.length) this.size++;
      this.sinceFit++;
    }
    // Until a first estimate exists, retry 4x as often (e.g. while people have been seen in too few rows).
    const every = this.current ? this.o.refitEvery : Math.ceil(this.o.refitEvery / 4);
    if (this.size < this.o.minSamples || this.sinceFit < every) return false;
    this.sinceFit = 0;
    const next = this.refitModel();
    if (!next) return false;
    this.current = next;
    return true;
  }

  private refitModel(): { fit: AutoCalibrationFit; calibration: Calibration } | null {
    const { frame, bands, minBands, personHeightM: Hm, hfovDeg } = this.o;
    const perBand: number[][] = Array.from({ length: bands }, () => []);
    for (let i = 0; i < this.size; i++) {
      const k = Math.min(bands - 1, Math.max(0, Math.floor((this.rows[i] / frame.height) * bands)));
      perBand[k].push(i);
    }
    const pts: Array<[number, number]> = [];
    let minRow = Infinity;
    for (const idx of perBand) {
      if (idx.length < MIN_PER_BAND) continue;
      pts.push([median(idx.map((i) => this.rows[i])), median(idx.map((i) => this.heights[i]))]);
      for (const i of idx) minRow = Math.min(minRow, this.rows[i]);
    }
    if (pts.length < minBands) return null;
    // Theil-Sen through the band medians.
    const slopes: number[] = [];
    for (let i = 0; i < pts.length; i++) for (let j = i + 1; j < pts.length; j++) slopes.push((pts[j][1] - pts[i][1]) / (pts[j][0] - pts[i][0]));
    const b = median(slopes);
    const a = median(pts.map(([y, h]) => h - b * y));
    const mid = frame.height / 2;
    const cx = frame.width / 2;
    const horizon = b > 0 ? -a / b : null;
    // Perspective only when the horizon lies clearly above the people seen (else a top-down/flat view).
    const perspective = horizon !== null && horizon < minRow - 0.25 * (frame.height - minRow) && a + b * mid > 0;
    let r: Validated<Calibration>;
    let fit: AutoCalibrationFit;
    const samples = this.size;
    if (perspective && horizon !== null) {
      const Hc = Hm / b;
      const f = cx / Math.tan((hfovDeg * Math.PI) / 360);
      const top = Math.max(0, Math.ceil(Math.max(minRow, horizon + 0.1 * (frame.height - horizon))));
      const floorPolygon: Array<[number, number]> = [[0, top], [frame.width, top], [frame.width, frame.height], [0, frame.height]];
      r = calibrateFromMatrix({ frame, imageToGround: [Hc, 0, -Hc * cx, 0, 0, f * Hc, 0, 1, -horizon], floorPolygon });
      fit = { model: 'perspective', a, b, pxPerMAtMid: (a + b * mid) / Hm, cameraHeightM: Hc, horizonRow: horizon, samples, bands: pts.length };
    } else {
      const hMed = median(pts.map(([, h]) => h));
      const pxPerM = hMed / Hm;
      r = calibrateScale({ frame, a: [0, mid], b: [pxPerM, mid], distanceM: 1 });
      fit = { model: 'uniform', a: hMed, b: 0, pxPerMAtMid: pxPerM, cameraHeightM: null, horizonRow: null, samples, bands: pts.length };
    }
    if (!r.ok) return null;
    const warnings = [
      `automatic: scale from ${samples} people's heights (${Hm} m assumed)${fit.model === 'perspective' ? `, depth from an assumed ${hfovDeg} degree horizontal field of view` : ''}; calibrate the camera for real figures`,
      ...(fit.model === 'uniform' ? ['no perspective found (top-down or flat view): one scale for the whole frame; in a top-down view boxes are shorter than people, so the scale runs low and areas high'] : []),
    ];
    return { fit, calibration: { ...r.value, approximate: true, warnings: [...warnings, ...r.value.warnings] } };
  }
}
