// The running api (embedded: SQLite, a file camera on ffmpeg + the ONNX detector): the spec's names as documented
// equivalents (PUT /api/cameras/:id, PUT /api/users/:id, POST /api/settings/risk-thresholds, socket
// subscribe_camera / unsubscribe_camera / get_metrics / system_notification), crossing events (API + CSV) and an
// early_warning alert raised before CRITICAL on a rising density scenario. The scenario is synthetic: the real
// CameraRisk (risk lib: score, hysteresis, forecast) turns a density ramp into risk seconds, which are fed to the
// running camera's alert engine; everything after that (engine, alert service, database, WebSocket) is the app's.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { io, type Socket } from 'socket.io-client';
import type { AlertLiveEvent, GetMetricsAck, LiveAnalytics, SubscribeAck, SystemNotificationEvent } from '@crowdsafe/contracts';
import { CameraRisk } from '@crowdsafe/pipeline';
import { CameraSupervisor } from '@crowdsafe/server-cameras';
import { loadConfig } from '@crowdsafe/server-config';
import { CrossingEventSink } from '@crowdsafe/server-core';
import { CrossingEventsWriter } from '@crowdsafe/server-metrics';
import { DiskSpaceWatch } from '@crowdsafe/server-system';
import { createApp } from './app/bootstrap';
import { authHeaders, issueToken, TEST_AUTH_ENV } from './testing/auth.test-util';
import { MODEL } from './testing/processes.test-util';

jest.setTimeout(240_000);

