/**
 * Bounded per-track state of one camera: position history (fixed-size ring) for velocity, and each counting
 * line's side state. Tracks not seen for `ttlMs` are evicted, and at most `maxTracks` are kept (least recently
 * seen evicted first). Evicted records are recycled, so memory stays flat whatever the number of ids seen.
 */
export interface TrackStoreOptions {
  maxTracks: number;
  ttlMs: number;
  /** Ring capacity of the position history (samples). */
  maxHistory: number;
  /** Counting lines per track. */
  lines: number;
}

export class TrackState {
  id = 0;
  lastSeenMs = 0;
  /** Position history (analysis space: ground metres, or image px without a ground mapping). */
  readonly ht: Float64Array;
  readonly hx: Float64Array;
  readonly hy: Float64Array;
  head = 0;
  size = 0;
  /** Per line: last side beyond the hysteresis band (+1 screen-left, -1 screen-right, 0 not yet known). */
  readonly side: Int8Array;
  /** Per line: last position seen beyond the band on `side`. */
  readonly lastX: Float64Array;
  readonly lastY: Float64Array;
  /** Per line: crossing made while unconfirmed (+1 in, -1 out, 0 none), counted once the track is confirmed. */
  readonly pending: Int8Array;

  constructor(historyCap: number, lines: number) {
    this.ht = new Float64Array(historyCap);
    this.hx = new Float64Array(historyCap);
    this.hy = new Float64Array(historyCap);
    this.side = new Int8Array(lines);
    this.lastX = new Float64Array(lines);
    this.lastY = new Float64Array(lines);
    this.pending = new Int8Array(lines);
  }

  reset(id: number): void {
    this.id = id;
    this.lastSeenMs = 0;
    this.head = 0;
    this.size = 0;
    this.side.fill(0);
    this.pending.fill(0);
  }

  clearHistory(): void {
    this.head = 0;
    this.size = 0;
  }

  push(tMs: number, x: number, y: number): void {
    const cap = this.ht.length;
    this.ht[this.head] = tMs;
    this.hx[this.head] = x;
    this.hy[this.head] = y;
    this.head = (this.head + 1) % cap;
    if (this.size < cap) this.size++;
  }

  /** The k-th newest sample index (k = 0 newest), or -1. */
  index(k: number): number {
    if (k >= this.size) return -1;
    const cap = this.ht.length;
    return (this.head - 1 - k + cap * 2) % cap;
  }
}

export interface Velocity {
  vx: number;
  vy: number;
  valid: boolean;
}

/**
 * Velocity over the smoothing window ending at the newest sample: least-squares slope of x(t) and y(t) over the
 * samples of the last `windowMs`. When fewer than 2 samples fall in the window (slow frame rate, short gap), the
 * previous sample is used if it is at most `maxGapMs` old. Valid when the samples span >= `minSpanMs`.
 */
export function trackVelocity(st: TrackState, windowMs: number, minSpanMs: number, maxGapMs: number): Velocity {
  const newest = st.index(0);
  if (newest < 0) return { vx: 0, vy: 0, valid: false };
  const now = st.ht[newest];
  let n = 0;
  let mt = 0;
  let mx = 0;
  let my = 0;
  let oldest = now;
  for (let k = 0; k < st.size; k++) {
    const i = st.index(k);
    const age = now - st.ht[i];
    if (age > windowMs && !(n < 2 && age <= maxGapMs)) break;
    const t = -age / 1000;
    mt += t;
    mx += st.hx[i];
    my += st.hy[i];
    oldest = st.ht[i];
    n++;
  }
  if (n < 2 || now - oldest < minSpanMs) return { vx: 0, vy: 0, valid: false };
  mt /= n;
  mx /= n;
  my /= n;
  let stt = 0;
  let stx = 0;
  let sty = 0;
  for (let k = 0; k < n; k++) {
    const i = st.index(k);
    const t = (st.ht[i] - now) / 1000 - mt;
    stt += t * t;
    stx += t * (st.hx[i] - mx);
    sty += t * (st.hy[i] - my);
  }
  if (!(stt > 0)) return { vx: 0, vy: 0, valid: false };
  return { vx: stx / stt, vy: sty / stt, valid: true };
}

export class TrackStore {
  /** Insertion order = least recently seen first (records are re-inserted when seen). */
  private readonly tracks = new Map<number, TrackState>();
  private readonly free: TrackState[] = [];
  evictedTotal = 0;

  constructor(readonly options: TrackStoreOptions) {}

  get size(): number {
    return this.tracks.size;
  }

  /** Record for `id`, created (or recycled) when new; marks it seen at nowMs. */
  touch(id: number, nowMs: number): TrackState {
    let st = this.tracks.get(id);
    if (st) this.tracks.delete(id);
    else {
      if (this.tracks.size >= this.options.maxTracks) this.evictOldest();
      st = this.free.pop() ?? new TrackState(this.options.maxHistory, this.options.lines);
      st.reset(id);
    }
    st.lastSeenMs = nowMs;
    this.tracks.set(id, st);
    return st;
  }

  get(id: number): TrackState | undefined {
    return this.tracks.get(id);
  }

  private evictOldest(): void {
    const first = this.tracks.values().next();
    if (first.done) return;
    this.release(first.value);
  }

  private release(st: TrackState): void {
    this.tracks.delete(st.id);
    this.evictedTotal++;
    // Keep a bounded pool of records for reuse.
    if (this.free.length < this.options.maxTracks) this.free.push(st);
  }

  /** Evicts tracks not seen since nowMs - ttlMs. */
  expire(nowMs: number): void {
    const cutoff = nowMs - this.options.ttlMs;
    for (const st of this.tracks.values()) {
      if (st.lastSeenMs >= cutoff) break;
      this.release(st);
    }
  }

  clear(): void {
    for (const st of [...this.tracks.values()]) this.release(st);
  }

  /** Number of recycled records waiting for reuse (bounded by maxTracks). */
  get pooled(): number {
    return this.free.length;
  }
}
