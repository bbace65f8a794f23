import type {
  CameraHealth,
  CameraStatus,
  CameraStatusEvent,
  CountEstimate,
  CountMethod,
  DetectOptions,
  Detection,
  FrameDetections,
  RawFrame,
  TrackedPerson,
} from '@crowdsafe/contracts';
import type { LiveEventsPublisher } from '@crowdsafe/server-core';
import { redactUrl } from '@crowdsafe/server-core';
import { PerSecondAggregator } from '@crowdsafe/server-metrics';
import { PeopleCounter, type PeopleCounterOptions, type RoiPolygon } from '@crowdsafe/vision';
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
  /** Tracking-based counting (see PeopleCounter). Default: 5 fps, whole frame, default tracker parameters. */
  counting?: CameraCountingOptions;
}

export interface CameraCountingOptions {
  /**
   * Rate frames are decoded and processed at: the camera's target FPS (not the video's rate). The tracker's frame
   * rate, so that its buffer (1 s) and frame indices keep their meaning in seconds.
   */
  fps: number;
  /** Counting region, normalised to the frame (settings.detection.roi); null/omitted = the whole frame. */
  roi?: RoiPolygon | null;
  tracker?: PeopleCounterOptions['tracker'];
  coastSeconds?: number;
}

export interface CameraSnapshot {
  count: number | null;
  countAt: number | null;
  detections: Detection[];
  /** The last frame's count with its method and range (null before the first processed frame). */
  estimate?: CountEstimate | null;
  /** Confirmed tracks of the last processed frame, source-frame pixels. */
  tracks?: TrackedPerson[];
}

/** Per open second: the pipeline's method and range, next to the aggregator's count. */
interface SecondExtras {
  method: CountMethod;
  lowSum: number;
  highSum: number;
  frames: number;
}

const DEFAULT_COUNTING_FPS = 5;

