import { randomBytes, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { existsSync, readFileSync } from 'node:fs';
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AlertTiming, RoutingTable, TriggerThresholds } from '@crowdsafe/alerting';
import type { CameraHealth, CameraSettings, CameraStatus, FrameRef, RawFrame } from '@crowdsafe/contracts';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { AlertEventSink, CameraEventLog, CameraRecordingOutputs, ClusterBus, CrossingEventSink, LiveEventsPublisher, StartupError } from '@crowdsafe/server-core';
import { DENSITY_COUNTER, type DensityCounter, FrameStore, InferenceClient } from '@crowdsafe/server-ai';
import { AlertRepository, type CameraRecord, CameraRepository, type JsonObject } from '@crowdsafe/server-database';
import { MetricsWriter } from '@crowdsafe/server-metrics';
import { DEFAULT_ALERT_ROUTING, DEFAULT_ALERT_THRESHOLDS, routingTableOf, SettingsService, triggerThresholdsOf } from '@crowdsafe/server-settings';
import Redis from 'ioredis';
import type { Subscription } from 'rxjs';
import { DetectionSettingsError, parseDetectionSettings, PassBudgetAllocator, resolveDetectOptions, type CameraDetectionSettings } from '@crowdsafe/vision';
import { cameraSourceInput, FfmpegFrameSource, warmUpFfmpeg, NetworkGuard, parseSourceOptions, prepareEgress, type PreparedSource, resolveMediaFile, SourceInputError, type SourceInput } from '../ingest';
import { type CameraAnalyticsInput, CameraLiveState } from '@crowdsafe/pipeline';
import type { CrowdAnalyzer } from '@crowdsafe/analytics';
import { CameraRuntime, type CameraRuntimeOptions } from './camera-runtime';
import { densityCensusOf } from './density-census';
import { annotationSettingsOf } from './annotation';
import { storedCameraSettings } from './camera-settings';
import { LiveFrameEncoder, LiveFrameSink } from './live-frame-encoder';
import { followMeasuredCapacity } from './pass-capacity-feed';
import { alertOfRecord, CameraLeases, CameraOwnership, type ProbeMemo, ProbeMemos, sourceFingerprint } from '../ownership';
import { alertSinkFor, metricsSinkFor } from '../metrics-sink';
import { type SampleCameraLayout, sampleCameraLayout } from './sample-camera';

/**
 * Turns a stored camera into an ffmpeg input, checking scheme and shape per sourceType (throws SourceInputError).
 * File paths are confined to the media directories at every connect (see CameraSupervisor.beforeConnect).
 */
export function sourceInputOf(camera: Pick<CameraRecord, 'sourceType' | 'sourceUrl' | 'sourceOptions'>): SourceInput {
  return cameraSourceInput(camera.sourceType, camera.sourceUrl, camera.sourceOptions);
}

/** The every-N-th-frame rate of a camera: sourceOptions.frameSkip, else CAMERA_FRAME_SKIP. */
export function frameSkipOf(camera: Pick<CameraRecord, 'sourceOptions'>, defaultSkip: number): number {
  try {
    return parseSourceOptions(camera.sourceOptions).frameSkip ?? defaultSkip;
  } catch {
    return defaultSkip;
  }
}

/**
 * A camera's detection and counting options: `settings.detection` ({ confidence, iou, maxDetections, tiling, roi },
 * every field optional) over the global DETECT_CONFIDENCE / NMS_IOU / MAX_DETECTIONS, and the tracker at the
 * camera's processing rate (targetFps, else CAMERA_DEFAULT_FPS). Throws DetectionSettingsError naming every bad field
 * (unknown keys included: a typo must not silently fall back to the default).
 */
export function runtimeDetectionOf(
  camera: Pick<CameraRecord, 'settings' | 'targetFps'>,
  config: Pick<AppConfig, 'inference' | 'cameras'>,
): Pick<CameraRuntimeOptions, 'detect' | 'counting'> {
  const settings: CameraDetectionSettings = parseDetectionSettings(storedCameraSettings(camera.settings).detection, 'settings.detection');
  return {
    detect: resolveDetectOptions(settings, config.inference),
    counting: { fps: camera.targetFps || config.cameras.defaultFps, roi: settings.roi ?? null, gmc: settings.gmc ?? 'off' },
  };
}

