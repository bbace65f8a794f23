// Every setting takes effect: enumerates EVERY key of the settings registry (from the running api, not a hand list),
// saves a new value through the API and observes its effect where it acts (hot, no restart): the retention jobs,
// the camera defaults, a running camera's alert engine and risk settings, and, for the keys the console applies
// (site name, theme, time zone, alarm sound), what the server exposes to it. A key without a row fails the test.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { io, type Socket } from 'socket.io-client';
import type { AlertLiveEvent } from '@crowdsafe/contracts';
import { CameraSupervisor } from '@crowdsafe/server-cameras';
import { loadConfig } from '@crowdsafe/server-config';
import { completeMetricRecord, CrossingEventRepository, MetricsRepository, MetricsRetentionJob, SystemLogRepository } from '@crowdsafe/server-database';
import { CrossingsRetentionJob } from '@crowdsafe/server-metrics';
import { LogRetentionJob } from '@crowdsafe/server-security';
import { createApp } from './app/bootstrap';
import { authHeaders, issueToken, TEST_AUTH_ENV } from './testing/auth.test-util';
import { MODEL } from './testing/processes.test-util';

jest.setTimeout(240_000);

const DAY = 86_400_000;

describe('every setting takes effect (hot)', () => {
  let app: NestExpressApplication;
  let base: string;
  let dir: string;
  let admin: string;
  let viewer: string;
  let cameraId: string;
  let socket: Socket;
  const alerts: AlertLiveEvent[] = [];

  const api = async (method: string, path: string, body?: unknown, token: string | null = admin): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${base}/api${path}`, {
      method,
      headers: { ...(token ? authHeaders(token) : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const put = async (category: string, key: string, value: unknown): Promise<void> => {
    const r = await api('PUT', `/settings/${category}/${key}`, { value });
    expect([r.status, r.body?.message]).toEqual([200, undefined]);
  };
  const runtime = () => {
    const r = app.get(CameraSupervisor, { strict: false }).runtime(cameraId);
    if (!r) throw new Error('camera not running');
    return r;
  };
  async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 20_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-settings-effects-'));
    const media = join(dir, 'media');
    mkdirSync(media);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=5:duration=5', '-c:v', 'mpeg4', join(media, 'clip.mp4')]);
    const config = loadConfig(
      { ...TEST_AUTH_ENV, DATA_DIR: dir, MEDIA_DIR: media, MODEL_PATH: MODEL, SAMPLE_CAMERA: 'false', CAMERAS_ENABLED: 'true', RATE_LIMIT_ENABLED: 'false', LOG_LEVEL: 'error', NODE_ENV: 'test' },
      dir,
    );
    app = await createApp(config, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    admin = await issueToken(app, 'admin');
    viewer = await issueToken(app, 'viewer');
    const cam = await api('POST', '/cameras', { name: 'Effects', sourceType: 'file', sourceUrl: 'clip.mp4', sourceOptions: { loop: true }, targetFps: 2 });
    expect(cam.status).toBe(201);
    cameraId = cam.body.id;
    await until('the camera runtime', () => app.get(CameraSupervisor, { strict: false }).runtime(cameraId));
    socket = io(`${base}/live`, { transports: ['websocket'], reconnection: false, auth: { token: admin } });
    socket.on('alert', (e: AlertLiveEvent) => alerts.push(e));
    await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));
  });
  afterAll(async () => {
    socket?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** key -> how its effect is observed (each row saves a value, then checks the effect). */
  const effects: Record<string, () => Promise<void>> = {
    'general.siteName': async () => {
      await put('general', 'siteName', 'North Stand');
      // The console's header and login page read the public endpoint, before login.
      expect((await api('GET', '/settings/general/public', undefined, null)).body).toMatchObject({ siteName: 'North Stand' });
    },
    'general.theme': async () => {
      await put('general', 'theme', 'light');
      expect((await api('GET', '/settings/general/public', undefined, null)).body).toMatchObject({ theme: 'light' });
    },
    'general.timeZone': async () => {
      const zones = (await api('GET', '/settings/time-zones', undefined, viewer)).body.timeZones as string[];
      expect(zones[0]).toBe('UTC');
      expect(zones).toEqual(expect.arrayContaining(['Europe/London', 'Asia/Tokyo']));
      await put('general', 'timeZone', 'Asia/Tokyo');
      expect((await api('GET', '/settings/general/public', undefined, null)).body).toMatchObject({ timeZone: 'Asia/Tokyo' });
    },
    'alerts.sound': async () => {
      const sound = { enabled: true, volume: 0.3, snoozeMinutes: 7, repeatCriticalS: 12 };
      await put('alerts', 'sound', sound);
      // The console's alarm service reads it as any signed-in role.
      expect((await api('GET', '/settings/alerts/sound', undefined, viewer)).body.value).toEqual(sound);
    },
    'alerts.cooldownS': async () => {
      await put('alerts', 'cooldownS', 45);
      expect(runtime().alertTiming()?.cooldownMs).toBe(45_000);
    },
    'alerts.allClearS': async () => {
      await put('alerts', 'allClearS', 12);
      expect(runtime().alertTiming()?.allClearMs).toBe(12_000);
    },
    'alerts.routing': async () => {
      await put('alerts', 'routing', { CAUTION: ['dashboard'], WARNING: ['dashboard', 'webhook'], CRITICAL: ['dashboard', 'email'] });
      // Observed with the next alert (alerts.thresholds below): its channels follow the new matrix.
    },
    'alerts.thresholds': async () => {
      await put('alerts', 'thresholds', { surge: 0.3, surgeCritical: 2, stagnationVelocity: 0.2, stagnationDensity: 4, capacityPercent: 110, capacityCriticalPercent: 125, earlyWarningS: 30 });
      // A surge of 0.5 p/m²/s is below the default 0.8 and above the new 0.3: the running engine opens an alert.
      runtime().feedAlerts({ cameraId, at: Date.now(), level: 'SAFE', score: 5, density: 1, surge: 0.5, velocity: 1, count: 10, capacity: null, cameraStatus: 'online' });
      const ev = await until('the surge alert', () => alerts.find((a) => a.alert.condition === 'surge' && a.type === 'opened'));
      expect(ev.alert.level).toBe('WARNING');
      expect(ev.channels).toEqual(['dashboard', 'webhook']); // alerts.routing
    },
    'risk.thresholds': async () => {
      const r = await api('POST', '/settings/risk-thresholds', { defaults: { thresholds: { caution: 20, warning: 40, critical: 60 } } });
      expect(r.status).toBe(200);
      expect(runtime().riskConfig().thresholds).toMatchObject({ caution: 20, warning: 40, critical: 60 });
    },
    'system.defaultTargetFps': async () => {
      await put('system', 'defaultTargetFps', 3);
      const c = await api('POST', '/cameras', { name: 'Default fps', sourceType: 'file', sourceUrl: 'clip.mp4', isActive: false });
      expect(c.body.targetFps).toBe(3);
    },
    'system.defaultResolution': async () => {
      await put('system', 'defaultResolution', { width: 640, height: 360 });
      const c = await api('POST', '/cameras', { name: 'Default size', sourceType: 'file', sourceUrl: 'clip.mp4', isActive: false });
      expect([c.body.resolutionWidth, c.body.resolutionHeight]).toEqual([640, 360]);
      const own = await api('POST', '/cameras', { name: 'Own size', sourceType: 'file', sourceUrl: 'clip.mp4', isActive: false, resolutionWidth: 320 });
      expect([own.body.resolutionWidth, own.body.resolutionHeight]).toEqual([320, null]);
    },
    'system.metricsRetentionDays': async () => {
      const now = Date.now();
      const repo = app.get(MetricsRepository, { strict: false });
      await repo.insertMany([completeMetricRecord({ cameraId, time: new Date(now - 3 * DAY), count: 1 }), completeMetricRecord({ cameraId, time: new Date(now - 1 * DAY), count: 2 })]);
      await put('system', 'metricsRetentionDays', 2);
      expect(await app.get(MetricsRetentionJob, { strict: false }).run(new Date(now))).toBe(1);
    },
    'system.logRetentionDays': async () => {
      const now = Date.now();
      const logs = app.get(SystemLogRepository, { strict: false });
      await logs.write({ category: 'system', message: 'old', time: new Date(now - 400 * DAY) });
      await logs.write({ category: 'system', message: 'recent', time: new Date(now - 300 * DAY) });
      await put('system', 'logRetentionDays', 365);
      expect(await app.get(LogRetentionJob, { strict: false }).run(new Date(now))).toBe(1);
    },
    'system.crossingsRetentionDays': async () => {
      const now = Date.now();
      const row = { cameraId, lineId: 'gate', lineName: 'Gate', direction: 'in' as const, trackId: 1 };
      await app.get(CrossingEventRepository, { strict: false }).insertMany([{ ...row, time: new Date(now - 4 * DAY) }, { ...row, time: new Date(now - 2 * DAY) }]);
      await put('system', 'crossingsRetentionDays', 3);
      expect(await app.get(CrossingsRetentionJob, { strict: false }).run(new Date(now))).toBe(1);
    },
    'system.model': async () => {
      // Read-only: shows the model this server runs; a write is refused.
      expect((await api('GET', '/settings/system/model')).body.value).toMatchObject({ path: basename(MODEL), executionProvider: 'cpu' });
      expect((await api('PUT', '/settings/system/model', { value: { path: 'x.onnx' } })).status).toBe(400);
    },
    'system.device': async () => {
      expect((await api('GET', '/settings/system/device')).body.value).toMatchObject({ mode: 'embedded' });
      expect((await api('PUT', '/settings/system/device', { value: {} })).status).toBe(400);
    },
  };

  it('the table covers exactly the registry', async () => {
    const all = (await api('GET', '/settings')).body as { categories: { category: string; settings: { key: string }[] }[] };
    const keys = all.categories.flatMap((c) => c.settings.map((s) => `${c.category}.${s.key}`)).sort();
    expect(Object.keys(effects).sort()).toEqual(keys);
  });

  it.each(Object.keys(effects))('%s', async (key) => {
    await effects[key]();
  });
});
