// Issue 13's zero-configuration ground scale of an uncalibrated camera (an approximate
// Calibration from people's heights, replaced as soon as the operator calibrates). Pure state, no I/O.
import type { TrackedPerson } from '@crowdsafe/contracts';
import { AutoCalibrationEstimator, type AutoCalibrationFit, type FrameSize } from '@crowdsafe/analytics';
import type { CameraAnalyticsSetup } from './analytics-setup';

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