/**
 * A camera's analytics inputs: calibrationData (a Calibration, or { frame, points | scale | manual }), zones,
 * capacity, and the counting lines from settings.analytics.lines. Validated by the runtime (invalid = analytics off
 * with the reason, counting goes on).
 */
export function analyticsInputOf(camera: Pick<CameraRecord, 'calibrationData' | 'zones' | 'capacity'> & { settings: CameraSettings | JsonObject | null }): CameraAnalyticsInput {
  const analytics: unknown = storedCameraSettings(camera.settings).analytics;
  const lines = analytics && typeof analytics === 'object' && !Array.isArray(analytics) ? (analytics as { lines?: unknown }).lines : analytics === undefined || analytics === null ? undefined : 'invalid';
  return { calibrationData: camera.calibrationData, zones: camera.zones, lines, capacity: camera.capacity };
}

/**
 * Owns the set of running cameras in this process: seeds the sample camera on an empty embedded install, starts a
 * CameraRuntime per active camera at boot and stops them all on shutdown.
 */
@Injectable()
export class CameraSupervisor implements OnApplicationBootstrap, OnApplicationShutdown, CameraLiveState {
  private readonly logger = new Logger('Cameras');
  private readonly runtimes = new Map<string, CameraRuntime>();
  private readonly encoder: LiveFrameEncoder;
  /** SSRF guard for network sources (CAMERA_ALLOWED_NETWORKS), checked before every connect and by the camera API. */
  readonly guard: NetworkGuard;
  /** Per-camera start/stop/restart chains, so API calls on one camera never interleave. */
  private readonly lifecycle = new Map<string, Promise<unknown>>();
  /** Settings API: live risk settings for cameras without their own settings.risk. */
  private riskSubscription?: Subscription;
  /** Settings API: live alert cooldown / all-clear delay for every running camera's AlertEngine. */
  private alertTimingSubscription?: Subscription;
  /** Distributed mode (REDIS_URL): which cameras this process runs, by lease (null: all active cameras). */
  private ownership: CameraOwnership | null = null;
  private leaseRedis?: Redis;
  /** Distributed mode: each camera's last probe, shared by the camera processes (a take-over skips ffprobe). */
  private probeMemos: ProbeMemos | null = null;
  private alertPolicySubscription?: Subscription;
  /** Cameras whose lease was just taken: when (the start's breakdown counts from there). Cleared at their start. */
  private readonly leaseTakenAt = new Map<string, number>();

