import type { CameraHealth, CameraStatus } from './camera';
import type { CountMethod, Detection, TrackedPerson } from './detections';

/** WebSocket (socket.io) event names. Clients join a camera's room with `subscribe`. */
export const WsEvent = {
  MetricsUpdate: 'metrics_update',
  Frame: 'frame',
  CameraStatus: 'camera_status',
  Subscribe: 'subscribe',
  Unsubscribe: 'unsubscribe',
  WatchFrames: 'watch_frames',
} as const;

/** The socket.io namespace of the live gateway. */
export const WS_NAMESPACE = '/live';

/** Sent once per second per camera to subscribers of that camera. */
export interface MetricsUpdateEvent {
  cameraId: string;
  /** Start of the aggregated second, ISO 8601. */
  time: string;
  /** People count (mean over the second's processed frames, rounded). */
  count: number;
  countMax: number;
  countMethod: CountMethod;
  /** Frames processed in that second. */
  frames: number;
  health: CameraHealth;
}

/** An annotated live frame: JPEG bytes plus the overlay data for the same frame. */
export interface LiveFrameEvent {
  cameraId: string;
  seq: number;
  capturedAt: number;
  width: number;
  height: number;
  jpeg: ArrayBuffer | Uint8Array;
  detections: Detection[];
  /** Confirmed tracks in this frame (ids for the overlay), rescaled like `detections`. */
  tracks?: TrackedPerson[];
  count: number;
}

export interface CameraStatusEvent {
  cameraId: string;
  status: CameraStatus;
  reason?: string;
  at: string;
}

export interface SubscribeRequest {
  cameraId: string;
}

export interface WatchFramesRequest {
  cameraId: string;
  /** true to receive `frame` events for this camera; frames are encoded only while someone watches. */
  enabled: boolean;
}

/** Acknowledgement of a subscribe request. */
export interface SubscribeAck {
  ok: boolean;
  error?: string;
}

export interface ServerToClientEvents {
  metrics_update: (e: MetricsUpdateEvent) => void;
  frame: (e: LiveFrameEvent) => void;
  camera_status: (e: CameraStatusEvent) => void;
}

export interface ClientToServerEvents {
  subscribe: (req: SubscribeRequest, ack?: (a: SubscribeAck) => void) => void;
  unsubscribe: (req: SubscribeRequest, ack?: (a: SubscribeAck) => void) => void;
  watch_frames: (req: WatchFramesRequest, ack?: (a: SubscribeAck) => void) => void;
}
