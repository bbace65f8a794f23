/**
 * How long a camera's seconds stay open for frames still in detection. A second closes `lateness` after its end;
 * a frame detected after that is left out of it. A fixed value (CAMERA_METRICS_LATENESS_MS) is right on a quiet
 * host, but when inference round trips grow (a loaded host, several cameras sharing the detector, a busy worker
 * queue) every result lands after its second closed and the camera writes no metrics at all — the console goes
 * stale exactly when the machine is under pressure. So the lateness follows the round trips actually measured: the
 * largest of the recent ones plus a margin, never below the configured floor, never above `maxMs`. Rows then come
 * later, but they come; when the load goes, the window forgets the slow round trips and the lateness falls back.
 */
export class AdaptiveLateness {
  private readonly recent: number[] = [];
  private next = 0;

  constructor(
    private readonly floorMs: number,
    private readonly maxMs: number,
    private readonly window = 32,
    private readonly marginMs = 500,
  ) {
    if (!(floorMs >= 0) || !(maxMs >= floorMs)) throw new RangeError(`lateness bounds must satisfy 0 <= floor <= max, got ${floorMs}..${maxMs}`);
  }

  /** One frame's detection round trip: from its capture to its detections being applied (ms). */
  observe(roundTripMs: number): void {
    if (!Number.isFinite(roundTripMs) || roundTripMs < 0) return;
    if (this.recent.length < this.window) this.recent.push(roundTripMs);
    else this.recent[this.next] = roundTripMs;
    this.next = (this.next + 1) % this.window;
  }

  /** The lateness to close seconds with now (ms). */
  current(): number {
    let worst = 0;
    for (const v of this.recent) if (v > worst) worst = v;
    if (!this.recent.length) return this.floorMs;
    return Math.min(this.maxMs, Math.max(this.floorMs, Math.ceil(worst + this.marginMs)));
  }
}