  /** Model passes per second shared by this process's cameras, max-min fair: the measured capacity, or DETECT_PASS_BUDGET. */
  private readonly passBudget: PassBudgetAllocator;
  private readonly stopCapacityFeed: () => void;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cameras: CameraRepository,
    private readonly frameStore: FrameStore,
    private readonly inference: InferenceClient,
    private readonly metrics: MetricsWriter,
    private readonly live: LiveEventsPublisher,
    @Optional() @Inject(DENSITY_COUNTER) private readonly density: DensityCounter | null = null,
    @Optional() @Inject(AlertEventSink) private readonly alerts: AlertEventSink | null = null,
    @Optional() @Inject(SettingsService) private readonly settings: SettingsService | null = null,
    @Optional() @Inject(LiveFrameSink) private readonly frameSink: LiveFrameSink | null = null,
    @Optional() @Inject(ClusterBus) private readonly bus: ClusterBus | null = null,
    @Optional() @Inject(AlertRepository) private readonly alertRows: AlertRepository | null = null,
    @Optional() @Inject(CrossingEventSink) private readonly crossings: CrossingEventSink | null = null,
    @Optional() @Inject(CameraRecordingOutputs) private readonly recording: CameraRecordingOutputs | null = null,
    @Optional() @Inject(CameraEventLog) private readonly eventLog: CameraEventLog | null = null,
  ) {
    this.encoder = new LiveFrameEncoder(config.cameras.liveMaxWidth, config.cameras.liveJpegQuality);
    this.guard = new NetworkGuard(config.cameras.allowedNetworks);
    this.passBudget = new PassBudgetAllocator({ totalPerSecond: config.inference.passBudget ?? 0 });
    this.stopCapacityFeed = followMeasuredCapacity(inference, this.passBudget).stop;
  }

  /** Live frame encodes so far (one per frame sent to live viewers of either transport): monitoring, tests, bench. */
  get liveFramesEncoded(): number {
    return this.encoder.encodes;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.cameras.enabled) {
      this.logger.log('camera ingestion disabled in this process (CAMERAS_ENABLED=false)');
      return;
    }
    // fluent-ffmpeg's capability checks run once per process before its first spawn: now, not in the first camera start.
    void warmUpFfmpeg(this.config.cameras.ffmpegPath).then(
      (ms) => this.logger.log(`ffmpeg capabilities cached in ${ms} ms`),
      (e: unknown) => this.logger.warn(`ffmpeg warm-up failed (the camera starts will report it): ${e instanceof Error ? e.message : String(e)}`),
    );
    await this.seedSampleCamera();
    // Camera changes made through a process that runs no cameras (an api replica) are applied here.
    this.bus?.handle('camera-changed', async ({ cameraId, restart, deleted }) => {
      const record = deleted ? null : await this.cameras.findById(cameraId);
      if (!record) await this.serialise(cameraId, () => this.stopCamera(cameraId));
      else if (!this.ownership || this.ownership.owns(cameraId)) await this.applyLocal(record, restart);
      else await this.ownership.reconcile(); // a new or re-activated camera may be this node's now
      return { applied: true };
    });
    this.riskSubscription = this.settings?.changes$.subscribe((c) => {
      if (c.category !== 'risk' || c.key !== 'thresholds') return;
      for (const r of this.runtimes.values()) if (!r.options.ownRisk) r.setRiskSettings(c.value);
    });
    // Alert timing (alerts.cooldownS / allClearS) follows the settings API live, on every running engine.
    this.alertTimingSubscription = this.settings?.changes$.subscribe((c) => {
      if (c.category !== 'alerts' || (c.key !== 'cooldownS' && c.key !== 'allClearS')) return;
      const timing = alertTimingOf(this.config, this.settings);
      for (const r of this.runtimes.values()) r.setAlertTiming(timing);
    });
    // Alert policy (alerts.thresholds / alerts.routing) too.
    this.alertPolicySubscription = this.settings?.changes$.subscribe((c) => {
      if (c.category !== 'alerts' || (c.key !== 'thresholds' && c.key !== 'routing')) return;
      const policy = alertPolicyOf(this.settings);
      for (const r of this.runtimes.values()) r.setAlertPolicy(policy);
    });
    if (this.config.queue.redisUrl) {
      await this.startOwnership(this.config.queue.redisUrl);
      return;
    }
    for (const camera of await this.cameras.findActive()) {
      try {
        await this.startCamera(camera);
      } catch (err) {
        // A camera with bad settings stays down (status 'error', reason saved); the others start.
        if (!(err instanceof DetectionSettingsError || err instanceof SourceInputError)) throw err;
      }
    }
  }

  /** Distributed mode: this process runs the cameras whose lease it holds (see CameraOwnership). */
  private async startOwnership(redisUrl: string): Promise<void> {
    const nodeId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.leaseRedis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    this.leaseRedis.on('error', () => undefined); // reported by the ownership loop, once per failed tick
    const leases = new CameraLeases(this.leaseRedis, this.config.queue.prefix, nodeId, this.config.cameras.leaseTtlMs);
    this.probeMemos = new ProbeMemos(this.leaseRedis, this.config.queue.prefix);
    this.ownership = new CameraOwnership(leases, {
      activeCameraIds: async () => (await this.cameras.findActive()).map((c) => c.id),
      startOwned: async (cameraId) => {
        this.leaseTakenAt.set(cameraId, Date.now());
        try {
          const record = await this.cameras.findById(cameraId);
          if (record) await this.applyLocal(record, false);
        } finally {
          this.leaseTakenAt.delete(cameraId);
        }
        await this.adoptAlerts(cameraId);
      },
      stopOwned: (cameraId) => this.serialise(cameraId, () => this.stopCamera(cameraId)),
      log: (m) => this.logger.log(m),
      warn: (m) => this.logger.warn(m),
    });
    this.logger.log(`camera node ${nodeId}: cameras are shared with the other camera processes by lease (TTL ${this.config.cameras.leaseTtlMs} ms)`);
    await this.ownership.start();
  }

  /** A camera taken over from another process: its engine continues the alerts the former owner left active. */
  private async adoptAlerts(cameraId: string): Promise<void> {
    const runtime = this.runtimes.get(cameraId);
    if (!runtime || !this.alertRows) return;
    const alerts = (await this.alertRows.findActive(cameraId)).map(alertOfRecord).filter((a) => a !== null);
    const n = runtime.adoptAlerts(alerts);
    if (n) this.logger.log(`camera ${cameraId}: continuing ${n} active alert(s) of its former owner`);
  }

  /** Lease holders (monitoring, tests): this node, the live nodes and the cameras it holds. */
  ownershipStatus(): ReturnType<CameraOwnership['status']> | null {
    return this.ownership?.status() ?? null;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopCapacityFeed();
    // Leases first: the other camera processes take the cameras over at their next tick instead of after the TTL.
    await this.ownership?.stop();
    this.leaseRedis?.disconnect();
    this.riskSubscription?.unsubscribe();
    this.alertTimingSubscription?.unsubscribe();
    this.alertPolicySubscription?.unsubscribe();
    await Promise.all([...this.runtimes.values()].map((r) => r.stop()));
    this.runtimes.clear();
  }

  runtime(cameraId: string): CameraRuntime | undefined {
    return this.runtimes.get(cameraId);
  }

  // ---- CameraLiveState: the read side other modules use (undefined = not running in this process) ----
  latestFrame(cameraId: string): RawFrame | null | undefined {
    return this.runtimes.get(cameraId)?.latestFrame();
  }

  health(cameraId: string): CameraHealth | undefined {
    return this.runtimes.get(cameraId)?.health();
  }

  crowdAnalyzer(cameraId: string): CrowdAnalyzer | null | undefined {
    return this.runtimes.get(cameraId)?.crowdAnalyzer();
  }

  analyticsStatus(cameraId: string): { state: 'on' | 'uncalibrated' | 'off'; reason?: string } | undefined {
    return this.runtimes.get(cameraId)?.analyticsStatus();
  }

  async startCamera(camera: CameraRecord): Promise<CameraRuntime> {
    const existing = this.runtimes.get(camera.id);
    if (existing) return existing;
    const cfg = this.config.cameras;
    let detection: Pick<CameraRuntimeOptions, 'detect' | 'counting'>;
    let input: SourceInput;
    const frameSkip = frameSkipOf(camera, cfg.frameSkip);
    try {
      detection = runtimeDetectionOf(camera, this.config);
      // The tracker runs at the rate frames are processed: fps / frameSkip.
      if (frameSkip > 1 && detection.counting) detection = { ...detection, counting: { ...detection.counting, fps: detection.counting.fps / frameSkip } };
      input = sourceInputOf(camera);
    } catch (err) {
      if (err instanceof DetectionSettingsError || err instanceof SourceInputError) {
        this.logger.error(`camera "${camera.name}" (${camera.id}) not started: ${err.message}`);
        await this.cameras.setStatus(camera.id, 'error', err.message).catch((e: unknown) => this.logger.warn(`could not save status of camera ${camera.id}: ${String(e)}`));
      }
      throw err;
    }
    // The census reuses the frame detection just stored (same key) instead of storing it twice.
    let lastRef: FrameRef | undefined;
    const refOf = (f: RawFrame) => (lastRef && lastRef.seq === f.seq && lastRef.cameraId === f.cameraId ? Promise.resolve(lastRef) : this.frameStore.put(f));
    const policy = alertPolicyOf(this.settings);
    // Distributed mode: rows and alert events are written only while this process holds the camera's lease (fencing token).
    const ownership = this.ownership;
    const fenceOf = ownership ? (id: string) => ownership.fenceOf(id) : null;
    const metricsSink = metricsSinkFor(this.metrics, camera.id, fenceOf, (m) => this.logger.warn(m));
    const memos = this.probeMemos;
    const fingerprint = sourceFingerprint(camera);
    const knownProbe: ProbeMemo | null = memos ? await memos.get(camera.id, fingerprint) : null;
    const runtime = new CameraRuntime(
      {
        cameraId: camera.id,
        frameQueueSize: cfg.frameQueueSize,
        frameMaxAgeMs: cfg.frameMaxAgeMs,
        metricsLatenessMs: cfg.metricsLatenessMs,
        // Every camera infers its newest frame (no backlog): files are read at their native rate (-re) and behave like
        // a camera; every-frame offline analysis is `crowdsafe analyze`. Live view at camera fps.
        sourceIsLive: true,
        liveFps: camera.targetFps || cfg.defaultFps,
        ...detection,
        scheduling: { refreshS: this.config.inference.sliceRefreshS ?? 1, allocator: this.passBudget },
        analytics: analyticsInputOf(camera),
        annotation: annotationSettingsOf(camera.settings),
        ...riskOptionsOf(camera, this.settings),
        ...(this.density ? { density: { intervalMs: this.config.dense.intervalMs } } : {}),
        alerting: {
          engine: {
            ...alertTimingOf(this.config, this.settings),
            routing: policy.routing,
            thresholds: { ...policy.thresholds, offlineGraceMs: this.config.alerts.offlineGraceMs },
            newId: randomUUID,
          },
          snapshot: { maxWidth: Math.max(cfg.liveMaxWidth, 1280), quality: 80 },
        },
      },
      {
        createSource: (handlers) => {
          const source = new FfmpegFrameSource({
            cameraId: camera.id,
            input,
            fps: camera.targetFps || cfg.defaultFps,
            maxWidth: camera.resolutionWidth ?? cfg.defaultWidth,
            maxHeight: camera.resolutionHeight,
            frameSkip,
            ffmpegPath: cfg.ffmpegPath,
            ffprobePath: cfg.ffprobePath,
            stallTimeoutMs: cfg.stallTimeoutMs,
            probeTimeoutMs: cfg.probeTimeoutMs,
            ...(knownProbe ? { knownProbe } : {}),
            ...(memos ? { onProbed: (p: ProbeMemo) => memos.remember(camera.id, fingerprint, { codec: p.codec, width: p.width, height: p.height }) } : {}),
            backoff: cfg.backoff,
            beforeConnect: () => this.beforeConnect(input),
            logger: { warn: (m) => this.logger.warn(m) },
            // Recordings (libs/server/recordings): the same ffmpeg also copies the stream into segments.
            ...(this.recording ? recordingHooksOf(this.recording, camera) : {}),
          });
          source.onFrame((f: RawFrame) => handlers.onFrame(f));
          source.onStatus((s: { status: CameraStatus; reason?: string }) => handlers.onStatus(s.status, s.reason));
          return source;
        },
        detect: async (frame, options) => this.inference.detect((lastRef = await this.frameStore.put(frame)), options),
        metrics: metricsSink,
        saveStatus: (status, reason) => {
          this.cameras.setStatus(camera.id, status, reason).catch((err: unknown) => this.logger.warn(`could not save status of camera ${camera.id}: ${String(err)}`));
          this.eventLog?.record({ cameraId: camera.id, cameraName: camera.name, status, reason, restarts: runtime.health().restarts, at: new Date() });
        },
        live: this.live,
        encoder: this.encoder,
        ...(this.frameSink ? { frameSink: this.frameSink } : {}),
        ...(this.alerts ? { alerts: alertSinkFor(this.alerts, camera.id, fenceOf, (m) => this.logger.warn(m)) } : {}),
        ...(this.crossings ? { crossings: this.crossings } : {}),
        ...(this.density ? { countDensity: densityCensusOf(this.density, refOf, detection.counting?.roi) } : {}),
        warn: (message) => this.logger.warn(message),
        log: (message) => this.logger.log(message),
      },
    );
    this.runtimes.set(camera.id, runtime);
    this.logger.log(`starting camera "${camera.name}" (${camera.sourceType})`);
    const leaseAt = this.leaseTakenAt.get(camera.id);
    this.leaseTakenAt.delete(camera.id);
    const before = leaseAt === undefined ? [] : [{ name: 'lease taken to runtime start (record, settings, probe memo)', ms: Date.now() - leaseAt }];
    await runtime.start([...before, { name: knownProbe ? 'probe remembered (no ffprobe)' : 'ffprobe run' }]);
    return runtime;
  }

  async stopCamera(cameraId: string): Promise<void> {
    const runtime = this.runtimes.get(cameraId);
    this.runtimes.delete(cameraId);
    await runtime?.stop();
  }

  // ---- camera API lifecycle (helper C) ----
  /** Ids of the cameras running in this process. */
  runningIds(): string[] {
    return [...this.runtimes.keys()];
  }

  /**
   * Brings a camera's runtime in line with its stored record: stopped when inactive (or ingestion is disabled in this
   * process), (re)started cleanly when active (`restart` = the source or pipeline settings changed). Serialised per
   * camera. A camera whose settings are invalid stays down with status 'error' and the reason (not thrown).
   */
  applyCamera(camera: CameraRecord, restart = false): Promise<void> {
    if (!this.config.cameras.enabled) return this.forward(camera.id, restart, false);
    if (this.ownership && !this.ownership.owns(camera.id)) {
      // Another camera process may run it; this one may become its owner (a new camera): both are asked.
      return Promise.all([this.forward(camera.id, restart, false), this.ownership.reconcile()]).then(() => undefined);
    }
    return this.applyLocal(camera, restart);
  }

  /** applyCamera in this process: start, stop or restart the runtime to match the record. */
  private applyLocal(camera: CameraRecord, restart: boolean): Promise<void> {
    return this.serialise(camera.id, async () => {
      const running = this.runtimes.has(camera.id);
      if (!camera.isActive || !this.config.cameras.enabled) {
        if (running) await this.stopCamera(camera.id);
        return;
      }
      if (running && !restart) return;
      if (running) await this.stopCamera(camera.id);
      try {
        await this.startCamera(camera);
      } catch (err) {
        if (!(err instanceof DetectionSettingsError || err instanceof SourceInputError)) throw err;
      }
    });
  }

  /** Stops a camera's runtime (e.g. before deleting it); serialised with applyCamera. */
  removeCamera(cameraId: string): Promise<void> {
    if (!this.config.cameras.enabled || (this.ownership && !this.ownership.owns(cameraId))) return this.forward(cameraId, false, true);
    return this.serialise(cameraId, () => this.stopCamera(cameraId));
  }

  /** This process runs no cameras: the process that does applies the change (distributed mode; no-op embedded). */
  private async forward(cameraId: string, restart: boolean, deleted: boolean): Promise<void> {
    if (!this.bus) return;
    const { answers } = await this.bus.request('camera-changed', { cameraId, restart, deleted });
    if (answers.length === 0) this.logger.warn(`camera ${cameraId} changed, but no camera process answered (is one running?)`);
  }

  private serialise(cameraId: string, fn: () => Promise<void>): Promise<void> {
    const prev = this.lifecycle.get(cameraId) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.lifecycle.set(cameraId, next);
    const cleanup = () => {
      if (this.lifecycle.get(cameraId) === next) this.lifecycle.delete(cameraId);
    };
    next.then(cleanup, cleanup);
    return next;
  }

  /** Before every (re)connect: the SSRF guard re-resolves network hosts; files must still be inside the media dirs. */
  private async beforeConnect(input: SourceInput): Promise<PreparedSource | void> {
    // Network sources: checked, and pinned to the checked address for this connect (see prepareEgress).
    if (input.kind === 'url') return prepareEgress(input, this.guard);
    else if (input.kind === 'file') await resolveMediaFile(input.path, this.config.cameras.mediaDirs, [this.config.cameras.sampleVideo]);
  }

  /** The embedded quickstart: with no camera configured, create one on the bundled sample video. */
  private async seedSampleCamera(): Promise<void> {
    if (!this.config.cameras.sampleCamera || (await this.cameras.count()) > 0) return;
    const path = this.config.cameras.sampleVideo;
    if (!existsSync(path)) {
      throw new StartupError(
        `Sample video not found at ${path} (SAMPLE_VIDEO, relative to MEDIA_DIR).`,
        'Run ./crowdsafe setup to link the sample data, point SAMPLE_VIDEO at a video file, or set SAMPLE_CAMERA=false.',
      );
    }
    const layoutPath = this.config.cameras.sampleLayout;
    let layout: SampleCameraLayout | null = null;
    if (layoutPath && existsSync(layoutPath)) {
      try {
        layout = sampleCameraLayout(JSON.parse(readFileSync(layoutPath, 'utf8')), layoutPath);
      } catch (err) {
        throw new StartupError(`Sample camera layout ${layoutPath} is invalid: ${(err as Error).message}`, 'Fix the file or set SAMPLE_CAMERA_LAYOUT to another camera.json (or to an empty value).');
      }
    } else if (layoutPath) {
      this.logger.warn(`sample camera layout ${layoutPath} not found (SAMPLE_CAMERA_LAYOUT): the sample camera counts people but has no floor calibration`);
    }
    await this.cameras.create({
      name: 'Sample camera', location: 'Bundled sample video', sourceType: 'file', sourceUrl: path, sourceOptions: { loop: true },
      targetFps: this.config.cameras.defaultFps, ...(layout ?? {}),
    });
    this.logger.log(`created the sample camera on ${path}${layout ? ` with the layout of ${layoutPath}` : ''}`);
  }
}

