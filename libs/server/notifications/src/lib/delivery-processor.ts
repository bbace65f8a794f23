import { Logger } from '@nestjs/common';
import { destinationSha256Of, type DeliveryChannel, type DeliveryOutcome, type DeliveryOutcomeSink } from '@crowdsafe/server-core';
import type { SystemLogEntry } from '@crowdsafe/server-database';
import { CircuitBreaker, type BreakerOptions, type BreakerState } from './circuit-breaker';
import { DELIVERY_CHANNELS, DeliveryError, type DeliveryJob, type NotificationChannel } from './delivery.types';
import { redactDestination, scrubMessage } from './redact';

/** Where attempts are recorded: SystemLogRepository (system_logs) in the app. */
export interface DeliveryLogWriter {
  write(entry: SystemLogEntry): Promise<void>;
}

export type AttemptOutcome = 'delivered' | 'failed' | 'circuit_open' | 'not_configured' | 'refused';

/** `retryAfterMs`: the earliest useful retry (an open breaker's probe time); the queue waits max(backoff, this). */
export type AttemptResult = { status: 'delivered' } | { status: 'retry'; error: string; retryAfterMs?: number } | { status: 'failed'; error: string };

export interface DeliveryProcessorOptions {
  channels: Record<DeliveryChannel, NotificationChannel>;
  breaker: BreakerOptions;
  sendTimeoutMs: number;
  /** Values scrubbed from every error message (SMTP password, Twilio token, VAPID private key, webhook secret). */
  secrets: readonly string[];
  logs: DeliveryLogWriter | null;
  /** Resolved lazily: the alert service that records outcomes may be created after the notifier. */
  outcomes: () => DeliveryOutcomeSink | null;
  now?: () => number;
}

/**
 * One delivery attempt, the same code in both queue modes: circuit breaker check, the send under a hard timeout,
 * classification (transient → retry, permanent → final), a system_logs row per attempt (category 'alert', action
 * 'alert.delivery', destination redacted) and the final outcome to the DeliveryOutcomeSink.
 */
export class DeliveryProcessor {
  private readonly logger = new Logger('Notifications');
  private readonly breakers = new Map<DeliveryChannel, CircuitBreaker>();
  private readonly warnedUnconfigured = new Set<DeliveryChannel>();
  private readonly now: () => number;

  constructor(private readonly opts: DeliveryProcessorOptions) {
    this.now = opts.now ?? Date.now;
    for (const c of DELIVERY_CHANNELS) this.breakers.set(c, new CircuitBreaker(opts.breaker));
  }

  breakerState(channel: DeliveryChannel): BreakerState {
    return this.breakers.get(channel)?.state(this.now()) ?? 'closed';
  }

  channelConfigured(channel: DeliveryChannel): boolean {
    return this.opts.channels[channel]?.configured ?? false;
  }

