import { join } from 'node:path';
import type { EnvSchema } from './env.schema';

export type RecordingAlertLevel = 'SAFE' | 'CAUTION' | 'WARNING' | 'CRITICAL';

/** Recordings (libs/server/recordings). Paths are absolute. */
export interface RecordingsConfig {
  enabled: boolean;
  /** DATA_DIR/recordings: segments/<cameraId>/, clips/<cameraId>/. Nothing is written outside it. */
  dir: string;
  segmentS: number;
  bufferS: number;
  continuous: boolean;
  alertLevels: RecordingAlertLevel[];
  alertPrerollS: number;
  alertPostrollS: number;
  protectAlertClips: boolean;
  maxDurationS: number;
  retentionDays: { manual: number; alert: number; continuous: number };
  minFreeBytes: number;
  diskWarnPercent: number;
  /** Live HLS output per camera (DATA_DIR/recordings/live/<cameraId>/), null when off. */
  hls: LiveHlsConfig | null;
}

export type LiveHlsMode = 'copy' | 'transcode' | 'auto';

export interface LiveHlsConfig {
  segmentS: number;
  /** copy the stream, transcode it (keyframe per segment), or auto: transcode only when the keyframe interval is too long. */
  mode: LiveHlsMode;
  /** Transcoded rendition: width and height bounds (px) and frame rate (0 = source). */
  maxWidth: number;
  maxHeight: number;
  fps: number;
  /** On-demand transcode (transcode/auto): stop after this long without a request (ms). */
  lingerMs: number;
  /** On-demand transcode: the first playlist request waits at most this long (ms) for the first segment. */
  startWaitMs: number;
  /** On-demand transcode: cameras transcoding at once. */
  maxTranscodes: number;
}

export function buildRecordingsConfig(e: EnvSchema, dataDir: string): RecordingsConfig {
  const levels = e.RECORDING_ALERT_LEVELS.split(',').map((l) => l.trim()).filter(Boolean) as RecordingAlertLevel[];
  return {
    enabled: e.RECORDINGS_ENABLED,
    dir: join(dataDir, 'recordings'),
    segmentS: e.RECORDING_SEGMENT_S,
    bufferS: e.RECORDING_BUFFER_S,
    continuous: e.RECORDING_CONTINUOUS,
    alertLevels: [...new Set(levels)],
    alertPrerollS: e.RECORDING_ALERT_PREROLL_S,
    alertPostrollS: e.RECORDING_ALERT_POSTROLL_S,
    protectAlertClips: e.RECORDING_PROTECT_ALERT_CLIPS,
    maxDurationS: e.RECORDING_MAX_DURATION_S,
    retentionDays: { manual: e.RECORDING_RETENTION_MANUAL_DAYS, alert: e.RECORDING_RETENTION_ALERT_DAYS, continuous: e.RECORDING_RETENTION_CONTINUOUS_DAYS },
    minFreeBytes: e.RECORDING_MIN_FREE_MB * 1024 * 1024,
    diskWarnPercent: e.RECORDING_DISK_WARN_PERCENT,
    hls: e.LIVE_HLS_ENABLED ? { segmentS: e.LIVE_HLS_SEGMENT_S, mode: e.LIVE_HLS_MODE, maxWidth: e.LIVE_HLS_MAX_WIDTH, maxHeight: e.LIVE_HLS_MAX_HEIGHT, fps: e.LIVE_HLS_FPS, lingerMs: e.LIVE_HLS_LINGER_S * 1000, startWaitMs: e.LIVE_HLS_START_WAIT_MS, maxTranscodes: e.LIVE_HLS_MAX_TRANSCODES } : null,
  };
}
