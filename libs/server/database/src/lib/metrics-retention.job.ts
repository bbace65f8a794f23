import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Cron, CronExpression } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { RetentionPolicy } from '@crowdsafe/server-core';
import { MetricsRepository } from './metrics.repository';

/**
 * Hourly: deletes metrics older than system.metricsRetentionDays (default METRICS_RETENTION_DAYS) on plain PostgreSQL and SQLite. On TimescaleDB the
 * retention policy installed by the migration does this instead (see setTimescaleRetention to change it).
 * Needs ScheduleModule.forRoot() in the application module.
 */
@Injectable()
export class MetricsRetentionJob {
  private readonly logger = new Logger(MetricsRetentionJob.name);
  private running = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: MetricsRepository,
    @Optional() @Inject(RetentionPolicy) private readonly policy: RetentionPolicy | null = null,
  ) {}

  /** Days kept: the setting system.metricsRetentionDays (read at every run), else METRICS_RETENTION_DAYS. */
  get retentionDays(): number {
    return this.policy?.days('metrics') ?? this.config.metrics.retentionDays;
  }

  @Cron(CronExpression.EVERY_HOUR, { name: 'metrics-retention' })
  async onSchedule(): Promise<void> {
    try {
      await this.run();
    } catch (e) {
      this.logger.error(`Metrics retention failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Runs once; returns the rows deleted (null when skipped: Timescale, or a run already in progress). */
  async run(now = new Date()): Promise<number | null> {
    if (this.running || (await this.metrics.isTimescale())) return null;
    this.running = true;
    try {
      const days = this.retentionDays;
      const before = new Date(now.getTime() - days * 86_400_000);
      const deleted = await this.metrics.deleteOlderThan(before);
      const line = `Deleted ${deleted} metric row(s) older than ${before.toISOString()} (${days} days)`;
      if (deleted > 0) this.logger.log(line);
      else this.logger.debug(line);
      return deleted;
    } finally {
      this.running = false;
    }
  }
}
