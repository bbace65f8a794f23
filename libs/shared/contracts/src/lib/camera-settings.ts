import type { TilingMode } from './detections';

// A camera's stored configuration besides its source: `settings` (detection, analytics lines, risk override,
// annotation, recording), `calibrationData` and `zones`. The server validates them once (the camera API's DTOs,
// then parseCameraSettings / the analytics lib for geometry); the console uses the generated client's copies.

/** [x, y]: image pixels (zones, lines, calibration) or fractions of the frame (detection ROI). */
export type CameraVec2 = [number, number];

/** Per-camera detection settings (`settings.detection`); omitted fields take the global config. */
export interface DetectionSettings {
  /** Minimum detection confidence, 0.01..1 (default DETECT_CONFIDENCE). */
  confidence?: number;
  /** NMS IoU threshold, 0.01..1 (default NMS_IOU). */
  iou?: number;
  /** Maximum detections per frame after NMS, integer 1..10000 (default MAX_DETECTIONS). */
  maxDetections?: number;
  tiling?: TilingMode;
  /** Counting region: 3..64 [x, y] points normalised to the frame (0..1); omitted or null = the whole frame. */
  roi?: CameraVec2[] | null;
  /** Global motion compensation for the tracker (default 'off'). */
  gmc?: 'off' | 'sparseOptFlow';
}

export const DETECTION_SETTINGS_LIMITS = { unitMin: 0.01, unitMax: 1, maxDetectionsMax: 10_000, roiMin: 3, roiMax: 64 } as const;
export const TILING_MODES: readonly TilingMode[] = ['off', 'on', 'auto', 'scheduled'];
export const GMC_MODES: readonly NonNullable<DetectionSettings['gmc']>[] = ['off', 'sparseOptFlow'];

/** A counting line drawn on the camera image (`settings.analytics.lines[]`). */
export interface CameraCountingLine {
  id: string;
  name: string;
  /** Endpoints, image pixels of the calibration frame. */
  a: CameraVec2;
  b: CameraVec2;
  /** Crossings towards this side of a->b (as seen on screen) count as "in". */
  inDirection: 'left' | 'right';
  /** Clear width of the passage, metres. */
  widthM: number;
}

/** `settings.analytics`. */
export interface AnalyticsSettings {
  lines?: CameraCountingLine[];
}

/** `settings.annotation` (live overlay and alert snapshots); omitted fields take the defaults. */
export interface AnnotationSettingsInput {
  /** Boxes coloured by the risk level (default true). */
  riskColors?: boolean;
  /** Confidence labels (default false). */
  confidence?: boolean;
  /** Direction arrows (default true). */
  arrows?: boolean;
}

/** `settings.recording`. */
export interface RecordingSettings {
  /** Continuous recording of this camera (default RECORDINGS_CONTINUOUS). */
  continuous?: boolean;
}

/** A partial risk config (the risk lib's RiskConfigPatch). `weights`, when given, must be complete. */
export interface RiskConfigPatchInput {
  weights?: { density: number; surge: number; velocity: number; pressure: number; counterFlow: number };
  thresholds?: { caution?: number; warning?: number; critical?: number };
  references?: Record<string, number>;
  hysteresis?: Record<string, number>;
}

export interface RiskScheduleInput {
  name: string;
  days: number[];
  from: string;
  to: string;
  cameras?: string[];
  profile?: string;
  overrides?: RiskConfigPatchInput;
}

/**
 * `settings.risk`: the camera's own risk settings (the risk lib's RiskSettings, every part optional), replacing the
 * global ones of the settings API for this camera. Admin only; validated by validateRiskConfig.
 */
export interface CameraRiskOverride {
  timeZone?: string;
  defaults?: RiskConfigPatchInput;
  profiles?: Record<string, RiskConfigPatchInput>;
  cameras?: Record<string, { profile?: string; overrides?: RiskConfigPatchInput }>;
  schedules?: RiskScheduleInput[];
}

/** `CameraRecord.settings`: every part optional (`{}` = all defaults). */
export interface CameraSettings {
  detection?: DetectionSettings;
  analytics?: AnalyticsSettings;
  risk?: CameraRiskOverride;
  annotation?: AnnotationSettingsInput;
  recording?: RecordingSettings;
}

export const CAMERA_SETTINGS_KEYS: readonly (keyof CameraSettings)[] = ['detection', 'analytics', 'risk', 'annotation', 'recording'];

/** A monitored area drawn on the camera image (`CameraRecord.zones[]`). */
export interface CameraZone {
  id: string;
  name: string;
  /** >= 3 vertices, image pixels of the calibration frame. */
  polygon: CameraVec2[];
  /** Safe occupancy, people. */
  capacity?: number;
  /** Surveyed floor area, m² (overrides the calibrated one). */
  areaM2?: number;
}

export interface CameraFrameSize {
  width: number;
  height: number;
}

export interface CameraCalibrationPoint {
  image: CameraVec2;
  world: CameraVec2;
}

/** Raw calibration inputs: `frame` plus one of `points` (homography, >= 4), `scale` or `manual`. */
export interface CalibrationInputs {
  frame?: CameraFrameSize;
  floorPolygon?: CameraVec2[];
  points?: CameraCalibrationPoint[];
  scale?: { a: CameraVec2; b: CameraVec2; distanceM: number };
  manual?: { floorAreaM2: number };
}

/**
 * `CameraRecord.calibrationData`: either raw inputs or a stored Calibration (`kind`, `imageToGround`, ...) as the
 * analytics lib produces it, optionally with the raw `input` it came from.
 */
export interface CalibrationData extends CalibrationInputs {
  input?: CalibrationInputs;
  kind?: 'homography' | 'scale' | 'manual';
  approximate?: boolean;
  imageToGround?: number[] | null;
  groundToImage?: number[] | null;
  floorAreaM2?: number;
  rmsErrorPx?: number;
  rmsErrorM?: number;
  maxErrorPx?: number;
  maxErrorM?: number;
  pointCount?: number;
  warnings?: string[];
}
