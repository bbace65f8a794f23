import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { RetentionPolicy } from '@crowdsafe/server-core';
import { SystemLogRepository } from '@crowdsafe/server-database';
import { SECURITY_CONFIG, type SecurityConfig } from '../security.tokens';

/** Deletes system_logs entries (audit trail included) older than system.logRetentionDays (default LOG_RETENTION_DAYS), daily at 03:30. */
@Injectable()
export class LogRetentionJob {
  private readonly logger = new Logger('LogRetention');

  constructor(
    private readonly logs: SystemLogRepository,
    @Inject(SECURITY_CONFIG) private readonly config: SecurityConfig,
    @Optional() @Inject(RetentionPolicy) private readonly policy: RetentionPolicy | null = null,
  ) {}

  @Cron('0 30 3 * * *', { name: 'system-log-retention' })
  async run(now = new Date()): Promise<number> {
    // The setting system.logRetentionDays, read at every run; LOG_RETENTION_DAYS without the settings module.
    const days = this.policy?.days('logs') ?? this.config.logRetentionDays;
    const before = new Date(now.getTime() - days * 86_400_000);
    try {
      const n = await this.logs.deleteOlderThan(before);
      if (n > 0) this.logger.log(`Deleted ${n} system log entries older than ${days} days`);
      return n;
    } catch (e) {
      this.logger.warn(`system log retention failed: ${(e as Error).message.slice(0, 200)}`);
      return 0;
    }
  }
}

