// Per-camera helpers of issue 13 that need no calibration from the operator: the dominant movement direction of
// each second (image plane) and the zero-configuration ground scale of an uncalibrated camera (an approximate
// Calibration from people's heights, replaced as soon as the operator calibrates). Pure state, no I/O.
import type { CompassPoint, LiveMovement, TrackedPerson } from '@crowdsafe/contracts';
import { AutoCalibrationEstimator, MovementDirectionAccumulator, type AutoCalibrationFit, type FrameSize } from '@crowdsafe/analytics';
import type { CameraAnalyticsSetup } from './camera-analytics';

/** Open seconds kept at most (the aggregator closes them within a few seconds; older ones are dropped). */
const MAX_OPEN_SECONDS = 64;

/** The movement direction of each open second, fed with every processed frame's confirmed tracks. */
export class SecondMovements {
  private readonly open = new Map<number, MovementDirectionAccumulator>();

  constructor(private readonly frameRate: number) {}

  add(capturedAt: number, tracks: readonly TrackedPerson[]): void {
    const key = Math.floor(capturedAt / 1000);
    let acc = this.open.get(key);
    if (!acc) {
      acc = new MovementDirectionAccumulator({ frameRate: this.frameRate });
      this.open.set(key, acc);
      if (this.open.size > MAX_OPEN_SECONDS) this.open.delete(Math.min(...this.open.keys()));
    }
    // Only tracks matched in this frame: a coasting track's velocity is a prediction, not an observation.
    acc.addFrame(tracks.filter((t) => t.timeSinceUpdate === 0).map((t) => ({ vx: t.velocity.vx, vy: t.velocity.vy, height: t.box.y2 - t.box.y1 })));
  }

  /** The second starting at `secondStartMs` (removed; seconds before it are dropped too). Empty second: no heading. */
  take(secondStartMs: number): LiveMovement {
    const key = Math.floor(secondStartMs / 1000);
    const acc = this.open.get(key);
    for (const k of this.open.keys()) if (k <= key) this.open.delete(k);
    const m = acc?.close();
    return {
      headingDeg: m?.headingDeg ?? null,
      compass: (m?.compass ?? null) as CompassPoint | null,
      coherence: m?.coherence ?? 0,
      movingSamples: m?.movingSamples ?? 0,
      samples: m?.samples ?? 0,
    };
  }
}

/** The row's metadata.movement (compact). */
export function movementMetadataOf(m: LiveMovement): Record<string, unknown> {
  return { headingDeg: m.headingDeg, compass: m.compass, coherence: m.coherence, moving: m.movingSamples, samples: m.samples };
}

/** Relative change of the scale (or camera height) that replaces the automatic calibration in use. */
const REPLACE_CHANGE = 0.1;

/**
 * Zero-configuration calibration of an uncalibrated camera: feeds confirmed tracks (processed-frame pixels) to an
 * AutoCalibrationEstimator and returns a new analytics setup (calibration only: no zones, lines or capacity) when
 * the first estimate appears or when it moves by more than 10 % (refits in between keep the analyzer, and its
 * windows, as they are).
 */
export class AutoCalibrationSetup {
  private estimator: AutoCalibrationEstimator | null = null;
  private inUse: AutoCalibrationFit | null = null;
  private frame: FrameSize | null = null;

  /** The fit behind the setup in use (null before the first estimate). */
  get currentFit(): AutoCalibrationFit | null {
    return this.inUse;
  }

  observe(frame: FrameSize, tracks: readonly TrackedPerson[]): Extract<CameraAnalyticsSetup, { state: 'on' }> | null {
    if (!this.estimator || !this.frame || this.frame.width !== frame.width || this.frame.height !== frame.height) {
      // A new frame size (first frame, source resolution change): start over.
      this.frame = { width: frame.width, height: frame.height };
      this.estimator = new AutoCalibrationEstimator({ frame: this.frame });
      this.inUse = null;
    }
    if (!this.estimator.add(tracks.filter((t) => t.timeSinceUpdate === 0).map((t) => t.box))) return null;
    const est = this.estimator.estimate;
    if (!est) return null;
    const prev = this.inUse;
    const changed = (a: number | null, b: number | null) => a !== null && b !== null && Math.abs(a / b - 1) > REPLACE_CHANGE;
    if (prev && prev.model === est.fit.model && !changed(est.fit.pxPerMAtMid, prev.pxPerMAtMid) && !changed(est.fit.cameraHeightM, prev.cameraHeightM)) return null;
    this.inUse = est.fit;
    return { state: 'on', calibration: est.calibration, zones: [], lines: [], warnings: est.calibration.warnings.slice(0, 2) };
  }
}