/**
 * A camera's risk settings: its own `settings.risk` when the record has one (it then ignores the settings API),
 * else the global risk settings (GET/PUT /api/settings/risk/thresholds, with per-camera overrides by id), which
 * follow every change live.
 */
export function riskOptionsOf(camera: Pick<CameraRecord, 'settings'>, settings: Pick<SettingsService, 'get'> | null): Pick<CameraRuntimeOptions, 'risk' | 'ownRisk'> {
  const own = storedCameraSettings(camera.settings).risk;
  if (own !== undefined && own !== null) return { risk: own, ownRisk: true };
  return { risk: settings?.get('risk', 'thresholds') };
}

/** The alert engine's thresholds and routing from the settings alerts.thresholds / alerts.routing (defaults without settings). */
export function alertPolicyOf(settings: Pick<SettingsService, 'get'> | null): { thresholds: Partial<TriggerThresholds>; routing: RoutingTable } {
  return {
    thresholds: triggerThresholdsOf(settings?.get('alerts', 'thresholds') ?? DEFAULT_ALERT_THRESHOLDS),
    routing: routingTableOf(settings?.get('alerts', 'routing') ?? DEFAULT_ALERT_ROUTING),
  };
}

/**
 * The alert cooldown and all-clear delay (ms) for cameras' AlertEngines: the stored settings alerts.cooldownS /
 * alerts.allClearS once saved through the settings API, else ALERT_COOLDOWN_S / ALERT_ALL_CLEAR_S verbatim (the
 * settings' shown defaults clamp those to the API's bounds; an unsaved setting must not change the configured value).
 */
export function alertTimingOf(config: Pick<AppConfig, 'alerts'>, settings: Pick<SettingsService, 'get' | 'view'> | null): AlertTiming {
  const saved = (key: 'cooldownS' | 'allClearS') => settings !== null && settings.view('alerts', key).version > 0;
  return {
    cooldownMs: settings && saved('cooldownS') ? settings.get('alerts', 'cooldownS') * 1000 : config.alerts.cooldownMs,
    allClearMs: settings && saved('allClearS') ? settings.get('alerts', 'allClearS') * 1000 : config.alerts.allClearMs,
  };
}

/** The frame source's hooks for the recorder: its segment outputs per ffmpeg run, and the end of each run. */
export function recordingHooksOf(
  recording: CameraRecordingOutputs,
  camera: Pick<CameraRecord, 'id' | 'settings' | 'targetFps'>,
): { extraOutputs: (run: { codec?: string }) => { target: string; options: string[] }[]; onRunEnd: () => void } {
  return {
    extraOutputs: (run) => recording.outputsFor({ cameraId: camera.id, ...run, ...(camera.targetFps ? { fps: camera.targetFps } : {}), settings: camera.settings }),
    onRunEnd: () => recording.runEnded(camera.id),
  };
}
