import { existsSync } from 'node:fs';
import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { CameraStatus, RawFrame } from '@crowdsafe/contracts';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { LiveEventsPublisher, StartupError } from '@crowdsafe/server-core';
import { DENSITY_COUNTER, type DensityCounter, FrameStore, InferenceClient } from '@crowdsafe/server-ai';
import { type CameraRecord, CameraRepository } from '@crowdsafe/server-database';
import { MetricsWriter } from '@crowdsafe/server-metrics';
import { DetectionSettingsError, parseDetectionSettings, resolveDetectOptions, type CameraDetectionSettings } from '@crowdsafe/vision';
import { FfmpegFrameSource, type SourceInput } from '../ingest';
import type { CameraAnalyticsInput } from './camera-analytics';
import { CameraRuntime, type CameraRuntimeDeps, type CameraRuntimeOptions } from './camera-runtime';
import { LiveFrameEncoder } from './live-frame-encoder';

/** Turns a stored camera into an ffmpeg input. Later issues add rtsp/http/hls/usb/rtmp validation. */
export function sourceInputOf(camera: Pick<CameraRecord, 'sourceType' | 'sourceUrl' | 'sourceOptions'>): SourceInput {
  if (camera.sourceType === 'file') {
    const loop = (camera.sourceOptions as { loop?: unknown } | null)?.loop;
    return { kind: 'file', path: camera.sourceUrl, loop: loop === undefined ? true : Boolean(loop) };
  }
  return { kind: 'url', url: camera.sourceUrl };
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

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cameras: CameraRepository,
    private readonly frameStore: FrameStore,
    private readonly inference: InferenceClient,
    private readonly metrics: MetricsWriter,
    private readonly live: LiveEventsPublisher,
    @Optional() @Inject(DENSITY_COUNTER) private readonly density: DensityCounter | null = null,
  ) {
    this.encoder = new LiveFrameEncoder(config.cameras.liveMaxWidth, config.cameras.liveJpegQuality);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.cameras.enabled) {
      this.logger.log('camera ingestion disabled in this process (CAMERAS_ENABLED=false)');
      return;
    }
    await this.seedSampleCamera();
    for (const camera of await this.cameras.findActive()) {
      try {
        await this.startCamera(camera);
      } catch (err) {
        // A camera with bad settings stays down (status 'error', reason saved); the others start.
        if (!(err instanceof DetectionSettingsError)) throw err;
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
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
    try {
      detection = runtimeDetectionOf(camera, this.config);
    } catch (err) {
      if (err instanceof DetectionSettingsError) {
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
        ...detection,
        analytics: analyticsInputOf(camera),
        risk: (camera.settings as { risk?: unknown } | null)?.risk,
        ...(this.density ? { density: { intervalMs: this.config.dense.intervalMs } } : {}),
      },
      {
        createSource: (handlers) => {
          const source = new FfmpegFrameSource({
            cameraId: camera.id,
            input: sourceInputOf(camera),
            fps: camera.targetFps || cfg.defaultFps,
            maxWidth: camera.resolutionWidth ?? cfg.defaultWidth,
            ffmpegPath: cfg.ffmpegPath,
            ffprobePath: cfg.ffprobePath,
            stallTimeoutMs: 10_000,
            backoff: { initialMs: 500, maxMs: 30_000 },
          });
          source.onFrame((f: RawFrame) => handlers.onFrame(f));
          source.onStatus((s: { status: CameraStatus; reason?: string }) => handlers.onStatus(s.status, s.reason));
          return source;
        },
        detect: async (frame, options) => this.inference.detect(await this.frameStore.put(frame), options),
        writeMetrics: (row) => this.metrics.enqueue(row),
        saveStatus: (status, reason) => {
          this.cameras.setStatus(camera.id, status, reason).catch((err: unknown) => this.logger.warn(`could not save status of camera ${camera.id}: ${String(err)}`));
        },
        live: this.live,
        encoder: this.encoder,
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
    await this.cameras.create({ name: 'Sample camera', location: 'Bundled sample video', sourceType: 'file', sourceUrl: path, sourceOptions: { loop: true }, targetFps: this.config.cameras.defaultFps });
    this.logger.log(`created the sample camera on ${path}`);
  }
}
