// The pure per-camera pipeline: detection plan -> tracking -> density fusion -> per-frame analytics -> second
// accumulator -> risk (-> alerting, fed by the runtime with the camera's status). No I/O, no clock: the caller
// passes frames, detections and times, and hands the results to its ports.
import type { AlertEngineOptions } from '@crowdsafe/alerting';
import type { CountEstimate, DetectOptions, Detection, RawFrame, RiskLevel, TrackedPerson } from '@crowdsafe/contracts';
import { type ExaminedSlices, PersonSizeSamples, type RoiPolygon } from '@crowdsafe/vision';
import type { CameraAnalyticsInput } from './analytics-setup';
import { AlertingStage } from './alerting-stage';
import { type CameraDensityOptions, DensityStage } from './density-stage';
import { CameraScheduling, type CameraSchedulingOptions } from './detection-stage';
import { type FrameCrossing, FrameAnalyticsStage } from './frame-analytics-stage';
import { CameraRisk } from './risk-stage';
import { SecondAccumulator } from './second-accumulator';
import type { SecondResult } from './second-result';
import { type CameraCountingOptions, DEFAULT_COUNTING_FPS, TrackingStage } from './tracking-stage';

export interface CameraPipelineOptions {
  cameraId: string;
  detect: DetectOptions;
  /** Tracking-based counting (see PeopleCounter). Default: 5 fps, whole frame, default tracker parameters. */
  counting?: CameraCountingOptions;
  /** Density-model cadence; null/omitted = no density model. */
  density?: CameraDensityOptions | null;
  /** Crowd analytics in real units (see analytics-setup.ts). Omitted or no calibration = counting only. */
  analytics?: CameraAnalyticsInput;
  /** Zero-configuration calibration of uncalibrated cameras from people's heights. Default true. */
  autoCalibration?: boolean;
  /** settings.risk (RiskSettings). Omitted = the defaults; invalid = the defaults, warned. */
  risk?: unknown;
  /** The alert engine's options; null/omitted = no alerting stage. */
  alerting?: AlertEngineOptions | null;
  /** Scheduled detection (detect.tiling 'scheduled' or unset). Omitted = refresh 1 s, a private budget. */
  scheduling?: CameraSchedulingOptions;
  /** Keep recent person sizes for the density census (only when a density model runs). */
  collectPersonSizes?: boolean;
  /** Clock for the risk settings' schedules at construction (epoch ms). */
  nowMs: number;
  warn?: (message: string) => void;
}

/** The detect options of one frame, with the slices the scheduler examined (none unless scheduled). */
export interface FramePlan {
  detect: DetectOptions;
  examined?: ExaminedSlices;
  /** The camera's confidence when the detector was asked lower (scheduled detection's low-score floor): see accept(). */
  confidence?: number;
}

/** What one processed frame yields. */
export interface FrameResult {
  estimate: CountEstimate;
  tracks: TrackedPerson[];
  /** Counting-line crossings of this frame (tracker ids). */
  crossings: FrameCrossing[];
}

export class CameraPipeline {
  readonly countingFps: number;
  readonly roi: RoiPolygon | null;
  readonly detection: CameraScheduling | null;
  readonly tracking: TrackingStage;
  readonly density: DensityStage;
  readonly analytics: FrameAnalyticsStage;
  readonly risk: CameraRisk;
  /** Null without alerting. */
  readonly alerting: AlertingStage | null;
  /** Recent person sizes (bounded ring) for the density census's input scale. */
  readonly personSizes = new PersonSizeSamples();
  private readonly seconds: SecondAccumulator;
  private readonly collectPersonSizes: boolean;
  /** The tracked risk level of the last closed second (null: none / no density). */
  private riskLevelNow: RiskLevel | null = null;

