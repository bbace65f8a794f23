import { FrameBuffer } from './frame-buffer';

/** Events per second over a sliding window (default 5 s), from a bounded list of event times. */
export class FrameRateWindow {
  private readonly times: FrameBuffer<number>;
  private since: number;

  constructor(
    private readonly windowMs = 5000,
    maxEvents = 1024,
    now = Date.now(),
  ) {
    this.times = new FrameBuffer<number>(maxEvents);
    this.since = now;
  }

  /** Forget all events; the window starts at `now`. */
  reset(now: number): void {
    this.times.clear();
    this.since = now;
  }

  record(now: number): void {
    this.times.push(now);
    this.prune(now);
  }

  /** Events per second in the last window; while younger than the window, over the time since reset (at least 1 s). */
  rate(now: number): number {
    this.prune(now);
    const spanMs = Math.min(this.windowMs, Math.max(1000, now - this.since));
    return (this.times.size * 1000) / spanMs;
  }

  private prune(now: number): void {
    const cutoff = now - this.windowMs;
    while (this.times.size > 0 && (this.times.peek() as number) <= cutoff) this.times.shift();
  }
}
