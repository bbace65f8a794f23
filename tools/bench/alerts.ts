// Alert latency, two measurements per trigger (a WARNING second fed to a real CameraRuntime's alert entry point,
// embedded mode: SQLite, in-process delivery queue):
//   - trigger -> WebSocket `alert` (opened) received by a socket.io client, through the real AlertsService (SQLite
//     insert, snapshot render) and the real gateway;
//   - trigger -> SMTP accepted: the same alert routed to an email recipient (WARNING + email, spec 4.4) through the
//     real NotificationsModule (queue, nodemailer with the 1280x720 snapshot attached) to a loopback smtp-server
//     (startSmtpSink / measureTriggerToSmtpAccepted from @crowdsafe/server-notifications).
// p50/p95 over N triggers (each followed by an all-clear, whose stand-down mail also goes out; cooldown 0).
// Target for both: p95 < 1 s. Run alone: ./crowdsafe bench alerts [--triggers 250]
// (or node -r ./tools/ts-register.js tools/bench/alerts.ts [--triggers 250])
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { io } from 'socket.io-client';
import type { AlertLiveEvent, RawFrame } from '@crowdsafe/contracts';
import { AlertsModule } from '@crowdsafe/server-alerts';
import { CameraRuntime, CameraSupervisor, CamerasModule, LiveFrameEncoder } from '@crowdsafe/server-cameras';
import { AppConfigModule, loadConfig } from '@crowdsafe/server-config';
import { AlertEventSink, LiveEventsPublisher } from '@crowdsafe/server-core';
import { AlertRecipientRepository, CameraRepository, DatabaseModule } from '@crowdsafe/server-database';
import { measureTriggerToSmtpAccepted, NotificationsModule, startSmtpSink, type ReceivedMail } from '@crowdsafe/server-notifications';
import { RealtimeModule } from '@crowdsafe/server-realtime';

const runtimes = new Map<string, CameraRuntime>();
@Global()
@Module({ providers: [{ provide: CameraSupervisor, useValue: { runtime: (id: string) => runtimes.get(id) } }], exports: [CameraSupervisor] })
class BenchCamerasModule {}

const pct = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

export interface Latency {
  p50Ms: number;
  p95Ms: number;
  n: number;
}

export async function alertsBench(triggers = 250): Promise<{ ws: Latency; smtp: Latency }> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-bench-alerts-'));
  const smtp = await startSmtpSink();
  const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'error', WEB_DIST: '', SMTP_URL: smtp.url, SMTP_FROM: 'CrowdSafe <alerts@bench.test>' }, dir);
  const moduleRef = await Test.createTestingModule({
    imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(config), RealtimeModule, NotificationsModule, AlertsModule],
  })
    .overrideModule(CamerasModule)
    .useModule(BenchCamerasModule)
    .compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  const socket = io(`http://127.0.0.1:${port}/live`, { transports: ['websocket'], reconnection: false });
  try {
    await new Promise<void>((res, rej) => (socket.once('connect', () => res()), socket.once('connect_error', rej)));
    const cameraId = (await app.get(CameraRepository).create({ name: 'Bench', sourceType: 'file', sourceUrl: '/x.mp4' })).id;
    await app.get(AlertRecipientRepository).create({ name: 'Bench desk', channel: 'email', destination: 'desk@bench.test', minLevel: 'WARNING' });
    let clock = Date.now();
    const frame: RawFrame = { cameraId, seq: 1, capturedAt: clock, width: 1280, height: 720, data: Buffer.alloc(1280 * 720 * 3, 100) };
    const runtime = new CameraRuntime(
      { cameraId, frameQueueSize: 2, frameMaxAgeMs: 600_000, detect: { confidence: 0.5, iou: 0.7, maxDetections: 100 }, alerting: { engine: { cooldownMs: 0, allClearMs: 0, newId: randomUUID } } },
      {
        createSource: (h) => ({ start: () => (h.onStatus('online'), h.onFrame(frame)), stop: async () => undefined, stats: () => ({ framesDecoded: 1, restarts: 0, lastFrameAt: clock }) }),
        detect: async () => ({ detections: Array.from({ length: 30 }, (_, i) => ({ box: { x1: 20 + i * 40, y1: 200, x2: 50 + i * 40, y2: 400 }, score: 0.9, classId: 0 })) }) as never,
        metrics: { write: () => undefined },
        saveStatus: () => undefined,
        live: app.get(LiveEventsPublisher),
        encoder: new LiveFrameEncoder(960, 70),
        alerts: app.get(AlertEventSink),
        now: () => clock,
      },
    );
    runtimes.set(cameraId, runtime);
    await runtime.start();
    while (runtime.snapshot().countAt === null) await new Promise((r) => setTimeout(r, 10));
    const waiting = new Map<string, (t: number) => void>();
    socket.on('alert', (e: AlertLiveEvent) => {
      if (e.type === 'opened') waiting.get('opened')?.(performance.now());
    });
    const update = (level: 'WARNING' | 'SAFE') => ({ cameraId, at: (clock += 1000), level, score: level === 'WARNING' ? 60 : 10, density: 1, surge: 0, velocity: 1, count: 30, capacity: null, cameraStatus: 'online' as const });
    const wsLat: number[] = [];
    const smtpLat: number[] = [];
    const seen = new Set<ReceivedMail>();
    // The opened alert's mail (its subject is ASCII here: "[WARNING] Crowd risk at Bench"), not a stand-down.
    const isNewAlertMail = (m: ReceivedMail) => !seen.has(m) && m.raw.includes('Subject: [WARNING]');
    for (let i = 0; i < triggers + 10; i++) {
      const got = new Promise<number>((res) => waiting.set('opened', res));
      let t0 = 0;
      const mailMs = measureTriggerToSmtpAccepted(
        async () => {
          t0 = performance.now();
          runtime.feedAlerts(update('WARNING'));
        },
        smtp,
        (m) => isNewAlertMail(m) && (seen.add(m), true),
      );
      const t1 = await got;
      const ms = await mailMs;
      if (i >= 10) {
        // first 10: warm-up (JIT, the SMTP connection pool)
        wsLat.push(t1 - t0);
        smtpLat.push(ms);
      }
      runtime.feedAlerts(update('SAFE'));
    }
    await runtime.stop();
    const summary = (lat: number[]): Latency => {
      lat.sort((a, b) => a - b);
      return { p50Ms: pct(lat, 50), p95Ms: pct(lat, 95), n: lat.length };
    };
    return { ws: summary(wsLat), smtp: summary(smtpLat) };
  } finally {
    socket.disconnect();
    await app.close();
    await smtp.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function printAlertsBench(triggers = 250): Promise<void> {
  const { ws, smtp } = await alertsBench(triggers);
  console.log(`alerts: trigger -> WebSocket \`alert\` (opened; SQLite insert, 1280x720 annotated snapshot, socket.io) over ${ws.n} triggers: p50 ${ws.p50Ms.toFixed(1)} ms, p95 ${ws.p95Ms.toFixed(1)} ms; p95 / 1 s target = ${(ws.p95Ms / 1000).toFixed(3)}`);
  console.log(`alerts: trigger -> SMTP accepted (in-process queue, nodemailer, snapshot attached, loopback smtp-server) over ${smtp.n} triggers: p50 ${smtp.p50Ms.toFixed(1)} ms, p95 ${smtp.p95Ms.toFixed(1)} ms; p95 / 1 s target = ${(smtp.p95Ms / 1000).toFixed(3)}`);
}

if (require.main === module) {
  const i = process.argv.indexOf('--triggers');
  printAlertsBench(i > 0 ? Number(process.argv[i + 1]) : 250).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
