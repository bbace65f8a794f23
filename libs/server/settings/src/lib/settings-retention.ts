import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { DataSource } from 'typeorm';
import { RetentionPolicy, type RetentionKind } from '@crowdsafe/server-core';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { isTimescale, setTimescaleRetention } from '@crowdsafe/server-database';
import { SettingsService } from './settings.service';

const KEY: Record<RetentionKind, 'metricsRetentionDays' | 'logRetentionDays' | 'crossingsRetentionDays'> = {
  metrics: 'metricsRetentionDays',
  logs: 'logRetentionDays',
  crossings: 'crossingsRetentionDays',
};

/**
 * The retention jobs' days from the settings `system.metricsRetentionDays` / `logRetentionDays` /
 * `crossingsRetentionDays`: the saved value, else the configured one verbatim (METRICS_RETENTION_DAYS,
 * LOG_RETENTION_DAYS; 30 for crossings). On TimescaleDB a saved metrics retention also replaces the hypertable's
 * retention policy at once.
 */
@Injectable()
export class SettingsRetentionPolicy extends RetentionPolicy implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Retention');
  private sub?: Subscription;

  constructor(
    private readonly settings: SettingsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(DataSource) private readonly dataSource: DataSource | null = null,
  ) {
    super();
  }

  days(kind: RetentionKind): number {
    const key = KEY[kind];
    if (this.settings.view('system', key).version > 0) return this.settings.get('system', key);
    if (kind === 'metrics') return this.config.metrics.retentionDays;
    if (kind === 'logs') return this.config.security.logRetentionDays;
    return this.settings.get('system', key);
  }

  onModuleInit(): void {
    this.sub = this.settings.changes$.subscribe((c) => {
      if (c.category !== 'system' || c.key !== 'metricsRetentionDays' || !this.dataSource) return;
      const ds = this.dataSource;
      void (async () => {
        if (!(await isTimescale(ds))) return;
        await setTimescaleRetention(ds, c.value as number);
        this.logger.log(`TimescaleDB retention policy of metrics set to ${String(c.value)} days`);
      })().catch((err: unknown) => this.logger.warn(`could not set the TimescaleDB retention policy: ${String(err)}`));
    });
  }

  onModuleDestroy(): void {
    this.sub?.unsubscribe();
  }
}
