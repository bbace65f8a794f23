// The risk settings (PUT /api/settings/risk/thresholds) reach running cameras live: a real CameraSupervisor starts
// CameraRuntimes on an ffmpeg file source (SQLite); stored settings apply at start, changes at once, per-camera
// overrides/profiles by camera id, and a camera with its own settings.risk keeps it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, type INestApplication, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { CameraStatusEvent, LiveFrameEvent, MetricsUpdateEvent } from '@crowdsafe/contracts';
import { FrameStore, InferenceClient, InMemoryFrameStore, JobDispatcher } from '@crowdsafe/server-ai';
import { CameraLiveQueries, CameraLiveState } from '@crowdsafe/pipeline';
import { CameraSupervisor, ClusterCameraLiveQueries } from '@crowdsafe/server-cameras';
import { AppConfigModule, loadConfig } from '@crowdsafe/server-config';
import { LiveEventsPublisher } from '@crowdsafe/server-core';
import { CameraRepository, DatabaseModule } from '@crowdsafe/server-database';
import { MetricsModule } from '@crowdsafe/server-metrics';
import { SettingsModule } from '@crowdsafe/server-settings';
import { SystemModule } from './system.module';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'cs-live-risk-'));
beforeAll(() => Logger.overrideLogger(['error']));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The one place requests are made: add the auth header here once the guard is wired in. */
function http(app: INestApplication) {
  const server = app.getHttpServer();
  return {
    get: (path: string) => request(server).get(`/api${path}`),
    put: (path: string, body: unknown) => request(server).put(`/api${path}`).send(body as object),
  };
}

const badWeights = { defaults: { weights: { density: 0.5, surge: 0.3, velocity: 0.4, pressure: 0, counterFlow: 0 } } };


class QuietPublisher extends LiveEventsPublisher {
  readonly metrics: MetricsUpdateEvent[] = [];
  publishMetrics(e: MetricsUpdateEvent): void {
    if (this.metrics.length < 100) this.metrics.push(e);
  }
  readonly statuses: CameraStatusEvent[] = [];
  publishCameraStatus(e: CameraStatusEvent): void {
    if (this.statuses.length < 100) this.statuses.push(e);
  }
  publishFrame(_e: LiveFrameEvent): void {
    throw new Error('no viewer asked for frames');
  }
  wantsFrames(): boolean {
    return false;
  }
}

/** No detector in this test (no model here): every job fails, the runtime counts inference errors and goes on. */
class NoDetectorDispatcher extends JobDispatcher {
  dispatch(): Promise<never> {
    return Promise.reject(new Error('no detector in the settings test'));
  }
}

/** What the app's global AiModule / RealtimeModule provide, here without a model or sockets. */
@Global()
@Module({
  providers: [
    { provide: FrameStore, useValue: new InMemoryFrameStore({ framesPerCamera: 4, ttlMs: 5000 }) },
    { provide: InferenceClient, useFactory: () => new InferenceClient(new NoDetectorDispatcher(), { batchSize: 1, maxInFlight: 1 }) },
    { provide: LiveEventsPublisher, useClass: QuietPublisher },
  ],
  exports: [FrameStore, InferenceClient, LiveEventsPublisher],
})
class PipelineEdgesModule {}

/** CamerasModule's read ports, global as there: the system API injects CameraLiveQueries. */
@Global()
@Module({
  imports: [MetricsModule],
  providers: [CameraSupervisor, { provide: CameraLiveState, useExisting: CameraSupervisor }, { provide: CameraLiveQueries, useClass: ClusterCameraLiveQueries }],
  exports: [CameraSupervisor, CameraLiveState, CameraLiveQueries],
})
class CameraPortsModule {}

