import { type Alert, AlertEngine, type ActionResult, type AlertEngineOptions, type AlertTiming, type MetricsUpdate, type RoutingTable, type TriggerThresholds } from '@crowdsafe/alerting';
import { AnalyticsConfigError, CrowdAnalyzer, type FrameAnalytics, type TrackInput } from '@crowdsafe/analytics';
import type {
  CameraHealth,
  CameraStatus,
  CameraStatusEvent,
  CountEstimate,
  BBox,
  CountMethod,
  DetectOptions,
  Detection,
  FrameDetections,
  LiveAnalytics,
  LiveMovement,
  LiveRisk,
  RawFrame,
  RiskLevel,
  TrackedPerson,
} from '@crowdsafe/contracts';
import type { AlertEventContext, AlertEventSink, CrossingEventSink, LiveEventsPublisher } from '@crowdsafe/server-core';
import { redactUrl } from '@crowdsafe/server-core';
import { PerSecondAggregator } from '@crowdsafe/server-metrics';
import type { RiskConfig } from '@crowdsafe/risk';
import { densityModelEstimate, type ExaminedSlices, footInRoi, fuseCounts, PeopleCounter, PersonSizeSamples, type GmcMode, type PeopleCounterOptions, type PersonSizeSample, type RoiPolygon } from '@crowdsafe/vision';
import { FrameBuffer } from '../ingest';
import {
  accumulateAnalytics,
  analyticsOff,
  type AnalyticsSecondAcc,
  type CameraAnalyticsInput,
  type CameraAnalyticsSetup,
  lineTotals,
  LIVE_ANALYZER_OPTIONS,
  liveAnalyticsOf,
  metadataOf,
  metricColumnsOf,
  resolveCameraAnalytics,
} from './camera-analytics';
import { AutoCalibrationSetup, SecondMovements, movementMetadataOf } from './camera-auto-analytics';
import { renderAlertSnapshot } from './alert-snapshot';
import { type AnnotationSettings, DEFAULT_ANNOTATION } from './annotation';
import { CameraRisk } from './camera-risk';
import { type LiveFrameEncoder, type LiveFrameSink, type LiveOverlay, scaleBox, scalePx } from './live-frame-encoder';
import { RateMeter } from './rate-meter';
import { CameraScheduling, type CameraSchedulingOptions } from './camera-scheduling';

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
  writeMetrics(row: CameraMetricsRow): void;
  /** Status changed (persist it). */
  saveStatus(status: CameraStatus, reason: string | null): void;
  live: LiveEventsPublisher;
  encoder: LiveFrameEncoder;
  /** Annotated live frames for the MJPEG endpoint (encoded only while it has viewers). Absent = socket frames only. */
  frameSink?: LiveFrameSink;
  /** Alerts: the runtime owns this camera's AlertEngine and hands its events here. Absent = no alerting. */
  alerts?: AlertEventSink;
  /** Counting-line crossings, one frame's batch at a time (stored as crossing events). Absent = not stored. */
  crossings?: CrossingEventSink;
  /**
   * The density model (FIDT head counting, in its own thread), run at most once per `density.intervalMs` on a
   * processed frame. Absent = tracked count only. Head points are in source-frame pixels. `hints.personSizes`: the
   * recent confirmed tracks' (foot row, box height), from which the census picks its input scale.
   */
  countDensity?(frame: RawFrame, hints?: { personSizes: readonly PersonSizeSample[] }): Promise<{ estimate: CountEstimate; points: ReadonlyArray<{ x: number; y: number }> }>;
  /** Logs a warning (density-model failures, at most once a minute). Default: none. */
  warn?(message: string): void;
  now?: () => number;
}

/** One per-second metrics row (a MetricRecord): real-unit and risk columns are null without analytics. */
export interface CameraMetricsRow {
  cameraId: string;
  time: Date;
  count: number;
  countMax: number;
  density?: number | null;
  velocity?: number | null;
  surge?: number | null;
  flowIn?: number | null;
  flowOut?: number | null;
  /** Risk score 0-100 of the second (null: no density). */
  riskScore?: number | null;
  /** The camera's tracked level (hysteresis/dwell) after this second (null: no density). */
  riskLevel?: RiskLevel | null;
  /** Dominant movement direction, degrees clockwise from image up (null: none); details in metadata.movement. */
  heading?: number | null;
  metadata: Record<string, unknown>;
}

export interface FrameSourceHandle {
  start(): Promise<void> | void;
  stop(): Promise<void>;
  stats(): { framesDecoded: number; restarts: number; lastFrameAt: number | null; bytesRead?: number; decodeErrors?: number; skippedFrames?: number };
}