/**
 * The single owner of one camera's live state: its frame source, bounded frame buffer, in-flight inference,
 * tracker, per-second aggregation and live publishing. Frames flow: source -> buffer (drop-oldest) -> detect (one
 * in flight per camera; the inference client batches across cameras) -> PeopleCounter (BoT-SORT + count) ->
 * per-second row + live events.
 *
 * The tracker (one per camera, owned here) advances by the frames' `seq` (a gap = frames dropped or stale, which the
 * tracker predicts through). It is reset, and the count falls back to the detection count while it warms up
 * (minHits - 1 frames), when the stream jumps: after the source reported a status other than 'online' (ffmpeg
 * restart, reconnect), when `seq` goes backwards, and when processed frames are further apart in capture time than
 * the tracker keeps lost tracks (every track would have expired anyway). A looping file source (ffmpeg
 * -stream_loop) is one continuous stream for the runtime: the cut at the loop point is handled by the tracker
 * like any scene change (old tracks expire within 1 s, new people are confirmed after minHits frames).
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
  private last: CameraSnapshot = { count: null, countAt: null, detections: [], estimate: null, tracks: [] };
  private readonly counter: PeopleCounter;
  private readonly countingFps: number;
  /** Tracker frame index = seq - seqBase. */
  private seqBase = 0;
  private lastSeq?: number;
  private lastCapturedAt?: number;
  private resetPending = false;
  private trackerResets = 0;
  private readonly seconds = new Map<number, SecondExtras>();

  constructor(
    readonly options: CameraRuntimeOptions,
    private readonly deps: CameraRuntimeDeps,
  ) {
    this.buffer = new FrameBuffer<RawFrame>(options.frameQueueSize);
    this.now = deps.now ?? Date.now;
    const counting = options.counting ?? { fps: DEFAULT_COUNTING_FPS };
    this.countingFps = counting.fps;
    this.counter = new PeopleCounter({
      frameRate: counting.fps,
      roi: counting.roi ?? null,
      tracker: counting.tracker,
      coastSeconds: counting.coastSeconds,
      detectionMethod: options.detect.tiling === 'on' ? 'tiled-detection' : 'detection',
    });
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

  /** Tracker state: resets since start, ids issued, live tracks. */
  trackerStats(): { resets: number; trackIds: number; tracked: number; tentative: number; lost: number } {
    const s = this.counter.stats;
    return { resets: this.trackerResets, trackIds: s.confirmedTotal, tracked: s.tracked, tentative: s.tentative, lost: s.lost };
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

  /** Tracker frame index of a frame, resetting the tracker first when the stream jumped (see the class doc). */
  private trackerFrameIndex(frame: RawFrame): number {
    const maxGapMs = ((this.counter.stats.maxTimeLost + 1) * 1000) / this.countingFps;
    const jumped =
      this.lastSeq !== undefined &&
      (this.resetPending || frame.seq <= this.lastSeq || frame.capturedAt - (this.lastCapturedAt ?? frame.capturedAt) > maxGapMs);
    if (jumped) {
      this.counter.reset();
      this.trackerResets++;
    }
    if (this.lastSeq === undefined || jumped) this.seqBase = frame.seq - 1;
    this.resetPending = false;
    this.lastSeq = frame.seq;
    this.lastCapturedAt = frame.capturedAt;
    return frame.seq - this.seqBase;
  }

  private onDetections(frame: RawFrame, detections: Detection[]): void {
    const now = this.now();
    this.framesProcessed++;
    this.outRate.mark(now);
    const result = this.counter.process(detections, this.trackerFrameIndex(frame), frame);
    const estimate = result.count;
    const count = estimate.count;
    this.last = { count, countAt: frame.capturedAt, detections, estimate, tracks: result.tracks };
    if (this.aggregator.add(frame.capturedAt, count)) this.addSecondExtras(frame.capturedAt, estimate);
    if (!this.encoding && this.deps.live.wantsFrames(this.cameraId)) {
      // One encode at a time per camera: frames that arrive meanwhile are simply not sent.
      this.encoding = true;
      const tracks = result.tracks;
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
            tracks: rescaleTracks(tracks, enc.width / frame.width),
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
    let method: CountMethod = 'detection';
    for (const sec of done) {
      const key = sec.time.getTime() / 1000;
      const extras = this.seconds.get(key);
      method = extras?.method ?? 'detection';
      const range = extras ? { low: Math.round(extras.lowSum / extras.frames), high: Math.round(extras.highSum / extras.frames) } : {};
      this.deps.writeMetrics({
        cameraId: this.cameraId,
        time: sec.time,
        count: sec.count,
        countMax: sec.countMax,
        metadata: { countMin: sec.countMin, frames: sec.frames, method, ...range, fpsIn: health.fpsIn, dropped: health.droppedFrames },
      });
    }
    const latest = done[done.length - 1];
    const closedThrough = latest.time.getTime() / 1000;
    for (const key of this.seconds.keys()) if (key <= closedThrough) this.seconds.delete(key);
    this.deps.live.publishMetrics({
      cameraId: this.cameraId,
      time: latest.time.toISOString(),
      count: latest.count,
      countMax: latest.countMax,
      countMethod: method,
      frames: latest.frames,
      health,
    });
  }

  /** A second's method is the method of its latest frame; low/high are averaged like the count. */
  private addSecondExtras(capturedAt: number, estimate: CountEstimate): void {
    const key = Math.floor(capturedAt / 1000);
    const e = this.seconds.get(key);
    if (e) {
      e.method = estimate.method;
      e.lowSum += estimate.low;
      e.highSum += estimate.high;
      e.frames++;
    } else {
      this.seconds.set(key, { method: estimate.method, lowSum: estimate.low, highSum: estimate.high, frames: 1 });
      if (this.seconds.size > 256) this.seconds.delete(Math.min(...this.seconds.keys())); // the aggregator dropped it too
    }
  }

  private setStatus(status: CameraStatus, reason?: string): void {
    // Anything but 'online' means the stream broke (restart, reconnect, end): the next frame starts a new track set.
    if (status !== 'online') this.resetPending = true;
    const clean = reason ? redactUrl(reason) : undefined;
    if (status === this.status && clean === this.statusReason) return; // write only on meaningful change
    this.status = status;
    this.statusReason = clean;
    this.deps.saveStatus(status, clean ?? null);
    const event: CameraStatusEvent = { cameraId: this.cameraId, status, reason: clean, at: new Date(this.now()).toISOString() };
    this.deps.live.publishCameraStatus(event);
  }
}

/** Tracks rescaled to the encoded live frame, rounded like the encoder's detections. */
function rescaleTracks(tracks: readonly TrackedPerson[], scale: number): TrackedPerson[] {
  const r = (v: number) => Math.round(v * scale * 10) / 10;
  return tracks.map((t) => ({
    ...t,
    box: { x1: r(t.box.x1), y1: r(t.box.y1), x2: r(t.box.x2), y2: r(t.box.y2) },
    velocity: { vx: r(t.velocity.vx), vy: r(t.velocity.vy) },
  }));
}
