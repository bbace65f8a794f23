// Alert delivery against real servers on loopback: smtp-server (parsed with mailparser), HTTP stand-ins for the
// Twilio API and a webhook receiver, an HTTPS push service (payload decrypted), system_logs on SQLite/PostgreSQL,
// the in-process queue and BullMQ on real Redis.
import { createECDH, createPublicKey, randomBytes, verify as verifySig } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import webpush from 'web-push';
import { loadConfig, type AppConfig } from '@crowdsafe/server-config';
import { DeliveryOutcomeSink, destinationSha256Of, type AlertNotification, type DeliveryOutcome } from '@crowdsafe/server-core';
import { createScratchDatabase, openDataSource, SystemLogRepository, type ScratchDatabase } from '@crowdsafe/server-database';
import { NotificationService } from './notification.service';
import type { InProcessDeliveryQueue } from './queue/in-process-delivery-queue';
import { startHttpsStandIn, startHttpStandIn, twilioCreated, type StandIn } from './testing/servers.test-util';
import { startSmtpSink, type SmtpSink } from './testing/smtp-sink';
import { redactDestination } from './redact';
import { verifyWebhookSignature } from './webhook-signature';

// mailparser ships no types: the part of its API used here.
interface ParsedMail {
  subject?: string;
  html: string | false;
  text?: string;
  attachments: Array<{ contentType: string; content: Buffer; filename?: string }>;
}
const { simpleParser } = require('mailparser') as { simpleParser(raw: Buffer): Promise<ParsedMail> };
const ece = require('http_ece') as { decrypt(buf: Buffer, params: Record<string, unknown>): Buffer };

jest.setTimeout(120_000);

const PG_ADMIN = process.env['TEST_PG_ADMIN_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const SID = `AC${'a1'.repeat(16)}`;
const TOKEN = 'twilio-auth-token-xyz';
const WEBHOOK_SECRET = 'webhook-secret-0123456789';
const VAPID = webpush.generateVAPIDKeys();
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(2048), Buffer.from([0xff, 0xd9])]);

class RecordingSink extends DeliveryOutcomeSink {
  readonly outcomes: DeliveryOutcome[] = [];
  async record(o: DeliveryOutcome): Promise<void> {
    this.outcomes.push(o);
  }
}

/** A browser-side push subscription: keys we can decrypt with. */
function subscription(endpoint: string) {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const auth = randomBytes(16);
  return {
    ecdh,
    auth,
    json: JSON.stringify({ endpoint, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } }),
  };
}

