import type { Detection } from '@crowdsafe/contracts';
import type { TileRegion } from '../tiling/tile-plan';
import { PersonSizeMap, type PersonSizeMapOptions } from './person-size-map';
import { planSlices, type SlicePlan, type SlicePlannerOptions } from './slice-planner';

export interface DetectionSchedulerOptions {
  /** Target processing rate, frames per second (the camera's counting fps). */
  fps: number;
  /** Every planned slice is re-examined at least this often, seconds, when the budget allows (default 1). */
  refreshS?: number;
  /** Model input side (default 640). */
  inputSize?: number;
  planner?: Omit<SlicePlannerOptions, 'inputSize'>;
  sizeMap?: Omit<PersonSizeMapOptions, 'frameWidth' | 'frameHeight'>;
  /** The plan is recomputed from the size map this often, seconds of frame time (default 2). */
  replanS?: number;
  /**
   * Model passes per second for this camera (global passes included); default maxRatio x fps of PassBudgetAllocator
   * (2.5 x fps). Live cameras get it from the process's allocator (setBudget).
   */
  budgetPerSecond?: number;
}

/** The passes to run on one frame: the global pass (always) plus `slices`. */
export interface FrameSchedule {
  /** Slices to run on this frame (source pixels), in rotation order. */
  slices: TileRegion[];
  /** Every slice of the current plan (what "examined at least every refresh period" refers to). */
  planned: readonly TileRegion[];
  /** Frames a person found in a slice may be carried until its slice is re-examined (achieved refresh, in frames). */
  holdFrames: number;
}

/** What the scheduler is doing, for the camera's health. */
export interface SchedulerStatus {
  /** 'map' (slices from the learnt person-size map) or 'fallback' (map not learnt: the whole frame is sliced). */
  mode: 'map' | 'fallback';
  /** Model passes per second granted to this camera. */
  budgetPerSecond: number;
  /** Model passes per second this camera would use with every slice refreshed on time. */
  wantedPerSecond: number;
  /** Model passes per processed frame, averaged over the last frames (1 = global pass only). */
  passesPerFrame: number;
  /** Model passes per second at the target fps (passesPerFrame x fps). */
  passesPerSecond: number;
  /** Slices in the plan. */
  plannedSlices: number;
  /** Slices run per frame, averaged over the last frames. */
  slicesPerFrame: number;
  /** Time to re-examine every planned slice at the granted budget, seconds (0 when there is nothing to slice). */
  refreshS: number;
  /** The configured refresh target, seconds. */
  targetRefreshS: number;
  /** Person-size map samples (decayed weight) and whether they are enough. */
  sizeMapSamples: number;
  /** Why the scheduler is not doing what it was asked (fallback or a short budget); null when all is as configured. */
  reason: string | null;
}

/** Frames the passes-per-frame average runs over. */
const WINDOW = 50;

/**
 * Per-camera detection scheduler (pure, no I/O): decides which model passes each processed frame gets.
 * - Every frame gets the global pass (tracking stays smooth at the camera's frame rate).
 * - Slices come from planSlices(person-size map): only where people are too small for the global pass, sized so
 *   they become detectable; the map learns online from every frame's detections (observe()).
 * - Slices are run in rotation, a fractional number per frame (a credit accumulator), using the camera's granted
 *   budget (so each is re-examined as often as the budget allows, and at least every `refreshS` when it allows that).
 *   When the budget is short the refresh period stretches (never the frame rate) and `status().reason` says so.
 * - Until the map is learnt (empty scene, start-up) the whole frame is sliced at the budget (mode 'fallback').
 */
