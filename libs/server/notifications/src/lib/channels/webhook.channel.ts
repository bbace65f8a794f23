import type { NotificationsConfig } from '@crowdsafe/server-config';
import { buildWebhookBody } from '../content/webhook-payload';
import { DeliveryError, type DeliveryJob, type NotificationChannel, type SendContext } from '../delivery.types';
import { DELIVERY_HEADER, EVENT_HEADER, IDEMPOTENCY_HEADER, SIGNATURE_HEADER, signWebhook } from '../webhook-signature';

/**
 * JSON POST to a receiver, signed with HMAC-SHA256 over "<timestamp>.<body>" (X-CrowdSafe-Signature:
 * t=<unix>,v1=<hex>; verify with verifyWebhookSignature) and carrying the delivery id as Idempotency-Key /
 * X-CrowdSafe-Delivery (the same on every retry). 2xx = delivered; 4xx except 408/429 = permanent; 5xx, 408,
 * 429, timeouts and connection errors are retried. Redirects are not followed.
 */
export class WebhookChannel implements NotificationChannel {
  readonly name = 'webhook' as const;

  constructor(
    private readonly cfg: NotificationsConfig['webhook'],
    private readonly now: () => number = Date.now,
  ) {}

  get configured(): boolean {
    return this.cfg !== null;
  }

  async send(job: DeliveryJob, ctx: SendContext): Promise<void> {
    if (!this.cfg) throw new DeliveryError('channel not configured', 'permanent');
    let url: URL;
    try {
      url = new URL(job.destination.trim());
    } catch {
      throw new DeliveryError('invalid webhook URL', 'permanent');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DeliveryError('webhook URL must be http(s)', 'permanent');
    const now = this.now();
    const body = JSON.stringify(buildWebhookBody(job, now));
    let res: Response;
    try {
      res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: ctx.signal,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'CrowdSafe-Webhook/1',
          [SIGNATURE_HEADER]: signWebhook(this.cfg.secret, body, Math.floor(now / 1000)),
          [DELIVERY_HEADER]: job.deliveryId,
          [IDEMPOTENCY_HEADER]: job.deliveryId,
          [EVENT_HEADER]: `alert.${job.alert.event}`,
        },
        body,
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      const why = err.name === 'AbortError' || err.name === 'TimeoutError' ? `timed out after ${ctx.timeoutMs} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
      throw new DeliveryError(`webhook: ${why}`, 'transient');
    }
    // The body is not needed: release the connection without reading an unbounded response.
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return;
    const msg = `webhook answered ${res.status}`;
    if (res.status === 408 || res.status === 429 || res.status >= 500) throw new DeliveryError(msg, 'transient');
    throw new DeliveryError(res.status >= 300 && res.status < 400 ? `${msg} (redirects are not followed)` : msg, 'permanent');
  }
}
