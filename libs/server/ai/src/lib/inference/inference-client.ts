import { type OnModuleDestroy } from '@nestjs/common';
import type { DetectBatchPayload, DetectBatchResult, DetectOptions, FrameDetections, FrameRef } from '@crowdsafe/contracts';
import { JobDispatcher } from '../jobs/job-dispatcher';

export interface InferenceClientOptions {
  /** Frames per detect-batch job (INFERENCE_BATCH_SIZE). */
  batchSize: number;
  /** Jobs in flight at once (INFERENCE_MAX_IN_FLIGHT). */
  maxInFlight: number;
  /** Requests waiting for a job; beyond it the oldest is rejected with FrameDroppedError. Default 4 x batchSize x maxInFlight (min 16). */
  maxPending?: number;
}

export interface InferenceStats {
  /** Jobs finished (succeeded or failed). */
  jobs: number;
  /** Frames sent in those jobs. */
  frames: number;
  meanBatchSize: number;
  /** Requests rejected because the pending queue was full (oldest first). */
  dropped: number;
  /** Frames that had expired from the frame store before the worker read them. */
  missing: number;
  failedJobs: number;
  inFlight: number;
  pending: number;
  lastError?: string;
  /** Round trip of successful jobs (dispatch to result), ms, over the last LATENCY_WINDOW jobs (null before one). */
  latencyMs: { p50: number | null; p95: number | null; samples: number };
}

/** Successful jobs whose round trip feeds the latency percentiles (a ring: bounded memory). */
export const LATENCY_WINDOW = 256;

/** A request was dropped before it reached a job: the pending queue was full (oldest goes first) or shutdown. */
export class FrameDroppedError extends Error {
  constructor(
    readonly ref: FrameRef,
    readonly reason: 'queue-full' | 'shutdown',
  ) {
    super(
      reason === 'queue-full'
        ? `frame ${ref.cameraId}#${ref.seq} dropped: inference queue full (oldest request dropped first)`
        : `frame ${ref.cameraId}#${ref.seq} dropped: inference client shutting down`,
    );
    this.name = 'FrameDroppedError';
  }
}

interface Pending {
  ref: FrameRef;
  options: DetectOptions | undefined;
  optionsKey: string;
  resolve: (r: FrameDetections) => void;
  reject: (e: Error) => void;
}

/** A finished detect-batch job (InferenceClient.onJob). */
export interface InferenceJobDone {
  frames: number;
  /** Model passes: per frame 1 global pass + its scheduled slices (tiling 'on'/'auto' counts 1: unknown here). */
  passes: number;
  /** performance.now() at dispatch and at the result. */
  startedAt: number;
  endedAt: number;
}

function passesOf(o: DetectOptions | undefined): number {
  return 1 + (o?.slices?.length ?? 0);
}

/** Canonical key of per-camera options (two requests of one camera share a job only with equal options). */
function optionsKey(o: DetectOptions | undefined): string {
  // Scheduled slices differ frame to frame: two frames of one camera share a job only with the same slices.
  return o ? JSON.stringify([o.confidence ?? null, o.iou ?? null, o.maxDetections ?? null, o.tiling ?? null, o.slices ?? null]) : '';
}

/**
 * What camera pipelines call. Requests from every camera are pooled into detect-batch jobs of up to
 * batchSize frames, with at most maxInFlight jobs outstanding. No timer: a job leaves as soon as a slot is
 * free, so batches grow by themselves while inference is the bottleneck (continuous batching) and a lone
 * request never waits for company.
 */
export class InferenceClient implements OnModuleDestroy {
  private readonly pending: Pending[] = [];
  private readonly maxPending: number;
  private inFlight = 0;
  private closed = false;
  private readonly counters = { jobs: 0, frames: 0, dropped: 0, missing: 0, failedJobs: 0 };
  private lastError?: string;
  private readonly latencies = new Float64Array(LATENCY_WINDOW);
  private latencyCount = 0;
  private readonly latencyListeners = new Set<(cameraIds: readonly string[], ms: number) => void>();
  private readonly jobListeners = new Set<(job: InferenceJobDone) => void>();

  constructor(
    private readonly dispatcher: JobDispatcher,
    private readonly opts: InferenceClientOptions,
  ) {
    for (const k of ['batchSize', 'maxInFlight'] as const) {
      if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new RangeError(`${k} must be a positive integer, got ${opts[k]}`);
    }
    this.maxPending = opts.maxPending ?? Math.max(16, 4 * opts.batchSize * opts.maxInFlight);
    if (!Number.isInteger(this.maxPending) || this.maxPending < 1) {
      throw new RangeError(`maxPending must be a positive integer, got ${opts.maxPending}`);
    }
  }

