import type { Alert, ActionResult, AlertTiming, MetricsUpdate, RoutingTable, TriggerThresholds } from '@crowdsafe/alerting';
import type { CrowdAnalyzer } from '@crowdsafe/analytics';
import type { CameraHealth, CameraStatus, CameraStatusEvent, Detection, RawFrame, RiskLevel } from '@crowdsafe/contracts';
import {
  type AlertSinkPort,
  alertInputOf,
  type AnalyticsStatus,
  AdaptiveLateness,
  CameraPipeline,
  type CrossingSinkPort,
  type DensityPort,
  type DensitySample,
  type FrameSourceHandle,
  type FrameSourcePort,
  type InferencePort,
  type LivePublisher,
  metricsRowOf,
  type MetricsSink,
  metricsUpdateEventOf,
  type SecondResult,
  type StatusStore,
  type TrackerStats,
} from '@crowdsafe/pipeline';
import type { RiskConfig } from '@crowdsafe/risk';
import { redactUrl } from '@crowdsafe/server-core';
import { FrameBuffer } from '../ingest';
import { lazyAlertSnapshot } from './alert-snapshot';
import { type AnnotationSettings, DEFAULT_ANNOTATION } from './annotation';
import type { LiveFrameEncoder, LiveFrameSink } from './live-frame-encoder';
import { LiveView } from './live-view';
import type { CameraRuntimeOptions, CameraSnapshot } from './camera-runtime-options';

export type { CameraRuntimeOptions, CameraSnapshot } from './camera-runtime-options';
import { RateMeter } from './rate-meter';
import { StartTrace } from './start-trace';

/** What a runtime needs from the outside world: its ports (see libs/server/pipeline/src/lib/ports.ts). */
export interface CameraRuntimeDeps {
  /** Source: starts decoding; calls back with frames and status changes. */
  createSource: FrameSourcePort;
  /** Frame store + inference: stores the frame and runs detection on it (batched with other cameras' frames). */
  detect: InferencePort;
  /** Closed seconds' metrics rows (written in batches by the implementation). */
  metrics: MetricsSink;
  /** Status changed (persist it). */
  saveStatus: StatusStore;
  live: LivePublisher;
  encoder: LiveFrameEncoder;
  /** Annotated live frames for the MJPEG endpoint (encoded only while it has viewers). Absent = socket frames only. */
  frameSink?: LiveFrameSink;
  /** Alerts: the runtime owns this camera's AlertEngine and hands its events here. Absent = no alerting. */
  alerts?: AlertSinkPort;
  /** Counting-line crossings, one frame's batch at a time (stored as crossing events). Absent = not stored. */
  crossings?: CrossingSinkPort;
  /** The density model, run at most once per `density.intervalMs` on a processed frame. Absent = tracked count only. */
  countDensity?: DensityPort;
  /** Logs a warning (density-model failures, at most once a minute). Default: none. */
  warn?(message: string): void;
  /** Logs an info line (the start's breakdown once its first second is out). Default: none. */
  log?(message: string): void;
  now?: () => number;
}

/** The most a second waits for frames still in detection, however slow the round trips (AdaptiveLateness). */
const MAX_LATENESS_MS = 10_000;

/**
 * The single owner of one camera's live I/O: frame source, bounded frame buffer, in-flight inference, density runs,
 * live frames and the ports its results go to. The computation is the pure CameraPipeline (libs/server/pipeline).
 * Frames flow: source -> buffer (drop-oldest; a live source's inference takes the newest queued frame) -> detect
 * (one in flight per camera) -> pipeline.frame -> once a second pipeline.close -> metrics row, alerts,
 * metrics_update. Live-view frames branch off at the source, before the buffer (see encodeLive): the picture never
 * waits for detection, the overlay is the latest processed frame's.
 */