export interface CameraRuntimeOptions {
  cameraId: string;
  frameQueueSize: number;
  frameMaxAgeMs: number;
  /**
   * A live source (RTSP/HTTP/device, not a file): inference takes the NEWEST queued frame and drops the older ones
   * (counted in droppedFrames), so that counts, tracks and alerts are about now, not about a backlog. Files (played in
   * real time, mostly demos and tests) keep the FIFO: every frame in order while the queue keeps up. Default false.
   */
  sourceIsLive?: boolean;
  /** Live-view frame rate cap (frames encoded per second while watched). Default: the counting fps. */
  liveFps?: number;
  detect: DetectOptions;
  /** Seconds are closed (aggregated and published) this long after they end, to let in-flight frames land. */
  metricsLatenessMs?: number;
  /** Tracking-based counting (see PeopleCounter). Default: 5 fps, whole frame, default tracker parameters. */
  counting?: CameraCountingOptions;
  /** Density-model cadence (used when deps.countDensity is given). */
  density?: CameraDensityOptions;
  /**
   * Crowd analytics in real units (see camera-analytics.ts for the stored format): calibration, zones, counting
   * lines, capacity. Omitted or no calibration = counting only (`analytics: null` in metrics_update); invalid =
   * counting only, analytics off with the reason.
   */
  analytics?: CameraAnalyticsInput;
  /**
   * Without a calibration, estimate an approximate one from people's heights (flagged 'approximate') so density,
   * speed and flow show in real units until the operator calibrates. Default true.
   */
  autoCalibration?: boolean;
  /**
   * The camera's risk settings (CameraRecord.settings.risk, a RiskSettings validated with validateRiskConfig).
   * Omitted = DEFAULT_RISK_CONFIG; invalid = the defaults, with the reason warned.
   */
  risk?: unknown;
  /** True when `risk` is the camera record's own settings.risk (the settings API's changes then leave it alone). */
  ownRisk?: boolean;
  /** Alert engine options (cooldown, all-clear delay, thresholds, id factory) and the snapshot JPEG size. */
  alerting?: CameraAlertingOptions;
  /** Spec 6.4 annotation of the MJPEG overlay and alert snapshots (settings.annotation; default DEFAULT_ANNOTATION). */
  annotation?: AnnotationSettings;
  /**
   * Scheduled detection (used when detect.tiling is 'scheduled' or unset): global pass every frame + slices in
   * rotation (see camera-scheduling.ts). Omitted = refresh 1 s, a private budget of 2.5 x fps.
   */
  scheduling?: CameraSchedulingOptions;
}

export interface CameraAlertingOptions {
  engine?: AlertEngineOptions;
  snapshot?: { maxWidth: number; quality: number };
}

export interface CameraDensityOptions {
  /** At most one density-model run per this interval (DENSITY_INTERVAL_MS). */
  intervalMs: number;
  /** A density estimate is fused while its frame is younger than this x intervalMs (default 3). */
  freshIntervals?: number;
}

/** The latest density-model estimate of a camera, with the capture time of the frame it was run on. */
export interface DensitySample {
  estimate: CountEstimate;
  capturedAt: number;
}

/** True when a density run may start: none in flight and the last one started at least intervalMs ago (or never). */
export function densityRunDue(nowMs: number, lastStartedAt: number | null, inFlight: boolean, intervalMs: number): boolean {
  if (inFlight) return false;
  return lastStartedAt === null || nowMs - lastStartedAt >= intervalMs;
}

/** True when a density sample may be fused into the count of a frame captured at `frameCapturedAt`. */
export function densityFresh(sample: DensitySample | null, frameCapturedAt: number, maxAgeMs: number): sample is DensitySample {
  return sample !== null && frameCapturedAt - sample.capturedAt < maxAgeMs;
}

/** The count a frame reports: fuseCounts(tracked, density) while the density sample is fresh, else the tracked one. */
export function reportedEstimate(tracked: CountEstimate, sample: DensitySample | null, frameCapturedAt: number, maxAgeMs: number): CountEstimate {
  if (!densityFresh(sample, frameCapturedAt, maxAgeMs)) return tracked;
  const { count, method, low, high } = fuseCounts(tracked, sample.estimate);
  return { count, method, low, high };
}

/**
 * The density estimate restricted to the counting ROI (heads whose point lies in it), so that it counts the same
 * region as the tracker; without an ROI the model's own estimate.
 */
export function densityEstimateInRoi(
  result: { estimate: CountEstimate; points: ReadonlyArray<{ x: number; y: number }> },
  frame: { width: number; height: number },
  roi: RoiPolygon | null | undefined,
): CountEstimate {
  if (!roi) return result.estimate;
  const n = result.points.filter((p) => footInRoi({ x1: p.x, y1: p.y, x2: p.x, y2: p.y }, frame, roi)).length;
  return densityModelEstimate(n);
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
  /** Global motion compensation for the tracker (settings.detection.gmc); default 'off'. */
  gmc?: GmcMode;
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
  /** Density-model count fused into the second's latest fused frame (absent when none was fused). */
  densityCount?: number;
  /** Crowd analytics of the second's frames (absent without analytics). */
  analytics?: AnalyticsSecondAcc;
}

const DEFAULT_COUNTING_FPS = 5;
const DENSITY_WARN_EVERY_MS = 60_000;
const UNCALIBRATED_REASON = 'no calibration: counts only (set calibrationData for density, speed and flow in real units)';

