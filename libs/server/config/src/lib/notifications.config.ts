import type { EnvSchema } from './env.schema';

/** Alert delivery (libs/server/notifications). A channel whose section is null is disabled. */
export interface NotificationsConfig {
  attempts: number;
  backoffMs: number;
  backoffMaxMs: number;
  sendTimeoutMs: number;
  channelConcurrency: number;
  queueMax: number;
  breaker: { failureThreshold: number; cooldownMs: number };
  /** nodemailer SMTP transport: either `url` or host/port/secure/user/pass. */
  email: { url: string | null; host: string; port: number; secure: boolean; user: string | null; pass: string | null; from: string } | null;
  sms: { accountSid: string; authToken: string; from: string | null; messagingServiceSid: string | null; apiUrl: string | null } | null;
  push: { publicKey: string; privateKey: string; subject: string; ttlS: number } | null;
  webhook: { secret: string } | null;
}

/** The `notifications` section of AppConfig, and the cross-variable problems (each naming its variables). */
export function buildNotificationsConfig(e: EnvSchema): { config: NotificationsConfig; problems: string[] } {
  const problems: string[] = [];
  const smtpSet = !!(e.SMTP_URL || e.SMTP_HOST);
  if (smtpSet && !e.SMTP_FROM.trim()) problems.push('SMTP_FROM must be set when SMTP_URL or SMTP_HOST is set (e.g. "CrowdSafe <alerts@example.com>")');
  if (!smtpSet && (e.SMTP_USER || e.SMTP_PASS)) problems.push('SMTP_USER/SMTP_PASS are set but neither SMTP_URL nor SMTP_HOST is');

  const twilioAny = !!(e.TWILIO_ACCOUNT_SID || e.TWILIO_AUTH_TOKEN || e.TWILIO_FROM || e.TWILIO_MESSAGING_SERVICE_SID);
  if (twilioAny) {
    if (!e.TWILIO_ACCOUNT_SID) problems.push('TWILIO_ACCOUNT_SID is required when any TWILIO_* variable is set');
    if (!e.TWILIO_AUTH_TOKEN) problems.push('TWILIO_AUTH_TOKEN is required when any TWILIO_* variable is set');
    if (!e.TWILIO_FROM && !e.TWILIO_MESSAGING_SERVICE_SID) problems.push('TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required for SMS');
  }
  const vapidAny = !!(e.VAPID_PUBLIC_KEY || e.VAPID_PRIVATE_KEY || e.VAPID_SUBJECT);
  if (vapidAny && !(e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY && e.VAPID_SUBJECT)) {
    problems.push('VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT must be set together (npx web-push generate-vapid-keys)');
  }
  if (e.NOTIFY_BACKOFF_MAX_MS < e.NOTIFY_BACKOFF_MS) problems.push('NOTIFY_BACKOFF_MAX_MS must be >= NOTIFY_BACKOFF_MS');

  const config: NotificationsConfig = {
    attempts: e.NOTIFY_ATTEMPTS,
    backoffMs: e.NOTIFY_BACKOFF_MS,
    backoffMaxMs: e.NOTIFY_BACKOFF_MAX_MS,
    sendTimeoutMs: e.NOTIFY_SEND_TIMEOUT_MS,
    channelConcurrency: e.NOTIFY_CHANNEL_CONCURRENCY,
    queueMax: e.NOTIFY_QUEUE_MAX,
    breaker: { failureThreshold: e.NOTIFY_BREAKER_FAILURES, cooldownMs: e.NOTIFY_BREAKER_COOLDOWN_MS },
    email: smtpSet
      ? {
          url: e.SMTP_URL || null,
          host: e.SMTP_HOST,
          port: e.SMTP_PORT,
          secure: e.SMTP_SECURE,
          user: e.SMTP_USER || null,
          pass: e.SMTP_PASS || null,
          from: e.SMTP_FROM.trim(),
        }
      : null,
    sms:
      e.TWILIO_ACCOUNT_SID && e.TWILIO_AUTH_TOKEN && (e.TWILIO_FROM || e.TWILIO_MESSAGING_SERVICE_SID)
        ? {
            accountSid: e.TWILIO_ACCOUNT_SID,
            authToken: e.TWILIO_AUTH_TOKEN,
            from: e.TWILIO_FROM || null,
            messagingServiceSid: e.TWILIO_MESSAGING_SERVICE_SID || null,
            apiUrl: e.TWILIO_API_URL || null,
          }
        : null,
    push:
      e.VAPID_PUBLIC_KEY && e.VAPID_PRIVATE_KEY && e.VAPID_SUBJECT
        ? { publicKey: e.VAPID_PUBLIC_KEY, privateKey: e.VAPID_PRIVATE_KEY, subject: e.VAPID_SUBJECT, ttlS: e.PUSH_TTL_S }
        : null,
    webhook: e.WEBHOOK_SECRET ? { secret: e.WEBHOOK_SECRET } : null,
  };
  return { config, problems };
}