export class CameraRuntime {
  private readonly buffer: FrameBuffer<RawFrame>;
  private readonly pipeline: CameraPipeline;
  private readonly inRate = new RateMeter(5);
  private readonly outRate = new RateMeter(5);
  private readonly now: () => number;
  private readonly warn: (message: string) => void;
  private source?: FrameSourceHandle;
  private status: CameraStatus = 'offline';
  private statusReason?: string;
  private readonly liveView: LiveView;
  private pumping = false;
  private stopped = true;
  private ticker?: NodeJS.Timeout;
  /** Live source: queued frames skipped because a newer one was waiting when inference became free. */
  private supersededFrames = 0;
  private staleFrames = 0;
  /** How long seconds wait for frames in detection: the configured floor, raised while round trips are slower. */
  private readonly lateness: AdaptiveLateness;
  private inferenceErrors = 0;
  private inferenceErrorsSeen = 0;
  private framesProcessed = 0;
  private latestRaw: RawFrame | null = null;
  /** Where this start's time goes, until its first second is published (then logged and dropped). */
  private trace: StartTrace | null = null;
  /** One tick at the moment the first second can close (the regular ticker may be up to 1 s later). */
  private firstClose?: NodeJS.Timeout;
  /** capturedAt of the frame in detection now (null: none). */
  private inFlightAt: number | null = null;
  /** The last processed frame (one buffer), for alert snapshots. */
  private lastFrame: RawFrame | null = null;
  private lastError?: string;
  private last: CameraSnapshot = { count: null, countAt: null, detections: [], estimate: null, tracks: [] };

  constructor(
    readonly options: CameraRuntimeOptions,
    private readonly deps: CameraRuntimeDeps,
  ) {
    this.buffer = new FrameBuffer<RawFrame>(options.frameQueueSize);
    this.now = deps.now ?? Date.now;
    this.warn = (m) => deps.warn?.(m);
    const floor = options.metricsLatenessMs ?? 1500;
    this.lateness = new AdaptiveLateness(floor, Math.max(floor, MAX_LATENESS_MS));
    const density = deps.countDensity && options.density ? options.density : null;
    this.pipeline = new CameraPipeline({
      cameraId: options.cameraId,
      detect: options.detect,
      counting: options.counting,
      density,
      collectPersonSizes: density !== null,
      analytics: options.analytics,
      autoCalibration: options.autoCalibration,
      risk: options.risk,
      alerting: deps.alerts ? (options.alerting?.engine ?? {}) : null,
      scheduling: options.scheduling,
      nowMs: this.now(),
      warn: this.warn,
    });
    const live = { fps: options.liveFps ?? this.pipeline.countingFps, maxAgeMs: options.frameMaxAgeMs, trackerFps: this.pipeline.countingFps };
    this.liveView = new LiveView(options.cameraId, deps, live, this.pipeline.analytics.current, (m) => (this.lastError = m));
  }

  get cameraId(): string {
    return this.options.cameraId;
  }

