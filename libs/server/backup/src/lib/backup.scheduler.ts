import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { SystemLogRepository } from '@crowdsafe/server-database';
import { createBackup, pruneBackups } from './backup';

/**
 * Scheduled backups from the api (BACKUP_INTERVAL_HOURS > 0, processes with CAMERAS_ENABLED only: one per
 * deployment): every interval a backup into BACKUP_DIR, then all but the newest BACKUP_KEEP are deleted; each outcome
 * is a system_logs row (`backup.create`).
 */
@Injectable()
export class BackupScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Backup');
  private timer?: NodeJS.Timeout;
  private running = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logs: SystemLogRepository,
  ) {}

  onApplicationBootstrap(): void {
    const h = this.config.ops.backup.intervalHours;
    if (!h || !this.config.cameras.enabled) return;
    this.timer = setInterval(() => void this.runOnce(), h * 3_600_000);
    this.timer.unref();
    this.logger.log(`backups every ${h} h into ${this.config.ops.backup.dir}, keeping ${this.config.ops.backup.keep}`);
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async runOnce(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const r = await createBackup(this.config);
      const pruned = await pruneBackups(this.config.ops.backup.dir, this.config.ops.backup.keep);
      await this.logs.write({ level: 'info', category: 'system', action: 'backup.create', message: `Backup ${r.file} (${r.bytes} bytes)${pruned.length ? `; deleted ${pruned.length} older` : ''}` });
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      this.logger.error(`scheduled backup failed: ${msg}`);
      await this.logs.write({ level: 'error', category: 'system', action: 'backup.create', message: `Backup failed: ${msg}` }).catch(() => undefined);
    } finally {
      this.running = false;
    }
  }
}
