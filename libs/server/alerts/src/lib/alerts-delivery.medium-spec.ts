// Alerts to people, end to end, in distributed mode (PostgreSQL + the BullMQ "notifications" queue on Redis): the REAL
// AlertsModule and the REAL NotificationsModule (no capturing notifier) behind a real CameraRuntime fed a metrics
// stream SAFE -> WARNING -> CRITICAL -> SAFE through its per-second entry point. On loopback: an smtp-server (mail
// parsed with mailparser), an HTTP stand-in for the Twilio API, a webhook receiver (signature verified) and an HTTPS
// push service that answers 410 (subscription gone -> recipient deactivated). Spec 4.4 escalation: WARNING = email;
// CRITICAL = email + SMS + webhook + push; all-clear = the stand-down to everyone the alert reached.
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID, createECDH } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent, createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, type INestApplication, Logger, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import IORedis from 'ioredis';
import webpush from 'web-push';
import type { MetricsUpdate } from '@crowdsafe/alerting';
import type { Detection, RawFrame, RiskLevel } from '@crowdsafe/contracts';
import { CameraRuntime, CameraSupervisor, CamerasModule, LiveFrameEncoder } from '@crowdsafe/server-cameras';
import { APP_CONFIG, AppConfigModule, loadConfig, type AppConfig } from '@crowdsafe/server-config';
import { AlertEventSink, LiveEventsPublisher } from '@crowdsafe/server-core';
import {
  AlertRecipientRepository,
  AlertRepository,
  CameraRepository,
  DatabaseModule,
  SystemLogRepository,
  createScratchDatabase,
  type ScratchDatabase,
} from '@crowdsafe/server-database';
import { NotificationService, NotificationsModule, startSmtpSink, verifyWebhookSignature, type SmtpSink } from '@crowdsafe/server-notifications';
import { RealtimeModule } from '@crowdsafe/server-realtime';
import { AlertsModule } from './alerts.module';
import { AlertsService } from './alerts.service';

jest.setTimeout(120_000);

// mailparser ships no types: the part of its API used here.
interface ParsedMail {
  subject?: string;
  html: string | false;
  text?: string;
  to?: { text: string };
  attachments: Array<{ contentType: string; content: Buffer; filename?: string }>;
}
const { simpleParser } = require('mailparser') as { simpleParser(raw: Buffer): Promise<ParsedMail> };

const PG_ADMIN = process.env['TEST_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const SID = `AC${'c3'.repeat(16)}`;
const TOKEN = 'twilio-auth-token-e2e';
const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789';
const VAPID = webpush.generateVAPIDKeys();
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const S = 1000;

interface Recorded {
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}
interface StandIn {
  url: string;
  requests: Recorded[];
  close(): Promise<void>;
}

/** A loopback HTTP(S) server that records requests and answers `respond(request, index)`. */
async function standIn(respond: (r: Recorded, i: number) => { status: number; json?: unknown }, tls?: { key: Buffer; cert: Buffer }): Promise<StandIn> {
  const requests: Recorded[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      const r = respond(rec, requests.length);
      requests.push(rec);
      res.writeHead(r.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(r.json ?? {}));
    });
  };
  const server: Server = tls ? createHttpsServer(tls, handler) : createServer(handler);
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((res) => (server.closeAllConnections(), server.close(() => res()))),
  };
}