describe('risk settings reach running cameras live (sqlite, real supervisor + ffmpeg source)', () => {
  let app: INestApplication;
  let api: ReturnType<typeof http>;
  const media = join(dir, 'media');

  beforeAll(async () => {
    mkdirSync(media, { recursive: true });
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=5', '-t', '3', '-pix_fmt', 'yuv420p', join(media, 'clip.mp4')]);
    const cfg = loadConfig({ SQLITE_PATH: join(dir, `live-${Date.now()}.sqlite`), DATA_DIR: dir, MEDIA_DIR: media, SAMPLE_CAMERA: 'false', CAMERAS_ENABLED: 'true' }, dir);
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(cfg), DatabaseModule.forRoot(cfg), SettingsModule, MetricsModule, SystemModule, PipelineEdgesModule, CameraPortsModule],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    app.setGlobalPrefix('api');
    await app.init();
    api = http(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('stored settings apply at start; a PUT reaches the running runtime at once; a camera with its own settings.risk is left alone', async () => {
    await api.put('/settings/risk/thresholds', { defaults: { thresholds: { caution: 20, warning: 45, critical: 70 } } }).expect(200);
    const repo = app.get(CameraRepository);
    const supervisor = app.get(CameraSupervisor);
    const global = await repo.create({ name: 'Gate A', sourceType: 'file', sourceUrl: join(media, 'clip.mp4'), sourceOptions: { loop: true } });
    const own = await repo.create({
      name: 'Gate B',
      sourceType: 'file',
      sourceUrl: join(media, 'clip.mp4'),
      sourceOptions: { loop: true },
      settings: { risk: { defaults: { thresholds: { caution: 10, warning: 20, critical: 30 } } } },
    });
    const rA = await supervisor.startCamera(global);
    const rB = await supervisor.startCamera(own);
    expect(rA.riskConfig().thresholds).toEqual({ caution: 20, warning: 45, critical: 70 });
    expect(rB.riskConfig().thresholds).toEqual({ caution: 10, warning: 20, critical: 30 });

    // A per-camera override with an event profile, applied live.
    await api
      .put('/settings/risk/thresholds', {
        defaults: { thresholds: { caution: 30, warning: 55, critical: 80 } },
        cameras: { [global.id]: { profile: 'concert', overrides: { thresholds: { critical: 85 } } } },
      })
      .expect(200);
    expect(rA.riskConfig().thresholds).toEqual({ caution: 30, warning: 55, critical: 85 });
    expect(rA.riskConfig().weights).toEqual({ density: 0.35, surge: 0.25, velocity: 0.2, pressure: 0.15, counterFlow: 0.05 });
    expect(rB.riskConfig().thresholds).toEqual({ caution: 10, warning: 20, critical: 30 });

    // Rejected settings change nothing anywhere.
    await api.put('/settings/risk/thresholds', badWeights).expect(400);
    expect(rA.riskConfig().thresholds).toEqual({ caution: 30, warning: 55, critical: 85 });
  });

  it('GET /api/system/stats and /health see the running runtimes: frames decoded, inference failures counted', async () => {
    const deadline = Date.now() + 20_000;
    let stats = (await api.get('/system/stats').expect(200)).body;
    while (stats.totals.framesDecoded === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      stats = (await api.get('/system/stats').expect(200)).body;
    }
    expect(stats.cameras).toHaveLength(2);
    expect(stats.cameras.every((c: { running: boolean }) => c.running)).toBe(true);
    expect(stats.totals.framesDecoded).toBeGreaterThan(0);
    expect(stats.totals.framesDecoded).toBe(stats.cameras.reduce((a: number, c: { framesDecoded: number }) => a + c.framesDecoded, 0));
    expect(stats.inference).toMatchObject({ failedJobs: expect.any(Number), latencyMs: { p50: null, p95: null } });
    expect(stats.inference.jobs).toBeGreaterThan(0);
    expect(stats.queue).toMatchObject({ type: 'in-process' });
    const health = (await api.get('/system/health').expect(200)).body;
    expect(health.cameras).toMatchObject({ total: 2, running: 2 });
  });
});
