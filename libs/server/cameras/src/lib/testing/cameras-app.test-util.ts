// A Nest app with the real camera API, supervisor, runtimes, ffmpeg ingestion and database (SQLite in a temp dir),
// for the camera medium specs. Inference is a stand-in that finds nobody (these specs are about ingestion and the
// API, not detection); live events are recorded.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, type INestApplication, Module, ValidationPipe } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { CameraStatusEvent, FrameDetections, LiveFrameEvent, MetricsUpdateEvent, RawFrame } from '@crowdsafe/contracts';
import { FrameStore, InferenceClient } from '@crowdsafe/server-ai';
import { AppConfigModule, loadConfig, type AppConfig } from '@crowdsafe/server-config';
import { LiveEventsPublisher } from '@crowdsafe/server-core';
import { DatabaseModule } from '@crowdsafe/server-database';
import { CamerasModule } from '../cameras.module';

export class RecordingLiveEvents extends LiveEventsPublisher {
  readonly statuses: CameraStatusEvent[] = [];
  readonly metrics: MetricsUpdateEvent[] = [];
  publishMetrics(event: MetricsUpdateEvent): void {
    this.metrics.push(event);
    if (this.metrics.length > 1000) this.metrics.splice(0, 500);
  }
  publishCameraStatus(event: CameraStatusEvent): void {
    this.statuses.push(event);
  }
  publishFrame(_event: LiveFrameEvent): void {
    // not watched
  }
  wantsFrames(): boolean {
    return false;
  }
  statusesOf(cameraId: string): CameraStatusEvent[] {
    return this.statuses.filter((s) => s.cameraId === cameraId);
  }
}

/** Inference stand-in: every frame is "processed" with no detections. */
class NobodyInference {
  frames = 0;
  async detect(ref: { key: string; cameraId: string; seq: number; capturedAt: number }): Promise<FrameDetections> {
    this.frames++;
    return { key: ref.key, cameraId: ref.cameraId, seq: ref.seq, capturedAt: ref.capturedAt, detections: [] };
  }
  /** No jobs: the camera supervisor's pass budget stays uncapped. */
  onJob() {
    return () => undefined;
  }
}

class PassThroughFrameStore {
  async put(frame: RawFrame) {
    return { key: `frame:${frame.cameraId}:${frame.seq}`, cameraId: frame.cameraId, seq: frame.seq, capturedAt: frame.capturedAt, width: frame.width, height: frame.height };
  }
  async get(): Promise<undefined> {
    return undefined;
  }
  async close(): Promise<void> {
    // nothing held
  }
}

export interface CamerasTestApp {
  app: INestApplication;
  config: AppConfig;
  live: RecordingLiveEvents;
  dir: string;
  mediaDir: string;
  close(): Promise<void>;
}

/** Starts the app (not listening; use supertest on app.getHttpServer()). `env` overrides the camera settings. */
export async function startCamerasApp(env: Record<string, string> = {}): Promise<CamerasTestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-cameras-'));
  const mediaDir = join(dir, 'media');
  mkdirSync(mediaDir);
  const config = loadConfig(
    {
      SQLITE_PATH: join(dir, 'cameras.sqlite'),
      DATA_DIR: dir,
      MEDIA_DIR: mediaDir,
      SAMPLE_CAMERA: 'false',
      FFMPEG_PATH: process.env.FFMPEG_PATH ?? 'ffmpeg',
      FFPROBE_PATH: process.env.FFPROBE_PATH ?? 'ffprobe',
      ...env,
    },
    dir,
  );
  const live = new RecordingLiveEvents();

  @Global()
  @Module({
    providers: [
      { provide: LiveEventsPublisher, useValue: live },
      { provide: FrameStore, useClass: PassThroughFrameStore },
      { provide: InferenceClient, useClass: NobodyInference },
    ],
    exports: [LiveEventsPublisher, FrameStore, InferenceClient],
  })
  class TestEdgesModule {}

  const moduleRef = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(config), TestEdgesModule, CamerasModule],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  app.setGlobalPrefix('api');
  // As in apps/api bootstrap.ts.
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  await app.init();
  return {
    app,
    config,
    live,
    dir,
    mediaDir,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
