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
}
