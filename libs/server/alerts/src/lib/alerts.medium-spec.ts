// Alert lifecycle end to end on real PostgreSQL, the real socket.io gateway and a real CameraRuntime (its AlertEngine,
// its snapshot renderer): a metrics stream rising SAFE -> CAUTION -> WARNING -> CRITICAL -> SAFE is replayed through
// the runtime's per-second entry point; a socket.io client sees the exact `alert` events, the rows match, a
// capturing AlertNotifier gets exactly opened / escalated / all_clear with the routed targets. Then every REST
// endpoint, including 400 / 404 / 409.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, type INestApplication, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { io, type Socket } from 'socket.io-client';
import request from 'supertest';
import type { MetricsUpdate } from '@crowdsafe/alerting';
import type { AlertCommandAck, AlertLiveEvent, Detection, RawFrame, RiskLevel } from '@crowdsafe/contracts';
import { CameraRuntime, CameraSupervisor, CamerasModule, LiveFrameEncoder } from '@crowdsafe/server-cameras';
import { AppConfigModule, loadConfig, type AppConfig } from '@crowdsafe/server-config';
import { AlertEventSink, AlertNotifier, DeliveryOutcomeSink, LiveEventsPublisher, type AlertNotification } from '@crowdsafe/server-core';
import { AlertRecipientRepository, AlertRepository, CameraRepository, DatabaseModule, createScratchDatabase, type ScratchDatabase } from '@crowdsafe/server-database';
import { RealtimeModule } from '@crowdsafe/server-realtime';
import { AlertsModule } from './alerts.module';
import { AlertsService } from './alerts.service';

jest.setTimeout(120_000);

const PG_AUTH = process.env.PGPASSWORD ? `${process.env.PGUSER ?? 'postgres'}:${encodeURIComponent(process.env.PGPASSWORD)}` : (process.env.PGUSER ?? 'postgres');
const ADMIN_URL = `postgres://${PG_AUTH}@${process.env.PGHOST ?? '127.0.0.1'}:${process.env.PGPORT ?? '5432'}/postgres`;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const S = 1000;

class CapturingNotifier extends AlertNotifier {
  readonly calls: AlertNotification[] = [];
  async notify(n: AlertNotification): Promise<void> {
    this.calls.push(n);
  }
}

/** The supervisor as the alert commands see it: the running runtimes by camera id. */
const runtimes = new Map<string, CameraRuntime>();
@Global()
@Module({ providers: [{ provide: CameraSupervisor, useValue: { runtime: (id: string) => runtimes.get(id) } }], exports: [CameraSupervisor] })
class FakeCamerasModule {}
@Global()
@Module({ providers: [CapturingNotifier, { provide: AlertNotifier, useExisting: CapturingNotifier }], exports: [AlertNotifier, CapturingNotifier] })
class NotifierModule {}

