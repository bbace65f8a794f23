import twilio from 'twilio';
import type { NotificationsConfig } from '@crowdsafe/server-config';
import { buildSmsText } from '../content/sms-text';
import { DeliveryError, type DeliveryJob, type NotificationChannel, type SendContext } from '../delivery.types';

const E164 = /^\+[1-9]\d{6,14}$/;

type TwilioRequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

/**
 * Twilio's RequestClient with the API origin replaced (TWILIO_API_URL): a regional edge, a proxy, or a local
 * server in tests. The path (/2010-04-01/Accounts/<sid>/Messages.json) is kept.
 */
export class BaseUrlRequestClient extends twilio.RequestClient {
  private readonly base: URL;

  constructor(baseUrl: string, opts: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(opts);
    this.base = new URL(baseUrl);
  }

  override request<TData>(opts: TwilioRequestOptions & { data?: TData }) {
    const u = new URL(opts.uri);
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const target = new URL(`${prefix}${u.pathname}${u.search}`, this.base.origin);
    return super.request<TData>({ ...opts, uri: target.toString() });
  }
}

/**
 * SMS through Twilio's Messages API (the official SDK). 4xx answers (invalid number, unsubscribed recipient...)
 * are permanent except 408/429; 5xx, timeouts and connection errors are retried.
 */
export class SmsChannel implements NotificationChannel {
  readonly name = 'sms' as const;
  private readonly client: ReturnType<typeof twilio> | null;

  constructor(
    private readonly cfg: NotificationsConfig['sms'],
    opts: { sendTimeoutMs: number },
  ) {
    if (!cfg) {
      this.client = null;
      return;
    }
    const clientOpts = { timeout: opts.sendTimeoutMs, autoRetry: false, keepAlive: true };
    this.client = twilio(cfg.accountSid, cfg.authToken, {
      ...clientOpts,
      // Never read TWILIO_EDGE/TWILIO_REGION/TWILIO_LOG_LEVEL from the environment behind the config's back.
      env: {},
      httpClient: cfg.apiUrl ? new BaseUrlRequestClient(cfg.apiUrl, clientOpts) : undefined,
    });
  }

  get configured(): boolean {
    return this.client !== null;
  }

  async send(job: DeliveryJob, _ctx: SendContext): Promise<void> {
    if (!this.client || !this.cfg) throw new DeliveryError('channel not configured', 'permanent');
    const to = job.destination.trim().replace(/[\s().-]/g, '');
    if (!E164.test(to)) throw new DeliveryError('invalid phone number (E.164 expected, e.g. +447700900123)', 'permanent');
    const body = buildSmsText(job.alert);
    try {
      await this.client.messages.create(
        this.cfg.messagingServiceSid ? { to, body, messagingServiceSid: this.cfg.messagingServiceSid } : { to, body, from: this.cfg.from ?? '' },
      );
    } catch (e) {
      throw classifyTwilioError(e);
    }
  }
}

export function classifyTwilioError(e: unknown): DeliveryError {
  const err = e as { message?: string; status?: number; code?: number | string };
  const status = typeof err.status === 'number' ? err.status : null;
  const msg = `Twilio${status ? ` ${status}` : ''}${typeof err.code === 'number' ? ` (code ${err.code})` : ''}: ${err.message ?? String(e)}`;
  if (status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429) return new DeliveryError(msg, 'permanent');
  return new DeliveryError(msg, 'transient');
}