const until = async (cond: () => boolean | Promise<boolean>, timeoutMs = 20000, what = 'condition') => {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('notifications (real servers on loopback)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-notify-'));
  const snapshotPath = join(dir, 'snap.jpg');
  let ds: DataSource;
  let logs: SystemLogRepository;
  let smtp: SmtpSink;
  let twilioApi: StandIn;
  let hook: StandIn;
  let push: StandIn & { agent: import('node:https').Agent };
  const services: NotificationService[] = [];
  let seq = 0;

  const env = (extra: Record<string, string> = {}) => ({
    DATA_DIR: dir,
    SQLITE_PATH: join(dir, 'db.sqlite'),
    SMTP_URL: smtp.url,
    SMTP_FROM: 'CrowdSafe <alerts@crowdsafe.test>',
    TWILIO_ACCOUNT_SID: SID,
    TWILIO_AUTH_TOKEN: TOKEN,
    TWILIO_FROM: '+15005550006',
    TWILIO_API_URL: twilioApi.url,
    VAPID_PUBLIC_KEY: VAPID.publicKey,
    VAPID_PRIVATE_KEY: VAPID.privateKey,
    VAPID_SUBJECT: 'mailto:ops@crowdsafe.test',
    WEBHOOK_SECRET,
    NOTIFY_ATTEMPTS: '3',
    NOTIFY_BACKOFF_MS: '50',
    NOTIFY_BACKOFF_MAX_MS: '200',
    NOTIFY_SEND_TIMEOUT_MS: '3000',
    ...extra,
  });

  const service = (cfg: AppConfig, sink: DeliveryOutcomeSink | null, logWriter = logs) => {
    const s = NotificationService.fromAppConfig(cfg, { logs: logWriter, outcomes: sink, pushAgent: push.agent });
    services.push(s);
    return s;
  };

  const alert = (targets: AlertNotification['targets'], patch: Partial<AlertNotification> = {}): AlertNotification => ({
    alertId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
    event: 'opened',
    cameraId: 'cam-1',
    cameraName: 'Gate <3>',
    cameraLocation: 'North stand',
    level: 'CRITICAL',
    condition: 'density',
    message: 'Density 5.2 p/m² above the critical threshold',
    metrics: { count: 312, density: 5.234, velocity: 0.4, score: 0.93 },
    snapshotPath,
    consoleUrl: 'https://crowdsafe.test/cameras/cam-1',
    triggeredAt: Date.now(),
    targets,
    ...patch,
  });

  const attemptsOf = async (alertId: string) =>
    (await logs.query({ action: 'alert.delivery', resourceId: alertId, limit: 100 })).items
      .map((i) => i.details as Record<string, unknown>)
      .sort((a, b) => Number(a['attempt']) - Number(b['attempt']));

  beforeAll(async () => {
    writeFileSync(snapshotPath, JPEG);
    smtp = await startSmtpSink();
    twilioApi = await startHttpStandIn(twilioCreated);
    hook = await startHttpStandIn();
    push = await startHttpsStandIn(() => ({ status: 201 }));
    ds = await openDataSource(loadConfig({ SQLITE_PATH: join(dir, 'db.sqlite'), DATA_DIR: dir }, dir));
    logs = new SystemLogRepository(ds);
  });

  afterEach(async () => {
    await Promise.allSettled(services.splice(0).map((s) => s.close()));
    smtp.mails.length = 0;
    smtp.refused = 0;
    twilioApi.requests.length = 0;
    twilioApi.respond = twilioCreated;
    hook.requests.length = 0;
    hook.respond = () => ({ status: 200 });
    push.requests.length = 0;
    push.respond = () => ({ status: 201 });
  });

  afterAll(async () => {
    await Promise.allSettled([smtp?.close(), twilioApi?.close(), hook?.close(), push?.close()]);
    await ds?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers one alert on email, SMS, web push and webhook (embedded queue)', async () => {
    const sink = new RecordingSink();
    const s = service(loadConfig(env(), dir), sink);
    await s.start();
    const sub = subscription(`${push.url}/push/sub-1`);
    const n = alert([
      { channel: 'email', destination: 'ops@example.com' },
      { channel: 'sms', destination: '+447700900789' },
      { channel: 'push', destination: sub.json },
      { channel: 'webhook', destination: `${hook.url}/hooks/crowdsafe?token=abc` },
    ]);
    const t0 = Date.now();
    await s.notify(n);
    expect(Date.now() - t0).toBeLessThan(1000); // enqueue only
    await (s.queue as InProcessDeliveryQueue).whenIdle();

    // Email: subject, HTML (escaped name, metrics, link), text alternative, the JPEG bytes.
    expect(smtp.mails).toHaveLength(1);
    const mail = await simpleParser(smtp.mails[0]!.raw);
    expect(smtp.mails[0]!.to).toEqual(['ops@example.com']);
    expect(mail.subject).toBe('[CRITICAL] Crowd risk at Gate <3> — North stand');
    expect(mail.html).toContain('Gate &lt;3&gt;');
    expect(mail.html).toContain('5.23');
    expect(mail.html).toContain('312');
    expect(mail.html).toContain('href="https://crowdsafe.test/cameras/cam-1"');
    expect(mail.text).toContain('People: 312');
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.contentType).toBe('image/jpeg');
    expect(Buffer.compare(mail.attachments[0]!.content, JPEG)).toBe(0);

    // SMS: the Messages API of the account, basic auth, form body.
    expect(twilioApi.requests).toHaveLength(1);
    const sms = twilioApi.requests[0]!;
    expect(sms.method).toBe('POST');
    expect(sms.path).toBe(`/2010-04-01/Accounts/${SID}/Messages.json`);
    expect(sms.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    const form = new URLSearchParams(sms.body.toString('utf8'));
    expect(form.get('To')).toBe('+447700900789');
    expect(form.get('From')).toBe('+15005550006');
    expect(form.get('Body')!.length).toBeLessThanOrEqual(160);
    expect(form.get('Body')).toBe('[CRITICAL] Gate <3> (North stand): 5.23 p/m2 https://crowdsafe.test/cameras/cam-1');

    // Web push: VAPID JWT signed by our key for the push service's origin, TTL, aes128gcm, decryptable payload.
    expect(push.requests).toHaveLength(1);
    const pr = push.requests[0]!;
    expect(pr.path).toBe('/push/sub-1');
    expect(pr.headers['content-encoding']).toBe('aes128gcm');
    expect(pr.headers['ttl']).toBe('900');
    expect(pr.headers['urgency']).toBe('high');
    const m = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(String(pr.headers.authorization));
    expect(m).not.toBeNull();
    expect(m![2]).toBe(VAPID.publicKey);
    const [h, p, sig] = m![1]!.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { aud: string; sub: string; exp: number };
    expect(claims).toMatchObject({ aud: push.url, sub: 'mailto:ops@crowdsafe.test' });
    const vapidKey = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: Buffer.from(VAPID.publicKey, 'base64url').subarray(1, 33).toString('base64url'), y: Buffer.from(VAPID.publicKey, 'base64url').subarray(33).toString('base64url') }, format: 'jwk' });
    expect(verifySig('sha256', Buffer.from(`${h}.${p}`), { key: vapidKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(sig, 'base64url'))).toBe(true);
    const plain = ece.decrypt(pr.body, { version: 'aes128gcm', privateKey: sub.ecdh, authSecret: sub.auth.toString('base64url') });
    const payload = JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
    expect(payload).toMatchObject({ alertId: n.alertId, level: 'CRITICAL', url: 'https://crowdsafe.test/cameras/cam-1' });
    expect(payload['title']).toContain('CRITICAL');
    expect((payload['actions'] as Array<{ action: string }>).map((a) => a.action)).toEqual(['view', 'acknowledge']);

    // Webhook: signed body, idempotency id; a tampered body fails verification.
    expect(hook.requests).toHaveLength(1);
    const wr = hook.requests[0]!;
    expect(wr.path).toBe('/hooks/crowdsafe?token=abc');
    const raw = wr.body.toString('utf8');
    expect(verifyWebhookSignature(String(wr.headers['x-crowdsafe-signature']), raw, WEBHOOK_SECRET)).toEqual({ ok: true, timestampS: expect.any(Number) });
    expect(verifyWebhookSignature(String(wr.headers['x-crowdsafe-signature']), raw.replace('312', '313'), WEBHOOK_SECRET).ok).toBe(false);
    const body = JSON.parse(raw) as Record<string, unknown>;
    expect(body).toMatchObject({ type: 'alert.opened', alert: { id: n.alertId, level: 'CRITICAL' }, camera: { id: 'cam-1', name: 'Gate <3>' }, metrics: { count: 312 } });
    expect(wr.headers['idempotency-key']).toBe(body['id']);
    expect(wr.headers['x-crowdsafe-delivery']).toBe(body['id']);

    // One system_logs row per attempt, destinations redacted; final outcomes to the sink.
    const rows = await attemptsOf(n.alertId);
    expect(rows.map((r) => [r['channel'], r['outcome'], r['attempt']]).sort()).toEqual([
      ['email', 'delivered', 1],
      ['push', 'delivered', 1],
      ['sms', 'delivered', 1],
      ['webhook', 'delivered', 1],
    ]);
    const logged = JSON.stringify((await logs.query({ resourceId: n.alertId })).items);
    for (const secret of ['ops@example.com', '447700900789', 'sub-1', 'token=abc', TOKEN, WEBHOOK_SECRET]) expect(logged).not.toContain(secret);
    expect(logged).toContain('o***@example.com');
    expect(sink.outcomes.map((o) => [o.channel, o.ok, o.attempts, o.destination]).sort()).toEqual([
      ['email', true, 1, 'o***@example.com'],
      ['push', true, 1, `push:127.0.0.1:${push.port}/***`],
      ['sms', true, 1, '+44*******789'],
      ['webhook', true, 1, `http://127.0.0.1:${hook.port}/***`],
    ]);
  });

  it('retries with exponential backoff: failing twice then succeeding takes 3 attempts, all logged', async () => {
    const sink = new RecordingSink();
    const s = service(loadConfig(env(), dir), sink);
    await s.start();
    hook.respond = (_r, i) => (i < 2 ? { status: 503 } : { status: 204 });
    smtp.refused = 0;
    const sink2 = await startSmtpSink({ failFirst: 2 });
    try {
      const s2 = service(loadConfig(env({ SMTP_URL: sink2.url }), dir), sink);
      await s2.start();
      const n = alert([
        { channel: 'webhook', destination: `${hook.url}/h` },
        { channel: 'email', destination: 'ops@example.com' },
      ]);
      await s2.notify(n);
      await (s2.queue as InProcessDeliveryQueue).whenIdle();
      expect(hook.requests).toHaveLength(3);
      // The same idempotency id on every retry.
      expect(new Set(hook.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1);
      // Backoff: 50 ms then 100 ms between attempts.
      expect(hook.requests[1]!.at - hook.requests[0]!.at).toBeGreaterThanOrEqual(45);
      expect(hook.requests[2]!.at - hook.requests[1]!.at).toBeGreaterThanOrEqual(95);
      expect(sink2.refused).toBe(2);
      expect(sink2.mails).toHaveLength(1);
      const rows = await attemptsOf(n.alertId);
      for (const ch of ['webhook', 'email']) {
        const mine = rows.filter((r) => r['channel'] === ch);
        expect(mine.map((r) => [r['attempt'], r['outcome'], r['final']])).toEqual([
          [1, 'failed', false],
          [2, 'failed', false],
          [3, 'delivered', true],
        ]);
      }
      expect(rows.find((r) => r['channel'] === 'webhook' && r['attempt'] === 1)!['error']).toBe('webhook answered 503');
      expect(String(rows.find((r) => r['channel'] === 'email' && r['attempt'] === 1)!['error'])).toContain('451');
      expect(sink.outcomes.map((o) => [o.channel, o.ok, o.attempts]).sort()).toEqual([
        ['email', true, 3],
        ['webhook', true, 3],
      ]);
    } finally {
      await sink2.close();
    }
  });

  it('gives up at once on permanent failures: webhook 400, push subscription gone (410), bad SMS number, Twilio 400', async () => {
    const sink = new RecordingSink();
    const s = service(loadConfig(env(), dir), sink);
    await s.start();
    hook.respond = () => ({ status: 400 });
    push.respond = () => ({ status: 410 });
    twilioApi.respond = () => ({ status: 400, json: { code: 21211, message: "The 'To' number +447700900111 is not a valid phone number.", status: 400 } });
    const goneSub = subscription(`${push.url}/gone`).json;
    const n = alert([
      { channel: 'webhook', destination: `${hook.url}/h` },
      { channel: 'push', destination: goneSub },
      { channel: 'sms', destination: '07700 900' },
      { channel: 'sms', destination: '+447700900111' },
    ]);
    await s.notify(n);
    await (s.queue as InProcessDeliveryQueue).whenIdle();
    expect(hook.requests).toHaveLength(1);
    expect(push.requests).toHaveLength(1);
    expect(twilioApi.requests).toHaveLength(1);
    const byDest = Object.fromEntries(sink.outcomes.map((o) => [o.destination, o]));
    expect(byDest[`http://127.0.0.1:${hook.port}/***`]).toMatchObject({ ok: false, attempts: 1, error: 'webhook answered 400' });
    expect(byDest[`push:127.0.0.1:${push.port}/***`]).toMatchObject({
      ok: false,
      attempts: 1,
      error: 'subscription gone (push service answered 410)',
      gone: true,
      destinationSha256: destinationSha256Of(goneSub),
    });
    expect(sink.outcomes.filter((o) => o.gone).map((o) => o.channel)).toEqual(['push']); // only the push service's 410 means "gone"
    const logged = await attemptsOf(n.alertId);
    expect(logged.filter((d) => d['gone'] === true).map((d) => d['channel'])).toEqual(['push']);
    expect(byDest[redactDestination('sms', '07700 900')]).toMatchObject({ ok: false, attempts: 1, error: expect.stringContaining('invalid phone number') });
    const twilioFail = byDest['+44*******111']!;
    expect(twilioFail).toMatchObject({ ok: false, attempts: 1 });
    expect(twilioFail.error).toContain('21211');
    expect(twilioFail.error).not.toContain('447700900111');
  });

  it('opens the circuit of a failing channel while the other channels keep delivering; a slow channel delays nobody', async () => {
    const sink = new RecordingSink();
    const s = service(loadConfig(env({ NOTIFY_BREAKER_FAILURES: '2', NOTIFY_BREAKER_COOLDOWN_MS: '1500', NOTIFY_ATTEMPTS: '2', NOTIFY_SEND_TIMEOUT_MS: '1500', NOTIFY_CHANNEL_CONCURRENCY: '1' }), dir), sink);
    await s.start();
    hook.respond = () => ({ status: 500 });
    twilioApi.respond = () => 'hang';
    const alerts = [1, 2, 3].map(() =>
      alert([
        { channel: 'webhook', destination: `${hook.url}/h` },
        { channel: 'email', destination: 'ops@example.com' },
        { channel: 'sms', destination: '+447700900789' },
      ]),
    );
    for (const a of alerts) await s.notify(a);
    // Emails are all accepted while SMS sends are still hanging (timeout 1500 ms).
    await smtp.waitFor(() => smtp.mails.length >= 3, 1400);
    expect(twilioApi.requests.length).toBeGreaterThan(0);
    await (s.queue as InProcessDeliveryQueue).whenIdle();
    // Re-opened by the failed probe (half-open again once its cool-off has passed while SMS timed out).
    expect(['open', 'half_open']).toContain(s.status().webhook.breaker);
    expect(s.status().email.breaker).toBe('closed');
    // 2 real webhook failures opened it; the attempts meanwhile failed fast without a request; the retry of the
    // third alert waited for the cool-off and went through as the half-open probe (which failed: open again).
    expect(hook.requests).toHaveLength(3);
    expect(hook.requests[2]!.at - hook.requests[1]!.at).toBeGreaterThanOrEqual(1400);
    const rows = (await Promise.all(alerts.map((a) => attemptsOf(a.alertId)))).flat();
    const hookRows = rows.filter((r) => r['channel'] === 'webhook');
    expect(hookRows.filter((r) => r['outcome'] === 'failed')).toHaveLength(3);
    expect(hookRows.filter((r) => r['outcome'] === 'circuit_open')).toHaveLength(3);
    expect(String(hookRows.find((r) => r['outcome'] === 'circuit_open')!['error'])).toMatch(/^circuit open for webhook/);
    const smsRows = rows.filter((r) => r['channel'] === 'sms' && r['outcome'] === 'failed');
    expect(smsRows.length).toBeGreaterThan(0);
    expect(String(smsRows[0]!['error'])).toMatch(/timeout of 1500ms exceeded|timed out after 1500 ms/);
    expect(sink.outcomes.filter((o) => o.channel === 'email').map((o) => o.ok)).toEqual([true, true, true]);
    expect(sink.outcomes.filter((o) => o.channel === 'webhook').every((o) => !o.ok)).toBe(true);
  });

  it('reports a channel without configuration as disabled, without crashing or retrying', async () => {
    const sink = new RecordingSink();
    const cfg = loadConfig(env({ TWILIO_ACCOUNT_SID: '', TWILIO_AUTH_TOKEN: '', TWILIO_FROM: '', WEBHOOK_SECRET: '' }), dir);
    expect(cfg.notifications.sms).toBeNull();
    const s = service(cfg, sink);
    await s.start();
    expect(s.status().sms.configured).toBe(false);
    const n = alert([
      { channel: 'sms', destination: '+447700900789' },
      { channel: 'webhook', destination: `${hook.url}/h` },
      { channel: 'email', destination: 'ops@example.com' },
    ]);
    await s.notify(n);
    await (s.queue as InProcessDeliveryQueue).whenIdle();
    expect(sink.outcomes.map((o) => [o.channel, o.ok, o.error]).sort()).toEqual([
      ['email', true, null],
      ['sms', false, 'channel not configured'],
      ['webhook', false, 'channel not configured'],
    ]);
    expect(twilioApi.requests).toHaveLength(0);
    expect(hook.requests).toHaveLength(0);
  });

  it('bounds the queue: deliveries past NOTIFY_QUEUE_MAX are refused and reported, duplicates ignored', async () => {
    const sink = new RecordingSink();
    const s = service(loadConfig(env({ NOTIFY_QUEUE_MAX: '10', NOTIFY_CHANNEL_CONCURRENCY: '1' }), dir), sink);
    await s.start();
    hook.respond = () => 'hang';
    const n = alert(Array.from({ length: 12 }, (_, i) => ({ channel: 'webhook' as const, destination: `${hook.url}/h${i}` })));
    await s.notify(n);
    await until(() => sink.outcomes.length >= 2, 5000, 'refusals');
    expect(sink.outcomes.map((o) => [o.ok, o.attempts, o.error])).toEqual([
      [false, 0, 'delivery queue full (10 pending, NOTIFY_QUEUE_MAX)'],
      [false, 0, 'delivery queue full (10 pending, NOTIFY_QUEUE_MAX)'],
    ]);
    await s.notify(n); // the same event again: the 10 queued are duplicates, the 2 refused are refused again
    await until(() => sink.outcomes.length >= 4, 5000, 'refusals');
    expect(sink.outcomes.slice(2).every((o) => o.error?.startsWith('delivery queue full'))).toBe(true);
    await expect(s.queue.pending()).resolves.toBe(10);
    await until(() => hook.requests.length >= 1, 5000, 'first webhook');
    expect(hook.requests).toHaveLength(1); // concurrency 1 per channel
  });

  describe('BullMQ queue "notifications" on real Redis, system_logs on PostgreSQL', () => {
    let scratch: ScratchDatabase;
    let pg: DataSource;
    let pgLogs: SystemLogRepository;

    beforeAll(async () => {
      scratch = await createScratchDatabase(PG_ADMIN, 'cs_notify');
      pg = await openDataSource(loadConfig({ DATABASE_URL: scratch.url, DATA_DIR: dir }, dir));
      pgLogs = new SystemLogRepository(pg);
    });
    afterAll(async () => {
      await pg?.destroy();
      await scratch?.drop();
    });

    it('delivers through Redis with retries, one job per target, duplicates sent once', async () => {
      const sink = new RecordingSink();
      const prefix = `cs-test-notify-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
      const cfg = loadConfig(env({ REDIS_URL, QUEUE_PREFIX: prefix }), dir);
      const s = service(cfg, sink, pgLogs);
      await s.start();
      hook.respond = (_r, i) => (i === 0 ? { status: 502 } : { status: 200 });
      const n = alert([
        { channel: 'email', destination: 'ops@example.com' },
        { channel: 'webhook', destination: `${hook.url}/h` },
        { channel: 'sms', destination: '+447700900789' },
      ]);
      const t0 = Date.now();
      await s.notify(n);
      expect(Date.now() - t0).toBeLessThan(1000);
      await s.notify(n); // same delivery ids: BullMQ keeps one job each
      await until(() => sink.outcomes.length >= 3, 20000, 'three outcomes');
      await new Promise((r) => setTimeout(r, 300));
      expect(sink.outcomes).toHaveLength(3);
      expect(sink.outcomes.every((o) => o.ok)).toBe(true);
      expect(smtp.mails.filter((m) => m.raw.includes(n.alertId))).toHaveLength(1);
      expect(twilioApi.requests).toHaveLength(1);
      expect(hook.requests).toHaveLength(2);
      const rows = (await pgLogs.query({ action: 'alert.delivery', resourceId: n.alertId })).items.map((i) => i.details as Record<string, unknown>);
      expect(rows.filter((r) => r['channel'] === 'webhook').map((r) => [r['attempt'], r['outcome']]).sort()).toEqual([
        [1, 'failed'],
        [2, 'delivered'],
      ]);
      const counts = await (s.queue as unknown as { counts(): Promise<Record<string, number>> }).counts();
      expect(counts).toMatchObject({ waiting: 0, delayed: 0, active: 0, completed: 3 });
    });

    it('keeps a slow channel to its own slots: the email is not held up, parked jobs use no attempt', async () => {
      const sink = new RecordingSink();
      const prefix = `cs-test-notify-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
      const s = service(loadConfig(env({ REDIS_URL, QUEUE_PREFIX: prefix, NOTIFY_CHANNEL_CONCURRENCY: '1' }), dir), sink, pgLogs);
      await s.start();
      hook.respond = () => ({ status: 200, delayMs: 400 });
      const n = alert([
        ...[1, 2, 3].map((i) => ({ channel: 'webhook' as const, destination: `${hook.url}/slow${i}` })),
        { channel: 'email', destination: 'ops@example.com' },
      ]);
      await s.notify(n);
      const mail = await smtp.waitFor((m) => m.raw.includes(n.alertId), 10000);
      await until(() => sink.outcomes.length >= 4, 20000, 'four outcomes');
      const lastHook = Math.max(...hook.requests.map((r) => r.at));
      expect(mail.acceptedAt).toBeLessThan(lastHook);
      // One webhook at a time, each delivered on its first attempt although the others were parked meanwhile.
      const starts = hook.requests.map((r) => r.at).sort((a, b) => a - b);
      expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(390);
      expect(sink.outcomes.filter((o) => o.channel === 'webhook').map((o) => [o.ok, o.attempts])).toEqual([
        [true, 1],
        [true, 1],
        [true, 1],
      ]);
    });
  });
});
