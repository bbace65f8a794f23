/** Events per second over a sliding window, in O(1) memory (one counter per whole second). */
export class RateMeter {
  private readonly buckets: number[];
  private readonly stamps: number[];

  constructor(private readonly windowS = 5) {
    this.buckets = new Array(windowS).fill(0);
    this.stamps = new Array(windowS).fill(-1);
  }

  mark(nowMs: number, n = 1): void {
    const sec = Math.floor(nowMs / 1000);
    const i = sec % this.windowS;
    if (this.stamps[i] !== sec) {
      this.stamps[i] = sec;
      this.buckets[i] = 0;
    }
    this.buckets[i] += n;
  }

  /** Mean rate over the last `windowS` complete-or-current seconds. */
  rate(nowMs: number): number {
    const sec = Math.floor(nowMs / 1000);
    let total = 0;
    for (let k = 0; k < this.windowS; k++) if (this.stamps[k] > sec - this.windowS && this.stamps[k] <= sec) total += this.buckets[k];
    return Math.round((total / this.windowS) * 100) / 100;
  }
}