export class DetectionScheduler {
  readonly fps: number;
  readonly targetRefreshS: number;
  private readonly inputSize: number;
  private readonly replanS: number;
  private readonly plannerOpts: Omit<SlicePlannerOptions, 'inputSize'>;
  private readonly sizeMapOpts: DetectionSchedulerOptions['sizeMap'];
  private map: PersonSizeMap | null = null;
  private plan: SlicePlan = { slices: [], mode: 'fallback', smallRows: null };
  private plannedAt = Number.NEGATIVE_INFINITY;
  private cursor = 0;
  private credit = 0;
  private lastAt: number | null = null;
  private budget: number;
  private readonly recentSlices: number[] = [];
  private recentSum = 0;

  constructor(opts: DetectionSchedulerOptions) {
    if (!(opts.fps > 0) || !Number.isFinite(opts.fps)) throw new RangeError(`fps must be a positive number, got ${opts.fps}`);
    const refresh = opts.refreshS ?? 1;
    if (!(refresh > 0) || !Number.isFinite(refresh)) throw new RangeError(`refreshS must be a positive number, got ${opts.refreshS}`);
    this.fps = opts.fps;
    this.targetRefreshS = refresh;
    this.inputSize = opts.inputSize ?? 640;
    this.replanS = opts.replanS ?? 2;
    this.plannerOpts = opts.planner ?? {};
    this.sizeMapOpts = opts.sizeMap;
    this.budget = opts.budgetPerSecond ?? 2.5 * opts.fps;
    if (!(this.budget > 0)) throw new RangeError(`budgetPerSecond must be positive, got ${opts.budgetPerSecond}`);
  }

  /** The person-size map (null before the first frame). */
  get sizeMap(): PersonSizeMap | null {
    return this.map;
  }

  /** Passes per second for this camera (from the process's PassBudgetAllocator). */
  setBudget(passesPerSecond: number): void {
    if (passesPerSecond > 0 && Number.isFinite(passesPerSecond)) this.budget = passesPerSecond;
  }

  /**
   * Passes per second this camera could use: fps global passes + every planned slice on every frame (the allocator
   * caps it at maxRatio x fps and shares the total).
   */
  wantedPerSecond(): number {
    return this.fps * (1 + this.plan.slices.length);
  }

  /**
   * Slice passes per second: the whole granted budget beyond the global passes (a slice refreshed more often than
   * refreshS leaves a far person less time to move between examinations), at most every slice on every frame.
   */
  private sliceRate(): number {
    return Math.max(0, Math.min(this.plan.slices.length * this.fps, this.budget - this.fps));
  }

  /**
   * The passes for the next processed frame (frame size in pixels, capture time in ms). A new frame size starts a
   * new size map (the camera changed resolution).
   */
  next(frame: { width: number; height: number; capturedAt: number }): FrameSchedule {
    if (!this.map || this.map.frameWidth !== frame.width || this.map.frameHeight !== frame.height) {
      this.map = new PersonSizeMap({ ...this.sizeMapOpts, frameWidth: frame.width, frameHeight: frame.height });
      this.plannedAt = Number.NEGATIVE_INFINITY;
      this.credit = 0;
    }
    if (frame.capturedAt - this.plannedAt >= this.replanS * 1000 || frame.capturedAt < this.plannedAt) this.replan(frame.capturedAt);
    // Credit accrues with the time since the previous frame (at most two frame periods, so that a stall does not
    // release a burst of slices), at the slice rate the budget allows.
    const period = 1 / this.fps;
    const dt = this.lastAt === null ? period : Math.min(2 * period, Math.max(0, (frame.capturedAt - this.lastAt) / 1000));
    this.lastAt = frame.capturedAt;
    const n = this.plan.slices.length;
    const slices: TileRegion[] = [];
    if (n > 0) {
      this.credit = Math.min(this.credit + this.sliceRate() * dt, n);
      const k = Math.min(n, Math.floor(this.credit + 1e-9));
      this.credit -= k;
      for (let i = 0; i < k; i++) {
        slices.push(this.plan.slices[this.cursor % n]);
        this.cursor = (this.cursor + 1) % n;
      }
    } else this.credit = 0;
    this.recentSlices.push(slices.length);
    this.recentSum += slices.length;
    if (this.recentSlices.length > WINDOW) this.recentSum -= this.recentSlices.shift() ?? 0;
    return { slices, planned: this.plan.slices, holdFrames: this.holdFrames() };
  }

