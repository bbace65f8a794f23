export interface BackoffOptions {
  /** First retry delay. */
  initialMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": the n-th delay is uniform in [base/2, base], base = min(maxMs, initialMs * 2^n).
 * Jitter spreads reconnects of many cameras after a shared outage.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly opts: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {
    if (!(opts.initialMs > 0) || !(opts.maxMs >= opts.initialMs)) {
      throw new RangeError(`backoff needs 0 < initialMs <= maxMs, got initialMs=${opts.initialMs} maxMs=${opts.maxMs}`);
    }
  }

  /** Retries handed out since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The delay before the next retry (advances the exponent). */
  next(): number {
    const base = Math.min(this.opts.maxMs, this.opts.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(base / 2 + (base / 2) * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}
