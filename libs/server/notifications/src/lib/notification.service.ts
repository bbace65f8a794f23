import { createHash } from 'node:crypto';
import type { Agent } from 'node:https';
import { Logger } from '@nestjs/common';
import type { AppConfig, NotificationsConfig } from '@crowdsafe/server-config';
import { AlertNotifier, type AlertNotification, type DeliveryChannel, type DeliveryOutcomeSink } from '@crowdsafe/server-core';
import { EmailChannel } from './channels/email.channel';
import { PushChannel } from './channels/push.channel';
import { SmsChannel } from './channels/sms.channel';
import { WebhookChannel } from './channels/webhook.channel';
import type { BreakerState } from './circuit-breaker';
import { DeliveryProcessor, type DeliveryLogWriter } from './delivery-processor';
import { DELIVERY_CHANNELS, type AlertPayload, type DeliveryJob, type NotificationChannel } from './delivery.types';
import { BullMqDeliveryQueue } from './queue/bullmq-delivery-queue';
import type { DeliveryQueue } from './queue/delivery-queue';
import { InProcessDeliveryQueue } from './queue/in-process-delivery-queue';

/** Targets per notification; more are refused (reported as failed), never silently dropped. */
export const MAX_TARGETS_PER_NOTIFICATION = 500;
/** A destination longer than this is refused (a push subscription JSON is ~200-500 bytes). */
export const MAX_DESTINATION_LENGTH = 4096;

export interface NotificationServiceOptions {
  config: NotificationsConfig;
  /** BullMQ queue "notifications" on this Redis; null = the in-process queue (embedded mode). */
  redis: { url: string; prefix: string } | null;
  logs: DeliveryLogWriter | null;
  /** The outcome sink, or a function resolving it late (the alert service may be created after this). */
  outcomes?: DeliveryOutcomeSink | (() => DeliveryOutcomeSink | null) | null;
  /** Replace channels (tests, a custom provider). */
  channels?: Partial<Record<DeliveryChannel, NotificationChannel>>;
  /** https.Agent for push service requests (e.g. trusting a private CA). */
  pushAgent?: Agent;
  now?: () => number;
}

/** Deterministic id of one delivery: the BullMQ job id and the webhook Idempotency-Key. */
export function deliveryIdOf(n: Pick<AlertNotification, 'alertId' | 'event' | 'triggeredAt' | 'level'>, channel: string, destination: string): string {
  const h = createHash('sha256').update([n.alertId, n.event, n.triggeredAt, n.level, channel, destination].join('\u0000')).digest('hex');
  return `d_${h.slice(0, 32)}`;
}

/**
 * The AlertNotifier: splits a notification into one delivery job per target and enqueues them (BullMQ with
 * REDIS_URL, in-process otherwise). notify() never waits on a channel and never throws.
 */
export class NotificationService extends AlertNotifier {
  private readonly logger = new Logger('Notifications');
  readonly processor: DeliveryProcessor;
  readonly queue: DeliveryQueue;
  private readonly channels: Record<DeliveryChannel, NotificationChannel>;
  private sink: DeliveryOutcomeSink | null = null;
  private readonly now: () => number;
  private started = false;

  constructor(private readonly opts: NotificationServiceOptions) {
    super();
    const c = opts.config;
    this.now = opts.now ?? Date.now;
    this.channels = {
      email: opts.channels?.email ?? new EmailChannel(c.email, { sendTimeoutMs: c.sendTimeoutMs, maxConnections: c.channelConcurrency }),
      sms: opts.channels?.sms ?? new SmsChannel(c.sms, { sendTimeoutMs: c.sendTimeoutMs }),
      push: opts.channels?.push ?? new PushChannel(c.push, { sendTimeoutMs: c.sendTimeoutMs, agent: opts.pushAgent }),
      webhook: opts.channels?.webhook ?? new WebhookChannel(c.webhook, this.now),
    };
    const outcomes = opts.outcomes;
    this.processor = new DeliveryProcessor({
      channels: this.channels,
      breaker: c.breaker,
      sendTimeoutMs: c.sendTimeoutMs,
      secrets: [c.email?.pass, c.email?.url ? passwordOfUrl(c.email.url) : null, c.sms?.authToken, c.push?.privateKey, c.webhook?.secret].filter(
        (s): s is string => !!s,
      ),
      logs: opts.logs,
      outcomes: () => this.sink ?? (typeof outcomes === 'function' ? outcomes() : (outcomes ?? null)),
      now: this.now,
    });
    const queueOpts = {
      attempts: c.attempts,
      backoffMs: c.backoffMs,
      backoffMaxMs: c.backoffMaxMs,
      channelConcurrency: c.channelConcurrency,
      queueMax: c.queueMax,
    };
    this.queue = opts.redis
      ? new BullMqDeliveryQueue(this.processor, { ...queueOpts, redisUrl: opts.redis.url, prefix: opts.redis.prefix })
      : new InProcessDeliveryQueue(this.processor, queueOpts);
  }