  /** Person detections for one stored frame. Rejects with FrameDroppedError when the request was dropped. */
  detect(ref: FrameRef, options?: DetectOptions): Promise<FrameDetections> {
    if (this.closed) return Promise.reject(new FrameDroppedError(ref, 'shutdown'));
    return new Promise<FrameDetections>((resolve, reject) => {
      this.pending.push({ ref, options, optionsKey: optionsKey(options), resolve, reject });
      while (this.pending.length > this.maxPending) {
        const oldest = this.pending.shift() as Pending;
        this.counters.dropped++;
        oldest.reject(new FrameDroppedError(oldest.ref, 'queue-full'));
      }
      this.pump();
    });
  }

  stats(): InferenceStats {
    const { jobs, frames } = this.counters;
    return {
      ...this.counters,
      meanBatchSize: jobs ? frames / jobs : 0,
      inFlight: this.inFlight,
      pending: this.pending.length,
      latencyMs: this.latencyPercentiles(),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  /** Calls `fn` with the cameras of every successful job and its round trip in ms (Prometheus histograms); returns the unsubscribe. */
  onLatency(fn: (cameraIds: readonly string[], ms: number) => void): () => void {
    this.latencyListeners.add(fn);
    return () => this.latencyListeners.delete(fn);
  }

  /**
   * Calls `fn` after every successful job with its model passes and dispatch/completion times (performance.now()):
   * what the pass budget's capacity meter measures. Returns the unsubscribe.
   */
  onJob(fn: (job: InferenceJobDone) => void): () => void {
    this.jobListeners.add(fn);
    return () => this.jobListeners.delete(fn);
  }

  onModuleDestroy(): void {
    this.closed = true;
    for (const p of this.pending.splice(0)) {
      this.counters.dropped++;
      p.reject(new FrameDroppedError(p.ref, 'shutdown'));
    }
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.opts.maxInFlight && this.pending.length > 0) {
      const batch = this.takeBatch();
      this.inFlight++;
      void this.run(batch);
    }
  }

  /** Oldest requests first, up to batchSize; a request whose camera already has other options waits. */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const cameraOptions = new Map<string, string>();
    for (let i = 0; i < this.pending.length && batch.length < this.opts.batchSize; ) {
      const p = this.pending[i];
      const seen = cameraOptions.get(p.ref.cameraId);
      if (seen !== undefined && seen !== p.optionsKey) {
        i++;
        continue;
      }
      cameraOptions.set(p.ref.cameraId, p.optionsKey);
      batch.push(p);
      this.pending.splice(i, 1);
    }
    return batch;
  }

  /** Nearest-rank p50/p95 of the recorded round trips, ms (1 decimal). */
  private latencyPercentiles(): InferenceStats['latencyMs'] {
    const n = Math.min(this.latencyCount, LATENCY_WINDOW);
    if (n === 0) return { p50: null, p95: null, samples: 0 };
    const sorted = Array.from(this.latencies.subarray(0, n)).sort((a, b) => a - b);
    const at = (p: number) => Math.round((sorted[Math.min(n, Math.max(1, Math.ceil((p / 100) * n))) - 1] ?? 0) * 10) / 10;
    return { p50: at(50), p95: at(95), samples: n };
  }

  private async run(batch: Pending[]): Promise<void> {
    const payload: DetectBatchPayload = { frames: batch.map((p) => p.ref) };
    for (const p of batch) {
      if (p.options) (payload.options ??= {})[p.ref.cameraId] = p.options;
    }
    try {
      const t0 = performance.now();
      const result: DetectBatchResult = await this.dispatcher.dispatch('detect-batch', payload);
      const t1 = performance.now();
      const ms = t1 - t0;
      if (this.jobListeners.size) {
        const done: InferenceJobDone = { frames: batch.length, passes: batch.reduce((n, p) => n + passesOf(p.options), 0), startedAt: t0, endedAt: t1 };
        for (const fn of this.jobListeners) fn(done);
      }
      this.latencies[this.latencyCount++ % LATENCY_WINDOW] = ms;
      if (this.latencyListeners.size) {
        const ids = batch.map((p) => p.ref.cameraId);
        for (const fn of this.latencyListeners) fn(ids, ms);
      }
      batch.forEach((p, i) => {
        const r = result.results?.[i];
        if (!r || r.cameraId !== p.ref.cameraId || r.seq !== p.ref.seq) {
          p.reject(new Error(`detect-batch result ${i} does not match frame ${p.ref.cameraId}#${p.ref.seq}`));
          return;
        }
        if (r.missing) this.counters.missing++;
        p.resolve(r);
      });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      this.counters.failedJobs++;
      this.lastError = err.message;
      for (const p of batch) p.reject(err);
    } finally {
      this.counters.jobs++;
      this.counters.frames += batch.length;
      this.inFlight--;
      this.pump();
    }
  }
}
