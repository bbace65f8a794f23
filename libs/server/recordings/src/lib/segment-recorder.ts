import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { CameraRecordingOutputs, type CameraRunInfo, type ExtraFfmpegOutput } from '@crowdsafe/server-core';
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
    if (!this.enabled) return [];
    return [this.store.newRun(run.cameraId, run.codec, continuousOf(run.settings, this.config.recordings.continuous))];
  }

  override runEnded(cameraId: string): void {
    this.store.runEnded(cameraId);
  }
}
