import type { ReportProgressEvent } from './reports';
import type { CameraHealth, CameraStatus } from './camera';
import type { CountMethod, Detection, TrackedPerson } from './detections';
import type { RecordingStatusEvent, RecordingStorageEvent } from './recordings';
import type { AlertChannel, AlertStatus, RiskLevel } from './roles';
import type { GetMetricsAck, SpecCameraRequest, SystemNotificationEvent } from './spec-events';

/** WebSocket (socket.io) event names. Clients join a camera's room with `subscribe`. */
export const WsEvent = {
  MetricsUpdate: 'metrics_update',
  Frame: 'frame',
  CameraStatus: 'camera_status',
  Subscribe: 'subscribe',
  Unsubscribe: 'unsubscribe',
  WatchFrames: 'watch_frames',
  // ---- alerts (sent to every connected client) ----
  Alert: 'alert',
  AcknowledgeAlert: 'acknowledge_alert',
  // ---- the spec's names (libs/shared/contracts/src/lib/spec-events.ts) ----
  SubscribeCamera: 'subscribe_camera',
  UnsubscribeCamera: 'unsubscribe_camera',
  GetMetrics: 'get_metrics',
  SystemNotification: 'system_notification',
  RecordingStatus: 'recording_status',
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
  /**
   * Dominant movement direction of that second (image plane; computed with or without a calibration). Absent from
   * producers that predate it.
   */
  movement?: LiveMovement;
}

/** Compass word of a heading: 8 sectors of 45 degrees; N = image up, E = image right. */
export type CompassPoint = 'N' | 'NE' | 'E' | 'SE' | 'S' | 'SW' | 'W' | 'NW';

/**
 * One second's dominant movement direction, in the image plane: heading in degrees clockwise from image up
 * (0 = up/N, 90 = right/E, 180 = down/S, 270 = left/W). A calibration carries no north, so N always means image up.
 */
export interface LiveMovement {
  /** [0, 360), 0.1 degree; null when people stand still, fewer than 3 move, or movement is chaotic (coherence < 0.5). */
  headingDeg: number | null;
  compass: CompassPoint | null;
  /** How aligned the movers are: |mean unit heading|, 0 (chaotic / opposed) .. 1 (all the same way). */
  coherence: number;
  /** Moving track samples (track x frame) in the second (moving: >= 0.15 of its box height per second). */
  movingSamples: number;
  /** All track samples in the second. */
  samples: number;
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
  /**
   * Forecast mean density, people/m², 120 s and 300 s ahead (absent until enough history), with its 95 % prediction
   * interval `[lower, upper]` per horizon (absent from producers that predate it).
   */
  forecast?: { in120s: number; in300s: number; interval120s?: [number, number]; interval300s?: [number, number] };
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
  /** True for scale and manual calibrations (no fitted ground homography) and for automatic ones. */
  approximate: boolean;
  /**
   * 'calibrated': the operator's calibration; 'approximate': estimated automatically from people's heights
   * (1.7 m assumed) because the camera has none, until the operator calibrates. Absent from older producers.
   */
  calibrationSource?: 'calibrated' | 'approximate';
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

/**
 * A live frame: the newest decoded frame as JPEG bytes (encoded before detection, so it never waits for inference)
 * plus the overlay data of the latest PROCESSED frame, which is usually a little older (`overlayAgeMs`).
 */
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
  /** The count of the overlay's frame. */
  count: number;
  /** Capture time (ms epoch) of the processed frame the overlay (detections, tracks, count) comes from; absent before the first one. */
  overlayCapturedAt?: number;
  /** capturedAt - overlayCapturedAt: how far the overlay lags the picture (boxes are left out when it exceeds FRAME_MAX_AGE_MS). */
  overlayAgeMs?: number;
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
  alert: (e: AlertLiveEvent) => void;
  system_notification: (e: SystemNotificationEvent) => void;
  recording_status: (e: RecordingStatusEvent) => void;
  recording_storage: (e: RecordingStorageEvent) => void;
  report_progress: (e: ReportProgressEvent) => void;
}

export interface ClientToServerEvents {
  subscribe: (req: SubscribeRequest, ack?: (a: SubscribeAck) => void) => void;
  unsubscribe: (req: SubscribeRequest, ack?: (a: SubscribeAck) => void) => void;
  watch_frames: (req: WatchFramesRequest, ack?: (a: SubscribeAck) => void) => void;
  acknowledge_alert: (req: AcknowledgeAlertRequest, ack?: (a: AlertCommandAck) => void) => void;
  subscribe_camera: (req: SpecCameraRequest, ack?: (a: SubscribeAck) => void) => void;
  unsubscribe_camera: (req: SpecCameraRequest, ack?: (a: SubscribeAck) => void) => void;
  get_metrics: (req: SpecCameraRequest, ack?: (a: GetMetricsAck) => void) => void;
}

// ---- alerts ---------------------------------------------------------------------------------------------------

/** What happened to the alert: opened, updated (dashboard only), escalated, acknowledged, resolved, all_clear. */
export type AlertEventKind = 'opened' | 'updated' | 'escalated' | 'acknowledged' | 'resolved' | 'all_clear';

/** An alert as the API and the `alert` event show it. Times ISO 8601. */
export interface AlertView {
  id: string;
  cameraId: string;
  /** risk_level | surge | stagnation | capacity | camera_offline | system_error */
  condition: string;
  /** Highest level reached. */
  level: RiskLevel;
  status: AlertStatus;
  message: string;
  metricsSnapshot: Record<string, string | number | boolean | null>;
  /** Channels actually reached so far ('dashboard' once published; others when a delivery succeeded). */
  channelsNotified: AlertChannel[];
  escalationLevel: number;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  /** Trigger (or last escalation) to acknowledgement, ms; null until acknowledged. */
  responseTimeMs: number | null;
  /** A user id, 'system' (all-clear / server restart) or null. */
  resolvedBy: string | null;
  resolvedAt: string | null;
  notes: string | null;
  /** True when an annotated snapshot of the triggering frame exists (GET /api/alerts/:id/snapshot). */
  hasSnapshot: boolean;
  createdAt: string;
  updatedAt: string;
}

/** `alert`: every alert lifecycle change, broadcast to every connected client. */
export interface AlertLiveEvent {
  type: AlertEventKind;
  /** When it happened, ISO 8601. */
  at: string;
  alert: AlertView;
  /** The level before (escalated, or updated on a level change). */
  previousLevel?: RiskLevel;
  /** Level of the latest trigger (may be below alert.level after a partial de-escalation). */
  currentLevel: RiskLevel;
  /** Channels this event is routed to ('dashboard' = this event). */
  channels: AlertChannel[];
}

export interface AcknowledgeAlertRequest {
  alertId: string;
  /** Optional note (at most 2000 characters). */
  notes?: string;
}

/** Answer to `acknowledge_alert`. */
export interface AlertCommandAck {
  ok: boolean;
  error?: string;
}