  /** Builds the service from the app configuration (BullMQ when REDIS_URL is set). */
  static fromAppConfig(config: AppConfig, deps: Omit<NotificationServiceOptions, 'config' | 'redis'>): NotificationService {
    return new NotificationService({
      ...deps,
      config: config.notifications,
      redis: config.queue.redisUrl ? { url: config.queue.redisUrl, prefix: config.queue.prefix } : null,
    });
  }

  /** Set (or replace) the outcome sink after construction. */
  setOutcomeSink(sink: DeliveryOutcomeSink | null): void {
    this.sink = sink;
  }

  /** Which channels can deliver, and their breaker state (health endpoints). */
  status(): Record<DeliveryChannel, { configured: boolean; breaker: BreakerState }> {
    return Object.fromEntries(
      DELIVERY_CHANNELS.map((ch) => [ch, { configured: this.channels[ch].configured, breaker: this.processor.breakerState(ch) }]),
    ) as Record<DeliveryChannel, { configured: boolean; breaker: BreakerState }>;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.queue.start();
    const s = this.status();
    this.logger.log(
      `alert delivery via ${this.opts.redis ? 'BullMQ queue "notifications"' : 'the in-process queue'}: ${DELIVERY_CHANNELS.map(
        (ch) => `${ch} ${s[ch].configured ? 'on' : 'off (not configured)'}`,
      ).join(', ')}`,
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
    await Promise.allSettled(Object.values(this.channels).map((c) => c.close?.()));
  }

  async notify(n: AlertNotification): Promise<void> {
    try {
      const alert: AlertPayload = {
        alertId: n.alertId,
        event: n.event,
        cameraId: n.cameraId,
        cameraName: n.cameraName,
        cameraLocation: n.cameraLocation,
        level: n.level,
        condition: n.condition,
        message: n.message,
        metrics: n.metrics ?? {},
        snapshotPath: n.snapshotPath,
        consoleUrl: n.consoleUrl,
        triggeredAt: n.triggeredAt,
      };
      const enqueuedAt = this.now();
      const jobs: DeliveryJob[] = [];
      const refused: Array<{ job: DeliveryJob; reason: string }> = [];
      const seen = new Set<string>();
      for (const [i, t] of (n.targets ?? []).entries()) {
        const destination = typeof t?.destination === 'string' ? t.destination : '';
        const channel = t?.channel as DeliveryChannel;
        const job: DeliveryJob = { deliveryId: deliveryIdOf(n, channel, destination), channel, destination, alert, enqueuedAt };
        if (seen.has(job.deliveryId)) continue; // the same target twice in one notification
        seen.add(job.deliveryId);
        if (!DELIVERY_CHANNELS.includes(channel)) {
          this.logger.warn(`alert ${n.alertId}: target ${i} has unknown channel '${String(t?.channel).slice(0, 20)}', skipped`);
        } else if (!destination.trim() || destination.length > MAX_DESTINATION_LENGTH) {
          refused.push({ job, reason: 'invalid destination (empty or too long)' });
        } else if (jobs.length >= MAX_TARGETS_PER_NOTIFICATION) {
          refused.push({ job, reason: `too many targets (max ${MAX_TARGETS_PER_NOTIFICATION} per notification)` });
        } else {
          jobs.push(job);
        }
      }
      const r = await this.queue.enqueue(jobs);
      for (const x of [...refused, ...r.refused]) await this.processor.refuse(x.job, x.reason);
    } catch (e) {
      this.logger.error(`notify(${String(n?.alertId)}) failed: ${(e as Error).message}`);
    }
  }
}

function passwordOfUrl(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url).password) || null;
  } catch {
    return null;
  }
}
