// The one shape of a closed second, and the pure mappers from it to the metrics row, the `metrics_update` event and
// the alert engine's input. Missing values are null everywhere in the pipeline; the alert input alone turns them
// into NaN (the alert engine's "unknown"), here and nowhere else.
import type { MetricsUpdate } from '@crowdsafe/alerting';
import type { CameraHealth, CameraStatus, LiveAnalytics, LiveMovement, MetricsUpdateEvent, RiskLevel } from '@crowdsafe/contracts';
import { metadataOf, metricColumnsOf } from './analytics-setup';
import type { ClosedSecond } from './second-accumulator';
import type { CameraRiskSecond } from './risk-stage';
import { UNCALIBRATED_REASON } from './frame-analytics-stage';

/** A closed second of one camera: counts, method and range, analytics, movement and risk. */
export interface SecondResult extends Omit<ClosedSecond, 'analytics'> {
  cameraId: string;
  /** Compact analytics (null: uncalibrated; status 'off' with the reason when disabled). */
  analytics: LiveAnalytics | null;
  risk: CameraRiskSecond;
}

/** One per-second metrics row (a MetricRecord): real-unit and risk columns are null without analytics. */
export interface CameraMetricsRow {
  cameraId: string;
  time: Date;
  count: number;
  countMax: number;
  density?: number | null;
  velocity?: number | null;
  surge?: number | null;
  flowIn?: number | null;
  flowOut?: number | null;
  /** Risk score 0-100 of the second (null: no density). */
  riskScore?: number | null;
  /** The camera's tracked level (hysteresis/dwell) after this second (null: no density). */
  riskLevel?: RiskLevel | null;
  /** Dominant movement direction, degrees clockwise from image up (null: none); details in metadata.movement. */
  heading?: number | null;
  metadata: Record<string, unknown>;
}

/** The row's metadata.movement (compact). */
export function movementMetadataOf(m: LiveMovement): Record<string, unknown> {
  return { headingDeg: m.headingDeg, compass: m.compass, coherence: m.coherence, moving: m.movingSamples, samples: m.samples };
}

/** The metrics row of a closed second; `health` is the camera's at the time the second closed. */
export function metricsRowOf(s: SecondResult, health: Pick<CameraHealth, 'fpsIn' | 'droppedFrames'>): CameraMetricsRow {
  return {
    cameraId: s.cameraId,
    time: s.time,
    count: s.count,
    countMax: s.countMax,
    ...metricColumnsOf(s.analytics),
    riskScore: s.risk.riskScore,
    riskLevel: s.risk.riskLevel,
    heading: s.movement.headingDeg,
    metadata: {
      countMin: s.countMin,
      frames: s.frames,
      method: s.method,
      low: s.low,
      high: s.high,
      ...(s.densityCount === null ? {} : { densityCount: s.densityCount }),
      fpsIn: health.fpsIn,
      dropped: health.droppedFrames,
      analytics: metadataOf(s.analytics, UNCALIBRATED_REASON),
      risk: s.risk.metadata,
      movement: movementMetadataOf(s.movement),
    },
  };
}

/** The `metrics_update` event of the latest closed second. */
export function metricsUpdateEventOf(s: SecondResult, health: CameraHealth): MetricsUpdateEvent {
  return {
    cameraId: s.cameraId,
    time: s.time.toISOString(),
    count: s.count,
    countMax: s.countMax,
    countMethod: s.method,
    frames: s.frames,
    health,
    analytics: s.analytics,
    risk: s.risk.live,
    movement: s.movement,
  };
}

/** What the alert input needs besides the second: the camera's state when it closed. */
export interface AlertContext {
  cameraId: string;
  cameraStatus: CameraStatus;
  /** The camera's safe occupancy (null: unknown). */
  capacity: number | null;
  /** A pipeline failure worth an alert (null: none). */
  systemError: string | null;
}

/** Missing (null) -> the alert engine's unknown (NaN). */
const orNaN = (v: number | null | undefined): number => (v === null || v === undefined ? Number.NaN : v);

/**
 * The alert engine's input. `second` null = a status-only update (no closed second): metric conditions unknown,
 * status and errors still count.
 */
export function alertInputOf(at: number, second: SecondResult | null, ctx: AlertContext): MetricsUpdate {
  const on = second?.analytics?.status === 'on' ? second.analytics : null;
  return {
    cameraId: ctx.cameraId,
    at,
    level: second?.risk.riskLevel ?? null,
    score: orNaN(second?.risk.riskScore),
    density: orNaN(on?.density),
    surge: orNaN(on?.surge),
    velocity: orNaN(on?.velocity),
    count: orNaN(second?.count),
    capacity: ctx.capacity,
    cameraStatus: ctx.cameraStatus,
    systemError: ctx.systemError,
    ...(second ? { earlyWarningInS: second.risk.live?.earlyWarningInS ?? null } : {}),
  };
}
