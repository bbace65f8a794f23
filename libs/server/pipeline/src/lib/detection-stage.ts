import type { CameraSchedulerHealth, DetectOptions, Detection, RawFrame } from '@crowdsafe/contracts';
import { acceptSliceFinds, DetectionScheduler, type SliceRect, type DetectionSchedulerOptions, type ExaminedSlices, LOW_SCORE_FLOOR, PassBudgetAllocator, SLICE_FIND_CONFIDENCE, splitByConfidence } from '@crowdsafe/vision';

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
  /**
   * Detections whose centre lies in a slice run on this frame are reported from this score (acceptSliceFinds), the
   * global pass's from the camera's confidence; default SLICE_FIND_CONFIDENCE (0.25, the floor); null = the camera's
   * confidence everywhere. Only below the camera's confidence and with the floor on.
   */
  sliceFindConfidence?: number | null;
}

/** The detect options and examined slices of one frame. */
export interface ScheduledFrame {
  detect: DetectOptions;
  examined: ExaminedSlices;
  /** The camera's own confidence when the detector was asked lower (BYTE floor); split() cuts there. */
  confidence?: number;
  /**
   * The slices run on this frame that magnify people at least SLICE_FIND_MIN_ZOOM x the global pass: their finds are
   * reported from sliceFindConfidence (split()).
   */
  zoomedSlices?: readonly SliceRect[];
}

/**
 * A slice's finds are reported from sliceFindConfidence only when it shows people at least this many times larger than
 * the global pass does (model input / slice side over model input / frame side): far people seen small by the global
 * pass and 2-3x larger by a 1:1 slice (hall 1280x720: 2x, 1080p: 3x). On an eye-level 640x480 camera (TUD-Campus) the
 * planned slices are 480 px (1.33x) and their 0.25-0.5 finds were mostly partial people and clutter (IDF1 at 5 fps
 * 0.766 -> 0.733 when they counted).
 */
export const SLICE_FIND_MIN_ZOOM = 1.5;

/**
 * The camera runtime's edge to its DetectionScheduler: asks the process's PassBudgetAllocator for passes (demand =
 * fps + planned slices / refresh), turns the scheduler's choice into DetectOptions.slices, feeds detections back into
 * the person-size map, and reports the scheduler in the camera's health. One per camera, owned by the runtime.
 */
export class CameraScheduling {
  private readonly scheduler: DetectionScheduler;
  private readonly allocator: PassBudgetAllocator;
  private readonly lowScoreFloor: number | null;
  private readonly sliceFindConfidence: number | null;
  private readonly inputSize: number;

  constructor(
    private readonly cameraId: string,
    fps: number,
    opts: CameraSchedulingOptions,
  ) {
    this.allocator = opts.allocator ?? new PassBudgetAllocator();
    const floor = opts.lowScoreFloor === undefined ? LOW_SCORE_FLOOR : opts.lowScoreFloor;
    if (floor !== null && !(floor >= 0 && floor <= 1)) throw new RangeError(`lowScoreFloor must be in [0, 1] or null, got ${floor}`);
    this.lowScoreFloor = floor;
    const sliceConf = opts.sliceFindConfidence === undefined ? SLICE_FIND_CONFIDENCE : opts.sliceFindConfidence;
    if (sliceConf !== null && !(sliceConf >= 0 && sliceConf <= 1)) throw new RangeError(`sliceFindConfidence must be in [0, 1] or null, got ${sliceConf}`);
    this.sliceFindConfidence = sliceConf;
    this.inputSize = opts.scheduler?.inputSize ?? 640;
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
      zoomedSlices: zoomedSlices(s.slices, frame, this.inputSize),
      ...(lowered ? { confidence: conf } : {}),
    };
  }

  /**
   * The frame's detections as the camera reports them (score >= its confidence) and its examined slices with the
   * low-score ones attached for the tracker's second association (ExaminedSlices.lowScore).
   */
  split(plan: ScheduledFrame, detections: readonly Detection[]): { detections: Detection[]; examined: ExaminedSlices } {
    const s = acceptSliceFinds(splitByConfidence(detections, plan.confidence), plan.zoomedSlices ?? [], this.sliceFindConfidence ?? undefined);
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

/** The slices that show people at least SLICE_FIND_MIN_ZOOM x larger than the global pass (letterboxed frame). Pure. */
export function zoomedSlices(slices: readonly SliceRect[], frame: { width: number; height: number }, inputSize: number): SliceRect[] {
  const globalScale = Math.min(inputSize / frame.width, inputSize / frame.height);
  return slices.filter((r) => Math.min(inputSize / r.width, inputSize / r.height) >= SLICE_FIND_MIN_ZOOM * globalScale);
}
