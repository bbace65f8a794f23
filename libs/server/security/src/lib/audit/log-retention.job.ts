import { Inject, Injectable, Logger } from '@nestjs/common';
import { Cron } from '@nestjs/schedule';
import { SystemLogRepository } from '@crowdsafe/server-database';
import { SECURITY_CONFIG, type SecurityConfig } from '../security.tokens';

/** Deletes system_logs entries (audit trail included) older than LOG_RETENTION_DAYS, daily at 03:30. */
@Injectable()
export class LogRetentionJob {
  private readonly logger = new Logger('LogRetention');

  constructor(
    private readonly logs: SystemLogRepository,
    @Inject(SECURITY_CONFIG) private readonly config: SecurityConfig,
  ) {}

  @Cron('0 30 3 * * *', { name: 'system-log-retention' })
  async run(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - this.config.logRetentionDays * 86_400_000);
    try {
      const n = await this.logs.deleteOlderThan(before);
      if (n > 0) this.logger.log(`Deleted ${n} system log entries older than ${this.config.logRetentionDays} days`);
      return n;
    } catch (e) {
      this.logger.warn(`system log retention failed: ${(e as Error).message.slice(0, 200)}`);
      return 0;
    }
  }
}

