import type { CameraHealth, CameraStatus } from './camera';
import type { CountMethod, Detection, TrackedPerson } from './detections';
import type { RiskLevel } from './roles';

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
  /**
   * Crowd analytics of that second in real units (see LiveAnalytics). Null when the camera has no calibration
   * (counting only); absent from producers that predate it.
   */
  analytics?: LiveAnalytics | null;
  /**
   * Crowd risk of that second (see LiveRisk). Null when there is no score: no density (camera not calibrated, or
   * analytics off; the reason is in the metrics row's metadata.risk). Absent from producers that predate it.
   */
  risk?: LiveRisk | null;
}

/** One second of a camera's risk score (compact). */
export interface LiveRisk {
  /** 0-100 risk score of the second. */
  score: number;
  /** The camera's level after hysteresis/dwell (not simply the score's band). */
  level: RiskLevel;
  /** True when a weighted term was missing: the score is then a lower bound (see reason). */
  partial: boolean;
  reason?: string;
  /** Points each term contributed (weighted terms only). */
  components: Array<{ term: string; points: number }>;
  /** Forecast mean density, people/m², 120 s and 300 s ahead (absent until enough history). */
  forecast?: { in120s: number; in300s: number };
  /** Seconds until the density trend drives the score to CRITICAL (absent when not within 120 s). */
  earlyWarningInS?: number;
}

/** Fruin level of service, A (free) to F (breakdown). */
export type LiveLevelOfService = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

/**
 * One second of a camera's crowd analytics (compact, bounded: at most 64 zones and 64 lines). Metre-based fields
 * are null when unavailable (status 'off', or a manual calibration for speeds/pressure/direction).
 */
export interface LiveAnalytics {
  /** 'on': computed; 'off': the stored calibration/layout is invalid (see reason), counting goes on without it. */
  status: 'on' | 'off';
  /** Why analytics is off, naming the offending field (e.g. "calibrationData.points[2]: ..."). */
  reason?: string;
  /** Calibration kind in use ('homography' | 'scale' | 'manual'); null when off. */
  calibration: string | null;
  /** True for scale and manual calibrations (no fitted ground homography). */
  approximate: boolean;
  /** Mean people per m² over the camera floor region during the second. */
  density: number | null;
  /** Mean ground speed of the tracked people, m/s (null: nobody with a valid velocity, or no ground mapping). */
  velocity: number | null;
  /** Density trend, people/m²/s (null until the surge window is filled). */
  surge: number | null;
  surgeLevel: 'none' | 'warning' | 'critical';
  /** Line crossings during the second, summed over the counting lines. */
  flowIn: number;
  flowOut: number;
  stillBand: RiskLevel | null;
  losWalkway: LiveLevelOfService | null;
  /** Share of moving people heading against the dominant direction, 0..1 (null: nobody moving / no ground). */
  counterFlowIndex: number | null;
  /** Circular variance of headings, 0 (aligned) .. 1 (chaotic) (null: nobody moving / no ground). */
  chaoticIndex: number | null;
  /** Maximum Helbing crowd pressure over the floor grid, 1/s² (null without ground mapping). */
  pressureMax: number | null;
  pressureCritical: boolean;
  stagnant: boolean;
  zones: Array<{
    id: string;
    name: string;
    count: number;
    density: number;
    utilisation: number | null;
    losWalkway: LiveLevelOfService;
    stillBand: RiskLevel;
  }>;
  lines: Array<{
    id: string;
    name: string;
    inTotal: number;
    outTotal: number;
    inPerMin: number;
    outPerMin: number;
    /** (in + out) per metre of width per minute over the flow window. */
    flowPerMPerMin: number;
    losFlow: LiveLevelOfService;
    bottleneck: boolean;
  }>;
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
