// Per-frame crowd analytics: the camera's CrowdAnalyzer (built from the validated setup, or from the zero-config
// automatic calibration), fed each processed frame's confirmed tracks rescaled to the calibration's frame.
import { AnalyticsConfigError, CrowdAnalyzer, type FrameAnalytics, type TrackInput } from '@crowdsafe/analytics';
import type { BBox, LiveAnalytics, RawFrame, TrackedPerson } from '@crowdsafe/contracts';
import { analyticsOff, type CameraAnalyticsInput, type CameraAnalyticsSetup, lineTotals, LIVE_ANALYZER_OPTIONS, liveAnalyticsOf, resolveCameraAnalytics, type AnalyticsSecondAcc } from './analytics-setup';
import { AutoCalibrationSetup } from './auto-analytics';
import { frameScale, rescaleBox } from './rescale';

export const UNCALIBRATED_REASON = 'no calibration: counts only (set calibrationData for density, speed and flow in real units)';

/** A counting-line crossing of one frame, with the tracker's own track id. */
export interface FrameCrossing {
  at: number;
  lineId: string;
  lineName: string;
  direction: 'in' | 'out';
  trackId: number;
}

export interface FrameAnalyticsStep {
  analytics: FrameAnalytics;
  /** Line crossings since the previous frame (summed over lines). */
  crossed: { in: number; out: number };
  /** The crossings themselves (tracker ids), for the crossing-event store. */
  crossings: FrameCrossing[];
}

export type AnalyticsStatus = { state: 'on' | 'uncalibrated' | 'off'; reason?: string };

export class FrameAnalyticsStage {
  private setup: CameraAnalyticsSetup;
  /** Zero-configuration calibration (uncalibrated cameras only; null otherwise). */
  private readonly auto: AutoCalibrationSetup | null;
  private analyzer: CrowdAnalyzer | null = null;
  /** Why analytics is off (invalid calibration/layout, or a runtime failure); null when on or uncalibrated. */
  private offReason: string | null = null;
  private lastLineTotals = { in: 0, out: 0 };
  /** Tracker ids restart at 1 after a reset: analyzer id = idBase + tracker id keeps them distinct. */
  private idBase = 0;
  private maxId = 0;
  /** Warm-up (tentative) tracks go in below zero: analyzer id = -(provisionalBase + provisional id). */
  private provisionalBase = 0;
  private maxProvisional = 0;

  constructor(
    private readonly cameraId: string,
    private readonly input: CameraAnalyticsInput,
    autoCalibration: boolean,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.setup = resolveCameraAnalytics(input);
    this.auto = this.setup.state === 'uncalibrated' && autoCalibration ? new AutoCalibrationSetup() : null;
    this.init();
  }

  /** The setup the analyzer was built from (initial, or the latest automatic calibration). */
  get current(): CameraAnalyticsSetup {
    return this.setup;
  }

  /** The initial setup's capacity while it is in force, else the stored one (null: none). */
  capacity(): number | null {
    const c = this.setup.state === 'on' ? this.setup.capacity : this.input.capacity;
    return typeof c === 'number' ? c : null;
  }

  /** The crowd analyzer (live occupancy heatmap, busy hours), or null when analytics is off or uncalibrated. */
  crowdAnalyzer(): CrowdAnalyzer | null {
    return this.analyzer;
  }

  status(): AnalyticsStatus {
    if (this.analyzer) return { state: 'on' };
    if (this.offReason !== null) return { state: 'off', reason: this.offReason };
    return { state: 'uncalibrated', reason: UNCALIBRATED_REASON };
  }

  /** The tracker was reset: its ids restart at 1, the analyzer's continue above every id seen. */
  trackerReset(): void {
    this.idBase = this.maxId;
    this.provisionalBase = this.maxProvisional;
  }

  /**
   * Feeds one processed frame (confirmed tracks, source-frame pixels); null when analytics is not on. `warmUp`: the
   * tracker's tentative tracks while it warms up after a reset — the frame's count is then the detection count, and
   * its densities count them too (never in flow: they are unconfirmed), so a reset (or a host too slow to keep
   * tracks alive between frames) never shows a crowd with a density of zero.
   */
  analyze(frame: RawFrame, tracks: readonly TrackedPerson[], warmUp: readonly { provisionalId: number; box: BBox; score: number }[] = []): FrameAnalyticsStep | null {
    const auto = this.auto?.observe(frame, tracks);
    if (auto) {
      this.setup = auto;
      this.lastLineTotals = { in: 0, out: 0 };
      this.init();
    }
    const analyzer = this.analyzer;
    if (!analyzer || this.setup.state !== 'on') return null;
    const scale = frameScale(frame, this.setup.calibration.frame);
    const input: TrackInput[] = tracks.map((t) => {
      const id = this.idBase + t.id;
      if (id > this.maxId) this.maxId = id;
      return { id, box: rescaleBox(t.box, scale), score: t.score, confirmed: true };
    });
    for (const w of warmUp) {
      const id = this.provisionalBase + w.provisionalId;
      if (id > this.maxProvisional) this.maxProvisional = id;
      input.push({ id: -id, box: rescaleBox(w.box, scale), score: w.score, confirmed: false });
    }
    try {
      const analytics = analyzer.update({ timestampMs: frame.capturedAt, tracks: input, ...(warmUp.length ? { countUnconfirmed: true } : {}) });
      const base = this.idBase;
      const crossings = analytics.crossings.map((c) => ({ at: c.timestampMs, lineId: c.lineId, lineName: c.lineName, direction: c.direction, trackId: c.trackId - base }));
      const totals = lineTotals(analytics);
      const crossed = { in: totals.in - this.lastLineTotals.in, out: totals.out - this.lastLineTotals.out };
      this.lastLineTotals = totals;
      return { analytics, crossed, crossings };
    } catch (err) {
      this.disable(`analytics failed: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }

  /** The compact analytics of a closed second: null when uncalibrated, 'off' with the reason when disabled. */
  secondAnalytics(acc: AnalyticsSecondAcc | null): LiveAnalytics | null {
    if (acc) return liveAnalyticsOf(acc, this.auto ? 'approximate' : 'calibrated');
    if (this.offReason !== null) return analyticsOff(this.offReason);
    return null;
  }

  /** Builds the analyzer from the validated setup; an invalid one turns analytics off (warned, never thrown). */
  private init(): void {
    const setup = this.setup;
    if (setup.state === 'off') {
      this.disable(setup.reason);
      return;
    }
    if (setup.state !== 'on') return;
    try {
      this.analyzer = new CrowdAnalyzer({
        cameraId: this.cameraId,
        calibration: setup.calibration,
        zones: setup.zones,
        lines: setup.lines,
        ...(setup.capacity === undefined ? {} : { capacity: setup.capacity }),
        options: LIVE_ANALYZER_OPTIONS,
      });
    } catch (err) {
      this.disable(err instanceof AnalyticsConfigError ? err.message : `analytics could not start: ${String(err)}`);
      return;
    }
    for (const w of setup.warnings) this.warn(`camera ${this.cameraId}: analytics: ${w}`);
  }

  private disable(reason: string): void {
    this.analyzer = null;
    this.offReason = reason;
    this.warn(`camera ${this.cameraId}: crowd analytics off (counting goes on): ${reason}`);
  }
}
