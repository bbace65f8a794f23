// The alert timing settings (PUT /api/settings/alerts/cooldownS and /allClearS) reach running cameras' AlertEngines
// live: a real CameraSupervisor starts CameraRuntimes on an ffmpeg file source (SQLite). Unsaved settings keep
// ALERT_COOLDOWN_S / ALERT_ALL_CLEAR_S verbatim, saved ones apply at camera start, changes reach running engines at
// once, and a rejected value changes nothing.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, type INestApplication, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import type { LiveFrameEvent } from '@crowdsafe/contracts';
import { FrameStore, InferenceClient, InMemoryFrameStore, JobDispatcher } from '@crowdsafe/server-ai';
import { AppConfigModule, loadConfig } from '@crowdsafe/server-config';
import { AlertEventSink, type EngineAlertEvent, LiveEventsPublisher } from '@crowdsafe/server-core';
import { CameraRepository, DatabaseModule } from '@crowdsafe/server-database';
import { MetricsModule } from '@crowdsafe/server-metrics';
import { SettingsModule } from '@crowdsafe/server-settings';
import { CameraSupervisor } from './camera-supervisor';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'cs-live-alerts-'));
beforeAll(() => Logger.overrideLogger(['error']));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The one place requests are made: add the auth header here once the guard is wired in. */
function http(app: INestApplication) {
  const server = app.getHttpServer();
  return {
    put: (path: string, body: unknown) => request(server).put(`/api${path}`).send(body as object),
  };
}

class QuietPublisher extends LiveEventsPublisher {
  publishMetrics(): void {
    // not under test
  }
  publishCameraStatus(): void {
    // not under test
  }
  publishFrame(_e: LiveFrameEvent): void {
    throw new Error('no viewer asked for frames');
  }
  wantsFrames(): boolean {
    return false;
  }
}

/** No detector here: every job fails, the runtime counts inference errors and goes on. */
class NoDetectorDispatcher extends JobDispatcher {
  dispatch(): Promise<never> {
    return Promise.reject(new Error('no detector in the alert settings test'));
  }
}

/** With a sink present each runtime owns an AlertEngine; no alert is expected (no detector), none is kept. */
class DiscardingSink extends AlertEventSink {
  async handle(_event: EngineAlertEvent): Promise<void> {
    // not under test
  }
}

@Global()
@Module({
  providers: [
    { provide: FrameStore, useValue: new InMemoryFrameStore({ framesPerCamera: 4, ttlMs: 5000 }) },
    { provide: InferenceClient, useFactory: () => new InferenceClient(new NoDetectorDispatcher(), { batchSize: 1, maxInFlight: 1 }) },
    { provide: LiveEventsPublisher, useClass: QuietPublisher },
    { provide: AlertEventSink, useClass: DiscardingSink },
  ],
  exports: [FrameStore, InferenceClient, LiveEventsPublisher, AlertEventSink],
})
class PipelineEdgesModule {}

describe('alert timing settings reach running cameras live (sqlite, real supervisor + ffmpeg source)', () => {
  let app: INestApplication;
  let api: ReturnType<typeof http>;
  const media = join(dir, 'media');

  beforeAll(async () => {
    mkdirSync(media, { recursive: true });
    execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=5', '-t', '2', '-pix_fmt', 'yuv420p', join(media, 'clip.mp4')]);
    // ALERT_COOLDOWN_S=5 is below the settings API's minimum (10): unsaved, the engines must still get 5 s.
    const cfg = loadConfig(
      { SQLITE_PATH: join(dir, `alerts-${Date.now()}.sqlite`), DATA_DIR: dir, MEDIA_DIR: media, SAMPLE_CAMERA: 'false', CAMERAS_ENABLED: 'true', ALERT_COOLDOWN_S: '5', ALERT_ALL_CLEAR_S: '7' },
      dir,
    );
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(cfg), DatabaseModule.forRoot(cfg), SettingsModule, MetricsModule, PipelineEdgesModule],
      providers: [CameraSupervisor],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    app.setGlobalPrefix('api');
    await app.init();
    api = http(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('configuration until saved, saved values at start, every change live on every running engine, bad values nowhere', async () => {
    const repo = app.get(CameraRepository);
    const supervisor = app.get(CameraSupervisor);
    const camera = () => repo.create({ name: `Gate ${Math.random().toString(36).slice(2, 6)}`, sourceType: 'file', sourceUrl: join(media, 'clip.mp4'), sourceOptions: { loop: true } });

    const rA = await supervisor.startCamera(await camera());
    expect(rA.alertTiming()).toEqual({ cooldownMs: 5000, allClearMs: 7000 });

    await api.put('/settings/alerts/cooldownS', { value: 120 }).expect(200);
    expect(rA.alertTiming()).toEqual({ cooldownMs: 120_000, allClearMs: 7000 });

    // A camera started now gets the stored value at start.
    const rB = await supervisor.startCamera(await camera());
    expect(rB.alertTiming()).toEqual({ cooldownMs: 120_000, allClearMs: 7000 });

    await api.put('/settings/alerts/allClearS', { value: 0 }).expect(200);
    expect(rA.alertTiming()).toEqual({ cooldownMs: 120_000, allClearMs: 0 });
    expect(rB.alertTiming()).toEqual({ cooldownMs: 120_000, allClearMs: 0 });

    // Rejected values (out of range, wrong type) change nothing anywhere.
    await api.put('/settings/alerts/cooldownS', { value: 3 }).expect(400);
    await api.put('/settings/alerts/allClearS', { value: 'soon' }).expect(400);
    expect(rA.alertTiming()).toEqual({ cooldownMs: 120_000, allClearMs: 0 });
    expect(rB.alertTiming()).toEqual({ cooldownMs: 120_000, allClearMs: 0 });

    // Other settings do not touch the engines.
    await api.put('/settings/alerts/sound', { value: { enabled: false, volume: 0.5, snoozeMinutes: 5, repeatCriticalS: 0 } }).expect(200);
    expect(rA.alertTiming()).toEqual({ cooldownMs: 120_000, allClearMs: 0 });
  });
});
