import type {
  CameraHealth,
  CameraStatus,
  CameraStatusEvent,
  DetectOptions,
  Detection,
  FrameDetections,
  RawFrame,
} from '@crowdsafe/contracts';
import type { LiveEventsPublisher } from '@crowdsafe/server-core';
import { redactUrl } from '@crowdsafe/server-core';
import { PerSecondAggregator } from '@crowdsafe/server-metrics';
import { FrameBuffer } from '../ingest';
import type { LiveFrameEncoder } from './live-frame-encoder';
import { RateMeter } from './rate-meter';

/** What a runtime needs from the outside world; each is an injected edge (ffmpeg, queue, DB, sockets). */
export interface CameraRuntimeDeps {
  /** Starts decoding; calls back with frames and status changes. */
  createSource(handlers: {
    onFrame(frame: RawFrame): void;
    onStatus(status: CameraStatus, reason?: string): void;
  }): FrameSourceHandle;
  /** Stores the frame and runs detection on it (batched with other cameras' frames by the caller). */
  detect(frame: RawFrame, options: DetectOptions): Promise<FrameDetections>;
  /** A completed second of metrics, to be written in a batch. */
  writeMetrics(row: { cameraId: string; time: Date; count: number; countMax: number; metadata: Record<string, unknown> }): void;
  /** Status changed (persist it). */
  saveStatus(status: CameraStatus, reason: string | null): void;
  live: LiveEventsPublisher;
  encoder: LiveFrameEncoder;
  now?: () => number;
}

export interface FrameSourceHandle {
  start(): Promise<void> | void;
  stop(): Promise<void>;
  stats(): { framesDecoded: number; restarts: number; lastFrameAt: number | null };
}

export interface CameraRuntimeOptions {
  cameraId: string;
  frameQueueSize: number;
  frameMaxAgeMs: number;
  detect: DetectOptions;
  /** Seconds are closed (aggregated and published) this long after they end, to let in-flight frames land. */
  metricsLatenessMs?: number;
}

export interface CameraSnapshot {
  count: number | null;
  countAt: number | null;
  detections: Detection[];
}

/**
 * The single owner of one camera's live state: its frame source, bounded frame buffer, in-flight inference,
 * per-second aggregation and live publishing. Frames flow: source -> buffer (drop-oldest) -> detect (one in flight
 * per camera; the inference client batches across cameras) -> count -> per-second row + live events.
 */
export class CameraRuntime {
  private readonly buffer: FrameBuffer<RawFrame>;
  private readonly aggregator = new PerSecondAggregator();
  private readonly inRate = new RateMeter(5);
  private readonly outRate = new RateMeter(5);
  private readonly now: () => number;
  private source?: FrameSourceHandle;
  private status: CameraStatus = 'offline';
  private statusReason?: string;
  private pumping = false;
  private encoding = false;
  private stopped = true;
  private ticker?: NodeJS.Timeout;
  private staleFrames = 0;
  private inferenceErrors = 0;
  private framesProcessed = 0;
  private lastError?: string;
  private last: CameraSnapshot = { count: null, countAt: null, detections: [] };

  constructor(
    readonly options: CameraRuntimeOptions,
    private readonly deps: CameraRuntimeDeps,
  ) {
    this.buffer = new FrameBuffer<RawFrame>(options.frameQueueSize);
    this.now = deps.now ?? Date.now;
  }

