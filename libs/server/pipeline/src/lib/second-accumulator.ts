// Per-second accumulation of processed frames: count (mean/max/min), the count's method and range, the fused
// density count, crowd analytics and movement direction, in one open entry per second. A second is closed once
// `nowMs - latenessMs` has passed its end; frames arriving later for it are ignored (counted as late).
import { MovementDirectionAccumulator } from '@crowdsafe/analytics';
import type { CountEstimate, CountMethod, LiveMovement, TrackedPerson } from '@crowdsafe/contracts';
import { accumulateAnalytics, type AnalyticsSecondAcc } from './analytics-setup';
import type { FrameAnalyticsStep } from './frame-analytics-stage';
import { addMovementFrame, movementOf } from './movement';

/** What one processed frame adds to its second. */
export interface FrameSample {
  capturedAt: number;
  estimate: CountEstimate;
  /** Density-model count fused into this frame's estimate (null: none fused). */
  densityCount: number | null;
  /** Confirmed tracks (movement direction). */
  tracks: readonly TrackedPerson[];
  /** Crowd analytics of the frame (null: analytics not on). */
  analytics: FrameAnalyticsStep | null;
}

/** A closed second before risk and analytics summaries: counts, method, range, density count and movement. */
export interface ClosedSecond {
  /** Start of the second (UTC). */
  time: Date;
  /** Mean count over the second's frames, rounded. */
  count: number;
  countMax: number;
  countMin: number;
  frames: number;
  /** The method of the second's latest frame. */
  method: CountMethod;
  /** Mean low/high of the frames' count ranges, rounded. */
  low: number;
  high: number;
  /** Density-model count fused into the second's latest fused frame (null: none fused). */
  densityCount: number | null;
  /** Crowd analytics accumulated over the second's frames (null: none). */
  analytics: AnalyticsSecondAcc | null;
  movement: LiveMovement;
}

interface OpenSecond {
  sum: number;
  max: number;
  min: number;
  frames: number;
  method: CountMethod;
  lowSum: number;
  highSum: number;
  densityCount: number | null;
  analytics: AnalyticsSecondAcc | null;
  movement: MovementDirectionAccumulator;
}

/** Seconds held open at once; beyond that the oldest open second is dropped. */
export const MAX_OPEN_SECONDS = 120;

export class SecondAccumulator {
  private readonly open = new Map<number, OpenSecond>();
  /** Every second <= this index is closed. */
  private closedThrough = -Infinity;

  constructor(private readonly frameRate: number) {}

  /** False when a frame captured at `capturedAtMs` would be ignored as late (its second is already closed). */
  accepts(capturedAtMs: number): boolean {
    return Number.isFinite(capturedAtMs) && Math.floor(capturedAtMs / 1000) > this.closedThrough;
  }

  /** Adds one processed frame. Returns false when it was ignored (late or invalid). */
  add(f: FrameSample): boolean {
    const count = f.estimate.count;
    if (!Number.isFinite(f.capturedAt) || !Number.isFinite(count) || count < 0) return false;
    const key = Math.floor(f.capturedAt / 1000);
    if (key <= this.closedThrough) return false;
    let s = this.open.get(key);
    if (!s) {
      s = { sum: 0, max: count, min: count, frames: 0, method: f.estimate.method, lowSum: 0, highSum: 0, densityCount: null, analytics: null, movement: new MovementDirectionAccumulator({ frameRate: this.frameRate }) };
      this.open.set(key, s);
      if (this.open.size > MAX_OPEN_SECONDS) this.open.delete(Math.min(...this.open.keys()));
    }
    s.sum += count;
    s.max = Math.max(s.max, count);
    s.min = Math.min(s.min, count);
    s.frames++;
    // A second's method (and densityCount) is that of its latest frame; low/high are averaged like the count.
    s.method = f.estimate.method;
    s.lowSum += f.estimate.low;
    s.highSum += f.estimate.high;
    if (f.densityCount !== null) s.densityCount = f.densityCount;
    if (f.analytics) s.analytics = accumulateAnalytics(s.analytics ?? undefined, f.analytics.analytics, f.analytics.crossed);
    addMovementFrame(s.movement, f.tracks);
    return true;
  }

  /**
   * Closes and returns every open second that ended at least `latenessMs` before `nowMs`, oldest first.
   * `nowMs = Infinity` closes everything (camera stopping).
   */
  close(nowMs: number, latenessMs = 0): ClosedSecond[] {
    if (Number.isNaN(nowMs)) return [];
    const watermark = Math.floor((nowMs - Math.max(0, latenessMs)) / 1000) - 1;
    if (watermark > this.closedThrough) this.closedThrough = watermark;
    const done = [...this.open.keys()].filter((k) => k <= this.closedThrough).sort((a, b) => a - b);
    return done.map((key) => {
      const s = this.open.get(key) as OpenSecond;
      this.open.delete(key);
      return {
        time: new Date(key * 1000),
        count: Math.round(s.sum / s.frames),
        countMax: s.max,
        countMin: s.min,
        frames: s.frames,
        method: s.method,
        low: Math.round(s.lowSum / s.frames),
        high: Math.round(s.highSum / s.frames),
        densityCount: s.densityCount,
        analytics: s.analytics,
        movement: movementOf(s.movement),
      };
    });
  }
}
