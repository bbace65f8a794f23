import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { CameraRecordingOutputs, type CameraRunInfo, type ExtraFfmpegOutput } from '@crowdsafe/server-core';
import { canCopy, hlsOutputArgs } from './segment-plan';
import { SegmentStore } from './segment-store';

/** A camera's `settings.recording.continuous`, when it is a boolean. */
export function continuousOf(settings: unknown, fallback: boolean): boolean {
  const rec = (settings as { recording?: { continuous?: unknown } } | null | undefined)?.recording;
  return typeof rec?.continuous === 'boolean' ? rec.continuous : fallback;
}

/**
 * The camera pipeline's recording port: every ffmpeg run of every camera gets one more output, its video stream
 * copied into MPEG-TS segments (DATA_DIR/recordings/segments/<cameraId>/), indexed by the SegmentStore. No
 * dependencies but the config, so the camera supervisor can use it without a cycle.
 */
@Injectable()
export class SegmentRecorder extends CameraRecordingOutputs {
  private readonly logger = new Logger('Recordings');
  readonly store: SegmentStore;
  readonly enabled: boolean;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
    const r = config.recordings;
    this.enabled = r.enabled;
    this.store = new SegmentStore(join(r.dir, 'segments'), r.segmentS, (m) => this.logger.warn(m));
  }

  outputsFor(run: CameraRunInfo): ExtraFfmpegOutput[] {
    const out: ExtraFfmpegOutput[] = [];
    if (this.enabled) out.push(this.store.newRun(run.cameraId, run.codec, continuousOf(run.settings, this.config.recordings.continuous)));
    const hls = this.config.recordings.hls;
    // Live HLS only where the stream can be copied (a second encoder per camera would cost a core's fraction per viewer-less camera).
    if (hls && canCopy(run.codec)) {
      const dir = this.liveDir(run.cameraId);
      mkdirSync(dir, { recursive: true });
      sweepLive(dir, Date.now() - 30_000);
      out.push(hlsOutputArgs({ segmentS: hls.segmentS, dir, runId: `${Date.now()}-${randomBytes(3).toString('hex')}` }));
    }
    return out;
  }

  /** DATA_DIR/recordings/live/<cameraId> (cameraId is a uuid from the database). */
  liveDir(cameraId: string): string {
    return join(this.config.recordings.dir, 'live', cameraId);
  }

  override runEnded(cameraId: string): void {
    this.store.runEnded(cameraId);
  }
}

/** Segments left by an earlier (killed) run of the live HLS output: ffmpeg only deletes its own. */
function sweepLive(dir: string, olderThanMs: number): void {
  try {
    for (const name of readdirSync(dir)) {
      if (!/^\d+-[0-9a-f]{6}-\d+\.ts$/.test(name)) continue;
      const p = join(dir, name);
      if (statSync(p).mtimeMs < olderThanMs) unlinkSync(p);
    }
  } catch {
    // best effort
  }
}
