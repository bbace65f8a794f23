import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DeliveryOutcomeSink, destinationSha256Of, type DeliveryOutcome } from '@crowdsafe/server-core';
import { AlertRecipientRepository, AlertRepository, SystemLogRepository } from '@crowdsafe/server-database';
import { AlertsService } from './alerts.service';

/** Outcomes waiting to be applied; past this they are dropped (logged) so a stuck database can't grow memory. */
const MAX_PENDING = 10_000;

/**
 * Records the final outcome of every delivery: a successful one adds its channel to the alert's channels_notified
 * (once); a push subscription the push service no longer knows (outcome.gone: 404/410) deactivates that recipient
 * (is_active = false, found by the outcome's destination hash) with a system_logs entry. Outcomes are applied one
 * at a time (read-modify-write of one row); failures are logged, never thrown at the notifier.
 */
@Injectable()
export class AlertDeliveryRecorder extends DeliveryOutcomeSink {
  private readonly logger = new Logger('Alerts');
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly alerts: AlertRepository,
    private readonly recipients: AlertRecipientRepository,
    @Optional() @Inject(SystemLogRepository) private readonly logs: SystemLogRepository | null = null,
    @Optional() @Inject(AlertsService) private readonly service: AlertsService | null = null,
  ) {
    super();
  }

  record(outcome: DeliveryOutcome): Promise<void> {
    if (!outcome.ok) {
      this.logger.warn(`alert ${outcome.alertId}: ${outcome.channel} delivery to ${outcome.destination} failed after ${outcome.attempts} attempt(s): ${outcome.error ?? 'unknown error'}`);
      if (!outcome.gone) return Promise.resolve();
    }
    if (this.pending >= MAX_PENDING) {
      this.logger.warn(`delivery outcome of alert ${outcome.alertId} (${outcome.channel}) dropped: ${MAX_PENDING} outcomes waiting for the database`);
      return Promise.resolve();
    }
    this.pending++;
    const run = this.tail.then(async () => {
      try {
        if (outcome.ok) await this.addChannel(outcome);
        else await this.deactivateGone(outcome);
      } catch (err) {
        this.logger.warn(`could not record the ${outcome.channel} delivery outcome of alert ${outcome.alertId}: ${String(err)}`);
      } finally {
        this.pending--;
      }
    });
    this.tail = run;
    return run;
  }

  private async addChannel(outcome: DeliveryOutcome): Promise<void> {
    const row = await this.alerts.findById(outcome.alertId);
    if (!row || row.channelsNotified.includes(outcome.channel)) return;
    await this.alerts.update(row.id, { channelsNotified: [...row.channelsNotified, outcome.channel] });
  }

  /** Deactivates the active recipients of this channel whose destination hashes to the outcome's. */
  private async deactivateGone(outcome: DeliveryOutcome): Promise<void> {
    const hash = outcome.destinationSha256;
    if (!hash) {
      this.logger.warn(`alert ${outcome.alertId}: ${outcome.channel} destination ${outcome.destination} is gone, but the outcome does not identify it; deactivate it by hand`);
      return;
    }
    const gone = (await this.recipients.listActive()).filter((r) => r.channel === outcome.channel && destinationSha256Of(r.destination) === hash);
    for (const r of gone) {
      const updated = await this.recipients.update(r.id, { isActive: false });
      if (!updated) continue;
      const message = `${outcome.channel} recipient "${r.name}" deactivated: ${outcome.destination} is gone (${outcome.error ?? 'gone'})`;
      this.logger.warn(message);
      try {
        await this.logs?.write({
          level: 'warn',
          category: 'alert',
          action: 'alert_recipient.deactivate',
          message,
          resourceType: 'alert_recipient',
          resourceId: r.id,
          details: { recipientId: r.id, channel: outcome.channel, destination: outcome.destination, alertId: outcome.alertId, reason: outcome.error },
        });
      } catch (err) {
        this.logger.warn(`could not log the deactivation of recipient ${r.id}: ${String(err)}`);
      }
    }
    if (gone.length) this.service?.invalidateRecipients();
  }
}