  /** Learn person sizes from a processed frame's (merged) detections. */
  observe(detections: readonly Detection[]): void {
    this.map?.add(detections);
  }

  /**
   * Frames a slice-found person may be carried since last seen: the refresh period (target or achieved, the longer)
   * plus one frame, so that a single missed examination does not drop them; 0 when nothing is sliced.
   */
  private holdFrames(): number {
    const r = this.achievedRefreshS();
    return r === 0 ? 0 : Math.ceil(Math.max(r, this.targetRefreshS) * this.fps - 1e-9) + 1;
  }

  private achievedRefreshS(): number {
    const n = this.plan.slices.length;
    if (n === 0) return 0;
    const rate = this.sliceRate();
    return rate > 0 ? n / rate : Number.POSITIVE_INFINITY;
  }

  private replan(at: number): void {
    if (!this.map) return;
    const prev = this.plan.slices;
    this.plan = planSlices(this.map, { inputSize: this.inputSize, ...this.plannerOpts });
    this.plannedAt = at;
    if (!sameRegions(prev, this.plan.slices)) this.cursor = 0;
  }

  status(): SchedulerStatus {
    const frames = this.recentSlices.length;
    const slicesPerFrame = frames ? this.recentSum / frames : 0;
    const refresh = this.achievedRefreshS();
    const mode = this.plan.mode;
    const reasons: string[] = [];
    if (mode === 'fallback') {
      const w = this.map?.weight ?? 0;
      reasons.push(`person-size map not learnt yet (${Math.round(w)} people seen): slicing the whole frame at the budget`);
    }
    if (refresh > this.targetRefreshS + 1e-9) {
      reasons.push(
        Number.isFinite(refresh)
          ? `compute budget short (${round2(this.budget)} passes/s for ${this.fps} fps): slices refreshed every ${round2(refresh)} s instead of ${this.targetRefreshS} s`
          : `compute budget short (${round2(this.budget)} passes/s for ${this.fps} fps): no slices, global pass only`,
      );
    }
    return {
      mode,
      budgetPerSecond: round2(this.budget),
      wantedPerSecond: round2(this.wantedPerSecond()),
      passesPerFrame: round2(1 + slicesPerFrame),
      passesPerSecond: round2((1 + slicesPerFrame) * this.fps),
      plannedSlices: this.plan.slices.length,
      slicesPerFrame: round2(slicesPerFrame),
      refreshS: Number.isFinite(refresh) ? round2(refresh) : -1,
      targetRefreshS: this.targetRefreshS,
      sizeMapSamples: Math.round(this.map?.weight ?? 0),
      reason: reasons.length ? reasons.join('; ') : null,
    };
  }
}

function sameRegions(a: readonly TileRegion[], b: readonly TileRegion[]): boolean {
  return a.length === b.length && a.every((r, i) => r.x === b[i].x && r.y === b[i].y && r.width === b[i].width && r.height === b[i].height);
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

/**
 * The scheduler's plan for a still image (`crowdsafe count`): the person-size map learnt from the image's own global
 * pass, then every planned slice at once (there is no next frame to rotate to). Not enough people for a map = the
 * whole image sliced (fallback), as a live camera would.
 */
export function planStillImage(globalDetections: readonly Detection[], width: number, height: number, opts: { inputSize?: number; planner?: DetectionSchedulerOptions['planner']; sizeMap?: DetectionSchedulerOptions['sizeMap'] } = {}): SlicePlan {
  const map = new PersonSizeMap({ minSamples: 5, ...opts.sizeMap, frameWidth: width, frameHeight: height });
  map.add(globalDetections);
  return planSlices(map, { inputSize: opts.inputSize ?? 640, ...opts.planner });
}
