import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { AnalyticsApi, toSpatial } from './analytics.api';
import { apiErrorInterceptor } from './api-error.interceptor';
import { CamerasApi, toCalibrateResult, toCameraDetail, toSourceTestResult } from './cameras.api';
import { toServerHealth } from './mappers';
import { provideApiClient } from './provide-api';
import { RecordingsApi } from './recordings.api';
import { ReportsApi } from './reports.api';
import { SettingsApi } from './settings.api';
import { SystemApi } from './system.api';
import { UsersApi } from './users.api';

/** The cameras, system, analytics, users, recordings and reports facades: requests made and answers mapped. */
describe('REST facades (cameras, system, analytics, users, recordings, reports)', () => {
  let ctrl: HttpTestingController;
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(withInterceptors([apiErrorInterceptor])), provideHttpClientTesting(), provideApiClient()] });
    ctrl = TestBed.inject(HttpTestingController);
  });
  afterEach(() => ctrl.verify());

  const cameraDto = { id: 'c1', name: 'North gate', sourceType: 'file', isActive: true, status: 'online', targetFps: 5 };

  describe('camera mappers', () => {
    it('toCameraDetail: empty input gives blanks', () => {
      expect(toCameraDetail(null)).toMatchObject({ sourceUrl: '', hasCredentials: false, capacity: null, calibrationData: null, zones: [], settings: {}, sourceOptions: {} });
    });

    it('toCameraDetail keeps finite numbers, zones and objects', () => {
      const d = toCameraDetail({ ...cameraDto, sourceUrl: 'rtsp://h/s', hasCredentials: true, capacity: 50, latitude: Number.NaN, areaM2: 12.5, calibrationData: { frame: {} }, zones: [{ id: 'z' }], settings: [1] });
      expect(d).toMatchObject({ name: 'North gate', sourceUrl: 'rtsp://h/s', hasCredentials: true, capacity: 50, latitude: null, areaM2: 12.5, calibrationData: { frame: {} }, zones: [{ id: 'z' }], settings: {} });
    });

    it.each([
      [{}, { ok: true, snapshotUrl: null, error: null, width: null }],
      [{ ok: false, error: 'no route' }, { ok: false, error: 'no route' }],
      [{ message: 'timeout', error: 'x' }, { ok: false, error: 'x' }],
      [{ resolution: { width: 640, height: 480 }, snapshotJpegBase64: 'AAA' }, { ok: true, width: 640, height: 480, snapshotUrl: 'data:image/jpeg;base64,AAA' }],
      [{ width: 1280, snapshotUrl: '/api/x.jpg', snapshotError: 'slow' }, { width: 1280, snapshotUrl: '/api/x.jpg', snapshotError: 'slow' }],
      [{ snapshot: 'data:image/png;base64,B' }, { snapshotUrl: 'data:image/png;base64,B' }],
    ])('toSourceTestResult(%p)', (raw, expected) => {
      expect(toSourceTestResult(raw)).toMatchObject(expected);
    });

    it.each([
      [{}, { areaM2: null, zoneAreas: {}, warnings: [] }],
      [{ floorAreaM2: 40, zones: [{ id: 'a', areaM2: 10 }, { id: 'b' }, { areaM2: 3 }] }, { areaM2: 40, zoneAreas: { a: 10 }, warnings: [] }],
      [{ areaM2: 5, zoneAreas: { a: 2, b: 'x' }, warnings: ['tilted', { message: 'far' }, { code: 1 }] }, { areaM2: 5, zoneAreas: { a: 2 }, warnings: ['tilted', 'far', '{"code":1}'] }],
    ])('toCalibrateResult(%p)', (raw, expected) => {
      expect(toCalibrateResult(raw)).toMatchObject(expected);
    });
  });

  describe('CamerasApi', () => {
    it('list, get, detail map the cameras', async () => {
      const api = TestBed.inject(CamerasApi);
      const list = firstValueFrom(api.list());
      ctrl.expectOne('/api/cameras').flush([]);
      expect(await list).toEqual([]);
      const got = firstValueFrom(api.get('c1'));
      ctrl.expectOne('/api/cameras/c1').flush({ ...cameraDto, health: { status: 'online', fpsIn: 5, fpsOut: 5, droppedFrames: 0, staleFrames: 0, restarts: 1, framesDecoded: 9, framesProcessed: 9 } });
      expect(await got).toMatchObject({ id: 'c1', location: null, health: { restarts: 1, skippedFrames: 0, bytesRead: 0 }, currentCount: null });
      const detail = firstValueFrom(api.detail('c1'));
      ctrl.expectOne('/api/cameras/c1').flush({ ...cameraDto, capacity: 9 });
      expect((await detail).capacity).toBe(9);
    });

    it.each([
      ['create', (a: CamerasApi) => a.create({ name: 'N', sourceType: 'file', sourceUrl: 'a.mp4' }), 'POST', '/api/cameras', { name: 'N', sourceType: 'file', sourceUrl: 'a.mp4' }],
      ['update', (a: CamerasApi) => a.update('c1', { capacity: 3 }), 'PATCH', '/api/cameras/c1', { capacity: 3 }],
      ['clone', (a: CamerasApi) => a.clone('c1', { name: 'Copy', sourceUrl: 'b.mp4' }), 'POST', '/api/cameras/c1/clone', { name: 'Copy', sourceUrl: 'b.mp4' }],
    ])('%s sends the body and maps the detail', async (_name, call, method, url, body) => {
      const p = firstValueFrom(call(TestBed.inject(CamerasApi)));
      const req = ctrl.expectOne(url);
      expect([req.request.method, req.request.body]).toEqual([method, body]);
      req.flush({ ...cameraDto, sourceUrl: 'x' });
      expect((await p).sourceUrl).toBe('x');
    });

    it('start, stop, delete, tests, calibrate, aruco', async () => {
      const api = TestBed.inject(CamerasApi);
      const started = firstValueFrom(api.start('c1'));
      ctrl.expectOne('/api/cameras/c1/start').flush(cameraDto);
      expect((await started).status).toBe('online');
      const stopped = firstValueFrom(api.stop('c1'));
      ctrl.expectOne('/api/cameras/c1/stop').flush({ ...cameraDto, status: 'stopped' });
      expect((await stopped).status).toBe('stopped');
      const del = firstValueFrom(api.delete('c1'), { defaultValue: undefined });
      expect(ctrl.expectOne('/api/cameras/c1').request.method).toBe('DELETE');
      ctrl.match('/api/cameras/c1')[0]?.flush(null);
      void del;

      const probe = firstValueFrom(api.testSource({ sourceType: 'rtsp', sourceUrl: 'rtsp://h' }));
      const pr = ctrl.expectOne('/api/cameras/test');
      expect(pr.request.body).toEqual({ sourceType: 'rtsp', sourceUrl: 'rtsp://h' });
      pr.flush({ ok: true, codec: 'h264', fps: 25 });
      expect(await probe).toMatchObject({ ok: true, codec: 'h264', fps: 25 });
      const saved = firstValueFrom(api.test('c1'));
      ctrl.expectOne('/api/cameras/c1/test').flush({ ok: false, error: 'refused' });
      expect((await saved).error).toBe('refused');

      const cal = firstValueFrom(api.calibrate('c1', { calibrationData: { frame: { width: 10, height: 10 }, manual: { floorAreaM2: 20 } }, save: true }));
      const cr = ctrl.expectOne('/api/cameras/c1/calibrate');
      expect(cr.request.body.save).toBe(true);
      cr.flush({ areaM2: 20 });
      expect((await cal).areaM2).toBe(20);
      const aruco = firstValueFrom(api.detectAruco('c1', { markerSizeM: 0.2 } as never));
      ctrl.expectOne('/api/cameras/c1/calibrate/aruco').flush({ markers: [] });
      expect(await aruco).toEqual({ markers: [] });
    });

    it.each([
      ['activate', '/api/cameras/bulk/activate'],
      ['deactivate', '/api/cameras/bulk/deactivate'],
      ['delete', '/api/cameras/bulk/delete'],
    ] as const)('bulk %s → %s, unknown ids listed as failed', async (action, url) => {
      const p = firstValueFrom(TestBed.inject(CamerasApi).bulk(action, ['a', 'b']));
      const req = ctrl.expectOne(url);
      expect(req.request.body).toEqual({ ids: ['a', 'b'] });
      req.flush({ ids: ['a'], notFound: ['b'] });
      expect(await p).toEqual({ ok: ['a'], failed: [{ id: 'b', message: 'no such camera' }] });
    });

    it('snapshot URL (encoded, cache-busted) and the snapshot as a Blob', async () => {
      const api = TestBed.inject(CamerasApi);
      expect(api.snapshotUrl('a b', true)).toMatch(/\/api\/cameras\/a%20b\/snapshot\?annotated=true&t=\d+$/);
      const p = firstValueFrom(api.snapshot('c1'));
      const req = ctrl.expectOne((r) => r.url === '/api/cameras/c1/snapshot');
      expect(req.request.params.get('annotated')).toBe('false');
      req.flush(new Blob([new Uint8Array([1, 2, 3])]));
      expect((await p).size).toBe(3);
    });
  });

  describe('SystemApi', () => {
    const healthDto = {
      status: 'ok',
      uptimeS: 60,
      cpu: { processPercent: 12, hostPercent: 40, cores: 2, loadAverage: null },
      memory: { processRssBytes: 100, hostTotalBytes: 1000, hostFreeBytes: 500 },
      disk: null,
      gpus: null,
      cameras: { online: 1, running: 1, total: 2 },
      inference: null,
    };

    it('health with no optional parts: no components, no disk, no GPUs', async () => {
      const p = firstValueFrom(TestBed.inject(SystemApi).health());
      ctrl.expectOne('/api/system/health').flush(healthDto);
      expect(await p).toMatchObject({ status: 'ok', load: [], components: [], diskFreeBytes: null, gpus: null, inference: null, camerasTotal: 2 });
    });

    it('health lists database, redis (embedded → unused) and queue, GPUs and inference', async () => {
      const p = firstValueFrom(TestBed.inject(SystemApi).health());
      ctrl.expectOne('/api/system/health').flush({
        ...healthDto,
        database: { status: 'up', type: 'sqlite', latencyMs: 1 },
        redis: { used: false },
        queue: { status: 'up', type: 'memory', waiting: 3 },
        disk: { freeBytes: 5, totalBytes: 10 },
        gpus: [{ name: 'H100', utilizationPercent: 50, memoryUsedMiB: 1, memoryTotalMiB: 2, temperatureC: 60 }],
        inference: { provider: 'cpu', model: 'yolo', mode: 'in-process' },
      });
      const h = await p;
      expect(h.components).toEqual([
        { name: 'Database', status: 'up', latencyMs: 1, detail: 'sqlite' },
        { name: 'Redis', status: 'unused', latencyMs: null, detail: 'embedded mode' },
        { name: 'Queue', status: 'up', latencyMs: null, detail: 'memory · 3 waiting' },
      ]);
      expect(h.gpus).toEqual([{ name: 'H100', utilPct: 50, memoryUsedMb: 1, memoryTotalMb: 2, temperatureC: 60 }]);
      expect([h.diskFreeBytes, h.inference?.provider]).toEqual([5, 'cpu']);
    });

    it('health: a used redis and a failing queue report their errors', async () => {
      const p = firstValueFrom(TestBed.inject(SystemApi).health());
      ctrl.expectOne('/api/system/health').flush({ ...healthDto, redis: { used: true, status: 'down', error: 'ECONNREFUSED' }, queue: { status: 'down', type: 'bullmq', waiting: null, error: 'no redis' } });
      expect((await p).components.map((c) => c.detail)).toEqual(['ECONNREFUSED', 'no redis']);
    });

    it.each([
      [{}, ''],
      [{ level: '', category: '', search: '' }, ''],
      [{ level: 'error', category: 'auth', search: 'login', from: '2026-01-01', limit: 20, offset: 40 }, 'level=error&category=auth&from=2026-01-01&search=login&limit=20&offset=40'],
    ])('logs(%p) → ?%s', async (q, query) => {
      const p = firstValueFrom(TestBed.inject(SystemApi).logs(q));
      const req = ctrl.expectOne((r) => r.url === '/api/system/logs');
      expect(req.request.params.toString()).toBe(query);
      req.flush({ items: [{ id: 'l1', time: 't', level: 'info', category: 'auth', message: 'signed in' }], total: 1 });
      expect(await p).toEqual({ items: [{ id: 'l1', time: 't', level: 'info', category: 'auth', action: null, message: 'signed in', userId: null }], total: 1 });
    });

    it('stats is passed through as a record', async () => {
      const p = firstValueFrom(TestBed.inject(SystemApi).stats());
      ctrl.expectOne('/api/system/stats').flush({ alerts: 3 });
      expect(await p).toEqual({ alerts: 3 });
    });
  });

  describe('AnalyticsApi', () => {
    it('summary: ISO range, non-finite level seconds dropped', async () => {
      const p = firstValueFrom(TestBed.inject(AnalyticsApi).summary('c1', new Date('2026-01-01T00:00:00Z'), '2026-01-02T00:00:00Z'));
      const req = ctrl.expectOne((r) => r.url === '/api/metrics/c1/summary');
      expect(req.request.params.get('from')).toBe('2026-01-01T00:00:00.000Z');
      req.flush({ uptimePercent: 99, countPeak: 40, secondsAtLevel: { NORMAL: 60, CRITICAL: null } });
      expect(await p).toEqual({ avgCount: null, peakCount: 40, peakDensity: null, peakDensityAt: null, avgRisk: null, uptimePct: 99, flowIn: null, flowOut: null, timeAtLevel: { NORMAL: 60 } });
    });

    it('compare: series zipped with the times; interval rounded ≥ 1, left out when not given', async () => {
      const api = TestBed.inject(AnalyticsApi);
      const p = firstValueFrom(api.compare(['a', 'b'], 'count', 'f', 't', 0.4));
      const req = ctrl.expectOne((r) => r.url === '/api/analytics/compare');
      expect(req.request.params.get('interval')).toBe('1');
      req.flush({ times: ['t0'], series: [{ cameraId: 'a', values: [3, null] }] });
      expect(await p).toEqual([{ cameraId: 'a', points: [{ time: 't0', value: 3 }, { time: '1', value: null }] }]);
      const q = firstValueFrom(api.compare(['a'], 'density', 'f', 't'));
      const r2 = ctrl.expectOne((r) => r.url === '/api/analytics/compare');
      expect(r2.request.params.has('interval')).toBe(false);
      r2.flush({ times: [], series: [] });
      expect(await q).toEqual([]);
    });

    it('busy hours: a 7×24 grid, out-of-range cells ignored', async () => {
      const p = firstValueFrom(TestBed.inject(AnalyticsApi).busyHours('c1', 'count', 'f', 't'));
      ctrl.expectOne((r) => r.url === '/api/analytics/heatmap/c1').flush({ metric: 'count', cells: [{ weekday: 0, hour: 9, avg: 12 }, { weekday: 7, hour: 0, avg: 1 }, { weekday: 1, hour: 24, avg: 1 }] });
      const b = await p;
      expect(b.grid).toHaveLength(7);
      expect(b.grid[0]).toHaveLength(24);
      expect(b.grid[0][9]).toBe(12);
      expect(b.grid.flat().filter((v) => v !== null)).toEqual([12]);
    });

    it.each([
      [{ cols: 0, rows: 0, values: [], max: 0 }, null],
      [{ cols: 2, rows: 2, values: [1, 2], max: 2 }, null],
      [{ cols: 2, rows: 1, values: [1, 4], max: 2 }, { width: 2, height: 1, cells: [0.25, 1], updatedAt: null }],
    ])('toSpatial(%p)', (dto, expected) => {
      expect(toSpatial(dto as never)).toEqual(expected);
    });

    it('spatial as JSON and alert statistics in seconds', async () => {
      const api = TestBed.inject(AnalyticsApi);
      const s = firstValueFrom(api.spatial('c1'));
      const req = ctrl.expectOne((r) => r.url === '/api/analytics/heatmap/c1/spatial');
      expect(req.request.params.get('format')).toBe('json');
      req.flush({ cols: 1, rows: 1, values: [0], max: 0 });
      expect((await s)?.cells).toEqual([0]);
      const st = firstValueFrom(api.alertStatistics('f', 't'));
      ctrl.expectOne((r) => r.url === '/api/alerts/statistics').flush({ total: 4, byLevel: { WARNING: 4 }, responseTime: { meanMs: 1500, medianMs: null } });
      expect(await st).toEqual({ total: 4, byLevel: { WARNING: 4 }, meanResponseS: 1.5, medianResponseS: null });
    });
  });

  describe('UsersApi', () => {
    const userDto = { id: 'u1', username: 'ana', fullName: '', email: 'a@x', role: 'operator', isActive: true, mustChangePassword: false, lastLoginAt: null };

    it('list/get map blanks to null; create returns the temporary password', async () => {
      const api = TestBed.inject(UsersApi);
      const l = firstValueFrom(api.list());
      ctrl.expectOne('/api/users').flush([userDto]);
      expect(await l).toEqual([{ id: 'u1', username: 'ana', fullName: null, email: 'a@x', role: 'operator', isActive: true, mustChangePassword: false, lastLoginAt: null, authProvider: null }]);
      const g = firstValueFrom(api.get('u1'));
      ctrl.expectOne('/api/users/u1').flush({ ...userDto, authProvider: 'oidc' });
      expect((await g).authProvider).toBe('oidc');
      const c = firstValueFrom(api.create({ username: 'bo', role: 'viewer' }));
      const cr = ctrl.expectOne('/api/users');
      expect([cr.request.method, cr.request.body]).toEqual(['POST', { username: 'bo', role: 'viewer' }]);
      cr.flush({ ...userDto, username: 'bo', temporaryPassword: 'tmp-123' });
      expect(await c).toMatchObject({ username: 'bo', temporaryPassword: 'tmp-123' });
    });

    it('update, reset password, activity, delete', async () => {
      const api = TestBed.inject(UsersApi);
      const u = firstValueFrom(api.update('u1', { isActive: false }));
      const ur = ctrl.expectOne('/api/users/u1');
      expect(ur.request.body).toEqual({ isActive: false });
      ur.flush({ ...userDto, isActive: false });
      expect((await u).isActive).toBe(false);
      const r = firstValueFrom(api.resetPassword('u1'));
      ctrl.expectOne('/api/users/u1/reset-password').flush({ temporaryPassword: 'new-1' });
      expect(await r).toBe('new-1');
      const a = firstValueFrom(api.activity('u1'));
      ctrl.expectOne('/api/users/u1/activity').flush({ items: [{ time: 't', level: 'info', category: 'auth', action: '', message: 'login', ip: '10.0.0.1' }] });
      expect(await a).toEqual([{ time: 't', level: 'info', category: 'auth', action: null, message: 'login', ip: '10.0.0.1' }]);
      api.delete('u1').subscribe();
      const d = ctrl.expectOne('/api/users/u1');
      expect(d.request.method).toBe('DELETE');
      d.flush(null);
    });
  });

  describe('RecordingsApi', () => {
    it.each([
      [{}, ''],
      [{ cameraId: '', alertId: '' }, ''],
      [{ cameraId: 'c1', trigger: 'alert', alertId: 'a1', from: new Date('2026-01-01T00:00:00Z'), to: '', limit: 999, offset: 10 }, 'cameraId=c1&trigger=alert&alertId=a1&from=2026-01-01T00%3A00%3A00.000Z&limit=200&offset=10'],
      [{ limit: 0 }, 'limit=1'],
    ])('list(%p) → ?%s', async (q, query) => {
      const p = firstValueFrom(TestBed.inject(RecordingsApi).list(q as never));
      const req = ctrl.expectOne((r) => r.url === '/api/recordings');
      expect(req.request.params.toString()).toBe(query);
      req.flush({ items: [], total: 0, extra: true });
      expect(await p).toEqual({ items: [], total: 0 });
    });

    describe('liveHlsReady (a transcode starting on demand answers 503 until its first segment)', () => {
      const url = '/api/live-hls/c1/index.m3u8?ticket=t';
      const tick = () => new Promise((r) => setTimeout(r, 5));

      it('served at once: one request', async () => {
        const ready = firstValueFrom(TestBed.inject(RecordingsApi).liveHlsReady(url, 3, 0));
        ctrl.expectOne(url).flush('#EXTM3U');
        await expect(ready).resolves.toBeUndefined();
      });

      it('503 twice, then served: retried until it is', async () => {
        const ready = firstValueFrom(TestBed.inject(RecordingsApi).liveHlsReady(url, 5, 0));
        for (let i = 0; i < 2; i++) {
          ctrl.expectOne(url).flush('starting', { status: 503, statusText: 'Service Unavailable' });
          await tick();
        }
        ctrl.expectOne(url).flush('#EXTM3U');
        await expect(ready).resolves.toBeUndefined();
      });

      it('still 503 after every attempt: the 503 is passed on', async () => {
        const ready = firstValueFrom(TestBed.inject(RecordingsApi).liveHlsReady(url, 2, 0));
        ctrl.expectOne(url).flush('starting', { status: 503, statusText: 'Service Unavailable' });
        await tick();
        ctrl.expectOne(url).flush('starting', { status: 503, statusText: 'Service Unavailable' });
        await expect(ready).rejects.toMatchObject({ status: 503 });
      });

      it('another error (expired ticket): passed on at once, no retry', async () => {
        const ready = firstValueFrom(TestBed.inject(RecordingsApi).liveHlsReady(url, 5, 0));
        ctrl.expectOne(url).flush({ message: 'ticket expired' }, { status: 401, statusText: 'Unauthorized' });
        await expect(ready).rejects.toMatchObject({ status: 401 });
        await tick();
        ctrl.expectNone(url);
      });
    });

    it('start with and without a duration, stop, protect, remove, tickets, stats, storage', async () => {
      const api = TestBed.inject(RecordingsApi);
      api.start('c1', 30).subscribe();
      expect(ctrl.expectOne('/api/recordings/c1/start').request.body).toEqual({ durationS: 30 });
      api.start('c1').subscribe();
      const open = ctrl.expectOne('/api/recordings/c1/start');
      expect(open.request.body).toEqual({});
      open.flush({ id: 'r1' });
      ctrl.match('/api/recordings/c1/start').forEach((r) => r.flush({}));
      api.stop('r1').subscribe();
      expect(ctrl.expectOne('/api/recordings/r1/stop').request.method).toBe('POST');
      const pr = firstValueFrom(api.protect('r1', true));
      const prq = ctrl.expectOne('/api/recordings/r1');
      expect(prq.request.body).toEqual({ isProtected: true });
      prq.flush({ id: 'r1', isProtected: true });
      expect(await pr).toMatchObject({ isProtected: true });
      api.remove('r1').subscribe();
      expect(ctrl.expectOne('/api/recordings/r1').request.method).toBe('DELETE');
      const t = firstValueFrom(api.ticket('r1'));
      ctrl.expectOne('/api/recordings/r1/ticket').flush({ ticket: 'tk' });
      expect(await t).toEqual({ ticket: 'tk' });
      api.liveHlsTicket('c1').subscribe();
      ctrl.expectOne('/api/live-hls/c1/ticket').flush({});
      api.liveHlsStats().subscribe();
      ctrl.expectOne('/api/live-hls/stats').flush([]);
      const st = firstValueFrom(api.storage());
      ctrl.expectOne('/api/recordings/storage').flush({ usedBytes: 5 });
      expect(await st).toEqual({ usedBytes: 5 });
    });
  });

  describe('ReportsApi', () => {
    it('create unwraps the report; list pages; get; download by format', async () => {
      const api = TestBed.inject(ReportsApi);
      const c = firstValueFrom(api.create({ type: 'daily' } as never));
      const cr = ctrl.expectOne('/api/reports');
      expect(cr.request.method).toBe('POST');
      cr.flush({ report: { id: 'r1', format: 'pdf' } });
      expect(await c).toEqual({ id: 'r1', format: 'pdf' });
      api.list().subscribe();
      expect(ctrl.expectOne((r) => r.url === '/api/reports').request.params.toString()).toBe('limit=50&offset=0');
      api.get('r1').subscribe();
      ctrl.expectOne('/api/reports/r1').flush({ id: 'r1' });
      for (const format of ['pdf', 'xlsx']) {
        api.download({ id: 'r1', format } as never).subscribe();
        const d = ctrl.expectOne('/api/reports/r1/download');
        expect(d.request.headers.get('Accept')).toContain(format === 'pdf' ? 'application/pdf' : 'spreadsheetml');
        d.flush(new Blob(['x']));
      }
    });
  });

  describe('SettingsApi', () => {
    it('risk thresholds get/put', async () => {
      const api = TestBed.inject(SettingsApi);
      const g = firstValueFrom(api.riskThresholds());
      ctrl.expectOne('/api/settings/risk/thresholds').flush({ value: { defaults: {} } });
      expect(await g).toBeDefined();
      api.putRiskThresholds({ defaults: {} }).subscribe();
      const p = ctrl.expectOne('/api/settings/risk/thresholds');
      expect([p.request.method, p.request.body]).toEqual(['PUT', { defaults: {} }]);
      p.flush({ value: {} });
    });
  });

  it('toServerHealth keeps the health fields', () => {
    expect(toServerHealth({ status: 'ok', version: '1', uptimeS: 3, embedded: true, database: 'up', queue: 'up', cameras: 1, extra: 1 } as never)).toEqual({
      status: 'ok', version: '1', uptimeS: 3, embedded: true, database: 'up', queue: 'up', cameras: 1,
    });
  });
});