async function waitFor<T>(fn: () => T | undefined | false, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('alerts on PostgreSQL + socket.io + CameraRuntime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-alerts-'));
  let scratch: ScratchDatabase;
  let config: AppConfig;
  let app: INestApplication;
  let base: string;
  let socket: Socket;
  let runtime: CameraRuntime;
  let cameraId: string;
  let otherCameraId: string;
  let clock = T0;
  const events: AlertLiveEvent[] = [];
  let notifier: CapturingNotifier;
  let service: AlertsService;
  /** One place to add the auth header once the global guard is wired in. */
  const req = () => request(app.getHttpServer());

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    scratch = await createScratchDatabase(ADMIN_URL, 'cs_alerts_medium');
    config = loadConfig({ DATABASE_URL: scratch.url, DATA_DIR: dir, PUBLIC_URL: 'https://console.example.org/' }, dir);
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(config), RealtimeModule, NotifierModule, AlertsModule],
    })
      .overrideModule(CamerasModule)
      .useModule(FakeCamerasModule)
      .compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    app.setGlobalPrefix('api');
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    notifier = app.get(CapturingNotifier);
    service = app.get(AlertsService);

    const cameras = app.get(CameraRepository);
    cameraId = (await cameras.create({ name: 'Gate A', location: 'North stand', sourceType: 'file', sourceUrl: '/x.mp4', capacity: 500 })).id;
    otherCameraId = (await cameras.create({ name: 'Gate B', sourceType: 'file', sourceUrl: '/y.mp4' })).id;
    const recipients = app.get(AlertRecipientRepository);
    await recipients.create({ name: 'Security desk', channel: 'email', destination: 'security@example.org', minLevel: 'WARNING' });
    await recipients.create({ name: 'Duty manager', channel: 'sms', destination: '+447700900123', minLevel: 'CRITICAL', cameraId });
    await recipients.create({ name: 'Old hook', channel: 'webhook', destination: 'https://hooks.example.org/x', isActive: false });
    await recipients.create({ name: 'Gate B only', channel: 'email', destination: 'gateb@example.org', cameraId: otherCameraId });

    const frame: RawFrame = { cameraId, seq: 1, capturedAt: T0 - 100, width: 320, height: 180, data: Buffer.alloc(320 * 180 * 3, 90) };
    const people: Detection[] = [{ box: { x1: 40, y1: 40, x2: 80, y2: 160 }, score: 0.9, classId: 0 }];
    runtime = new CameraRuntime(
      {
        cameraId,
        frameQueueSize: 4,
        frameMaxAgeMs: 60_000,
        detect: { confidence: 0.5, iou: 0.7, maxDetections: 100 },
        counting: { fps: 5, roi: [[0.05, 0.05], [0.95, 0.05], [0.95, 0.95], [0.05, 0.95]] },
        alerting: { engine: { cooldownMs: 60 * S, allClearMs: 30 * S, newId: randomUUID }, snapshot: { maxWidth: 640, quality: 80 } },
      },
      {
        createSource: (h) => ({
          start: () => {
            h.onStatus('online');
            h.onFrame(frame);
          },
          stop: async () => undefined,
          stats: () => ({ framesDecoded: 1, restarts: 0, lastFrameAt: T0 }),
        }),
        detect: async () => ({ detections: people, missing: false }) as never,
        metrics: { write: () => undefined },
        saveStatus: () => undefined,
        live: app.get(LiveEventsPublisher),
        encoder: new LiveFrameEncoder(640, 70),
        alerts: app.get(AlertEventSink),
        now: () => clock,
      },
    );
    runtimes.set(cameraId, runtime);
    await runtime.start();
    await waitFor(() => runtime.snapshot().countAt !== null, 'the first processed frame');

    socket = io(`${base}/live`, { transports: ['websocket'], reconnection: false });
    socket.on('alert', (e: AlertLiveEvent) => events.push(e));
    await new Promise<void>((res, rej) => {
      socket.once('connect', () => res());
      socket.once('connect_error', rej);
    });
  });

  afterAll(async () => {
    socket?.disconnect();
    await runtime?.stop();
    await app?.close();
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const SCORE: Record<RiskLevel, number> = { SAFE: 12, CAUTION: 38, WARNING: 63, CRITICAL: 88 };
  const second = (s: number, level: RiskLevel): MetricsUpdate => ({
    cameraId,
    at: T0 + s * S,
    level,
    score: SCORE[level] * (1 + 0.02 * Math.sin(s)), // jitter below the 20 % "meaningful change"
    density: 1.5,
    surge: 0.1,
    velocity: 0.9,
    count: 120,
    capacity: 500,
    cameraStatus: 'online',
  });
  async function play(from: number, to: number, level: RiskLevel): Promise<void> {
    for (let s = from; s <= to; s++) {
      clock = T0 + s * S;
      runtime.feedAlerts(second(s, level));
    }
    await service.drain();
  }
  const summary = () => events.map((e) => `${e.type} ${e.alert.condition} ${e.alert.level}/${e.currentLevel} ${e.alert.status}`);

  let alertId = '';

  it('emits nothing while SAFE and CAUTION', async () => {
    await play(0, 9, 'SAFE');
    await play(10, 19, 'CAUTION');
    expect(events).toEqual([]);
    expect(notifier.calls).toEqual([]);
    await expect(app.get(AlertRepository).query()).resolves.toEqual({ items: [], total: 0 });
  });

  it('WARNING opens one alert (no spam), stored, broadcast, emailed to the security desk, with a snapshot', async () => {
    // onEvent listeners (recordings' alert clips) see each event once its row exists.
    const followed: Array<{ type: string; rowExists: boolean }> = [];
    const repo = app.get(AlertRepository);
    const unfollow = service.onEvent((ev) => void repo.findById(ev.alert.id).then((r) => followed.push({ type: ev.type, rowExists: r !== null })));
    await play(20, 24, 'WARNING');
    await waitFor(() => followed.length >= 1, 'the listener');
    unfollow();
    expect(followed[0]).toEqual({ type: 'opened', rowExists: true });
    await waitFor(() => events.length >= 1, 'the opened event');
    expect(summary()).toEqual(['opened risk_level WARNING/WARNING open']);
    alertId = events[0].alert.id;
    expect(events[0]).toMatchObject({ at: new Date(T0 + 20 * S).toISOString(), channels: ['dashboard', 'email'] });
    const rows = await app.get(AlertRepository).query();
    expect(rows.total).toBe(1);
    expect(rows.items[0]).toMatchObject({ id: alertId, cameraId, condition: 'risk_level', level: 'WARNING', status: 'open', channelsNotified: ['dashboard'] });
    expect(rows.items[0].createdAt.getTime()).toBe(T0 + 20 * S);
    expect(notifier.calls.map((c) => [c.event, c.level, c.targets])).toEqual([['opened', 'WARNING', [{ channel: 'email', destination: 'security@example.org' }]]]);
    expect(notifier.calls[0]).toMatchObject({ cameraName: 'Gate A', cameraLocation: 'North stand', consoleUrl: `https://console.example.org/cameras/${cameraId}?alert=${alertId}` });
    expect(notifier.calls[0].snapshotPath).toContain(join(dir, 'snapshots', cameraId));
    const snap = await req().get(`/api/alerts/${alertId}/snapshot`).expect(200);
    expect(snap.headers['content-type']).toBe('image/jpeg');
    expect((snap.body as Buffer).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('acknowledge over the WebSocket: ack ok, `alert` acknowledged to everyone, response time recorded', async () => {
    clock = T0 + 25 * S;
    const ack = await new Promise<AlertCommandAck>((res) => socket.emit('acknowledge_alert', { alertId, notes: 'steward sent' }, res));
    expect(ack).toEqual({ ok: true });
    await waitFor(() => events.length >= 2, 'the acknowledged event');
    expect(events[1]).toMatchObject({ type: 'acknowledged', alert: { id: alertId, status: 'acknowledged', responseTimeMs: 5 * S, notes: 'steward sent' } });
    const again = await new Promise<AlertCommandAck>((res) => socket.emit('acknowledge_alert', { alertId }, res));
    expect(again).toEqual({ ok: false, error: `Alert ${alertId} is already acknowledged` });
    const bad = await new Promise<AlertCommandAck>((res) => socket.emit('acknowledge_alert', { alertId: 'nope' }, res));
    expect(bad).toEqual({ ok: false, error: 'alertId must be a UUID' });
    await play(25, 29, 'WARNING');
    await new Promise((r) => setTimeout(r, 200));
    expect(events).toHaveLength(2);
  });

  it('CRITICAL escalates the same alert, re-opens it and notifies email + SMS', async () => {
    await play(30, 34, 'CRITICAL');
    await waitFor(() => events.length >= 3, 'the escalated event');
    expect(events[2]).toMatchObject({ type: 'escalated', previousLevel: 'WARNING', alert: { id: alertId, level: 'CRITICAL', status: 'open', escalationLevel: 1, acknowledgedAt: null } });
    expect(notifier.calls.map((c) => [c.event, c.level, c.targets.map((t) => t.channel)])).toEqual([
      ['opened', 'WARNING', ['email']],
      ['escalated', 'CRITICAL', ['sms', 'email']], // recipient order (by name)
    ]);
  });

  it('acknowledge over REST (200 with the alert), then 409 on a second acknowledge', async () => {
    clock = T0 + 35 * S;
    const res = await req().post(`/api/alerts/${alertId}/acknowledge`).send({ notes: 'police informed' }).expect(200);
    expect(res.body).toMatchObject({ id: alertId, status: 'acknowledged', level: 'CRITICAL', responseTimeMs: 15 * S, notes: 'steward sent\npolice informed' });
    await waitFor(() => events.length >= 4, 'the second acknowledged event');
    expect(events[3]).toMatchObject({ type: 'acknowledged', alert: { id: alertId, status: 'acknowledged' } });
    const again = await req().post(`/api/alerts/${alertId}/acknowledge`).send({}).expect(409);
    expect(again.body.message).toBe(`Alert ${alertId} is already acknowledged`);
  });

  it('back to SAFE: all-clear after 30 s, sent to everyone the alert reached; a re-trigger in the cooldown opens nothing', async () => {
    await play(35, 39, 'CRITICAL');
    await play(40, 79, 'SAFE');
    await play(80, 85, 'WARNING'); // cooldown until 70 + 60 s
    await play(86, 90, 'SAFE');
    await waitFor(() => events.length >= 5, 'the all-clear event');
    await new Promise((r) => setTimeout(r, 300)); // anything else would have arrived by now
    expect(summary()).toEqual([
      'opened risk_level WARNING/WARNING open',
      'acknowledged risk_level WARNING/WARNING acknowledged',
      'escalated risk_level CRITICAL/CRITICAL open',
      'acknowledged risk_level CRITICAL/CRITICAL acknowledged',
      'all_clear risk_level CRITICAL/CRITICAL resolved',
    ]);
    expect(events[4].at).toBe(new Date(T0 + 70 * S).toISOString());
    expect(notifier.calls.map((c) => [c.event, c.targets.map((t) => t.channel)])).toEqual([
      ['opened', ['email']],
      ['escalated', ['sms', 'email']],
      ['all_clear', ['sms', 'email']],
    ]);
    const row = await app.get(AlertRepository).findById(alertId);
    expect(row).toMatchObject({ status: 'resolved', resolvedBy: null, escalationLevel: 1, level: 'CRITICAL' });
    expect(row?.resolvedAt?.getTime()).toBe(T0 + 70 * S);
    expect(row?.acknowledgedAt?.getTime()).toBe(T0 + 35 * S);
    expect((await app.get(AlertRepository).query()).total).toBe(1);
    expect(runtime.alertStats()).toMatchObject({ activeAlerts: 0 });
  });

  it('records successful deliveries in channels_notified (DeliveryOutcomeSink)', async () => {
    const sink = app.get(DeliveryOutcomeSink);
    await sink.record({ alertId, channel: 'email', destination: 's***@example.org', ok: true, attempts: 1, error: null, at: Date.now() });
    await sink.record({ alertId, channel: 'email', destination: 's***@example.org', ok: true, attempts: 1, error: null, at: Date.now() });
    await sink.record({ alertId, channel: 'sms', destination: '+44******123', ok: false, attempts: 5, error: 'down', at: Date.now() });
    expect((await app.get(AlertRepository).findById(alertId))?.channelsNotified).toEqual(['dashboard', 'email']);
  });

  describe('REST', () => {
    let offlineAlertId = '';

    beforeAll(async () => {
      // An alert of a camera that is not running here: commands apply the rules to the row.
      offlineAlertId = randomUUID();
      await app.get(AlertRepository).insert({
        id: offlineAlertId, cameraId: otherCameraId, level: 'WARNING', condition: 'capacity', status: 'open', message: 'Over capacity', metricsSnapshot: { count: 600 }, createdAt: new Date(T0 + 100 * S),
      });
    });

    it('GET /api/alerts filters, pages and rejects bad queries', async () => {
      expect((await req().get('/api/alerts').expect(200)).body).toMatchObject({ total: 2, limit: 100, offset: 0 });
      expect((await req().get('/api/alerts').expect(200)).body.items.map((a: { id: string }) => a.id)).toEqual([offlineAlertId, alertId]);
      expect((await req().get(`/api/alerts?cameraId=${cameraId}`).expect(200)).body.items).toHaveLength(1);
      expect((await req().get('/api/alerts?level=WARNING&status=open&condition=capacity').expect(200)).body.total).toBe(1);
      expect((await req().get(`/api/alerts?from=${new Date(T0 + 50 * S).toISOString()}`).expect(200)).body.total).toBe(1);
      expect((await req().get('/api/alerts?limit=1&offset=1').expect(200)).body.items.map((a: { id: string }) => a.id)).toEqual([alertId]);
      for (const [q, msg] of [
        ['limit=501', 'limit must be between 1 and 500'],
        ['limit=0', 'limit must be between 1 and 500'],
        ['offset=-1', 'offset must be between 0 and 1000000'],
        ['level=HIGH', 'level must be one of'],
        ['status=closed', 'status must be one of'],
        ['condition=fire', 'condition must be one of'],
        ['cameraId=abc', 'cameraId must be a UUID'],
        ['from=yesterday', 'from must be an ISO 8601'],
        ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', 'must not be after'],
        ['bogus=1', 'property bogus should not exist'],
      ]) {
        const r = await req().get(`/api/alerts?${q}`).expect(400);
        expect(JSON.stringify(r.body.message)).toContain(msg);
      }
    });

    it('GET /api/alerts/:id, 404 and 400', async () => {
      expect((await req().get(`/api/alerts/${alertId}`).expect(200)).body).toMatchObject({ id: alertId, hasSnapshot: true, responseTimeMs: 15 * S });
      await req().get(`/api/alerts/${randomUUID()}`).expect(404);
      await req().get('/api/alerts/not-a-uuid').expect(400);
      await req().get(`/api/alerts/${offlineAlertId}/snapshot`).expect(404);
      await req().get(`/api/alerts/${randomUUID()}/snapshot`).expect(404);
    });

    it('acknowledge / resolve an alert whose camera is not running: rules on the row, event broadcast, 409s', async () => {
      const before = events.length;
      const ack = await req().post(`/api/alerts/${offlineAlertId}/acknowledge`).send({ notes: 'seen' }).expect(200);
      expect(ack.body).toMatchObject({ status: 'acknowledged', notes: 'seen' });
      expect(ack.body.responseTimeMs).toBeGreaterThan(0);
      await waitFor(() => events.length >= before + 1, 'the acknowledged event');
      expect(events[before]).toMatchObject({ type: 'acknowledged', alert: { id: offlineAlertId } });
      await req().post(`/api/alerts/${offlineAlertId}/resolve`).send({}).expect(200);
      const r = await req().post(`/api/alerts/${offlineAlertId}/resolve`).send({}).expect(409);
      expect(r.body.message).toBe(`Alert ${offlineAlertId} is already resolved`);
      await req().post(`/api/alerts/${offlineAlertId}/acknowledge`).send({}).expect(409);
      await req().post(`/api/alerts/${alertId}/resolve`).send({}).expect(409);
      await req().post(`/api/alerts/${randomUUID()}/resolve`).send({}).expect(404);
      await req().post('/api/alerts/123/acknowledge').send({}).expect(400);
      const long = await req().post(`/api/alerts/${randomUUID()}/acknowledge`).send({ notes: 'x'.repeat(2001) }).expect(400);
      expect(JSON.stringify(long.body.message)).toContain('notes must be at most 2000 characters');
    });

    it('GET /api/alerts/statistics counts and response times', async () => {
      const s = (await req().get('/api/alerts/statistics').expect(200)).body;
      expect(s).toMatchObject({
        total: 2,
        byLevel: { CRITICAL: 1, WARNING: 1 },
        byStatus: { resolved: 2 },
        byCondition: { capacity: 1, risk_level: 1 },
        byCamera: { [cameraId]: 1, [otherCameraId]: 1 },
      });
      expect(s.responseTime.count).toBe(2);
      const only = (await req().get(`/api/alerts/statistics?to=${new Date(T0 + 50 * S).toISOString()}`).expect(200)).body;
      expect(only).toMatchObject({ total: 1, responseTime: { count: 1, meanMs: 15 * S, medianMs: 15 * S } });
      await req().get('/api/alerts/statistics?from=nope').expect(400);
    });

    it('alert recipients: CRUD with per-channel validation, nothing saved on error', async () => {
      const list = async () => (await req().get('/api/alert-recipients').expect(200)).body as Array<{ id: string; destination: string }>;
      const n0 = (await list()).length;
      const bad: Array<[Record<string, unknown>, string]> = [
        [{ name: 'x', channel: 'email', destination: 'not-an-email' }, 'destination must be an email address'],
        [{ name: 'x', channel: 'sms', destination: '0044 7700 900123' }, 'E.164'],
        [{ name: 'x', channel: 'sms', destination: '+1234567' }, 'E.164'],
        [{ name: 'x', channel: 'webhook', destination: 'ftp://example.org/x' }, 'destination must use http or https'],
        [{ name: 'x', channel: 'push', destination: '{"endpoint":"http://push.example.org/1","keys":{"p256dh":"BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM","auth":"tBHItJI5svbpez7KI4CCXg"}}' }, 'destination.endpoint must use https'],
        [{ name: 'x', channel: 'push', destination: '{"endpoint":"https://push.example.org/1","keys":{"p256dh":"short"}}' }, 'destination.keys.p256dh'],
        [{ name: 'x', channel: 'push', destination: 'nope' }, 'PushSubscription JSON'],
        [{ name: 'x', channel: 'email', destination: 'a@example.org', cameraId: randomUUID() }, 'cameraId: no camera with id'],
        [{ name: 'x', channel: 'email', destination: 'a@example.org', cameraId: 'cam-1' }, 'cameraId must be a UUID or null'],
        [{ name: 'x', channel: 'pager', destination: 'a@example.org' }, 'channel must be one of'],
        [{ name: '', channel: 'email', destination: 'a@example.org' }, 'name must not be empty'],
        [{ name: 'x', channel: 'email', destination: 'a@example.org', minLevel: 'HIGH' }, 'minLevel must be one of'],
      ];
      for (const [body, msg] of bad) {
        const r = await req().post('/api/alert-recipients').send(body).expect(400);
        expect(JSON.stringify(r.body.message)).toContain(msg);
      }
      expect(await list()).toHaveLength(n0);

      const push = JSON.stringify({ endpoint: 'https://fcm.googleapis.com/fcm/send/' + 'a'.repeat(400), keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' } });
      expect(push.length).toBeGreaterThan(512);
      const created = (await req().post('/api/alert-recipients').send({ name: 'Phone', channel: 'push', destination: push, minLevel: 'CRITICAL', cameraId }).expect(201)).body;
      expect(created).toMatchObject({ name: 'Phone', channel: 'push', minLevel: 'CRITICAL', cameraId, isActive: true, destination: push });
      const sms = (await req().post('/api/alert-recipients').send({ name: ' Ops ', channel: 'sms', destination: '+44 7700 900124' }).expect(201)).body;
      expect(sms).toMatchObject({ name: 'Ops', destination: '+447700900124', cameraId: null, minLevel: 'WARNING' });

      const upd = (await req().patch(`/api/alert-recipients/${sms.id}`).send({ isActive: false, minLevel: 'CRITICAL' }).expect(200)).body;
      expect(upd).toMatchObject({ isActive: false, minLevel: 'CRITICAL', destination: '+447700900124' });
      const r = await req().patch(`/api/alert-recipients/${sms.id}`).send({ channel: 'email' }).expect(400); // the phone number is no email
      expect(r.body.message).toContain('destination must be an email address');
      expect((await list()).find((x) => x.id === sms.id)).toMatchObject({ destination: '+447700900124' });
      await req().patch(`/api/alert-recipients/${randomUUID()}`).send({ isActive: false }).expect(404);
      await req().patch('/api/alert-recipients/xyz').send({ isActive: false }).expect(400);
      await req().delete(`/api/alert-recipients/${sms.id}`).expect(204);
      await req().delete(`/api/alert-recipients/${sms.id}`).expect(404);
      expect(await list()).toHaveLength(n0 + 1);
    });
  });
});
