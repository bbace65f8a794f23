// The options of a CameraRuntime and what it reports of its last processed frame.
import type { CountEstimate, DetectOptions, Detection, TrackedPerson } from '@crowdsafe/contracts';
import type { CameraAlertingOptions, CameraAnalyticsInput, CameraCountingOptions, CameraDensityOptions, CameraSchedulingOptions } from '@crowdsafe/pipeline';
import type { AnnotationSettings } from './annotation';

export interface CameraRuntimeOptions {
  cameraId: string;
  frameQueueSize: number;
  frameMaxAgeMs: number;
  /**
   * A live source (RTSP/HTTP/device, not a file): inference takes the NEWEST queued frame and drops the older ones
   * (counted in droppedFrames), so that counts, tracks and alerts are about now, not about a backlog. Files keep the
   * FIFO: every frame in order while the queue keeps up. Default false.
   */
  sourceIsLive?: boolean;
  /** Live-view frame rate cap (frames encoded per second while watched). Default: the counting fps. */
  liveFps?: number;
  detect: DetectOptions;
  /** Seconds are closed (aggregated and published) this long after they end, to let in-flight frames land. */
  metricsLatenessMs?: number;
  /** Tracking-based counting (see PeopleCounter). Default: 5 fps, whole frame, default tracker parameters. */
  counting?: CameraCountingOptions;
  /** Density-model cadence (used when deps.countDensity is given). */
  density?: CameraDensityOptions;
  /** Crowd analytics in real units (see analytics-setup.ts in libs/server/pipeline). */
  analytics?: CameraAnalyticsInput;
  /** Without a calibration, estimate an approximate one from people's heights. Default true. */
  autoCalibration?: boolean;
  /** The camera's risk settings (settings.risk). Omitted = DEFAULT_RISK_CONFIG; invalid = the defaults, warned. */
  risk?: unknown;
  /** True when `risk` is the camera record's own settings.risk (the settings API's changes then leave it alone). */
  ownRisk?: boolean;
  /** Alert engine options (cooldown, all-clear delay, thresholds, id factory) and the snapshot JPEG size. */
  alerting?: CameraAlertingOptions;
  /** Spec 6.4 annotation of the MJPEG overlay and alert snapshots (settings.annotation; default DEFAULT_ANNOTATION). */
  annotation?: AnnotationSettings;
  /** Scheduled detection (detect.tiling 'scheduled' or unset). Omitted = refresh 1 s, a private budget. */
  scheduling?: CameraSchedulingOptions;
}

export interface CameraSnapshot {
  count: number | null;
  countAt: number | null;
  detections: Detection[];
  /** The last frame's count with its method and range (null before the first processed frame). */
  estimate?: CountEstimate | null;
  /** Confirmed tracks of the last processed frame, source-frame pixels. */
  tracks?: TrackedPerson[];
}