/** A throw-away self-signed certificate for 127.0.0.1. */
function selfSigned(): { key: Buffer; cert: Buffer } {
  const d = mkdtempSync(join(tmpdir(), 'cs-e2e-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-keyout', join(d, 'k.pem'), '-out', join(d, 'c.pem'), '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    return { key: readFileSync(join(d, 'k.pem')), cert: readFileSync(join(d, 'c.pem')) };
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const runtimes = new Map<string, CameraRuntime>();
@Global()
@Module({ providers: [{ provide: CameraSupervisor, useValue: { runtime: (id: string) => runtimes.get(id) } }], exports: [CameraSupervisor] })
class FakeCamerasModule {}

describe('alerts -> notifications end to end (PostgreSQL, BullMQ on Redis, loopback SMTP / Twilio / webhook / push)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-alerts-e2e-'));
  const prefix = `cs-test-alerts-e2e-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  let scratch: ScratchDatabase;
  let config: AppConfig;
  let app: INestApplication;
  let smtp: SmtpSink;
  let twilio: StandIn;
  let hook: StandIn;
  let push: StandIn;
  let pushAgent: Agent;
  let runtime: CameraRuntime;
  let service: AlertsService;
  let cameraId = '';
  let pushRecipientId = '';
  let clock = T0;

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    scratch = await createScratchDatabase(PG_ADMIN, 'cs_alerts_e2e');
    smtp = await startSmtpSink();
    twilio = await standIn((r) => {
      const form = new URLSearchParams(r.body.toString('utf8'));
      return { status: 201, json: { sid: `SM${'0'.repeat(32)}`, status: 'queued', to: form.get('To'), from: form.get('From'), body: form.get('Body'), account_sid: SID } };
    });
    hook = await standIn((_r, i) => ({ status: i === 0 ? 503 : 200 })); // the first delivery fails once, then succeeds
    const tls = selfSigned();
    push = await standIn(() => ({ status: 410 }), tls); // the browser unsubscribed
    pushAgent = new Agent({ ca: tls.cert, keepAlive: false });

    config = loadConfig(
      {
        DATABASE_URL: scratch.url,
        REDIS_URL,
        QUEUE_PREFIX: prefix,
        DATA_DIR: dir,
        PUBLIC_URL: 'https://console.example.org',
        SMTP_URL: smtp.url,
        SMTP_FROM: 'CrowdSafe <alerts@crowdsafe.test>',
        TWILIO_ACCOUNT_SID: SID,
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_FROM: '+15005550006',
        TWILIO_API_URL: twilio.url,
        VAPID_PUBLIC_KEY: VAPID.publicKey,
        VAPID_PRIVATE_KEY: VAPID.privateKey,
        VAPID_SUBJECT: 'mailto:ops@crowdsafe.test',
        WEBHOOK_SECRET,
        NOTIFY_ATTEMPTS: '3',
        NOTIFY_BACKOFF_MS: '50',
        NOTIFY_BACKOFF_MAX_MS: '200',
        NOTIFY_SEND_TIMEOUT_MS: '5000',
      },
      dir,
    );
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(config), RealtimeModule, NotificationsModule, AlertsModule],
    })
      .overrideModule(CamerasModule)
      .useModule(FakeCamerasModule)
      // The real service, built as the module builds it, plus an https.Agent trusting the loopback push service's
      // certificate (what a deployment behind a private CA would pass).
      .overrideProvider(NotificationService)
      .useFactory({ inject: [APP_CONFIG, SystemLogRepository], factory: (c: AppConfig, logs: SystemLogRepository) => NotificationService.fromAppConfig(c, { logs, pushAgent }) })
      .compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.init();
    service = app.get(AlertsService);

    cameraId = (await app.get(CameraRepository).create({ name: 'Gate A', location: 'North stand', sourceType: 'file', sourceUrl: '/x.mp4', capacity: 500 })).id;
    const recipients = app.get(AlertRecipientRepository);
    await recipients.create({ name: 'Security desk', channel: 'email', destination: 'security@example.org', minLevel: 'WARNING' });
    await recipients.create({ name: 'Duty manager', channel: 'sms', destination: '+447700900123', minLevel: 'CRITICAL', cameraId });
    await recipients.create({ name: 'Control room hook', channel: 'webhook', destination: `${hook.url}/crowdsafe`, minLevel: 'WARNING' });
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const sub = JSON.stringify({ endpoint: `${push.url}/push/sub-1`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') } });
    pushRecipientId = (await recipients.create({ name: 'Steward phone', channel: 'push', destination: sub, minLevel: 'CRITICAL' })).id;

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
  });

  afterAll(async () => {
    await runtime?.stop();
    await app?.close();
    await Promise.allSettled([smtp?.close(), twilio?.close(), hook?.close(), push?.close()]);
    pushAgent?.destroy();
    const redis = new IORedis(REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    await scratch?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const SCORE: Record<RiskLevel, number> = { SAFE: 12, CAUTION: 38, WARNING: 63, CRITICAL: 88 };
  const second = (s: number, level: RiskLevel): MetricsUpdate => ({
    cameraId,
    at: T0 + s * S,
    level,
    score: SCORE[level],
    density: level === 'CRITICAL' ? 5.25 : 3.5,
    surge: 0.1,
    velocity: 0.9,
    count: level === 'CRITICAL' ? 410 : 280,
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
  const deliveries = async (alertId: string) =>
    (await app.get(SystemLogRepository).query({ category: 'alert', action: 'alert.delivery', resourceId: alertId, limit: 100 })).items.map((i) => i.details as Record<string, unknown>);
  const attemptsSummary = async (alertId: string) =>
    (await deliveries(alertId)).map((d) => `${String(d['event'])} ${String(d['channel'])} #${String(d['attempt'])} ${String(d['outcome'])}`).sort();

  let alertId = '';

  it('SAFE sends nothing', async () => {
    await play(0, 9, 'SAFE');
    await new Promise((r) => setTimeout(r, 200));
    expect(smtp.mails).toHaveLength(0);
    expect([twilio.requests.length, hook.requests.length, push.requests.length]).toEqual([0, 0, 0]);
    expect((await app.get(AlertRepository).query()).total).toBe(0);
  });

  it('WARNING: the security desk gets one email (severity subject, metrics, camera link, snapshot JPEG); no SMS, webhook or push', async () => {
    await play(10, 14, 'WARNING');
    const row = await waitFor(async () => (await app.get(AlertRepository).query()).items[0], 'the alert row');
    alertId = row.id;
    const mail = await smtp.waitFor((m) => m.to.includes('security@example.org'));
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe('[WARNING] Crowd risk at Gate A — North stand');
    const html = parsed.html as string;
    expect(html).toContain('Density (people/m²)</th><td style="border-bottom:1px solid #dee2e6">3.5</td>');
    expect(html).toContain('People</th><td style="border-bottom:1px solid #dee2e6">280</td>');
    expect(html).toContain(`href="https://console.example.org/cameras/${cameraId}?alert=${alertId}"`);
    expect(parsed.text).toContain(`https://console.example.org/cameras/${cameraId}?alert=${alertId}`);
    const stored: string = await waitFor(async () => (await app.get(AlertRepository).findById(alertId))?.snapshotPath ?? undefined, 'the snapshot path');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]?.contentType).toBe('image/jpeg');
    expect(parsed.attachments[0]?.content.equals(readFileSync(stored))).toBe(true);
    expect(parsed.attachments[0]?.content.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    await waitFor(async () => (await app.get(AlertRepository).findById(alertId))?.channelsNotified.includes('email'), 'channels_notified email');
    await new Promise((r) => setTimeout(r, 300)); // any other delivery would have been attempted by now
    expect(smtp.mails).toHaveLength(1);
    expect([twilio.requests.length, hook.requests.length, push.requests.length]).toEqual([0, 0, 0]);
    expect((await app.get(AlertRepository).findById(alertId))?.channelsNotified).toEqual(['dashboard', 'email']);
    expect(await attemptsSummary(alertId)).toEqual(['opened email #1 delivered']);
  });

  it('CRITICAL escalation: email + SMS + webhook (retried once) + push; the gone push subscription is deactivated', async () => {
    await play(15, 19, 'CRITICAL');
    const mail = await smtp.waitFor((m) => m !== smtp.mails[0]);
    expect((await simpleParser(mail.raw)).subject).toBe('[CRITICAL] Crowd risk escalated at Gate A — North stand');

    const sms = await waitFor(() => twilio.requests[0], 'the Twilio request');
    expect(sms.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(sms.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    const form = new URLSearchParams(sms.body.toString('utf8'));
    expect(form.get('To')).toBe('+447700900123');
    expect(form.get('From')).toBe('+15005550006');
    expect(form.get('Body')?.length).toBeLessThanOrEqual(160);
    expect(form.get('Body')).toContain('CRITICAL');
    expect(form.get('Body')).toContain('Gate A');

    const [failed, ok] = await waitFor(() => (hook.requests.length >= 2 ? [hook.requests[0] as Recorded, hook.requests[1] as Recorded] : undefined), 'the retried webhook');
    expect(ok.path).toBe('/crowdsafe');
    expect(ok.headers['idempotency-key']).toBe(failed.headers['idempotency-key']); // the same delivery, retried
    expect(verifyWebhookSignature(String(ok.headers['x-crowdsafe-signature']), ok.body, WEBHOOK_SECRET)).toMatchObject({ ok: true });
    expect(verifyWebhookSignature(String(ok.headers['x-crowdsafe-signature']), Buffer.from(ok.body.toString().replace('CRITICAL', 'SAFE')), WEBHOOK_SECRET)).toMatchObject({ ok: false });
    expect(JSON.parse(ok.body.toString())).toMatchObject({ type: 'alert.escalated', alert: { id: alertId, level: 'CRITICAL' }, camera: { id: cameraId, name: 'Gate A', location: 'North stand' }, metrics: { count: 410, density: 5.25 } });

    const pushed = await waitFor(() => push.requests[0], 'the push request');
    expect(pushed.path).toBe('/push/sub-1');
    expect(pushed.headers['content-encoding']).toBe('aes128gcm');
    expect(String(pushed.headers.authorization)).toMatch(/^vapid t=.+, k=/);
    const recipient = await waitFor(async () => {
      const r = await app.get(AlertRecipientRepository).findById(pushRecipientId);
      return r && !r.isActive && r;
    }, 'the push recipient to be deactivated');
    expect(recipient).toMatchObject({ name: 'Steward phone', isActive: false });
    const deactivation = await waitFor(async () => {
      const q = await app.get(SystemLogRepository).query({ action: 'alert_recipient.deactivate', resourceId: pushRecipientId });
      return q.total > 0 && q;
    }, 'the deactivation log entry');
    expect(deactivation.total).toBe(1);
    expect(deactivation.items[0]).toMatchObject({ level: 'warn', category: 'alert' });
    expect(deactivation.items[0]?.message).toContain('subscription gone');
    expect(deactivation.items[0]?.message).not.toContain('sub-1'); // destination redacted

    const row = await waitFor(async () => {
      const r = await app.get(AlertRepository).findById(alertId);
      return r !== null && r.channelsNotified.length === 4 ? r : undefined;
    }, 'channels_notified after the escalation');
    expect([...row.channelsNotified].sort()).toEqual(['dashboard', 'email', 'sms', 'webhook']); // push never reached anyone
    expect(row).toMatchObject({ level: 'CRITICAL', escalationLevel: 1, status: 'open' });
  });

  it('back to SAFE: the stand-down goes by email, SMS and webhook (not to the deactivated push subscription)', async () => {
    await play(20, 60, 'SAFE');
    const mail = await waitFor(() => smtp.mails[2], 'the all-clear mail'); // (the subject is RFC 2047-encoded in the raw mail)
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe('[ALL CLEAR] Crowd risk cleared at Gate A — North stand');
    expect(parsed.html).toContain(`https://console.example.org/cameras/${cameraId}?alert=${alertId}`);
    const sms = await waitFor(() => twilio.requests[1], 'the all-clear SMS');
    expect(new URLSearchParams(sms.body.toString('utf8')).get('To')).toBe('+447700900123');
    const hookReq = await waitFor(() => hook.requests[2], 'the all-clear webhook');
    expect(JSON.parse(hookReq.body.toString())).toMatchObject({ type: 'alert.all_clear', alert: { id: alertId } });
    await waitFor(async () => (await deliveries(alertId)).length >= 9, 'every attempt in system_logs');
    await new Promise((r) => setTimeout(r, 300));
    expect(push.requests).toHaveLength(1);
    expect(smtp.mails).toHaveLength(3);

    expect(await attemptsSummary(alertId)).toEqual([
      'all_clear email #1 delivered',
      'all_clear sms #1 delivered',
      'all_clear webhook #1 delivered',
      'escalated email #1 delivered',
      'escalated push #1 failed',
      'escalated sms #1 delivered',
      'escalated webhook #1 failed',
      'escalated webhook #2 delivered',
      'opened email #1 delivered',
    ]);
    const logs = await deliveries(alertId);
    expect(logs.find((d) => d['channel'] === 'push')).toMatchObject({ gone: true, final: true, error: 'subscription gone (push service answered 410)' });
    expect(logs.find((d) => d['event'] === 'escalated' && d['channel'] === 'webhook' && d['attempt'] === 1)).toMatchObject({ final: false, error: 'webhook answered 503' });
    for (const d of logs) expect(JSON.stringify(d)).not.toMatch(/security@example\.org|\+447700900123|sub-1/); // destinations redacted

    const row = await app.get(AlertRepository).findById(alertId);
    expect(row).toMatchObject({ status: 'resolved', level: 'CRITICAL' });
    expect(row?.resolvedAt?.getTime()).toBe(T0 + 50 * S);
    expect([...(row?.channelsNotified ?? [])].sort()).toEqual(['dashboard', 'email', 'sms', 'webhook']);
  });
});
