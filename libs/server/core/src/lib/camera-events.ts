import type { CameraStatus } from '@crowdsafe/contracts';

/** A camera runtime changed status (connected, lost and restarting, error, stopped), with the reason and restarts so far. */
export interface CameraLifecycleEvent {
  cameraId: string;
  cameraName: string;
  status: CameraStatus;
  /** Why (redacted: no credentials), null when none. */
  reason: string | null;
  /** ffmpeg restarts since the runtime started. */
  restarts: number;
  at: Date;
}

/**
 * Where camera lifecycle events go besides the camera row and the `camera_status` WebSocket event (implemented by
 * libs/server/observability: `system_logs`, category camera). `record` never throws and never blocks the caller.
 */
export abstract class CameraEventLog {
  abstract record(event: CameraLifecycleEvent): void;
}