  async attempt(job: DeliveryJob, attempt: number, maxAttempts: number): Promise<AttemptResult> {
    const channel = this.opts.channels[job.channel];
    if (!channel || !channel.configured) {
      if (!this.warnedUnconfigured.has(job.channel)) {
        this.warnedUnconfigured.add(job.channel);
        this.logger.warn(`${job.channel} deliveries are disabled: channel not configured (see README "Notifications")`);
      }
      return this.finish(job, attempt, maxAttempts, 'not_configured', 'channel not configured', true, 0);
    }
    const breaker = this.breakers.get(job.channel) as CircuitBreaker;
    const permit = breaker.acquire(this.now());
    if (!permit.allowed) {
      const error = `circuit open for ${job.channel} (probe in ${Math.ceil(Math.max(permit.retryInMs, 0) / 1000)} s)`;
      const r = await this.finish(job, attempt, maxAttempts, 'circuit_open', error, false, 0);
      // Don't burn the remaining attempts while the circuit is open: retry when the probe is due.
      return r.status === 'retry' ? { ...r, retryAfterMs: Math.max(permit.retryInMs, 0) } : r;
    }
    const started = this.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        channel.send(job, { signal: controller.signal, timeoutMs: this.opts.sendTimeoutMs, attempt }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            controller.abort();
            reject(new DeliveryError(`timed out after ${this.opts.sendTimeoutMs} ms`, 'transient'));
          }, this.opts.sendTimeoutMs);
        }),
      ]);
      breaker.success();
      return this.finish(job, attempt, maxAttempts, 'delivered', null, true, this.now() - started);
    } catch (e) {
      const err = e instanceof DeliveryError ? e : new DeliveryError(e instanceof Error ? e.message : String(e), 'transient');
      // A permanent error means the channel answered (bad destination): it says nothing against the channel.
      if (err.kind === 'permanent') breaker.success();
      else breaker.failure(this.now(), permit.probe);
      return this.finish(job, attempt, maxAttempts, 'failed', err.message, err.kind === 'permanent', this.now() - started, err.gone);
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  /** A delivery that never got into the queue (queue full, unavailable, invalid target): logged and reported as failed. */
  async refuse(job: DeliveryJob, reason: string): Promise<void> {
    await this.finish(job, 0, 0, 'refused', reason, true, 0);
  }

  private async finish(
    job: DeliveryJob,
    attempt: number,
    maxAttempts: number,
    outcome: AttemptOutcome,
    rawError: string | null,
    permanent: boolean,
    durationMs: number,
    /** The destination no longer exists (push subscription 404/410): reported so the sink can deactivate it. */
    gone = false,
  ): Promise<AttemptResult> {
    const destination = redactDestination(job.channel, job.destination);
    const error = rawError === null ? null : scrubMessage(rawError, job.channel, job.destination, this.opts.secrets);
    const ok = outcome === 'delivered';
    const final = ok || permanent || attempt >= maxAttempts;
    const attemptText = attempt > 0 ? ` (attempt ${attempt}/${maxAttempts})` : '';
    const message = ok
      ? `${job.channel} ${job.alert.event} alert delivered to ${destination}${attemptText}`
      : `${job.channel} ${job.alert.event} alert ${final ? 'not delivered' : 'attempt failed'} to ${destination}${attemptText}: ${error}`;
    await this.log({
      level: ok ? 'info' : final ? 'error' : 'warn',
      category: 'alert',
      action: 'alert.delivery',
      message,
      resourceType: 'alert',
      resourceId: job.alert.alertId,
      details: {
        deliveryId: job.deliveryId,
        alertId: job.alert.alertId,
        cameraId: job.alert.cameraId,
        event: job.alert.event,
        channel: job.channel,
        destination,
        outcome,
        attempt,
        maxAttempts,
        final,
        error,
        durationMs,
        ...(gone ? { gone: true } : {}),
      },
    });
    if (!ok) this.logger[final ? 'warn' : 'debug'](message);
    if (final) {
      await this.report({
        alertId: job.alert.alertId,
        channel: job.channel,
        destination,
        ok,
        attempts: attempt,
        error,
        at: this.now(),
        ...(gone && !ok ? { gone: true } : {}),
        destinationSha256: destinationSha256Of(job.destination),
      });
    }
    if (ok) return { status: 'delivered' };
    return final ? { status: 'failed', error: error ?? 'failed' } : { status: 'retry', error: error ?? 'failed' };
  }

  private async log(entry: SystemLogEntry): Promise<void> {
    if (!this.opts.logs) return;
    try {
      await this.opts.logs.write(entry);
    } catch (e) {
      this.logger.warn(`could not write the delivery log: ${(e as Error).message}`);
    }
  }

  private async report(outcome: DeliveryOutcome): Promise<void> {
    const sink = this.opts.outcomes();
    if (!sink) return;
    try {
      await sink.record(outcome);
    } catch (e) {
      this.logger.warn(`delivery outcome sink failed for alert ${outcome.alertId}: ${(e as Error).message}`);
    }
  }
}