  /** Starts the source and the once-a-second close; `before` = steps of this start measured by the caller (ms). */
  async start(before: ReadonlyArray<{ name: string; ms?: number }> = []): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    this.trace = new StartTrace(this.now(), before);
    this.setStatus('connecting');
    this.source = this.deps.createSource({ onFrame: (f) => this.onFrame(f), onStatus: (s, reason) => this.setStatus(s, reason) });
    this.ticker = setInterval(() => this.tick(), 1000);
    this.ticker.unref();
    await this.source.start();
    this.trace?.mark('spawned', this.now());
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.ticker) clearInterval(this.ticker);
    clearTimeout(this.firstClose);
    this.trace = null;
    this.buffer.clear();
    await this.source?.stop();
    this.tick(Number.POSITIVE_INFINITY);
    this.setStatus('offline', 'stopped');
    this.pipeline.release();
  }

  health(): CameraHealth {
    const now = this.now();
    const s = this.source?.stats();
    const scheduler = this.pipeline.detection?.health();
    return {
      status: this.status,
      reason: this.statusReason,
      lastFrameAgeMs: s?.lastFrameAt ? Math.max(0, now - s.lastFrameAt) : null,
      fpsIn: this.inRate.rate(now),
      fpsOut: this.outRate.rate(now),
      droppedFrames: this.buffer.dropped + this.supersededFrames,
      staleFrames: this.staleFrames,
      restarts: s?.restarts ?? 0,
      framesDecoded: s?.framesDecoded ?? 0,
      framesProcessed: this.framesProcessed,
      skippedFrames: s?.skippedFrames ?? 0,
      bytesRead: s?.bytesRead ?? 0,
      decodeErrors: s?.decodeErrors ?? 0,
      ...(scheduler ? { scheduler } : {}),
    };
  }

  snapshot(): CameraSnapshot {
    return this.last;
  }

  /** The latest decoded frame (the camera API's snapshot), or null before the first one. One frame per camera. */
  latestFrame(): RawFrame | null {
    return this.latestRaw;
  }

  get errors(): { inferenceErrors: number; lastError?: string } {
    return { inferenceErrors: this.inferenceErrors, lastError: this.lastError };
  }

  // ---- read-outs and live settings, delegated to the pipeline's stages ----
  /** 'on' (real units), 'uncalibrated' (counts only) or 'off' (with the reason). */
  analyticsStatus(): AnalyticsStatus {
    return this.pipeline.analytics.status();
  }

  /** The crowd analyzer (live occupancy heatmap, busy hours), or null when analytics is off or uncalibrated. */
  crowdAnalyzer(): CrowdAnalyzer | null {
    return this.pipeline.analytics.crowdAnalyzer();
  }

  /** Density-model runs completed and failed since start, and the latest estimate (null when off or none yet). */
  densityStats(): { runs: number; errors: number; latest: DensitySample | null } {
    return this.pipeline.density.stats();
  }

  /** Tracker state: resets since start, ids issued, live tracks. */
  trackerStats(): TrackerStats {
    return this.pipeline.tracking.stats();
  }

  /** Applies new risk settings (RiskSettings) from the next second on; invalid = unchanged, warned, false. */
  setRiskSettings(raw: unknown): boolean {
    const r = this.pipeline.risk.setSettings(raw, new Date(this.now()));
    if (!r.ok) this.warn(`camera ${this.cameraId}: risk settings not applied (kept the previous ones): ${r.reason}`);
    return r.ok;
  }

  /** The risk config in force now (after per-camera overrides, profile and schedules). */
  riskConfig(): RiskConfig {
    return this.pipeline.risk.effectiveConfig(new Date(this.now()));
  }

  /** Spec 6.4: the risk level, annotation settings and tracks' rate the annotated frames are drawn with. */
  annotationOverlay(): { level: RiskLevel | null; settings: AnnotationSettings; fps: number } {
    return { level: this.pipeline.riskLevel, settings: this.options.annotation ?? DEFAULT_ANNOTATION, fps: this.pipeline.countingFps };
  }

  /** Alerts an earlier engine of this camera left active (a take-over): this engine continues them. */
  adoptAlerts(alerts: readonly Alert[]): number {
    return this.pipeline.alerting?.adopt(alerts, this.now()) ?? 0;
  }

  /**
   * Operator acknowledges / resolves one of this camera's alerts through its engine (the single truth). On success
   * the event goes to the sink; `persisted` settles when it is written and published. null: no engine here.
   */
  alertAction(kind: 'acknowledge' | 'resolve', alertId: string, user: string, actorId: string | null, notes?: string): (ActionResult & { persisted?: Promise<void> }) | null {
    const engine = this.pipeline.alerting;
    const sink = this.deps.alerts;
    if (!engine || !sink) return null;
    const res = engine.action(kind, alertId, user, this.now(), notes);
    if (!res.ok) return res;
    return { ...res, persisted: sink.handle(res.event, { actorId }) };
  }

  /** Alert timing from the settings API, applied live. No engine or a bad value: nothing changes, false. */
  setAlertTiming(timing: Partial<AlertTiming>): boolean {
    return this.pipeline.alerting?.setTiming(timing) ?? false;
  }

  /** Alert policy from the settings API (alerts.thresholds / alerts.routing), applied live; false = not applied. */
  setAlertPolicy(policy: { thresholds?: Partial<TriggerThresholds>; routing?: RoutingTable }): boolean {
    return this.pipeline.alerting?.setPolicy(policy) ?? false;
  }

  /** The alert engine's cooldown and all-clear delay in force (null without alerting). */
  alertTiming(): AlertTiming | null {
    return this.pipeline.alerting?.timing() ?? null;
  }

  /** Active alerts and engine sizes (monitoring, tests). */
  alertStats(): { cameras: number; slots: number; activeAlerts: number; resolvedIds: number } | null {
    return this.pipeline.alerting?.stats() ?? null;
  }

  /**
   * The per-second alert entry point: tick() calls it with every closed second (and a status-only update when none
   * closed). Updates older than the last one are clamped to it (the engine needs time order). Never throws.
   */
  feedAlerts(u: MetricsUpdate): void {
    const sink = this.deps.alerts;
    const engine = this.pipeline.alerting;
    if (!engine || !sink) return;
    const events = engine.update(u);
    if (!events.length) return;
    const context = { snapshot: this.snapshotSource() };
    for (const ev of events) void sink.handle(ev, context);
  }

  // ---- frames in ----
  private onFrame(frame: RawFrame): void {
    if (this.stopped) return;
    this.latestRaw = frame;
    this.trace?.mark('firstFrame', this.now());
    this.inRate.mark(this.now());
    this.liveView.frame(frame, this.now(), this.last.count ?? 0, () => this.annotationOverlay()); // before detection: the live view never waits for inference
    this.buffer.push(frame); // when full the oldest frame is dropped and counted by the buffer
    void this.pump();
  }

  /** The next frame to infer: the oldest one (file sources), or the newest one with the older ones dropped (live). */
  private nextFrame(): RawFrame | undefined {
    if (this.options.sourceIsLive)
      while (this.buffer.size > 1) {
        this.buffer.shift();
        this.supersededFrames++;
      }
    return this.buffer.shift();
  }

  /** Drains the buffer with at most one inference in flight for this camera. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let frame: RawFrame | undefined;
      while (!this.stopped && (frame = this.nextFrame())) {
        // Too old, or its second is already closed (its count would be dropped as late): skip it without paying
        // for inference, so that an overloaded camera catches up with fresh frames instead of falling behind.
        if (this.now() - frame.capturedAt > this.options.frameMaxAgeMs || !this.pipeline.accepts(frame.capturedAt)) {
          this.staleFrames++;
          continue;
        }
        try {
          const plan = this.pipeline.plan(frame);
          this.inFlightAt = frame.capturedAt;
          const result = await this.deps.detect(frame, plan.detect).finally(() => (this.inFlightAt = null));
          if (!result.missing) {
            // Scheduled detection asks the detector below the camera's confidence (BYTE): accept() keeps those for the tracker only.
            const accepted = this.pipeline.accept(plan, result.detections);
            this.onDetections(frame, accepted.detections, accepted);
          }
        } catch (err) {
          this.inferenceErrors++;
          this.lastError = redactUrl(err instanceof Error ? err.message : String(err));
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private onDetections(frame: RawFrame, detections: Detection[], plan: { examined?: Parameters<CameraPipeline['frame']>[2] }): void {
    const now = this.now();
    this.lateness.observe(now - frame.capturedAt);
    if (this.trace?.mark('firstDetection', now)) this.closeFirstSecondOnTime(frame.capturedAt);
    this.framesProcessed++;
    this.outRate.mark(now);
    const r = this.pipeline.frame(frame, detections, plan.examined);
    const count = r.estimate.count;
    this.last = { count, countAt: frame.capturedAt, detections, estimate: r.estimate, tracks: r.tracks };
    this.lastFrame = frame;
    if (r.crossings.length && this.deps.crossings) this.deps.crossings.record(r.crossings.map((c) => ({ cameraId: this.cameraId, ...c })));
    this.maybeRunDensity(frame, now);
    this.liveView.processed({ seq: frame.seq, capturedAt: frame.capturedAt, width: frame.width, height: frame.height, detections, tracks: r.tracks, count });
  }

  /** Starts a density-model run when one is due (never awaited: detection never waits for it). */
  private maybeRunDensity(frame: RawFrame, now: number): void {
    const countDensity = this.deps.countDensity;
    const density = this.pipeline.density;
    if (!countDensity || this.stopped || !density.tryStart(now)) return;
    let run: ReturnType<DensityPort>;
    try {
      run = countDensity(frame, { personSizes: this.pipeline.personSizes.list() });
    } catch (err) {
      run = Promise.reject(err);
    }
    run
      .then((r) => density.landed(r, frame))
      .catch((err: unknown) => {
        const failures = density.failed(this.now());
        if (failures !== null) this.warn(`camera ${this.cameraId}: density model failed (${failures} failures so far): ${redactUrl(err instanceof Error ? err.message : String(err))}`);
      })
      .finally(() => density.settled());
  }

  // ---- seconds out ----
  /** Once a second: close finished seconds, write their rows, feed the alerts and publish `metrics_update`. */
  private tick(nowMs = this.now(), lateness = this.lateness.current()): void {
    const seconds = this.pipeline.close(nowMs, Number.isFinite(nowMs) ? lateness : 0);
    if (!seconds.length) {
      // No closed second (offline, connecting, stalled, inference failing): status still feeds camera_offline etc.
      const engine = this.pipeline.alerting;
      if (Number.isFinite(nowMs) && engine) this.feedAlerts(alertInputOf(engine.statusTime(nowMs - lateness - 1000), null, this.alertContext()));
      return;
    }
    const health = this.health();
    for (const s of seconds) {
      this.feedAlerts(alertInputOf(s.time.getTime(), s, this.alertContext()));
      this.deps.metrics.write(metricsRowOf(s, health));
    }
    this.deps.live.publishMetrics(metricsUpdateEventOf(seconds[seconds.length - 1] as SecondResult, health));
    if (this.trace?.mark('firstSecond', this.now())) {
      this.deps.log?.(`camera ${this.cameraId} started: ${this.trace.summary()}`);
      this.trace = null;
    }
  }

  /**
   * The first processed frame's second, closed as soon as it can be, not at the regular ticker's beat with the full
   * lateness (up to 1 s + lateness later), so that a camera (re)started on a fail-over publishes its first
   * metrics_update without delay: at the second's end when none of its frames is queued or in detection (frames are
   * stamped on arrival, so none can come later), else `lateness` after its end as usual.
   */
  private closeFirstSecondOnTime(capturedAt: number): void {
    const end = (Math.floor(capturedAt / 1000) + 1) * 1000;
    const later = (at: number, fn: () => void) => {
      clearTimeout(this.firstClose);
      this.firstClose = setTimeout(() => !this.stopped && fn(), Math.max(0, at - this.now()) + 5);
      this.firstClose.unref();
    };
    const closeAt = end + this.lateness.current();
    later(Math.min(end, closeAt), () => {
      const queued = this.buffer.peek();
      const pending = (this.inFlightAt !== null && this.inFlightAt < end) || (queued !== undefined && queued.capturedAt < end);
      // Lateness = the time since its end: closes this second only, never a later one still in detection.
      const nowMs = this.now();
      if (!pending) this.tick(nowMs, Math.max(0, nowMs - end));
      else later(closeAt, () => this.tick());
    });
  }

  private alertContext() {
    return { cameraId: this.cameraId, cameraStatus: this.status, capacity: this.pipeline.analytics.capacity(), systemError: this.systemError() };
  }

  /** A pipeline failure worth an alert: inference failing since the last tick with nothing processed. */
  private systemError(): string | null {
    const failing = this.inferenceErrors > this.inferenceErrorsSeen;
    this.inferenceErrorsSeen = this.inferenceErrors;
    return failing ? `inference failing: ${this.lastError ?? 'unknown error'}` : null;
  }

  /** Lazily renders the current frame with its overlay (captured now, rendered only if a snapshot is saved). */
  private snapshotSource(): () => Promise<Buffer | null> {
    const { detections, tracks } = this.last;
    const overlay = { detections, tracks: tracks ?? [], roi: this.pipeline.roi, annotation: this.annotationOverlay() };
    return lazyAlertSnapshot(this.lastFrame, overlay, this.pipeline.analytics.current, this.options.alerting?.snapshot ?? { maxWidth: 1280, quality: 80 });
  }

  private setStatus(status: CameraStatus, reason?: string): void {
    // Anything but 'online' means the stream broke (restart, reconnect, end): the next frame starts a new track set.
    if (status !== 'online') {
      this.pipeline.streamBroke();
      this.liveView.processed(null); // its boxes belong to the old stream
    }
    const clean = reason ? redactUrl(reason) : undefined;
    if (status === this.status && clean === this.statusReason) return; // write only on meaningful change
    this.status = status;
    this.statusReason = clean;
    this.deps.saveStatus(status, clean ?? null);
    const event: CameraStatusEvent = { cameraId: this.cameraId, status, reason: clean, at: new Date(this.now()).toISOString() };
    this.deps.live.publishCameraStatus(event);
  }
}
