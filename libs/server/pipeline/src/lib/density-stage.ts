// The density model beside the tracker: when a run is due, when its estimate may be fused into a frame's count, and
// the bookkeeping of runs and failures. Running the model is I/O (the runtime's `countDensity` port); this is not.
import type { CountEstimate } from '@crowdsafe/contracts';
import { densityModelEstimate, footInRoi, fuseCounts, type RoiPolygon } from '@crowdsafe/vision';

export interface CameraDensityOptions {
  /** At most one density-model run per this interval (DENSITY_INTERVAL_MS). */
  intervalMs: number;
  /** A density estimate is fused while its frame is younger than this x intervalMs (default 3). */
  freshIntervals?: number;
}

/** The latest density-model estimate of a camera, with the capture time of the frame it was run on. */
export interface DensitySample {
  estimate: CountEstimate;
  capturedAt: number;
}

/** What the density model answers for one frame: its estimate and head points in source-frame pixels. */
export interface DensityResult {
  estimate: CountEstimate;
  points: ReadonlyArray<{ x: number; y: number }>;
}

/** True when a density run may start: none in flight and the last one started at least intervalMs ago (or never). */
export function densityRunDue(nowMs: number, lastStartedAt: number | null, inFlight: boolean, intervalMs: number): boolean {
  if (inFlight) return false;
  return lastStartedAt === null || nowMs - lastStartedAt >= intervalMs;
}

/** True when a density sample may be fused into the count of a frame captured at `frameCapturedAt`. */
export function densityFresh(sample: DensitySample | null, frameCapturedAt: number, maxAgeMs: number): sample is DensitySample {
  return sample !== null && frameCapturedAt - sample.capturedAt < maxAgeMs;
}

/** The count a frame reports: fuseCounts(tracked, density) while the density sample is fresh, else the tracked one. */
export function reportedEstimate(tracked: CountEstimate, sample: DensitySample | null, frameCapturedAt: number, maxAgeMs: number): CountEstimate {
  if (!densityFresh(sample, frameCapturedAt, maxAgeMs)) return tracked;
  const { count, method, low, high } = fuseCounts(tracked, sample.estimate);
  return { count, method, low, high };
}

/**
 * The density estimate restricted to the counting ROI (heads whose point lies in it), so that it counts the same
 * region as the tracker; without an ROI the model's own estimate.
 */
export function densityEstimateInRoi(result: DensityResult, frame: { width: number; height: number }, roi: RoiPolygon | null | undefined): CountEstimate {
  if (!roi) return result.estimate;
  const n = result.points.filter((p) => footInRoi({ x1: p.x, y1: p.y, x2: p.x, y2: p.y }, frame, roi)).length;
  return densityModelEstimate(n);
}

export const DENSITY_WARN_EVERY_MS = 60_000;

/**
 * One camera's density-model state: cadence (one run in flight, at most one per interval), the latest sample, runs
 * and failures, and the warning rate limit (at most one a minute). `options` null = no density model.
 */
export class DensityStage {
  private inFlight = false;
  private startedAt: number | null = null;
  private sample: DensitySample | null = null;
  private runs = 0;
  private errors = 0;
  private warnedAt: number | null = null;

  constructor(
    private readonly options: CameraDensityOptions | null,
    private readonly roi: RoiPolygon | null,
  ) {}

  get enabled(): boolean {
    return this.options !== null;
  }

  /** The estimate a frame reports (its tracked one when the density model is off or its sample is stale). */
  estimateFor(tracked: CountEstimate, frameCapturedAt: number): CountEstimate {
    if (!this.options) return tracked;
    return reportedEstimate(tracked, this.sample, frameCapturedAt, (this.options.freshIntervals ?? 3) * this.options.intervalMs);
  }

  /** The density count fused into an estimate (null when it was not fused). */
  fusedCount(estimate: CountEstimate): number | null {
    return estimate.method === 'fused' ? (this.sample?.estimate.count ?? null) : null;
  }

  /** True (and marked started) when a run may start now. */
  tryStart(nowMs: number): boolean {
    if (!this.options || !densityRunDue(nowMs, this.startedAt, this.inFlight, this.options.intervalMs)) return false;
    this.inFlight = true;
    this.startedAt = nowMs;
    return true;
  }

  landed(result: DensityResult, frame: { width: number; height: number; capturedAt: number }): void {
    this.runs++;
    this.sample = { estimate: densityEstimateInRoi(result, frame, this.roi), capturedAt: frame.capturedAt };
  }

  /** A failed run; returns the failures so far when it should be warned about (at most once a minute), else null. */
  failed(nowMs: number): number | null {
    this.errors++;
    if (this.warnedAt !== null && nowMs - this.warnedAt < DENSITY_WARN_EVERY_MS) return null;
    this.warnedAt = nowMs;
    return this.errors;
  }

  settled(): void {
    this.inFlight = false;
  }

  stats(): { runs: number; errors: number; latest: DensitySample | null } {
    return { runs: this.runs, errors: this.errors, latest: this.sample };
  }
}
