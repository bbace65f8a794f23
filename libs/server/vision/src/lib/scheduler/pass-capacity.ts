/** One finished detection job, as the process that sent it saw it. */
export interface PassJob {
  /** Model passes the job ran (per frame: 1 global pass + its scheduled slices). */
  passes: number;
  /** Dispatch and completion times, ms (one clock, e.g. performance.now()). */
  startedAt: number;
  endedAt: number;
}

export interface PassCapacityOptions {
  /** Busy time (ms with at least one job in flight) that makes one throughput sample. Default 1000. */
  sampleBusyMs?: number;
  /** EWMA weight of a new sample, (0, 1]. Default 0.3 (a change is mostly followed within ~5 samples). */
  alpha?: number;
}

/**
 * The detector's sustained throughput, measured where inference is used: model passes completed per second of
 * busy wall time (time with at least one job in flight, overlapping jobs counted once), averaged over samples of
 * `sampleBusyMs` busy time and smoothed by an EWMA. Round trips are what the camera pipeline waits for, so the
 * figure follows whatever slows the passes down: other cameras' jobs, density runs, queue lateness in distributed
 * mode, other load on the machine. O(1) state: no history is kept beyond the current sample and the average.
 * Jobs are assumed to complete roughly in start order (a job finishing inside an earlier one's span adds only its
 * part past the previous completion: the busy time is slightly under-counted, never double-counted).
 */
export class PassCapacityMeter {
  private readonly sampleBusyMs: number;
  private readonly alpha: number;
  private busyUntil = Number.NEGATIVE_INFINITY;
  private samplePasses = 0;
  private sampleMs = 0;
  private ewma: number | null = null;
  private sampleCount = 0;

  constructor(opts: PassCapacityOptions = {}) {
    const busy = opts.sampleBusyMs ?? 1000;
    if (!(busy > 0) || !Number.isFinite(busy)) throw new RangeError(`sampleBusyMs must be a positive number, got ${opts.sampleBusyMs}`);
    const alpha = opts.alpha ?? 0.3;
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`alpha must be in (0, 1], got ${opts.alpha}`);
    this.sampleBusyMs = busy;
    this.alpha = alpha;
  }

  /** Records a finished job; returns the estimate (passes per second, null until the first sample). */
  observe(job: PassJob): number | null {
    if (!(job.passes >= 0) || !Number.isFinite(job.passes)) throw new RangeError(`passes must be a non-negative number, got ${job.passes}`);
    if (!Number.isFinite(job.startedAt) || !Number.isFinite(job.endedAt) || job.endedAt < job.startedAt) {
      throw new RangeError(`endedAt must be a time at or after startedAt, got startedAt ${job.startedAt}, endedAt ${job.endedAt}`);
    }
    const busy = Math.max(0, job.endedAt - Math.max(job.startedAt, this.busyUntil));
    this.busyUntil = Math.max(this.busyUntil, job.endedAt);
    this.samplePasses += job.passes;
    this.sampleMs += busy;
    if (this.sampleMs >= this.sampleBusyMs) {
      const rate = this.samplePasses / (this.sampleMs / 1000);
      this.ewma = this.ewma === null ? rate : this.ewma + this.alpha * (rate - this.ewma);
      this.sampleCount++;
      this.samplePasses = 0;
      this.sampleMs = 0;
    }
    return this.ewma;
  }

  /** Sustained model passes per second (null before the first sample). */
  get passesPerSecond(): number | null {
    return this.ewma;
  }

  /** Wall time per pass, ms (null before the first sample). */
  get msPerPass(): number | null {
    return this.ewma === null || this.ewma <= 0 ? null : 1000 / this.ewma;
  }

  /** Samples averaged so far. */
  get samples(): number {
    return this.sampleCount;
  }
}
