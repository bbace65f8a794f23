/** An extra ffmpeg output (options placed before its target) added to a camera's decode process. */
export interface ExtraFfmpegOutput {
  target: string;
  options: string[];
}

/** What the recorder knows of a camera run when its ffmpeg starts. */
export interface CameraRunInfo {
  cameraId: string;
  /** The probed video codec (h264, hevc, mjpeg, ...); undefined when unknown. */
  codec?: string;
  /** Source frame rate when known (keyframe interval of a re-encode). */
  fps?: number;
  /** The camera's settings JSON (settings.recording: { continuous?: boolean }). */
  settings?: unknown;
}

/**
 * Where the camera pipeline gets the extra outputs of each ffmpeg run (implemented by libs/server/recordings: the
 * stream copied into segments). Called once per spawn; must not throw (return [] to add nothing).
 */
export abstract class CameraRecordingOutputs {
  abstract outputsFor(run: CameraRunInfo): ExtraFfmpegOutput[];
  /** The run's ffmpeg exited (crash, reconnect, stop): the recorder collects what it finished. */
  runEnded(_cameraId: string): void {
    // optional
  }
}
