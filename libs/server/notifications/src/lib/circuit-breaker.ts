export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive transient failures that open the breaker. */
  failureThreshold: number;
  /** Time an open breaker rejects sends before letting one probe through. */
  cooldownMs: number;
}

export type BreakerPermit = { allowed: true; probe: boolean } | { allowed: false; retryInMs: number };

/**
 * Per-channel circuit breaker: closed → open after `failureThreshold` consecutive failures → after `cooldownMs`
 * half-open, where exactly one probe send is let through: success closes it, failure re-opens it for another
 * cool-off. Constant memory; time is passed in so it can be tested without a clock.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private probing = false;

  constructor(private readonly opts: BreakerOptions) {
    if (!(opts.failureThreshold >= 1) || !(opts.cooldownMs >= 0)) throw new RangeError('failureThreshold must be >= 1 and cooldownMs >= 0');
  }

  state(now: number): BreakerState {
    if (this.openedAt === null) return 'closed';
    return now - this.openedAt >= this.opts.cooldownMs ? 'half_open' : 'open';
  }

  /** Consecutive failures counted while closed. */
  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Ask to send. A granted probe must be followed by success() or failure() (or release() if it never ran). */
  acquire(now: number): BreakerPermit {
    const state = this.state(now);
    if (state === 'closed') return { allowed: true, probe: false };
    if (state === 'open') return { allowed: false, retryInMs: this.opts.cooldownMs - (now - (this.openedAt ?? now)) };
    if (this.probing) return { allowed: false, retryInMs: this.opts.cooldownMs };
    this.probing = true;
    return { allowed: true, probe: true };
  }

  success(): void {
    this.failures = 0;
    this.openedAt = null;
    this.probing = false;
  }

  failure(now: number, probe: boolean): void {
    if (probe) {
      this.probing = false;
      this.openedAt = now;
      return;
    }
    if (this.openedAt !== null) return; // a send started before the breaker opened
    this.failures += 1;
    if (this.failures >= this.opts.failureThreshold) this.openedAt = now;
  }

  /** A granted probe that ended without telling anything about the channel (e.g. a permanent destination error). */
  release(probe: boolean): void {
    if (probe) this.probing = false;
  }
}
