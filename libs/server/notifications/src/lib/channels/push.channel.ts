import type { Agent } from 'node:https';
import webpush from 'web-push';
import type { NotificationsConfig } from '@crowdsafe/server-config';
import { buildPushPayload } from '../content/push-payload';
import { DeliveryError, SUBSCRIPTION_GONE, type DeliveryJob, type NotificationChannel, type SendContext } from '../delivery.types';

interface Subscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** Parses and checks a PushSubscription JSON (what the browser's pushManager.subscribe() returned). */
export function parseSubscription(destination: string): Subscription | null {
  if (destination.length > 4096) return null;
  try {
    const s = JSON.parse(destination) as Partial<Subscription>;
    if (typeof s.endpoint !== 'string' || !/^https:\/\//.test(s.endpoint)) return null;
    if (typeof s.keys?.p256dh !== 'string' || typeof s.keys?.auth !== 'string') return null;
    if (!/^[A-Za-z0-9_=-]{20,200}$/.test(s.keys.p256dh) || !/^[A-Za-z0-9_=-]{8,100}$/.test(s.keys.auth)) return null;
    return { endpoint: s.endpoint, keys: { p256dh: s.keys.p256dh, auth: s.keys.auth } };
  } catch {
    return null;
  }
}

/**
 * Web push (RFC 8030/8291/8292) with VAPID via `web-push`, aes128gcm payload encryption. 404/410 from the push
 * service mean the subscription is gone: a permanent failure marked `gone` (DeliveryOutcome.gone, error text
 * "subscription gone (...)") so the outcome sink deactivates the recipient; 429/5xx/timeouts are retried, other 4xx are permanent.
 */
export class PushChannel implements NotificationChannel {
  readonly name = 'push' as const;

  constructor(
    private readonly cfg: NotificationsConfig['push'],
    /** `agent`: an https.Agent for the push service requests (tests trust a local CA with it). */
    private readonly opts: { sendTimeoutMs: number; agent?: Agent },
  ) {}

  get configured(): boolean {
    return this.cfg !== null;
  }

  async send(job: DeliveryJob, _ctx: SendContext): Promise<void> {
    if (!this.cfg) throw new DeliveryError('channel not configured', 'permanent');
    const sub = parseSubscription(job.destination);
    if (!sub) throw new DeliveryError('invalid push subscription (JSON with an https endpoint and keys.p256dh/keys.auth expected)', 'permanent');
    const payload = buildPushPayload(job.alert);
    try {
      await webpush.sendNotification(sub, JSON.stringify(payload), {
        vapidDetails: { subject: this.cfg.subject, publicKey: this.cfg.publicKey, privateKey: this.cfg.privateKey },
        TTL: this.cfg.ttlS,
        contentEncoding: 'aes128gcm',
        urgency: job.alert.event === 'all_clear' ? 'normal' : 'high',
        topic: job.alert.alertId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32) || undefined,
        timeout: this.opts.sendTimeoutMs,
        agent: this.opts.agent,
      });
    } catch (e) {
      throw classifyPushError(e);
    }
  }
}

export function classifyPushError(e: unknown): DeliveryError {
  const err = e as { message?: string; statusCode?: number };
  const status = typeof err.statusCode === 'number' ? err.statusCode : null;
  if (status === 404 || status === 410) return new DeliveryError(`${SUBSCRIPTION_GONE} (push service answered ${status})`, 'permanent', true);
  const msg = `push service${status ? ` ${status}` : ''}: ${err.message ?? String(e)}`;
  if (status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429) return new DeliveryError(msg, 'permanent');
  return new DeliveryError(msg, 'transient');
}
