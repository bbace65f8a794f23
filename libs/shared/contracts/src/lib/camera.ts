export type CameraSourceType = 'file' | 'rtsp' | 'http' | 'hls' | 'usb' | 'rtmp';
export const CAMERA_SOURCE_TYPES: readonly CameraSourceType[] = ['file', 'rtsp', 'http', 'hls', 'usb', 'rtmp'];

export type CameraStatus = 'online' | 'connecting' | 'offline' | 'error';
export const CAMERA_STATUSES: readonly CameraStatus[] = ['online', 'connecting', 'offline', 'error'];

/** Live ingestion health of one camera. */
export interface CameraHealth {
  status: CameraStatus;
  /** Why the camera is in this status (error text with credentials redacted). */
  reason?: string;
  /** Age of the last decoded frame in ms, or null before the first frame. */
  lastFrameAgeMs: number | null;
  /** Frames decoded per second (last 5 s). */
  fpsIn: number;
  /** Frames processed by inference per second (last 5 s). */
  fpsOut: number;
  /**
   * Frames dropped before inference: the bounded buffer was full (oldest dropped first) or, on a live source, a newer
   * frame was waiting when inference became free (inference always takes the newest).
   */
  droppedFrames: number;
  /** Frames discarded because they were older than the max frame age when their turn came. */
  staleFrames: number;
  /** ffmpeg restarts since start. */
  restarts: number;
  framesDecoded: number;
  framesProcessed: number;
  /** Decoded frames not processed because of the every-N-th-frame skip rate (sourceOptions.frameSkip). */
  skippedFrames: number;
  /** Bytes of raw video read from ffmpeg since start. */
  bytesRead: number;
  /** Error lines ffmpeg logged while decoding (corrupt packets, decode errors). */
  decodeErrors: number;
  /** The detection scheduler (tiling 'scheduled', the default): absent when the camera uses another tiling mode. */
  scheduler?: CameraSchedulerHealth;
}

/** What a camera's detection scheduler does: the global pass on every frame plus slices in rotation. */
export interface CameraSchedulerHealth {
  /** 'map': slices where the learnt person-size map says people are small; 'fallback': map not learnt, whole frame sliced. */
  mode: 'map' | 'fallback';
  /** Model passes per second granted to this camera (the process's budget, shared fairly). */
  budgetPerSecond: number;
  /** Model passes per second used at the target fps (global + slices). */
  passesPerSecond: number;
  /** Model passes per processed frame (1 = global pass only). */
  passesPerFrame: number;
  plannedSlices: number;
  slicesPerFrame: number;
  /** Achieved refresh period of the slices, seconds (0: nothing to slice; -1: no budget for slices). */
  refreshS: number;
  /** Configured refresh period (SLICE_REFRESH_S). */
  targetRefreshS: number;
  /** Person-size map samples (decayed). */
  sizeMapSamples: number;
  /** Why the scheduler falls back or degrades (null when it runs as configured). */
  reason: string | null;
}
