import { readFile } from 'node:fs/promises';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { SystemLogRepository } from '@crowdsafe/server-database';
import { resolveReportParams } from './report-params';
import { ReportsService } from './reports.service';

/** How long the scheduled daily report may take before the mail is given up. */
export const DAILY_REPORT_TIMEOUT_MS = 10 * 60_000;

/**
 * Scheduled work of the reports module: every hour, at REPORT_DAILY_EMAIL_HOUR, the previous day's summary (PDF,
 * all cameras) is generated as a normal report job and mailed to REPORT_DAILY_EMAIL_TO through the SMTP settings of
 * the notifications (SMTP_*); the outcome is written to system_logs (`report.daily_email`). Daily: reports older
 * than REPORT_RETENTION_DAYS are deleted. Runs only in processes with CAMERAS_ENABLED (one per deployment).
 */
@Injectable()
export class ReportScheduler implements OnModuleDestroy {
  private readonly logger = new Logger('Reports');
  private transport: Transporter | null = null;
  private lastSentDay: string | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reports: ReportsService,
    private readonly logs: SystemLogRepository,
  ) {}

  onModuleDestroy(): void {
    this.transport?.close();
  }

  @Cron('5 * * * *', { name: 'reports-daily-email' })
  async hourly(): Promise<void> {
    const now = new Date();
    if (!this.config.cameras.enabled || now.getHours() !== this.config.ops.reports.dailyEmailHour) return;
    const day = `${now.getFullYear()}-${now.getMonth() + 1}-${now.getDate()}`;
    if (this.lastSentDay === day) return;
    this.lastSentDay = day;
    await this.sendDailySummary(now);
  }

  @Cron('30 3 * * *', { name: 'reports-retention' })
  async retention(): Promise<void> {
    if (!this.config.cameras.enabled) return;
    const n = await this.reports.retention().catch((err: unknown) => (this.logger.warn(`report retention failed: ${String(err)}`), 0));
    if (n) this.logger.log(`deleted ${n} report(s) older than ${this.config.ops.reports.retentionDays} days`);
  }

  /** Generates yesterday's summary and mails it; returns the report id (null when nothing was configured). */
  async sendDailySummary(now = new Date()): Promise<string | null> {
    const to = this.config.ops.reports.dailyEmailTo;
    const email = this.config.notifications.email;
    if (!to.length) return null;
    if (!email) {
      await this.log('warn', 'Daily summary not mailed: no SMTP configuration (SMTP_URL or SMTP_HOST)', null);
      return null;
    }
    const r = resolveReportParams({ type: 'daily', format: 'pdf' }, now);
    if (!r.ok) return null;
    const row = await this.reports.enqueue(r.params, null);
    const done = await this.reports.waitFor(row.id, DAILY_REPORT_TIMEOUT_MS).catch(() => null);
    const file = done?.status === 'done' ? await this.reports.file(row.id) : null;
    if (!file) {
      await this.log('error', `Daily summary not mailed: the report failed (${done?.error ?? 'timeout'})`, row.id);
      return row.id;
    }
    try {
      this.transport ??= email.url
        ? createTransport({ url: email.url })
        : createTransport({ host: email.host, port: email.port, secure: email.secure, ...(email.user ? { auth: { user: email.user, pass: email.pass ?? '' } } : {}) });
      await this.transport.sendMail({
        from: email.from,
        to: to.join(', '),
        subject: `[CrowdSafe] ${done?.title ?? 'Daily summary'}`,
        text: `The daily crowd-safety summary is attached (${done?.title}).\n${this.config.alerts.publicUrl ? `Reports: ${this.config.alerts.publicUrl}/reports\n` : ''}`,
        attachments: [{ filename: file.name, content: await readFile(file.path), contentType: file.type }],
      });
      await this.log('info', `Daily summary mailed to ${to.length} recipient(s)`, row.id);
    } catch (err) {
      await this.log('error', `Daily summary not mailed: ${err instanceof Error ? err.message.slice(0, 300) : String(err)}`, row.id);
    }
    return row.id;
  }

  private async log(level: 'info' | 'warn' | 'error', message: string, reportId: string | null): Promise<void> {
    await this.logs.write({ level, category: 'system', action: 'report.daily_email', message, resourceType: 'report', resourceId: reportId }).catch(() => undefined);
  }
}
