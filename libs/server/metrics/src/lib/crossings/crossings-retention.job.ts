import { Injectable, Logger, Optional, Inject } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { RetentionPolicy } from '@crowdsafe/server-core';
import { CrossingEventRepository } from '@crowdsafe/server-database';

/** Default days of crossing events kept without the settings module (setting system.crossingsRetentionDays). */
export const DEFAULT_CROSSINGS_RETENTION_DAYS = 30;

/** Hourly: deletes crossing events older than system.crossingsRetentionDays (read at every run). */
@Injectable()
export class CrossingsRetentionJob {
  private readonly logger = new Logger('CrossingsRetention');

  constructor(
    private readonly repo: CrossingEventRepository,
    @Optional() @Inject(RetentionPolicy) private readonly policy: RetentionPolicy | null = null,
  ) {}

  @Cron(CronExpression.EVERY_HOUR, { name: 'crossings-retention' })
  async run(now = new Date()): Promise<number> {
    const days = this.policy?.days('crossings') ?? DEFAULT_CROSSINGS_RETENTION_DAYS;
    try {
      const n = await this.repo.deleteOlderThan(new Date(now.getTime() - days * 86_400_000));
      if (n > 0) this.logger.log(`Deleted ${n} crossing event(s) older than ${days} days`);
      return n;
    } catch (err) {
      this.logger.warn(`crossings retention failed: ${String(err).slice(0, 200)}`);
      return 0;
    }
  }
}
