/** Small numeric helpers and bounded time series. Every function returns finite numbers for empty input. */

export function mean(xs: ArrayLike<number>, n = xs.length): number {
  if (n === 0) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  return s / n;
}

/** Population standard deviation (0 for fewer than 2 values). */
export function stdDev(xs: ArrayLike<number>, n = xs.length): number {
  if (n < 2) return 0;
  const m = mean(xs, n);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i] - m) * (xs[i] - m);
  return Math.sqrt(s / n);
}

let medianScratch = new Float64Array(256);

/** Median of the first n values (sorts a copy; 0 when empty). */
export function median(xs: ArrayLike<number>, n = xs.length): number {
  if (n === 0) return 0;
  if (medianScratch.length < n) medianScratch = new Float64Array(Math.max(n, medianScratch.length * 2));
  const a = medianScratch.subarray(0, n);
  for (let i = 0; i < n; i++) a[i] = xs[i];
  a.sort();
  const mid = n >> 1;
  return n % 2 === 1 ? a[mid] : (a[mid - 1] + a[mid]) / 2;
}

/** Least-squares slope of y over t (0 with fewer than 2 distinct times). */
export function regressionSlope(t: ArrayLike<number>, y: ArrayLike<number>, n: number): number {
  if (n < 2) return 0;
  let mt = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mt += t[i];
    my += y[i];
  }
  mt /= n;
  my /= n;
  let stt = 0;
  let sty = 0;
  for (let i = 0; i < n; i++) {
    stt += (t[i] - mt) * (t[i] - mt);
    sty += (t[i] - mt) * (y[i] - my);
  }
  return stt > 0 ? sty / stt : 0;
}

/** Angle in degrees normalised to [0, 360). */
export function normDeg(deg: number): number {
  const d = deg % 360;
  return d < 0 ? d + 360 : d === 360 ? 0 : d;
}

/** Smallest absolute difference between two headings in degrees, 0..180. */
export function angleDiffDeg(a: number, b: number): number {
  const d = Math.abs(normDeg(a) - normDeg(b));
  return d > 180 ? 360 - d : d;
}

/**
 * Time series of (t, value) samples kept for a sliding window, in a fixed-capacity ring (oldest samples are
 * overwritten when full, so memory never grows).
 */
export class SlidingSeries {
  private readonly t: Float64Array;
  private readonly v: Float64Array;
  private head = 0;
  private size = 0;
  private readonly scratchT: Float64Array;
  private readonly scratchV: Float64Array;

  constructor(
    readonly windowMs: number,
    readonly capacity: number,
  ) {
    this.t = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
    this.scratchT = new Float64Array(capacity);
    this.scratchV = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  push(tMs: number, value: number): void {
    this.t[this.head] = tMs;
    this.v[this.head] = value;
    this.head = (this.head + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** Drops samples older than nowMs - windowMs. */
  trim(nowMs: number): void {
    const cutoff = nowMs - this.windowMs;
    while (this.size > 0) {
      const oldest = (this.head - this.size + this.capacity) % this.capacity;
      if (this.t[oldest] >= cutoff) break;
      this.size--;
    }
  }

  /**
   * Regression slope of value per SECOND over the window ending at nowMs, and whether the window is
   * "ready": >= minSamples samples spanning >= minSpanFraction of the window.
   */
  slopePerSecond(nowMs: number, minSamples = 3, minSpanFraction = 0.5): { slope: number; ready: boolean } {
    this.trim(nowMs);
    const n = this.size;
    if (n < Math.max(2, minSamples)) return { slope: 0, ready: false };
    let first = Infinity;
    let last = -Infinity;
    for (let k = 0; k < n; k++) {
      const idx = (this.head - n + k + this.capacity) % this.capacity;
      const ts = (this.t[idx] - nowMs) / 1000;
      this.scratchT[k] = ts;
      this.scratchV[k] = this.v[idx];
      first = Math.min(first, ts);
      last = Math.max(last, ts);
    }
    if ((last - first) * 1000 < minSpanFraction * this.windowMs) return { slope: 0, ready: false };
    return { slope: regressionSlope(this.scratchT, this.scratchV, n), ready: true };
  }
}

/**
 * Event counts in fixed time buckets over a sliding window (e.g. 60 one-second buckets): O(window / bucket)
 * memory whatever the event rate.
 */
export class BucketCounter {
  private readonly buckets: Float64Array;
  private headIndex = -Infinity;

  constructor(
    readonly windowMs: number,
    readonly bucketMs: number,
  ) {
    this.buckets = new Float64Array(Math.max(1, Math.ceil(windowMs / bucketMs)));
  }

  private advance(nowMs: number): void {
    const idx = Math.floor(nowMs / this.bucketMs);
    if (idx <= this.headIndex) return;
    const n = this.buckets.length;
    if (idx - this.headIndex >= n || !Number.isFinite(this.headIndex)) this.buckets.fill(0);
    else for (let k = this.headIndex + 1; k <= idx; k++) this.buckets[((k % n) + n) % n] = 0;
    this.headIndex = idx;
  }

  add(nowMs: number, count = 1): void {
    this.advance(nowMs);
    const n = this.buckets.length;
    this.buckets[((this.headIndex % n) + n) % n] += count;
  }

  /** Events in the window ending at nowMs (bucket resolution). */
  sum(nowMs: number): number {
    this.advance(nowMs);
    let s = 0;
    for (let k = 0; k < this.buckets.length; k++) s += this.buckets[k];
    return s;
  }
}
