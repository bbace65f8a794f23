import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AlertTiming } from '@crowdsafe/alerting';
import type { CameraStatus, RawFrame } from '@crowdsafe/contracts';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { AlertEventSink, CameraEventLog, LiveEventsPublisher, StartupError } from '@crowdsafe/server-core';
import { DENSITY_COUNTER, type DensityCounter, FrameStore, InferenceClient } from '@crowdsafe/server-ai';
import { type CameraRecord, CameraRepository } from '@crowdsafe/server-database';
import { MetricsWriter } from '@crowdsafe/server-metrics';
import { SettingsService } from '@crowdsafe/server-settings';
import type { Subscription } from 'rxjs';
import { DetectionSettingsError, parseDetectionSettings, resolveDetectOptions, type CameraDetectionSettings } from '@crowdsafe/vision';
import { cameraSourceInput, FfmpegFrameSource, NetworkGuard, parseSourceOptions, resolveMediaFile, SourceInputError, type SourceInput } from '../ingest';
import type { CameraAnalyticsInput } from './camera-analytics';
import { CameraRuntime, type CameraRuntimeDeps, type CameraRuntimeOptions } from './camera-runtime';
import { LiveFrameEncoder, LiveFrameSink } from './live-frame-encoder';
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
  const settings: CameraDetectionSettings = parseDetectionSettings((camera.settings as { detection?: unknown } | null)?.detection, 'settings.detection');
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
export function analyticsInputOf(camera: Pick<CameraRecord, 'calibrationData' | 'zones' | 'capacity' | 'settings'>): CameraAnalyticsInput {
  const analytics = (camera.settings as { analytics?: unknown } | null)?.analytics;
  const lines = analytics && typeof analytics === 'object' && !Array.isArray(analytics) ? (analytics as { lines?: unknown }).lines : analytics === undefined || analytics === null ? undefined : 'invalid';
  return { calibrationData: camera.calibrationData, zones: camera.zones, lines, capacity: camera.capacity };
}

/** The runtime's density edge over the shared counter (one thread; runs queue there, each camera has <= 1 in flight). */
export function densityCountOf(counter: Pick<DensityCounter, 'count'>, maxSide: number): NonNullable<CameraRuntimeDeps['countDensity']> {
  return async (frame) => {
    const r = await counter.count(frame, { maxSide });
    return { estimate: r.estimate, points: r.points };
  };
}

/**
 * Owns the set of running cameras in this process: seeds the sample camera on an empty embedded install, starts a
 * CameraRuntime per active camera at boot and stops them all on shutdown.
 */
@Injectable()
export class CameraSupervisor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Cameras');
  private readonly runtimes = new Map<string, CameraRuntime>();
  private readonly encoder: LiveFrameEncoder;
  /** SSRF guard for network sources (CAMERA_ALLOWED_NETWORKS), checked before every connect and by the camera API. */
  readonly guard: NetworkGuard;
  /** Per-camera start/stop/restart chains, so API calls on one camera never interleave. */
  private readonly lifecycle = new Map<string, Promise<unknown>>();
  /** Settings API (A2): live risk settings for cameras without their own settings.risk. */
  private riskSubscription?: Subscription;
  /** Settings API: live alert cooldown / all-clear delay for every running camera's AlertEngine. */
  private alertTimingSubscription?: Subscription;

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
    @Optional() @Inject(CameraEventLog) private readonly eventLog: CameraEventLog | null = null,
  ) {
    this.encoder = new LiveFrameEncoder(config.cameras.liveMaxWidth, config.cameras.liveJpegQuality);
    this.guard = new NetworkGuard(config.cameras.allowedNetworks);
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
    await this.seedSampleCamera();
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
    for (const camera of await this.cameras.findActive()) {
      try {
        await this.startCamera(camera);
      } catch (err) {
        // A camera with bad settings stays down (status 'error', reason saved); the others start.
        if (!(err instanceof DetectionSettingsError || err instanceof SourceInputError)) throw err;
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.riskSubscription?.unsubscribe();
    this.alertTimingSubscription?.unsubscribe();
    await Promise.all([...this.runtimes.values()].map((r) => r.stop()));
    this.runtimes.clear();
    await this.density?.close().catch((err: unknown) => this.logger.warn(`could not close the density model: ${String(err)}`));
  }

  runtime(cameraId: string): CameraRuntime | undefined {
    return this.runtimes.get(cameraId);
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
    const runtime = new CameraRuntime(
      {
        cameraId: camera.id,
        frameQueueSize: cfg.frameQueueSize,
        frameMaxAgeMs: cfg.frameMaxAgeMs,
        // Every camera infers its newest frame (no backlog): files are read at their native rate (-re) and behave like
        // a camera; every-frame offline analysis is `crowdsafe analyze`. Live view at camera fps.
        sourceIsLive: true,
        liveFps: camera.targetFps || cfg.defaultFps,
        ...detection,
        analytics: analyticsInputOf(camera),
        ...riskOptionsOf(camera, this.settings),
        ...(this.density ? { density: { intervalMs: this.config.dense.intervalMs } } : {}),
        alerting: {
          engine: {
            ...alertTimingOf(this.config, this.settings),
            thresholds: { offlineGraceMs: this.config.alerts.offlineGraceMs },
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
            backoff: cfg.backoff,
            beforeConnect: () => this.beforeConnect(input),
            logger: { warn: (m) => this.logger.warn(m) },
          });
          source.onFrame((f: RawFrame) => handlers.onFrame(f));
          source.onStatus((s: { status: CameraStatus; reason?: string }) => handlers.onStatus(s.status, s.reason));
          return source;
        },
        detect: async (frame, options) => this.inference.detect(await this.frameStore.put(frame), options),
        writeMetrics: (row) => this.metrics.enqueue(row),
        saveStatus: (status, reason) => {
          this.cameras.setStatus(camera.id, status, reason).catch((err: unknown) => this.logger.warn(`could not save status of camera ${camera.id}: ${String(err)}`));
          this.eventLog?.record({ cameraId: camera.id, cameraName: camera.name, status, reason, restarts: runtime.health().restarts, at: new Date() });
        },
        live: this.live,
        encoder: this.encoder,
        ...(this.frameSink ? { frameSink: this.frameSink } : {}),
        ...(this.alerts ? { alerts: this.alerts } : {}),
        ...(this.density ? { countDensity: densityCountOf(this.density, this.config.dense.maxSide) } : {}),
        warn: (message) => this.logger.warn(message),
      },
    );
    this.runtimes.set(camera.id, runtime);
    this.logger.log(`starting camera "${camera.name}" (${camera.sourceType})`);
    await runtime.start();
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
    return this.serialise(cameraId, () => this.stopCamera(cameraId));
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
  private async beforeConnect(input: SourceInput): Promise<void> {
    if (input.kind === 'url') await this.guard.checkSource(input);
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
  const own = (camera.settings as { risk?: unknown } | null)?.risk;
  if (own !== undefined && own !== null) return { risk: own, ownRisk: true };
  return { risk: settings?.get('risk', 'thresholds') };
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
