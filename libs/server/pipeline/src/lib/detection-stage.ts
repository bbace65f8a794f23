import type { CameraSchedulerHealth, DetectOptions, Detection, RawFrame } from '@crowdsafe/contracts';
import { DetectionScheduler, type DetectionSchedulerOptions, type ExaminedSlices, LOW_SCORE_FLOOR, PassBudgetAllocator, splitByConfidence } from '@crowdsafe/vision';

/** Scheduled detection of one camera (tiling 'scheduled', the default). */
export interface CameraSchedulingOptions {
  /** Slice refresh period target, seconds (SLICE_REFRESH_S). */
  refreshS: number;
  /** The process's allocator (shared by all its cameras); absent = a private one (each camera <= 2.5 x fps). */
  allocator?: PassBudgetAllocator;
  /** Planner / size-map tuning (tests, benches); defaults otherwise. */
  scheduler?: Omit<DetectionSchedulerOptions, 'fps' | 'refreshS' | 'budgetPerSecond'>;
  /**
   * BYTE: the detector is asked down to this score and detections below the camera's confidence go to the tracker's
   * second association only (split()); default LOW_SCORE_FLOOR (0.25); null = off (the detector runs at the camera's
   * confidence).
   */
  lowScoreFloor?: number | null;
}

/** The detect options and examined slices of one frame. */
export interface ScheduledFrame {
  detect: DetectOptions;
  examined: ExaminedSlices;
  /** The camera's own confidence when the detector was asked lower (BYTE floor); split() cuts there. */
  confidence?: number;
}

/**
 * The camera runtime's edge to its DetectionScheduler: asks the process's PassBudgetAllocator for passes (demand =
 * fps + planned slices / refresh), turns the scheduler's choice into DetectOptions.slices, feeds detections back into
 * the person-size map, and reports the scheduler in the camera's health. One per camera, owned by the runtime.
 */
export class CameraScheduling {
  private readonly scheduler: DetectionScheduler;
  private readonly allocator: PassBudgetAllocator;
  private readonly lowScoreFloor: number | null;

  constructor(
    private readonly cameraId: string,
    fps: number,
    opts: CameraSchedulingOptions,
  ) {
    this.allocator = opts.allocator ?? new PassBudgetAllocator();
    const floor = opts.lowScoreFloor === undefined ? LOW_SCORE_FLOOR : opts.lowScoreFloor;
    if (floor !== null && !(floor >= 0 && floor <= 1)) throw new RangeError(`lowScoreFloor must be in [0, 1] or null, got ${floor}`);
    this.lowScoreFloor = floor;
    const budget = this.allocator.request(cameraId, { fps, wanted: fps });
    this.scheduler = new DetectionScheduler({ ...opts.scheduler, fps, refreshS: opts.refreshS, budgetPerSecond: budget });
  }

  /** Slices for this frame, with the camera's detection options. */
  next(frame: RawFrame, base: DetectOptions): ScheduledFrame {
    this.scheduler.setBudget(this.allocator.request(this.cameraId, { fps: this.scheduler.fps, wanted: this.scheduler.wantedPerSecond() }));
    const s = this.scheduler.next({ width: frame.width, height: frame.height, capturedAt: frame.capturedAt });
    const { tiling: _ignored, ...rest } = base;
    const conf = base.confidence;
    const lowered = this.lowScoreFloor !== null && conf !== undefined && conf > this.lowScoreFloor;
    return {
      detect: { ...rest, ...(lowered ? { confidence: this.lowScoreFloor as number } : {}), slices: s.slices.map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })) },
      examined: { slices: s.slices, holdFrames: s.holdFrames, planned: s.planned },
      ...(lowered ? { confidence: conf } : {}),
    };
  }

  /**
   * The frame's detections as the camera reports them (score >= its confidence) and its examined slices with the
   * low-score ones attached for the tracker's second association (ExaminedSlices.lowScore).
   */
  split(plan: ScheduledFrame, detections: readonly Detection[]): { detections: Detection[]; examined: ExaminedSlices } {
    const s = splitByConfidence(detections, plan.confidence);
    return { detections: s.detections, examined: s.lowScore.length ? { ...plan.examined, lowScore: s.lowScore } : plan.examined };
  }

  observe(detections: readonly Detection[]): void {
    this.scheduler.observe(detections);
  }

  health(): CameraSchedulerHealth {
    const s = this.scheduler.status();
    return {
      mode: s.mode,
      budgetPerSecond: s.budgetPerSecond,
      passesPerSecond: s.passesPerSecond,
      passesPerFrame: s.passesPerFrame,
      plannedSlices: s.plannedSlices,
      slicesPerFrame: s.slicesPerFrame,
      refreshS: s.refreshS,
      targetRefreshS: s.targetRefreshS,
      sizeMapSamples: s.sizeMapSamples,
      // The process-wide shortfall (global passes do not fit: lower frame rates) first, then the camera's own.
      reason: [this.allocator.status(this.cameraId).reason, s.reason].filter((r) => r !== null).join('; ') || null,
    };
  }

  /** Gives the camera's share back to the other cameras. */
  release(): void {
    this.allocator.release(this.cameraId);
  }
}