describe('operator truth on the running api', () => {
  let app: NestExpressApplication;
  let base: string;
  let dir: string;
  let admin: string;
  let viewer: string;
  let cameraId: string;
  let socket: Socket;
  const alerts: AlertLiveEvent[] = [];
  const notes: SystemNotificationEvent[] = [];

  const api = async (method: string, path: string, body?: unknown, token: string | null = admin): Promise<{ status: number; body: any; text: string; type: string | null }> => {
    const res = await fetch(`${base}/api${path}`, {
      method,
      headers: { ...(token ? authHeaders(token) : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    return { status: res.status, body: parsed, text, type: res.headers.get('content-type') };
  };
  const runtime = () => {
    const r = app.get(CameraSupervisor, { strict: false }).runtime(cameraId);
    if (!r) throw new Error('camera not running');
    return r;
  };
  const emit = <T>(event: string, body: unknown): Promise<T> => socket.timeout(5000).emitWithAck(event, body) as Promise<T>;
  async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
      const v = await fn();
      if (v !== undefined) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-operator-truth-'));
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
    const cam = await api('POST', '/cameras', { name: 'Truth', sourceType: 'file', sourceUrl: 'clip.mp4', sourceOptions: { loop: true }, targetFps: 2, capacity: 50, latitude: 51.5, longitude: -0.12 });
    expect(cam.status).toBe(201);
    expect(cam.body).toMatchObject({ latitude: 51.5, longitude: -0.12 });
    cameraId = cam.body.id;
    await until('the camera runtime', () => app.get(CameraSupervisor, { strict: false }).runtime(cameraId));
    socket = io(`${base}/live`, { transports: ['websocket'], reconnection: false, auth: { token: viewer } });
    socket.on('alert', (e: AlertLiveEvent) => alerts.push(e));
    socket.on('system_notification', (e: SystemNotificationEvent) => notes.push(e));
    await new Promise<void>((resolve, reject) => (socket.once('connect', () => resolve()), socket.once('connect_error', reject)));
  });
  afterAll(async () => {
    socket?.close();
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe('PUT /api/cameras/:id (full replacement)', () => {
    it('omitted fields take their create defaults; position must come as a pair', async () => {
      const created = await api('POST', '/cameras', { name: 'Replace me', sourceType: 'file', sourceUrl: 'clip.mp4', isActive: false, capacity: 80, location: 'Gate 4', latitude: 10, longitude: 20 });
      const id = created.body.id as string;
      const r = await api('PUT', `/cameras/${id}`, { name: 'Replaced', sourceType: 'file', sourceUrl: 'clip.mp4', isActive: false });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ name: 'Replaced', capacity: null, location: null, latitude: null, longitude: null, zones: [], settings: {} });
      const half = await api('PUT', `/cameras/${id}`, { name: 'Replaced', sourceType: 'file', sourceUrl: 'clip.mp4', isActive: false, latitude: 1 });
      expect([half.status, half.body.message]).toEqual([400, 'latitude and longitude must be given together (or both null)']);
      const bad = await api('PUT', `/cameras/${id}`, { name: 'Replaced', sourceType: 'file', sourceUrl: 'clip.mp4', latitude: 91, longitude: 0 });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.message)).toContain('latitude must be a number from -90 to 90');
      expect((await api('PUT', `/cameras/00000000-0000-4000-8000-000000000000`, { name: 'X', sourceType: 'file', sourceUrl: 'clip.mp4' })).status).toBe(404);
      expect((await api('PUT', `/cameras/${id}`, { name: 'X', sourceType: 'file', sourceUrl: 'clip.mp4' }, viewer)).status).toBe(403);
    });
  });

  describe('PUT /api/users/:id (full replacement)', () => {
    it('replaces email, name, role and active flag; role is required', async () => {
      const u = await api('POST', '/users', { username: 'replace-me', email: 'r@example.org', fullName: 'R', role: 'viewer' });
      expect(u.status).toBe(201);
      const r = await api('PUT', `/users/${u.body.id}`, { role: 'operator' });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ username: 'replace-me', email: null, fullName: null, role: 'operator', isActive: true });
      const bad = await api('PUT', `/users/${u.body.id}`, { email: 'x@example.org' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.message)).toContain('role must be one of');
    });
  });

  describe('POST /api/settings/risk-thresholds', () => {
    it('stores like PUT /api/settings/risk/thresholds; a bad value is a 400 naming the field', async () => {
      const ok = await api('POST', '/settings/risk-thresholds', { defaults: { thresholds: { caution: 25, warning: 50, critical: 75 } } });
      expect(ok.status).toBe(200);
      expect((await api('GET', '/settings/risk/thresholds', undefined, viewer)).body.value.defaults.thresholds).toEqual({ caution: 25, warning: 50, critical: 75 });
      const bad = await api('POST', '/settings/risk-thresholds', { defaults: { thresholds: { caution: 60, warning: 50, critical: 75 } } });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toEqual(['risk.thresholds.defaults.thresholds: must be strictly ordered: caution < warning < critical']);
      expect((await api('POST', '/settings/risk-thresholds', {}, viewer)).status).toBe(403);
    });
  });

  describe('socket: the spec names', () => {
    it('subscribe_camera {camera_id} delivers metrics_update; get_metrics answers with the latest; unsubscribe_camera stops them', async () => {
      expect(await emit<SubscribeAck>('subscribe_camera', { cameraId })).toEqual({ ok: false, error: 'camera_id must be a camera id string' });
      expect(await emit<SubscribeAck>('subscribe_camera', { camera_id: cameraId })).toEqual({ ok: true });
      const update = await new Promise<{ cameraId: string; time: string }>((resolve) => socket.once('metrics_update', resolve));
      expect(update.cameraId).toBe(cameraId);
      const ack = await emit<GetMetricsAck>('get_metrics', { camera_id: cameraId });
      expect(ack.ok).toBe(true);
      expect(ack.metrics?.cameraId).toBe(cameraId);
      expect(Date.parse(ack.metrics?.time ?? '')).toBeGreaterThanOrEqual(Date.parse(update.time));
      expect(await emit<GetMetricsAck>('get_metrics', { camera_id: '00000000-0000-4000-8000-000000000000' })).toEqual({ ok: true, metrics: null });
      expect(await emit<GetMetricsAck>('get_metrics', { camera_id: 42 })).toEqual({ ok: false, error: 'camera_id must be a camera id string' });
      expect(await emit<SubscribeAck>('unsubscribe_camera', { camera_id: cameraId })).toEqual({ ok: true });
      await new Promise((r) => setTimeout(r, 300)); // an update already in flight
      let after = 0;
      const count = () => after++;
      socket.on('metrics_update', count);
      await new Promise((r) => setTimeout(r, 2500));
      socket.off('metrics_update', count);
      expect(after).toBe(0);
    });

    it('system_notification: low disk, and a camera offline past its grace period', async () => {
      const watch = app.get(DiskSpaceWatch, { strict: false });
      await watch.check({ path: dir, freeBytes: 50 * 1024 ** 3, totalBytes: 100 * 1024 ** 3 }); // whatever this host's disk is
      notes.length = 0;
      await watch.check({ path: dir, freeBytes: 100 * 1024 ** 2, totalBytes: 100 * 1024 ** 3 });
      const disk = await until('disk notification', () => notes.find((n) => n.kind === 'disk'));
      expect(disk).toMatchObject({ level: 'warning', details: { path: dir, freeBytes: 100 * 1024 ** 2 } });
      expect(disk.message).toMatch(/^Low disk space: 0\.1 GiB free of 100\.0 GiB/);
      await watch.check({ path: dir, freeBytes: 50 * 1024 ** 3, totalBytes: 100 * 1024 ** 3 });
      await until('disk recovered', () => notes.find((n) => n.kind === 'disk' && n.level === 'info'));

      const t0 = Date.now() + 10 * 60_000; // ahead of the camera's own updates
      const u = { cameraId, level: null, score: Number.NaN, density: Number.NaN, surge: Number.NaN, velocity: Number.NaN, count: Number.NaN, capacity: null };
      runtime().feedAlerts({ ...u, at: t0, cameraStatus: 'offline' });
      runtime().feedAlerts({ ...u, at: t0 + 31_000, cameraStatus: 'offline' });
      const off = await until('camera offline notification', () => notes.find((n) => n.kind === 'camera_offline'));
      expect(off).toMatchObject({ level: 'warning', cameraId });
      expect(off.message).toContain('connection lost');
    });
  });

  describe('crossing events', () => {
    it('stored through the sink, listed with filters and paging, exported as CSV', async () => {
      const sink = app.get(CrossingEventSink, { strict: false });
      const t = Date.parse('2026-01-02T10:00:00Z');
      sink.record([
        { cameraId, at: t, lineId: 'gate', lineName: 'Gate', direction: 'in', trackId: 7 },
        { cameraId, at: t + 1000, lineId: 'gate', lineName: 'Gate', direction: 'out', trackId: 8 },
        { cameraId, at: t + 2000, lineId: 'exit', lineName: '=Exit, "north"', direction: 'in', trackId: 9 },
      ]);
      await app.get(CrossingEventsWriter, { strict: false }).flush();
      const all = await api('GET', `/crossings?cameraId=${cameraId}&from=2026-01-02T00:00:00Z&to=2026-01-03T00:00:00Z`, undefined, viewer);
      expect(all.status).toBe(200);
      expect(all.body.total).toBe(3);
      expect(all.body.items.map((i: { trackId: number; direction: string }) => [i.trackId, i.direction])).toEqual([[7, 'in'], [8, 'out'], [9, 'in']]);
      const page = await api('GET', `/crossings?cameraId=${cameraId}&direction=in&limit=1&offset=1`, undefined, viewer);
      expect(page.body).toMatchObject({ total: 2, items: [{ lineId: 'exit', trackId: 9, time: '2026-01-02T10:00:02.000Z' }] });
      expect((await api('GET', `/crossings?lineId=gate&trackId=8`, undefined, viewer)).body.total).toBe(1);
      const csv = await api('GET', `/crossings/export.csv?cameraId=${cameraId}`, undefined, viewer);
      expect(csv.status).toBe(200);
      expect(csv.type).toContain('text/csv');
      expect(csv.text.trim().split('\n')).toEqual([
        'time,camera_id,line_id,line_name,direction,track_id',
        `2026-01-02T10:00:00.000Z,${cameraId},gate,Gate,in,7`,
        `2026-01-02T10:00:01.000Z,${cameraId},gate,Gate,out,8`,
        `2026-01-02T10:00:02.000Z,${cameraId},exit,"'=Exit, ""north""",in,9`,
      ]);
      for (const [q, message] of [
        ['direction=up', 'direction must be in or out'],
        ['cameraId=nope', 'cameraId must be a UUID'],
        ['limit=0', 'limit must be between 1 and 5000'],
        ['from=2026-01-03T00:00:00Z&to=2026-01-02T00:00:00Z', 'must not be after'],
      ] as const) {
        const r = await api('GET', `/crossings?${q}`, undefined, viewer);
        expect([q, r.status]).toEqual([q, 400]);
        expect(JSON.stringify(r.body.message)).toContain(message);
      }
      expect((await api('GET', '/crossings', undefined, null)).status).toBe(401);
    });
  });

  describe('early warning', () => {
    it('an early_warning alert opens before risk_level reaches CRITICAL on a rising density scenario', async () => {
      const risk = { defaults: { thresholds: { caution: 20, warning: 35, critical: 50 } } };
      expect((await api('POST', '/settings/risk-thresholds', risk)).status).toBe(200);
      const t0 = Date.now() + 60 * 60_000; // ahead of the camera's own updates (the engine needs time order)
      const cameraRisk = new CameraRisk(cameraId, risk, undefined, new Date(t0));
      const seen = alerts.length;
      let criticalAt: number | null = null;
      // Density rises 0.03 p/m²/s from 0.5 with a steady surge and slow walking: WARNING, then CRITICAL at ~200 s.
      for (let s = 0; s < 260 && criticalAt === null; s++) {
        const at = t0 + s * 1000;
        const analytics = { status: 'on', density: 0.5 + 0.03 * s, surge: 0.1, velocity: 0.3, pressureMax: null, counterFlowIndex: null } as unknown as LiveAnalytics;
        const r = cameraRisk.second(new Date(at), analytics);
        if (r.riskLevel === 'CRITICAL') criticalAt = at;
        runtime().feedAlerts({
          cameraId, at, level: r.riskLevel, score: r.riskScore ?? Number.NaN, density: 0.5 + 0.03 * s, surge: 0.1, velocity: 0.3, count: 10, capacity: null, cameraStatus: 'online',
          earlyWarningInS: r.live?.earlyWarningInS ?? null,
        });
      }
      expect(criticalAt).not.toBeNull();
      const critical = await until('CRITICAL', () => alerts.slice(seen).find((a) => a.alert.condition === 'risk_level' && a.alert.level === 'CRITICAL'));
      const events = alerts.slice(seen);
      const early = events.find((a) => a.alert.condition === 'early_warning' && a.type === 'opened');
      expect(early).toBeDefined();
      expect(events.indexOf(early!)).toBeLessThan(events.indexOf(critical));
      const lead = (Date.parse(critical.at) - Date.parse(early!.at)) / 1000;
      expect(lead).toBeGreaterThanOrEqual(20); // the forecast's 30 s, within the hysteresis of the level
      expect(early!.alert.message).toMatch(/^CRITICAL expected in \d+ s \(density forecast\)/);
      expect(early!.alert.level).toBe('WARNING');
      // Stored like every alert, with the forecast in its snapshot.
      const row = await api('GET', `/alerts/${early!.alert.id}`, undefined, viewer);
      expect(row.body).toMatchObject({ condition: 'early_warning', cameraId });
      expect(row.body.metricsSnapshot.earlyWarningInS).toBeLessThanOrEqual(30);
    });
  });
});
