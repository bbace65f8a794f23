import { stat } from 'node:fs/promises';
import { createTransport, type Transporter } from 'nodemailer';
import type { NotificationsConfig } from '@crowdsafe/server-config';
import { buildEmail } from '../content/email-content';
import { DeliveryError, type DeliveryJob, type NotificationChannel, type SendContext } from '../delivery.types';

/** Snapshots larger than this are not attached (a mail server would likely refuse the mail). */
export const SNAPSHOT_MAX_BYTES = 8 * 1024 * 1024;

const EMAIL_RE = /^[^\s@<>(),;:"[\]]+@[^\s@<>(),;:"[\]]+\.[^\s@<>(),;:"[\]]+$/;

/**
 * Email through any SMTP server with nodemailer (pooled connections, one pool per process). SendGrid, Mailgun,
 * SES etc. work through their SMTP relays. 5xx replies and rejected recipients are permanent; connection
 * problems, timeouts and 4xx replies are retried.
 */
export class EmailChannel implements NotificationChannel {
  readonly name = 'email' as const;
  private readonly transport: Transporter | null;

  constructor(
    private readonly cfg: NotificationsConfig['email'],
    opts: { sendTimeoutMs: number; maxConnections: number },
  ) {
    if (!cfg) {
      this.transport = null;
      return;
    }
    const timeouts = { connectionTimeout: opts.sendTimeoutMs, greetingTimeout: opts.sendTimeoutMs, socketTimeout: opts.sendTimeoutMs };
    const pool = { pool: true as const, maxConnections: opts.maxConnections, maxMessages: 100 };
    this.transport = cfg.url
      ? createTransport({ url: cfg.url, ...timeouts, ...pool })
      : createTransport({
          host: cfg.host,
          port: cfg.port,
          secure: cfg.secure,
          auth: cfg.user ? { user: cfg.user, pass: cfg.pass ?? '' } : undefined,
          ...timeouts,
          ...pool,
        });
  }

  get configured(): boolean {
    return this.transport !== null;
  }

  async send(job: DeliveryJob, _ctx: SendContext): Promise<void> {
    if (!this.transport || !this.cfg) throw new DeliveryError('channel not configured', 'permanent');
    const to = job.destination.trim();
    if (to.length > 254 || !EMAIL_RE.test(to)) throw new DeliveryError('invalid email address', 'permanent');
    const snapshot = await readableSnapshot(job.alert.snapshotPath);
    const content = buildEmail(job.alert, { snapshotAttached: snapshot !== null });
    try {
      await this.transport.sendMail({
        from: this.cfg.from,
        to,
        subject: content.subject,
        html: content.html,
        text: content.text,
        priority: job.alert.level === 'CRITICAL' && job.alert.event !== 'all_clear' ? 'high' : 'normal',
        headers: { 'X-CrowdSafe-Alert': job.alert.alertId, 'X-CrowdSafe-Delivery': job.deliveryId },
        attachments: snapshot ? [{ filename: 'snapshot.jpg', path: snapshot, contentType: 'image/jpeg' }] : [],
      });
    } catch (e) {
      throw classifySmtpError(e);
    }
  }

  async close(): Promise<void> {
    this.transport?.close();
  }
}

/** The snapshot path when it is a readable regular file of a sane size, else null (the mail goes without it). */
async function readableSnapshot(path: string | null): Promise<string | null> {
  if (!path) return null;
  try {
    const s = await stat(path);
    return s.isFile() && s.size > 0 && s.size <= SNAPSHOT_MAX_BYTES ? path : null;
  } catch {
    return null;
  }
}

export function classifySmtpError(e: unknown): DeliveryError {
  const err = e as { message?: string; responseCode?: number; code?: string };
  const msg = `SMTP: ${err.message ?? String(e)}`;
  if (err.code === 'EENVELOPE' && (err.responseCode === undefined || err.responseCode >= 500)) return new DeliveryError(msg, 'permanent');
  if (typeof err.responseCode === 'number' && err.responseCode >= 500 && err.responseCode < 600 && err.code !== 'EAUTH') {
    return new DeliveryError(msg, 'permanent');
  }
  return new DeliveryError(msg, 'transient');
}
