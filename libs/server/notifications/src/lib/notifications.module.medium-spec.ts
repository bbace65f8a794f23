// NotificationsModule in a Nest application context: AlertNotifier is provided application-wide, the
// DeliveryOutcomeSink of another module is found, attempts land in system_logs (SQLite), shutdown is clean.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppConfigModule, loadConfig } from '@crowdsafe/server-config';
import { AlertNotifier, DeliveryOutcomeSink, type DeliveryOutcome } from '@crowdsafe/server-core';
import { DatabaseModule, SystemLogRepository } from '@crowdsafe/server-database';
import { NotificationService } from './notification.service';
import { NotificationsModule } from './notifications.module';
import { startSmtpSink, type SmtpSink } from './testing/smtp-sink';

jest.setTimeout(60_000);

@Injectable()
class RecordingSink extends DeliveryOutcomeSink {
  readonly outcomes: DeliveryOutcome[] = [];
  async record(o: DeliveryOutcome): Promise<void> {
    this.outcomes.push(o);
  }
}

/** Stands where the alerts module is: it provides the sink and injects the notifier. */
@Injectable()
class AlertsLike {
  constructor(readonly notifier: AlertNotifier) {}
}

@Module({ providers: [RecordingSink, { provide: DeliveryOutcomeSink, useExisting: RecordingSink }, AlertsLike] })
class AlertsLikeModule {}

describe('NotificationsModule', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-notify-mod-'));
  let smtp: SmtpSink;
  let app: INestApplicationContext | undefined;

  beforeAll(async () => {
    smtp = await startSmtpSink();
  });
  afterAll(async () => {
    await app?.close();
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('provides AlertNotifier, reports to the DeliveryOutcomeSink of another module and logs to system_logs', async () => {
    const config = loadConfig({ DATA_DIR: dir, SQLITE_PATH: join(dir, 'db.sqlite'), SMTP_URL: smtp.url, SMTP_FROM: 'alerts@crowdsafe.test' }, dir);
    @Module({ imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(config), NotificationsModule, AlertsLikeModule] })
    class Root {}
    app = await NestFactory.createApplicationContext(Root, { logger: false });
    const { notifier } = app.get(AlertsLike);
    expect(notifier).toBeInstanceOf(NotificationService);
    expect((notifier as NotificationService).status()).toEqual({
      email: { configured: true, breaker: 'closed' },
      sms: { configured: false, breaker: 'closed' },
      push: { configured: false, breaker: 'closed' },
      webhook: { configured: false, breaker: 'closed' },
    });
    const alertId = '11111111-2222-4333-8444-555555555555';
    await notifier.notify({
      alertId,
      event: 'all_clear',
      cameraId: 'c1',
      cameraName: 'Concourse',
      cameraLocation: null,
      level: 'SAFE',
      condition: 'density',
      message: 'Density back below the warning level',
      metrics: { density: 1.1 },
      snapshotPath: null,
      consoleUrl: 'http://localhost:3000/cameras/c1',
      triggeredAt: Date.now(),
      targets: [
        { channel: 'email', destination: 'duty@example.com' },
        { channel: 'sms', destination: '+447700900123' },
      ],
    });
    const sink = app.get(RecordingSink);
    const end = Date.now() + 20000;
    while (sink.outcomes.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
    expect(sink.outcomes.map((o) => [o.channel, o.ok, o.error]).sort()).toEqual([
      ['email', true, null],
      ['sms', false, 'channel not configured'],
    ]);
    expect(smtp.mails[0]!.raw.toString()).toContain('[ALL CLEAR] Crowd risk cleared at Concourse');
    const logs = await app.get(SystemLogRepository).query({ category: 'alert', action: 'alert.delivery', resourceId: alertId });
    expect(logs.total).toBe(2);
    await app.close();
    app = undefined;
  });
});