  get cameraId(): string {
    return this.options.cameraId;
  }

  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.setStatus('connecting');
    this.source = this.deps.createSource({
      onFrame: (f) => this.onFrame(f),
      onStatus: (s, reason) => this.setStatus(s, reason),
    });
    this.ticker = setInterval(() => this.tick(), 1000);
    this.ticker.unref();
    await this.source.start();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    this.buffer.clear();
    await this.source?.stop();
    this.tick(Number.POSITIVE_INFINITY);
    this.setStatus('offline', 'stopped');
  }

  health(): CameraHealth {
    const now = this.now();
    const s = this.source?.stats();
    return {
      status: this.status,
      reason: this.statusReason,
      lastFrameAgeMs: s?.lastFrameAt ? Math.max(0, now - s.lastFrameAt) : null,
      fpsIn: this.inRate.rate(now),
      fpsOut: this.outRate.rate(now),
      droppedFrames: this.buffer.dropped,
      staleFrames: this.staleFrames,
      restarts: s?.restarts ?? 0,
      framesDecoded: s?.framesDecoded ?? 0,
      framesProcessed: this.framesProcessed,
    };
  }

  snapshot(): CameraSnapshot {
    return this.last;
  }

  get errors(): { inferenceErrors: number; lastError?: string } {
    return { inferenceErrors: this.inferenceErrors, lastError: this.lastError };
  }

  private onFrame(frame: RawFrame): void {
    if (this.stopped) return;
    this.inRate.mark(this.now());
    this.buffer.push(frame); // when full the oldest frame is dropped and counted by the buffer
    void this.pump();
  }

  /** Drains the buffer with at most one inference in flight for this camera. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let frame: RawFrame | undefined;
      while (!this.stopped && (frame = this.buffer.shift())) {
        if (this.now() - frame.capturedAt > this.options.frameMaxAgeMs) {
          this.staleFrames++;
          continue;
        }
        try {
          const result = await this.deps.detect(frame, this.options.detect);
          if (!result.missing) this.onDetections(frame, result.detections);
        } catch (err) {
          this.inferenceErrors++;
          this.lastError = redactUrl(err instanceof Error ? err.message : String(err));
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private onDetections(frame: RawFrame, detections: Detection[]): void {
    const now = this.now();
    this.framesProcessed++;
    this.outRate.mark(now);
    const count = detections.length;
    this.last = { count, countAt: frame.capturedAt, detections };
    this.aggregator.add(frame.capturedAt, count);
    if (!this.encoding && this.deps.live.wantsFrames(this.cameraId)) {
      // One encode at a time per camera: frames that arrive meanwhile are simply not sent.
      this.encoding = true;
      this.deps.encoder
        .encode(frame, detections)
        .then((enc) =>
          this.deps.live.publishFrame({
            cameraId: this.cameraId,
            seq: frame.seq,
            capturedAt: frame.capturedAt,
            width: enc.width,
            height: enc.height,
            jpeg: enc.jpeg,
            detections: enc.detections,
            count,
          }),
        )
        .catch((err: unknown) => (this.lastError = `live frame encoding failed: ${String(err)}`))
        .finally(() => (this.encoding = false));
    }
  }

  /** Once a second: close finished seconds, write their rows and publish `metrics_update`. */
  private tick(nowMs = this.now()): void {
    const lateness = this.options.metricsLatenessMs ?? 1500;
    const done = this.aggregator.flush(nowMs, Number.isFinite(nowMs) ? lateness : 0);
    if (!done.length) return;
    const health = this.health();
    for (const sec of done) {
      this.deps.writeMetrics({
        cameraId: this.cameraId,
        time: sec.time,
        count: sec.count,
        countMax: sec.countMax,
        metadata: { countMin: sec.countMin, frames: sec.frames, method: 'detection', fpsIn: health.fpsIn, dropped: health.droppedFrames },
      });
    }
    const latest = done[done.length - 1];
    this.deps.live.publishMetrics({
      cameraId: this.cameraId,
      time: latest.time.toISOString(),
      count: latest.count,
      countMax: latest.countMax,
      countMethod: 'detection',
      frames: latest.frames,
      health,
    });
  }

  private setStatus(status: CameraStatus, reason?: string): void {
    const clean = reason ? redactUrl(reason) : undefined;
    if (status === this.status && clean === this.statusReason) return; // write only on meaningful change
    this.status = status;
    this.statusReason = clean;
    this.deps.saveStatus(status, clean ?? null);
    const event: CameraStatusEvent = { cameraId: this.cameraId, status, reason: clean, at: new Date(this.now()).toISOString() };
    this.deps.live.publishCameraStatus(event);
  }
}
