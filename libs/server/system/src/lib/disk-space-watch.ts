import { Inject, Injectable, Optional, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { LiveEventsPublisher } from '@crowdsafe/server-core';
import { diskOf, type DiskInfo } from './host-stats';

/** Free space below this fraction of the disk holding DATA_DIR (or below DISK_LOW_BYTES) is "low". */
export const DISK_LOW_FRACTION = 0.1;
export const DISK_LOW_BYTES = 1024 ** 3;
export const DISK_CHECK_MS = 60_000;

export const isDiskLow = (d: DiskInfo): boolean => d.freeBytes < DISK_LOW_BYTES || (d.totalBytes > 0 && d.freeBytes / d.totalBytes < DISK_LOW_FRACTION);

/**
 * Watches the disk holding DATA_DIR (database, snapshots, recordings) once a minute and broadcasts a
 * `system_notification` (kind 'disk') when free space becomes low, and again when it recovers.
 */
@Injectable()
export class DiskSpaceWatch implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private low = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(LiveEventsPublisher) private readonly live: LiveEventsPublisher | null = null,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.live) return; // nobody to tell (no socket gateway in this process)
    void this.check();
    this.timer = setInterval(() => void this.check(), DISK_CHECK_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One check; publishes on a change of state. Returns the state (null: disk unreadable). */
  async check(disk?: DiskInfo | null): Promise<boolean | null> {
    const d = disk === undefined ? await diskOf(this.config.dataDir) : disk;
    if (!d) return null;
    const low = isDiskLow(d);
    if (low !== this.low) {
      this.low = low;
      const gib = (b: number) => (b / 1024 ** 3).toFixed(1);
      this.live?.publishSystemNotification({
        kind: 'disk',
        level: low ? 'warning' : 'info',
        message: low ? `Low disk space: ${gib(d.freeBytes)} GiB free of ${gib(d.totalBytes)} GiB (${d.path})` : `Disk space recovered: ${gib(d.freeBytes)} GiB free (${d.path})`,
        at: new Date().toISOString(),
        details: { path: d.path, freeBytes: d.freeBytes, totalBytes: d.totalBytes },
      });
    }
    return low;
  }
}
