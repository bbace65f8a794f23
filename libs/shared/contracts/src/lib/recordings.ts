/** Socket event names of the recordings feature (sent to every connected client). */
export const RecordingWsEvent = {
  RecordingStatus: 'recording_status',
  RecordingStorage: 'recording_storage',
} as const;

export type RecordingTriggerKind = 'manual' | 'alert' | 'schedule' | 'continuous';
/** recording (collecting segments) -> processing (assembling the MP4) -> completed | failed; deleted when removed. */
export type RecordingState = 'recording' | 'processing' | 'completed' | 'failed' | 'deleted';

/** `recording_status`: a recording started, stopped, finished, failed or was deleted. */
export interface RecordingStatusEvent {
  camera_id: string;
  recording_id: string;
  status: RecordingState;
  trigger: RecordingTriggerKind;
  /** Seconds recorded so far (recording) or the clip's duration (completed); null when unknown. */
  duration: number | null;
  /** The alert an automatic clip belongs to. */
  alert_id: string | null;
  /** ISO 8601. */
  at: string;
}

/** `recording_storage`: the recordings disk, sent when the warning starts/ends and every retention pass while it lasts. */
export interface RecordingStorageEvent {
  usedPercent: number;
  freeBytes: number;
  totalBytes: number;
  /** Bytes under DATA_DIR/recordings. */
  recordingsBytes: number;
  /** usedPercent >= RECORDING_DISK_WARN_PERCENT. */
  warning: boolean;
  at: string;
}
