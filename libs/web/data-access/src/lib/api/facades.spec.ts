import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom } from 'rxjs';
import { AlertsApi } from './alerts.api';
import { ApiError } from './api-error';
import { apiErrorInterceptor } from './api-error.interceptor';
import { MetricsApi } from './metrics.api';
import { provideApiClient } from './provide-api';
import { PushApi } from './push.api';
import { SettingsApi } from './settings.api';

/** The REST facades over the generated client: the request each method makes and how the answer is mapped. */
describe('REST facades', () => {
  let ctrl: HttpTestingController;
  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(withInterceptors([apiErrorInterceptor])), provideHttpClientTesting(), provideApiClient()] });
    ctrl = TestBed.inject(HttpTestingController);
  });
  afterEach(() => ctrl.verify());

  const alertDto = { id: 'a1', cameraId: 'c', condition: 'capacity', level: 'WARNING', status: 'open', message: 'm', channelsNotified: ['dashboard'], escalationLevel: 0, hasSnapshot: true, createdAt: 't', updatedAt: 't' };

  describe('AlertsApi', () => {
    it.each([
      [{}, ''],
      [{ cameraId: '', condition: '' }, ''],
      [{ cameraId: 'c1', level: 'CRITICAL', status: 'open', limit: 9999, offset: 50 }, 'cameraId=c1&level=CRITICAL&status=open&limit=500&offset=50'],
      [{ limit: 0, from: new Date('2026-01-01T00:00:00Z'), to: '2026-01-02T00:00:00Z' }, 'from=2026-01-01T00%3A00%3A00.000Z&to=2026-01-02T00%3A00%3A00Z&limit=1'],
    ])('list(%p) → GET /api/alerts?%s', async (q, query) => {
      const p = firstValueFrom(TestBed.inject(AlertsApi).list(q as never));
      const req = ctrl.expectOne((r) => r.url === '/api/alerts');
      expect(req.request.params.toString()).toBe(query);
      req.flush({ items: [{ ...alertDto, metricsSnapshot: null }], total: 1 });
      expect((await p)[0]).toMatchObject({ id: 'a1', metricsSnapshot: {} });
    });

    it('get, resolve with notes, acknowledge without, snapshot as a Blob', async () => {
      const api = TestBed.inject(AlertsApi);
      const got = firstValueFrom(api.get('a1'));
      ctrl.expectOne('/api/alerts/a1').flush({ ...alertDto, metricsSnapshot: { count: 3 } });
      expect((await got).metricsSnapshot).toEqual({ count: 3 });

      const resolved = firstValueFrom(api.resolve('a1', 'gate opened'));
      const r = ctrl.expectOne('/api/alerts/a1/resolve');
      expect([r.request.method, r.request.body]).toEqual(['POST', { notes: 'gate opened' }]);
      r.flush({ ...alertDto, status: 'resolved', notes: 'gate opened' });
      expect((await resolved).status).toBe('resolved');

      void firstValueFrom(api.acknowledge('a1')).catch(() => undefined);
      const a = ctrl.expectOne('/api/alerts/a1/acknowledge');
      expect(a.request.body).toEqual({});
      a.flush({ message: 'Alert a1 is already acknowledged' }, { status: 409, statusText: 'Conflict' });

      const snap = firstValueFrom(api.snapshot('a1'));
      const s = ctrl.expectOne('/api/alerts/a1/snapshot');
      expect(s.request.responseType).toBe('blob');
      s.flush(new Blob([new Uint8Array([0xff, 0xd8])], { type: 'image/jpeg' }));
      expect((await snap).size).toBe(2);
    });

    it('a missing snapshot is a 404 ApiError', async () => {
      const p = firstValueFrom(TestBed.inject(AlertsApi).snapshot('gone'));
      ctrl.expectOne('/api/alerts/gone/snapshot').flush(new Blob(['{}']), { status: 404, statusText: 'Not Found' });
      await expect(p).rejects.toBeInstanceOf(ApiError);
      await expect(p).rejects.toMatchObject({ status: 404, isNotFound: true });
    });
  });

  describe('MetricsApi', () => {
    it('history: start/end as ISO, interval rounded ≥ 1; nulls filled', async () => {
      const p = firstValueFrom(TestBed.inject(MetricsApi).history('c1', { start: new Date('2026-01-01T00:00:00Z'), end: '2026-01-01T00:10:00Z', intervalS: 0.2 }));
      const req = ctrl.expectOne((r) => r.url === '/api/metrics/c1');
      expect(req.request.params.toString()).toBe('start=2026-01-01T00%3A00%3A00.000Z&end=2026-01-01T00%3A10%3A00Z&interval=1');
      req.flush([{ time: 't', cameraId: 'c1', count: 4 }]);
      expect(await p).toEqual([{ time: 't', cameraId: 'c1', count: 4, countMax: null, density: null, velocity: null, surge: null, flowIn: null, flowOut: null, riskScore: null, riskLevel: null, metadata: {} }]);
    });

    it('current', async () => {
      const p = firstValueFrom(TestBed.inject(MetricsApi).current('c1'));
      ctrl.expectOne('/api/metrics/c1/current').flush({ time: 't', cameraId: 'c1', count: 1, density: 0.5 });
      expect((await p).density).toBe(0.5);
    });
  });

  describe('PushApi', () => {
    it.each([
      [{ enabled: true, publicKey: 'BKEY' }, 'BKEY'],
      [{ enabled: false, publicKey: null }, null],
      [{ enabled: true, publicKey: '' }, null],
    ])('publicKey(%p) = %p', async (body, key) => {
      const p = firstValueFrom(TestBed.inject(PushApi).publicKey());
      ctrl.expectOne('/api/notifications/push/public-key').flush(body);
      expect(await p).toBe(key);
    });

    it('subscribe / status / remove post the subscription or endpoint', async () => {
      const api = TestBed.inject(PushApi);
      const sub = { endpoint: 'https://push.example/x', keys: { p256dh: 'p', auth: 'a' } };
      const s = firstValueFrom(api.subscribe(sub, 'CRITICAL', 'Chrome on Linux'));
      const r = ctrl.expectOne('/api/notifications/push/subscription');
      expect(r.request.body).toEqual({ subscription: sub, minLevel: 'CRITICAL', device: 'Chrome on Linux' });
      r.flush({ subscribed: true, recipientId: 'r1', minLevel: 'CRITICAL', active: true });
      expect(await s).toEqual({ subscribed: true, recipientId: 'r1', minLevel: 'CRITICAL', active: true });

      const st = firstValueFrom(api.status(sub.endpoint));
      const q = ctrl.expectOne('/api/notifications/push/subscription/status');
      expect(q.request.body).toEqual({ endpoint: sub.endpoint });
      q.flush({ subscribed: false, active: false });
      expect(await st).toEqual({ subscribed: false, recipientId: null, minLevel: null, active: false });

      const rm = firstValueFrom(api.remove(sub.endpoint));
      ctrl.expectOne('/api/notifications/push/subscription/remove').flush({ subscribed: false, active: false });
      expect((await rm).subscribed).toBe(false);
    });
  });

  describe('SettingsApi', () => {
    it('all() flattens categories; put() sends { value }', async () => {
      const api = TestBed.inject(SettingsApi);
      const all = firstValueFrom(api.all());
      ctrl.expectOne('/api/settings').flush({ categories: [{ category: 'general', values: { siteName: 'A' } }, { category: 'alerts', values: null }] });
      expect(await all).toEqual({ general: { siteName: 'A' }, alerts: {} });
      const put = firstValueFrom(api.put('general', 'siteName', 'B'));
      const r = ctrl.expectOne('/api/settings/general/siteName');
      expect([r.request.method, r.request.body]).toEqual(['PUT', { value: 'B' }]);
      r.flush({ category: 'general', key: 'siteName', value: 'B' });
      await put;
    });

    it('a 400 lists every problem in details', async () => {
      const put = firstValueFrom(TestBed.inject(SettingsApi).put('alerts', 'sound', { volume: 2 }));
      ctrl.expectOne('/api/settings/alerts/sound').flush({ message: ['alerts.sound.volume: must be a number from 0 to 1', 'alerts.sound.snoozeMinutes: x'], error: 'Bad Request' }, { status: 400, statusText: 'Bad Request' });
      await expect(put).rejects.toMatchObject({ status: 400, details: ['alerts.sound.volume: must be a number from 0 to 1', 'alerts.sound.snoozeMinutes: x'] });
    });
  });
});
