import { readdir, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { RecordingStorageEvent } from '@crowdsafe/contracts';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { LiveEventsPublisher } from '@crowdsafe/server-core';
import type { RecordingRecord, RecordingTrigger } from '@crowdsafe/server-database';
import { RecordingRepository } from './recording.repository';
import { RecordingsService } from './recordings.service';
import type { Segment } from './segment-plan';
import { SegmentRecorder } from './segment-recorder';

const RUN_EVERY_MS = 60_000;
const ONE_HOUR_S = 3600;

/** The disk that holds DATA_DIR/recordings (replaceable in tests). */
export type DiskStat = (dir: string) => Promise<{ totalBytes: number; freeBytes: number }>;
export const DISK_STAT = Symbol('RECORDINGS_DISK_STAT');

export const realDiskStat: DiskStat = async (dir) => {
  const s = await statfs(dir);
  return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
};

export interface RetentionReport {
  deletedByAge: number;
  deletedForDisk: number;
  segmentsDeletedForDisk: number;
  freedBytes: number;
  /** Free space still below the floor after deleting everything unprotected. */
  stillLow: boolean;
  storage: RecordingStorageEvent;
  floorBytes: number;
}

/**
 * Recordings retention, every minute: (1) by age per trigger class (RECORDING_RETENTION_MANUAL/ALERT/CONTINUOUS_DAYS;
 * protected recordings are kept), (2) by disk: while free space is under the floor — the larger of
 * RECORDING_MIN_FREE_MB and one hour of the cameras' measured recording bandwidth — the oldest unprotected item
 * goes first, whether a clip or a continuous-recording segment beyond the pre-roll buffer, (3) the storage warning
 * (`recording_storage`) when the disk is used over RECORDING_DISK_WARN_PERCENT.
 */
@Injectable()
export class RecordingsRetentionService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Recordings');
  private timer?: NodeJS.Timeout;
  private running: Promise<RetentionReport> | null = null;
  private warning = false;
  private last: RecordingStorageEvent | null = null;
  private readonly diskStat: DiskStat;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly recorder: SegmentRecorder,
    private readonly recordings: RecordingRepository,
    private readonly service: RecordingsService,
    private readonly live: LiveEventsPublisher,
    @Inject(DISK_STAT) diskStat: DiskStat,
  ) {
    this.diskStat = diskStat;
  }

  onModuleInit(): void {
    this.timer = setInterval(() => void this.run().catch((err: unknown) => this.logger.warn(`retention failed: ${String(err)}`)), RUN_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** The latest storage figures (computed now when none yet). */
  async storage(): Promise<RecordingStorageEvent & { floorBytes: number; bandwidthBytesPerS: number }> {
    const s = this.last ?? (await this.measure());
    return { ...s, floorBytes: this.floorBytes(), bandwidthBytesPerS: this.bandwidth() };
  }

  /** One retention pass (serialised). */
  run(nowMs = Date.now()): Promise<RetentionReport> {
    this.running ??= this.pass(nowMs).finally(() => (this.running = null));
    return this.running;
  }

  /** Σ of the cameras' measured recording bandwidth (bytes/s). */
  bandwidth(): number {
    return this.recorder.store.cameraIds().reduce((n, id) => n + this.recorder.store.bandwidth(id), 0);
  }

  floorBytes(): number {
    return Math.max(this.config.recordings.minFreeBytes, Math.round(this.bandwidth() * ONE_HOUR_S));
  }

  private async pass(nowMs: number): Promise<RetentionReport> {
    const r = this.config.recordings;
    let freed = 0;
    let deletedByAge = 0;
    for (const [trigger, days] of [['manual', r.retentionDays.manual], ['schedule', r.retentionDays.manual], ['alert', r.retentionDays.alert], ['continuous', r.retentionDays.continuous]] as [RecordingTrigger, number][]) {
      for (const row of await this.recordings.expired(trigger, new Date(nowMs - days * 86_400_000))) {
        freed += await this.deleteRecording(row);
        deletedByAge++;
      }
    }
    // Disk rule.
    const floor = this.floorBytes();
    let disk = await this.diskStat(r.dir);
    let deletedForDisk = 0;
    let segmentsDeletedForDisk = 0;
    let stillLow = false;
    if (disk.freeBytes < floor) {
      const keepMs = r.bufferS * 1000;
      const segments: Segment[] = this.recorder.store.deletableForDisk(nowMs, keepMs, (id) => this.service.pinnedFrom(id));
      let clips: RecordingRecord[] = await this.recordings.oldestUnprotected(200);
      while (disk.freeBytes < floor) {
        const seg = segments[0];
        const clip = clips[0];
        if (!seg && !clip) {
          stillLow = true;
          break;
        }
        if (seg && (!clip || seg.startMs <= clip.startTime.getTime())) {
          segments.shift();
          freed += await this.recorder.store.deleteSegment(seg);
          segmentsDeletedForDisk++;
        } else {
          clips.shift();
          freed += await this.deleteRecording(clip);
          deletedForDisk++;
          if (!clips.length) clips = await this.recordings.oldestUnprotected(200);
        }
        disk = await this.diskStat(r.dir);
      }
      if (stillLow) this.logger.warn(`recordings disk: ${disk.freeBytes} bytes free, under the floor of ${floor}, and nothing unprotected is left to delete`);
      else this.logger.warn(`recordings disk was under its floor of ${floor} bytes free: deleted ${deletedForDisk} clip(s) and ${segmentsDeletedForDisk} segment(s), oldest first`);
    }
    const storage = await this.measure(disk);
    return { deletedByAge, deletedForDisk, segmentsDeletedForDisk, freedBytes: freed, stillLow, storage, floorBytes: floor };
  }

  private async deleteRecording(row: RecordingRecord): Promise<number> {
    let bytes = 0;
    for (const rel of [row.filePath, row.thumbnailPath]) {
      if (!rel) continue;
      const st = await stat(join(this.service.root, rel)).catch(() => null);
      bytes += st?.size ?? 0;
    }
    await this.service.remove(row.id).catch((err: unknown) => this.logger.warn(`could not delete recording ${row.id}: ${String(err)}`));
    return bytes;
  }

  private async measure(disk?: { totalBytes: number; freeBytes: number }): Promise<RecordingStorageEvent> {
    const d = disk ?? (await this.diskStat(this.config.recordings.dir));
    const usedPercent = d.totalBytes > 0 ? Math.round(((d.totalBytes - d.freeBytes) / d.totalBytes) * 1000) / 10 : 0;
    const warning = usedPercent >= this.config.recordings.diskWarnPercent;
    const event: RecordingStorageEvent = { usedPercent, freeBytes: d.freeBytes, totalBytes: d.totalBytes, recordingsBytes: await dirBytes(this.config.recordings.dir), warning, at: new Date().toISOString() };
    if (warning !== this.warning) {
      if (warning) this.logger.warn(`recordings disk ${usedPercent} % used (warning at ${this.config.recordings.diskWarnPercent} %)`);
      this.warning = warning;
      this.live.publishRecordingStorage(event);
    } else if (warning) this.live.publishRecordingStorage(event);
    this.last = event;
    return event;
  }
}

/** Bytes of the files under `dir` (two levels: segments|clips/<cameraId>/file). */
async function dirBytes(dir: string, depth = 3): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory() && depth > 0) total += await dirBytes(p, depth - 1);
    else if (e.isFile()) total += (await stat(p).catch(() => null))?.size ?? 0;
  }
  return total;
}