  constructor(private readonly options: CameraPipelineOptions) {
    const { cameraId, warn } = options;
    const counting = options.counting ?? { fps: DEFAULT_COUNTING_FPS };
    this.countingFps = counting.fps;
    this.roi = counting.roi ?? null;
    const scheduled = (options.detect.tiling ?? 'scheduled') === 'scheduled';
    const refreshS = options.scheduling?.refreshS ?? 1;
    this.detection = scheduled ? new CameraScheduling(cameraId, counting.fps, { ...options.scheduling, refreshS }) : null;
    this.tracking = new TrackingStage(counting, {
      // A person seen only by a slice must outlive the refresh period as a track (see SliceCarry).
      ...(scheduled ? { trackBufferS: Math.max(1, refreshS) } : {}),
      detectionMethod: options.detect.tiling === 'on' ? 'tiled-detection' : 'detection',
    });
    this.density = new DensityStage(options.density ?? null, this.roi);
    this.collectPersonSizes = options.collectPersonSizes ?? false;
    this.analytics = new FrameAnalyticsStage(cameraId, options.analytics ?? {}, options.autoCalibration !== false, warn);
    this.seconds = new SecondAccumulator(counting.fps);
    this.risk = new CameraRisk(cameraId, options.risk, warn, new Date(options.nowMs));
    this.alerting = options.alerting ? new AlertingStage(cameraId, options.alerting, warn) : null;
  }

  get riskLevel(): RiskLevel | null {
    return this.riskLevelNow;
  }

  /** The detect options (and scheduled slices) of the next frame to infer. */
  plan(frame: RawFrame): FramePlan {
    const plan = this.detection?.next(frame, this.options.detect);
    return plan ? { detect: plan.detect, examined: plan.examined, confidence: plan.confidence } : { detect: this.options.detect };
  }

  /**
   * The detector's output for a planned frame as the camera reports it: with scheduled detection's low-score floor,
   * detections below the camera's confidence are moved into `examined.lowScore` (tracker only); otherwise unchanged.
   */
  accept(plan: FramePlan, detections: Detection[]): { detections: Detection[]; examined?: ExaminedSlices } {
    if (!this.detection || !plan.examined) return { detections, examined: plan.examined };
    return this.detection.split({ detect: plan.detect, examined: plan.examined, confidence: plan.confidence }, detections);
  }

  /** False when a frame captured then would be ignored: its second is already closed. */
  accepts(capturedAt: number): boolean {
    return this.seconds.accepts(capturedAt);
  }

  /** The stream broke (restart, reconnect, end): the next frame starts a new track set. */
  streamBroke(): void {
    this.tracking.streamBroke();
  }

  /** One processed frame: track, fuse the density estimate, analyse, accumulate into its second. */
  frame(frame: RawFrame, detections: readonly Detection[], examined?: ExaminedSlices): FrameResult {
    this.detection?.observe(detections);
    const t = this.tracking.track(frame, detections, examined);
    if (t.reset) this.analytics.trackerReset();
    const estimate = this.density.estimateFor(t.count, frame.capturedAt);
    const step = this.analytics.analyze(frame, t.tracks, t.warmUp);
    this.seconds.add({ capturedAt: frame.capturedAt, estimate, densityCount: this.density.fusedCount(estimate), tracks: t.tracks, analytics: step });
    if (this.collectPersonSizes) this.personSizes.add(t.tracks);
    return { estimate, tracks: t.tracks, crossings: step?.crossings ?? [] };
  }

  /** Closes the seconds that ended `latenessMs` before `nowMs` (Infinity: all), with their analytics and risk. */
  close(nowMs: number, latenessMs: number): SecondResult[] {
    return this.seconds.close(nowMs, latenessMs).map((c) => {
      const analytics = this.analytics.secondAnalytics(c.analytics);
      const risk = this.risk.second(c.time, analytics);
      this.riskLevelNow = risk.riskLevel;
      return { ...c, cameraId: this.options.cameraId, analytics, risk };
    });
  }

  /** Gives the camera's detection budget back to the other cameras. */
  release(): void {
    this.detection?.release();
  }
}