/**
 * The single owner of one camera's live state: its frame source, bounded frame buffer, in-flight inference,
 * tracker, per-second aggregation and live publishing. Frames flow: source -> buffer (drop-oldest; a live source's
 * inference takes the newest queued frame) -> detect (one in flight per camera; the inference client batches across
 * cameras) -> PeopleCounter (BoT-SORT + count) -> per-second row + live events. Live-view frames branch off at the
 * source, before the buffer (see encodeLive): the picture never waits for detection, the overlay is the latest
 * processed frame's.
 *
 * The tracker (one per camera, owned here) advances by the frames' `seq` (a gap = frames dropped or stale, which the
 * tracker predicts through). It is reset, and the count falls back to the detection count while it warms up
 * (minHits - 1 frames), when the stream jumps: after the source reported a status other than 'online' (ffmpeg
 * restart, reconnect), when `seq` goes backwards, and when processed frames are further apart in capture time than
 * the tracker keeps lost tracks (every track would have expired anyway). A looping file source (ffmpeg
 * -stream_loop) is one continuous stream for the runtime: the cut at the loop point is handled by the tracker
 * like any scene change (old tracks expire within 1 s, new people are confirmed after minHits frames).
 *
 * With a density model (deps.countDensity + options.density), a processed frame also starts a density run when the
 * last one started at least intervalMs ago and none is in flight (not awaited: detection never waits for it). While
 * the latest density estimate is fresh (its frame younger than 3 x intervalMs) the reported count is
 * fuseCounts(tracked, density) (method 'fused'); otherwise the tracked count alone. Failures are counted and warned
 * about at most once a minute; counting goes on without the density model.
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
  /** Live-view rate limiter: the next frame may be encoded at or after this time. */
  private liveNextAt = Number.NEGATIVE_INFINITY;
  /** Overlay of the latest processed frame (one per camera), drawn on the newer live frames. */
  private overlay: ProcessedOverlay | null = null;
  /** Live source: queued frames skipped because a newer one was waiting when inference became free. */
  private supersededFrames = 0;
  private stopped = true;
  private ticker?: NodeJS.Timeout;
  private staleFrames = 0;
  private inferenceErrors = 0;
  private framesProcessed = 0;
  private latestRaw: RawFrame | null = null;
  private lastError?: string;
  private last: CameraSnapshot = { count: null, countAt: null, detections: [], estimate: null, tracks: [] };
  private readonly counter: PeopleCounter;
  private readonly countingFps: number;
  /** The tracked risk level of the last closed second (box colour of annotated frames). */
  private riskLevelNow: RiskLevel | null = null;
  /** Capture-time gap past which every lost track has expired (the tracker's maxTimeLost is fixed at construction). */
  private readonly trackerMaxGapMs: number;
  /** Tracker frame index = seq - seqBase. */
  private seqBase = 0;
  private lastSeq?: number;
  private lastCapturedAt?: number;
  private resetPending = false;
  private trackerResets = 0;
  private readonly seconds = new Map<number, SecondExtras>();
  private readonly roi: RoiPolygon | null;
  private densityInFlight = false;
  /** Recent person sizes (bounded ring) for the density census's input scale. */
  private readonly personSizes = new PersonSizeSamples();
  private densityStartedAt: number | null = null;
  private density: DensitySample | null = null;
  private densityRuns = 0;
  private densityErrors = 0;
  private densityWarnedAt: number | null = null;
  private analyticsSetup: CameraAnalyticsSetup;
  /** Zero-configuration calibration (uncalibrated cameras only; null otherwise). */
  private readonly autoCalibration: AutoCalibrationSetup | null;
  private readonly movements: SecondMovements;
  /** Zone outlines for the annotated live frame, built once from the (fixed) setup. */
  private readonly zones: Pick<LiveOverlay, 'zones'>;
  private analyzer: CrowdAnalyzer | null = null;
  /** Why analytics is off (invalid calibration/layout, or a runtime failure); null when on or uncalibrated. */
  private analyticsOffReason: string | null = null;
  private lastLineTotals = { in: 0, out: 0 };
  /** Tracker ids restart at 1 after a reset: analyzer id = idBase + tracker id keeps them distinct. */
  private analyticsIdBase = 0;
  private analyticsMaxId = 0;
  private readonly risk: CameraRisk;
  /** This camera's alert lifecycle (null without deps.alerts); bounded by the engine (active alerts + cooldowns). */
  private readonly alertEngine: AlertEngine | null;
  /** The last processed frame (one buffer), for alert snapshots. */
  private lastFrame: RawFrame | null = null;
  /** Latest time fed to the alert engine (updates must be in time order). */
  private alertAt = -Infinity;
  private inferenceErrorsSeen = 0;
  /** The detection scheduler (null unless tiling is 'scheduled' or unset). */
  private readonly scheduling: CameraScheduling | null;

  constructor(
    readonly options: CameraRuntimeOptions,
    private readonly deps: CameraRuntimeDeps,
  ) {
    this.buffer = new FrameBuffer<RawFrame>(options.frameQueueSize);
    this.now = deps.now ?? Date.now;
    const counting = options.counting ?? { fps: DEFAULT_COUNTING_FPS };
    this.countingFps = counting.fps;
    this.roi = counting.roi ?? null;
    const scheduled = (options.detect.tiling ?? 'scheduled') === 'scheduled';
    const refreshS = options.scheduling?.refreshS ?? 1;
    this.scheduling = scheduled ? new CameraScheduling(options.cameraId, counting.fps, { ...options.scheduling, refreshS }) : null;
    this.counter = new PeopleCounter({
      // A person seen only by a slice must outlive the refresh period as a track (see SliceCarry).
      ...(scheduled ? { trackBufferS: Math.max(1, refreshS) } : {}),
      frameRate: counting.fps,
      roi: counting.roi ?? null,
      tracker: counting.tracker,
      coastSeconds: counting.coastSeconds,
      detectionMethod: options.detect.tiling === 'on' ? 'tiled-detection' : 'detection',
      gmc: counting.gmc,
    });
    this.trackerMaxGapMs = ((this.counter.stats.maxTimeLost + 1) * 1000) / counting.fps;
    this.analyticsSetup = resolveCameraAnalytics(options.analytics ?? {});
    this.autoCalibration = this.analyticsSetup.state === 'uncalibrated' && options.autoCalibration !== false ? new AutoCalibrationSetup() : null;
    this.movements = new SecondMovements(counting.fps);
    this.zones = zoneOutlinesOf(this.analyticsSetup);
    this.initAnalytics();
    this.risk = new CameraRisk(options.cameraId, options.risk, deps.warn, new Date(this.now()));
    this.alertEngine = deps.alerts ? new AlertEngine({ maxResolvedHistory: 200, ...options.alerting?.engine }) : null;
  }

  /** Builds the analyzer from the validated setup; an invalid one turns analytics off (warned, never thrown). */
  private initAnalytics(): void {
    const setup = this.analyticsSetup;
    if (setup.state === 'off') {
      this.disableAnalytics(setup.reason);
      return;
    }
    if (setup.state !== 'on') return;
    try {
      this.analyzer = new CrowdAnalyzer({
        cameraId: this.cameraId,
        calibration: setup.calibration,
        zones: setup.zones,
        lines: setup.lines,
        ...(setup.capacity === undefined ? {} : { capacity: setup.capacity }),
        options: LIVE_ANALYZER_OPTIONS,
      });
    } catch (err) {
      const reason = err instanceof AnalyticsConfigError ? err.message : `analytics could not start: ${String(err)}`;
      this.disableAnalytics(reason);
      return;
    }
    for (const w of setup.warnings) this.deps.warn?.(`camera ${this.cameraId}: analytics: ${w}`);
  }

  private disableAnalytics(reason: string): void {
    this.analyzer = null;
    this.analyticsOffReason = reason;
    this.deps.warn?.(`camera ${this.cameraId}: crowd analytics off (counting goes on): ${reason}`);
  }

  /** 'on' (real units), 'uncalibrated' (counts only) or 'off' (with the reason). */
  analyticsStatus(): { state: 'on' | 'uncalibrated' | 'off'; reason?: string } {
    if (this.analyzer) return { state: 'on' };
    if (this.analyticsOffReason !== null) return { state: 'off', reason: this.analyticsOffReason };
    return { state: 'uncalibrated', reason: UNCALIBRATED_REASON };
  }

  /** Feeds the analyzer one processed frame (confirmed tracks, boxes rescaled to the calibration's frame). */
  private analyzeFrame(frame: RawFrame, tracks: readonly TrackedPerson[]): FrameAnalyticsStep | null {
    const analyzer = this.analyzer;
    if (!analyzer || this.analyticsSetup.state !== 'on') return null;
    const calFrame = this.analyticsSetup.calibration.frame;
    const sx = calFrame.width / frame.width;
    const sy = calFrame.height / frame.height;
    const input: TrackInput[] = tracks.map((t) => {
      const id = this.analyticsIdBase + t.id;
      if (id > this.analyticsMaxId) this.analyticsMaxId = id;
      return { id, box: { x1: t.box.x1 * sx, y1: t.box.y1 * sy, x2: t.box.x2 * sx, y2: t.box.y2 * sy }, score: t.score, confirmed: true };
    });
    try {
      const analytics = analyzer.update({ timestampMs: frame.capturedAt, tracks: input });
      if (analytics.crossings.length && this.deps.crossings) {
        const base = this.analyticsIdBase;
        this.deps.crossings.record(analytics.crossings.map((c) => ({ cameraId: this.cameraId, at: c.timestampMs, lineId: c.lineId, lineName: c.lineName, direction: c.direction, trackId: c.trackId - base })));
      }
      const totals = lineTotals(analytics);
      const crossed = { in: totals.in - this.lastLineTotals.in, out: totals.out - this.lastLineTotals.out };
      this.lastLineTotals = totals;
      return { analytics, crossed };
    } catch (err) {
      this.disableAnalytics(`analytics failed: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
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
    this.scheduling?.release();
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
      droppedFrames: this.buffer.dropped + this.supersededFrames,
      staleFrames: this.staleFrames,
      restarts: s?.restarts ?? 0,
      framesDecoded: s?.framesDecoded ?? 0,
      framesProcessed: this.framesProcessed,
      skippedFrames: s?.skippedFrames ?? 0,
      bytesRead: s?.bytesRead ?? 0,
      decodeErrors: s?.decodeErrors ?? 0,
      ...(this.scheduling ? { scheduler: this.scheduling.health() } : {}),
    };
  }

  snapshot(): CameraSnapshot {
    return this.last;
  }

  // ---- settings / analytics APIs ----
  /** Applies new risk settings (RiskSettings) from the next second on; invalid = unchanged, warned, false. */
  setRiskSettings(raw: unknown): boolean {
    const r = this.risk.setSettings(raw, new Date(this.now()));
    if (!r.ok) this.deps.warn?.(`camera ${this.cameraId}: risk settings not applied (kept the previous ones): ${r.reason}`);
    return r.ok;
  }

  /** The risk config in force now (after per-camera overrides, profile and schedules). */
  riskConfig(): RiskConfig {
    return this.risk.effectiveConfig(new Date(this.now()));
  }

  /** The crowd analyzer (live occupancy heatmap, busy hours), or null when analytics is off or uncalibrated. */
  crowdAnalyzer(): CrowdAnalyzer | null {
    return this.analyzer;
  }

  get errors(): { inferenceErrors: number; lastError?: string } {
    return { inferenceErrors: this.inferenceErrors, lastError: this.lastError };
  }

  /** Density-model runs completed and failed since start, and the latest estimate (null when off or none yet). */
  densityStats(): { runs: number; errors: number; latest: DensitySample | null } {
    return { runs: this.densityRuns, errors: this.densityErrors, latest: this.density };
  }

  /** Tracker state: resets since start, ids issued, live tracks. */
  trackerStats(): { resets: number; trackIds: number; tracked: number; tentative: number; lost: number } {
    const s = this.counter.stats;
    return { resets: this.trackerResets, trackIds: s.confirmedTotal, tracked: s.tracked, tentative: s.tentative, lost: s.lost };
  }

  /** The latest decoded frame (the camera API's snapshot), or null before the first one. One frame per camera. */
  latestFrame(): RawFrame | null {
    return this.latestRaw;
  }

  private onFrame(frame: RawFrame): void {
    if (this.stopped) return;
    this.latestRaw = frame;
    this.inRate.mark(this.now());
    this.encodeLive(frame); // before detection: the live view never waits for inference
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

  /**
   * Live view (Frigate-style): the newest decoded frame is encoded as it arrives, before and independently of
   * detection, while someone watches (socket `watch_frames` or an MJPEG viewer), at most `liveFps` a second and never
   * while the previous encode runs (a frame arriving then is simply not sent: no backlog). One encode serves every
   * viewer of both transports. The overlay (boxes, tracks, count) is the latest processed frame's, with its capture
   * time, so a viewer sees how far detection lags; boxes older than frameMaxAgeMs are left out.
   */
  private encodeLive(frame: RawFrame): void {
    if (this.encoding) return;
    const sockets = this.deps.live.wantsFrames(this.cameraId);
    const mjpeg = this.deps.frameSink?.wantsFrames(this.cameraId) ?? false;
    if (!sockets && !mjpeg) return;
    const now = this.now();
    if (now < this.liveNextAt) return;
    // Token bucket of one frame: the average rate stays <= liveFps while the source's jitter costs no frames.
    const period = 1000 / (this.options.liveFps ?? this.countingFps);
    this.liveNextAt = Math.max(this.liveNextAt, now - period) + period;
    const o = liveOverlayOf(this.overlay, frame, this.options.frameMaxAgeMs, this.last.count ?? 0, this.countingFps);
    this.encoding = true;
    const overlay = mjpeg ? { detections: o.detections, tracks: o.tracks, count: o.count, ...this.zones, annotation: this.annotationOverlay() } : undefined;
    this.deps.encoder
      .encodeVariants(frame, o.detections, { clean: sockets, ...(overlay ? { overlay } : {}) })
      .then((enc) => {
        if (enc.jpeg)
          this.deps.live.publishFrame({
            cameraId: this.cameraId,
            seq: frame.seq,
            capturedAt: frame.capturedAt,
            width: enc.width,
            height: enc.height,
            jpeg: enc.jpeg,
            detections: enc.detections,
            tracks: rescaleTracks(o.tracks, enc.width / frame.width),
            count: o.count,
            ...(o.capturedAt === undefined ? {} : { overlayCapturedAt: o.capturedAt, overlayAgeMs: frame.capturedAt - o.capturedAt }),
          });
        if (enc.annotatedJpeg) this.deps.frameSink?.publish(this.cameraId, { seq: frame.seq, capturedAt: frame.capturedAt, jpeg: enc.annotatedJpeg });
      })
      .catch((err: unknown) => (this.lastError = `live frame encoding failed: ${String(err)}`))
      .finally(() => (this.encoding = false));
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
        if (this.now() - frame.capturedAt > this.options.frameMaxAgeMs || !this.aggregator.accepts(frame.capturedAt)) {
          this.staleFrames++;
          continue;
        }
        try {
          const plan = this.scheduling?.next(frame, this.options.detect);
          const result = await this.deps.detect(frame, plan?.detect ?? this.options.detect);
          if (!result.missing) this.onDetections(frame, result.detections, plan?.examined);
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
    const jumped =
      this.lastSeq !== undefined &&
      (this.resetPending || frame.seq <= this.lastSeq || frame.capturedAt - (this.lastCapturedAt ?? frame.capturedAt) > this.trackerMaxGapMs);
    if (jumped) {
      this.counter.reset();
      this.trackerResets++;
      this.analyticsIdBase = this.analyticsMaxId;
    }
    if (this.lastSeq === undefined || jumped) this.seqBase = frame.seq - 1;
    this.resetPending = false;
    this.lastSeq = frame.seq;
    this.lastCapturedAt = frame.capturedAt;
    return frame.seq - this.seqBase;
  }

  private onDetections(frame: RawFrame, detections: Detection[], examined?: ExaminedSlices): void {
    const now = this.now();
    this.framesProcessed++;
    this.outRate.mark(now);
    this.scheduling?.observe(detections);
    const pixels = { width: frame.width, height: frame.height, rgb: frame.data };
    const result = this.counter.process(detections, this.trackerFrameIndex(frame), frame, undefined, pixels, examined);
    const estimate = this.options.density ? reportedEstimate(result.count, this.density, frame.capturedAt, this.densityMaxAgeMs(this.options.density)) : result.count;
    const count = estimate.count;
    this.last = { count, countAt: frame.capturedAt, detections, estimate, tracks: result.tracks };
    this.lastFrame = frame;
    const densityCount = estimate.method === 'fused' ? this.density?.estimate.count : undefined;
    this.movements.add(frame.capturedAt, result.tracks);
    const auto = this.autoCalibration?.observe(frame, result.tracks);
    if (auto) {
      this.analyticsSetup = auto;
      this.lastLineTotals = { in: 0, out: 0 };
      this.initAnalytics();
    }
    const step = this.analyzeFrame(frame, result.tracks);
    if (this.aggregator.add(frame.capturedAt, count)) this.addSecondExtras(frame.capturedAt, estimate, densityCount, step);
    if (this.deps.countDensity) this.personSizes.add(result.tracks);
    this.maybeRunDensity(frame, now);
    this.overlay = { seq: frame.seq, capturedAt: frame.capturedAt, width: frame.width, height: frame.height, detections, tracks: result.tracks, count };
  }

  private densityMaxAgeMs(d: CameraDensityOptions): number {
    return (d.freshIntervals ?? 3) * d.intervalMs;
  }

  /**
   * Starts a density-model run on this frame when one is due (never more than one in flight; not awaited, so the
   * detection pipeline never waits for it). Its estimate is used by the frames processed after it lands.
   */
  private maybeRunDensity(frame: RawFrame, now: number): void {
    const countDensity = this.deps.countDensity;
    const opts = this.options.density;
    if (!countDensity || !opts || this.stopped) return;
    if (!densityRunDue(now, this.densityStartedAt, this.densityInFlight, opts.intervalMs)) return;
    this.densityInFlight = true;
    this.densityStartedAt = now;
    let run: Promise<{ estimate: CountEstimate; points: ReadonlyArray<{ x: number; y: number }> }>;
    try {
      run = countDensity(frame, { personSizes: this.personSizes.list() });
    } catch (err) {
      run = Promise.reject(err);
    }
    run
      .then((r) => {
        this.densityRuns++;
        this.density = { estimate: densityEstimateInRoi(r, frame, this.roi), capturedAt: frame.capturedAt };
      })
      .catch((err: unknown) => {
        this.densityErrors++;
        const at = this.now();
        if (this.densityWarnedAt === null || at - this.densityWarnedAt >= DENSITY_WARN_EVERY_MS) {
          this.densityWarnedAt = at;
          this.deps.warn?.(`camera ${this.cameraId}: density model failed (${this.densityErrors} failures so far): ${redactUrl(err instanceof Error ? err.message : String(err))}`);
        }
      })
      .finally(() => (this.densityInFlight = false));
  }

  /** Once a second: close finished seconds, write their rows and publish `metrics_update`. */
  private tick(nowMs = this.now()): void {
    const lateness = this.options.metricsLatenessMs ?? 1500;
    const done = this.aggregator.flush(nowMs, Number.isFinite(nowMs) ? lateness : 0);
    if (!done.length) {
      // No closed second (offline, connecting, stalled, inference failing): status still feeds camera_offline etc.
      if (Number.isFinite(nowMs)) this.feedAlertStatus(nowMs - lateness - 1000);
      return;
    }
    const health = this.health();
    let method: CountMethod = 'detection';
    let analytics: LiveAnalytics | null = null;
    let risk: LiveRisk | null = null;
    let movement: LiveMovement | undefined;
    for (const sec of done) {
      const key = sec.time.getTime() / 1000;
      const extras = this.seconds.get(key);
      method = extras?.method ?? 'detection';
      const range = extras ? { low: Math.round(extras.lowSum / extras.frames), high: Math.round(extras.highSum / extras.frames) } : {};
      const density = extras?.densityCount === undefined ? {} : { densityCount: extras.densityCount };
      analytics = this.secondAnalytics(extras);
      movement = this.movements.take(sec.time.getTime());
      const r = this.risk.second(sec.time, analytics);
      risk = r.live;
      this.riskLevelNow = r.riskLevel;
      this.feedAlerts({ ...this.metricsUpdateOf(sec.time.getTime(), sec.count, r.riskLevel, r.riskScore, analytics), earlyWarningInS: r.live?.earlyWarningInS ?? null });
      this.deps.writeMetrics({
        cameraId: this.cameraId,
        time: sec.time,
        count: sec.count,
        countMax: sec.countMax,
        ...metricColumnsOf(analytics),
        riskScore: r.riskScore,
        riskLevel: r.riskLevel,
        heading: movement.headingDeg,
        metadata: {
          countMin: sec.countMin,
          frames: sec.frames,
          method,
          ...range,
          ...density,
          fpsIn: health.fpsIn,
          dropped: health.droppedFrames,
          analytics: metadataOf(analytics, UNCALIBRATED_REASON),
          risk: r.metadata,
          movement: movementMetadataOf(movement),
        },
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
      analytics,
      risk,
      ...(movement ? { movement } : {}),
    });
  }

  // ---- alerts ------------------------------------------------------------------------------------------------

  private metricsUpdateOf(at: number, count: number, level: RiskLevel | null, score: number | null, analytics: LiveAnalytics | null): MetricsUpdate {
    const on = analytics?.status === 'on' ? analytics : null;
    const capacity = this.analyticsSetup.state === 'on' ? (this.analyticsSetup.capacity ?? null) : (this.options.analytics?.capacity ?? null);
    return {
      cameraId: this.cameraId,
      at,
      level,
      score: score ?? Number.NaN,
      density: on?.density ?? Number.NaN,
      surge: on?.surge ?? Number.NaN,
      velocity: on?.velocity ?? Number.NaN,
      count,
      capacity: typeof capacity === 'number' ? capacity : null,
      cameraStatus: this.status,
      systemError: this.systemError(),
    };
  }

  /** A pipeline failure worth an alert: inference failing since the last tick with nothing processed. */
  private systemError(): string | null {
    const failing = this.inferenceErrors > this.inferenceErrorsSeen;
    this.inferenceErrorsSeen = this.inferenceErrors;
    return failing ? `inference failing: ${this.lastError ?? 'unknown error'}` : null;
  }

  /** A status-only update (no closed second): metric conditions are unknown, status and errors still count. */
  private feedAlertStatus(at: number): void {
    if (!this.alertEngine) return;
    const u = this.metricsUpdateOf(Math.max(at, this.alertAt), Number.NaN, null, null, null);
    this.feedAlerts(u);
  }

  /**
   * The per-second alert entry point: tick() calls it with every closed second (and a status-only update when none
   * closed). Updates older than the last one are clamped to it (the engine needs time order). Never throws.
   */
  feedAlerts(u: MetricsUpdate): void {
    const engine = this.alertEngine;
    const sink = this.deps.alerts;
    if (!engine || !sink) return;
    if (u.at < this.alertAt) u = { ...u, at: this.alertAt };
    this.alertAt = u.at;
    let events;
    try {
      events = engine.update(u);
    } catch (err) {
      this.deps.warn?.(`camera ${this.cameraId}: alert engine failed: ${String(err)}`);
      return;
    }
    if (!events.length) return;
    const context: AlertEventContext = { snapshot: this.snapshotSource() };
    for (const ev of events) void sink.handle(ev, context);
  }

  /** Lazily renders the current frame with its overlay (captured now, rendered only if a snapshot is saved). */
  private snapshotSource(): () => Promise<Buffer | null> {
    const frame = this.lastFrame;
    const { detections, tracks } = this.last;
    const roi = this.roi;
    const setup = this.analyticsSetup;
    const opts = this.options.alerting?.snapshot ?? { maxWidth: 1280, quality: 80 };
    const annotation = this.annotationOverlay();
    let rendered: Promise<Buffer | null> | null = null;
    return () => {
      if (!frame) return Promise.resolve(null);
      rendered ??= (async () => {
        const sx = setup.state === 'on' ? frame.width / setup.calibration.frame.width : 1;
        const sy = setup.state === 'on' ? frame.height / setup.calibration.frame.height : 1;
        const zones = setup.state === 'on' ? setup.zones.map((z) => ({ name: z.name, polygon: z.polygon.map(([x, y]) => [x * sx, y * sy] as const) })) : [];
        return renderAlertSnapshot(frame, { detections, tracks: tracks ?? [], roi, zones, annotation }, opts);
      })();
      return rendered;
    };
  }

  /** Alerts an earlier engine of this camera left active (a take-over): this engine continues them. */
  adoptAlerts(alerts: readonly Alert[]): number {
    return this.alertEngine?.adopt(alerts, this.now()) ?? 0;
  }

  /**
   * Operator acknowledges / resolves one of this camera's alerts through its engine (the single truth). On success
   * the event goes to the sink; `persisted` settles when it is written and published. null: no engine here.
   */
  alertAction(kind: 'acknowledge' | 'resolve', alertId: string, user: string, actorId: string | null, notes?: string): (ActionResult & { persisted?: Promise<void> }) | null {
    const engine = this.alertEngine;
    const sink = this.deps.alerts;
    if (!engine || !sink) return null;
    const at = this.now();
    const res = kind === 'acknowledge' ? engine.acknowledge(alertId, user, at, notes) : engine.resolve(alertId, user, at, notes);
    if (!res.ok) return res;
    return { ...res, persisted: sink.handle(res.event, { actorId }) };
  }

  /**
   * Alert timing from the settings API (alerts.cooldownS / allClearS), applied live (see AlertEngine.setTiming).
   * No engine (no alert sink) or a bad value: nothing changes, false (a bad value is warned).
   */
  setAlertTiming(timing: Partial<AlertTiming>): boolean {
    if (!this.alertEngine) return false;
    try {
      this.alertEngine.setTiming(timing);
      return true;
    } catch (err) {
      this.deps.warn?.(`camera ${this.cameraId}: alert timing not applied (kept the previous one): ${String(err)}`);
      return false;
    }
  }

  /** Spec 6.4: the risk level, annotation settings and tracks' rate the annotated frames are drawn with. */
  annotationOverlay(): { level: RiskLevel | null; settings: AnnotationSettings; fps: number } {
    return { level: this.riskLevelNow, settings: this.options.annotation ?? DEFAULT_ANNOTATION, fps: this.countingFps };
  }

  /** Alert policy from the settings API (alerts.thresholds / alerts.routing), applied live; false = not applied. */
  setAlertPolicy(policy: { thresholds?: Partial<TriggerThresholds>; routing?: RoutingTable }): boolean {
    if (!this.alertEngine) return false;
    try {
      if (policy.thresholds) this.alertEngine.setThresholds(policy.thresholds);
      if (policy.routing) this.alertEngine.setRouting(policy.routing);
      return true;
    } catch (err) {
      this.deps.warn?.(`camera ${this.cameraId}: alert policy not applied: ${String(err)}`);
      return false;
    }
  }

  /** The alert engine's cooldown and all-clear delay in force (null without alerting). */
  alertTiming(): AlertTiming | null {
    return this.alertEngine?.timing() ?? null;
  }

  /** Active alerts and engine sizes (monitoring, tests). */
  alertStats(): { cameras: number; slots: number; activeAlerts: number; resolvedIds: number } | null {
    return this.alertEngine?.stats() ?? null;
  }

  /** The compact analytics of a closed second: null when uncalibrated, 'off' with the reason when disabled. */
  private secondAnalytics(extras: SecondExtras | undefined): LiveAnalytics | null {
    if (extras?.analytics) return liveAnalyticsOf(extras.analytics, this.autoCalibration ? 'approximate' : 'calibrated');
    if (this.analyticsOffReason !== null) return analyticsOff(this.analyticsOffReason);
    return null;
  }

  /** A second's method (and densityCount) is that of its latest frame; low/high are averaged like the count. */
  private addSecondExtras(capturedAt: number, estimate: CountEstimate, densityCount?: number, step?: FrameAnalyticsStep | null): void {
    const key = Math.floor(capturedAt / 1000);
    const e = this.seconds.get(key);
    if (e) {
      e.method = estimate.method;
      e.lowSum += estimate.low;
      e.highSum += estimate.high;
      e.frames++;
      if (densityCount !== undefined) e.densityCount = densityCount;
      if (step) e.analytics = accumulateAnalytics(e.analytics, step.analytics, step.crossed);
    } else {
      this.seconds.set(key, {
        method: estimate.method,
        lowSum: estimate.low,
        highSum: estimate.high,
        frames: 1,
        ...(densityCount === undefined ? {} : { densityCount }),
        ...(step ? { analytics: accumulateAnalytics(undefined, step.analytics, step.crossed) } : {}),
      });
      if (this.seconds.size > 256) this.seconds.delete(Math.min(...this.seconds.keys())); // the aggregator dropped it too
    }
  }

  private setStatus(status: CameraStatus, reason?: string): void {
    // Anything but 'online' means the stream broke (restart, reconnect, end): the next frame starts a new track set.
    if (status !== 'online') {
      this.resetPending = true;
      this.overlay = null; // its boxes belong to the old stream
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

/** Zone outlines for the annotated live frame (calibrated cameras only: zones are in the calibration frame). */
function zoneOutlinesOf(setup: CameraAnalyticsSetup): Pick<LiveOverlay, 'zones'> {
  if (setup.state !== 'on' || !setup.zones.length) return {};
  return { zones: { frame: setup.calibration.frame, polygons: setup.zones.map((z) => ({ name: z.name, polygon: z.polygon })) } };
}

interface FrameAnalyticsStep {
  analytics: FrameAnalytics;
  /** Line crossings since the previous frame (summed over lines). */
  crossed: { in: number; out: number };
}

/** What the latest processed frame contributes to the live view (source-frame pixels). */
export interface ProcessedOverlay {
  seq: number;
  capturedAt: number;
  width: number;
  height: number;
  detections: Detection[];
  tracks: TrackedPerson[];
  count: number;
}

/**
 * The overlay drawn on a live frame: the latest processed frame's boxes and tracks while they are at most maxAgeMs
 * older than the live frame and of the same size (else none: boxes from a stalled detector or an old stream would
 * mislead), its count (or `fallbackCount` before the first processed frame) and its capture time (absent: none yet).
 */
export function liveOverlayOf(
  o: ProcessedOverlay | null,
  frame: { capturedAt: number; width: number; height: number },
  maxAgeMs: number,
  fallbackCount: number,
  trackerFps = 0,
): { detections: Detection[]; tracks: TrackedPerson[]; count: number; capturedAt?: number } {
  if (!o) return { detections: [], tracks: [], count: fallbackCount };
  const ageMs = frame.capturedAt - o.capturedAt;
  const fresh = ageMs <= maxAgeMs && o.width === frame.width && o.height === frame.height;
  if (!fresh) return { detections: [], tracks: [], count: o.count, capturedAt: o.capturedAt };
  if (ageMs <= 0 || trackerFps <= 0 || o.tracks.length === 0) return { detections: o.detections, tracks: o.tracks, count: o.count, capturedAt: o.capturedAt };
  // The picture is newer than the overlay: move each confirmed track along its Kalman velocity (pixels per tracker
  // frame) to the picture's time, so boxes stay on walking people, and draw those instead of the raw detections.
  const steps = (ageMs / 1000) * trackerFps;
  const tracks = o.tracks.map((t) => ({ ...t, box: shiftBox(t.box, t.velocity.vx * steps, t.velocity.vy * steps, frame.width, frame.height) }));
  const detections = tracks.map((t) => ({ box: t.box, score: t.score, classId: 0 }));
  return { detections, tracks, count: o.count, capturedAt: o.capturedAt };
}

function shiftBox(b: BBox, dx: number, dy: number, width: number, height: number): BBox {
  const cx = Math.min(Math.max(dx, -b.x1), width - b.x2);
  const cy = Math.min(Math.max(dy, -b.y1), height - b.y2);
  return { x1: b.x1 + cx, y1: b.y1 + cy, x2: b.x2 + cx, y2: b.y2 + cy };
}

/** Tracks rescaled to the encoded live frame, rounded like the encoder's detections. */
function rescaleTracks(tracks: readonly TrackedPerson[], scale: number): TrackedPerson[] {
  return tracks.map((t) => ({
    ...t,
    box: scaleBox(t.box, scale),
    velocity: { vx: scalePx(t.velocity.vx, scale), vy: scalePx(t.velocity.vy, scale) },
  }));
}
