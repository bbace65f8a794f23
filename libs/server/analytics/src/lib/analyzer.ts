import { polygonToGroundPolygon, validateLayout, zoneArea } from './calibration';
import { directionStats, emptyDirectionStats } from './direction';
import { LineCounter, LineGeometry } from './flow';
import { footPoint, pointInPolygon } from './geometry';
import { BusyHoursAccumulator, type BusyHours, OccupancyHeatmap } from './heatmap';
import { applyHomography } from './homography';
import { encodePng, renderGridInImage, renderGridRgba, type HeatmapRenderOptions } from './png';
import { PressureField, type PressureMode } from './pressure';
import {
  fruinQueueLos,
  fruinWalkwayLos,
  HELBING_CRITICAL_PRESSURE,
  HELBING_KERNEL_RADIUS_M,
  STAGNATION_SPEED_MPS,
  STILL_THRESHOLDS,
  stillBand,
  SURGE_CRITICAL_RATE,
  SURGE_WARNING_RATE,
  surgeLevel,
  type StillThresholds,
} from './standards';
import { mean, median, SlidingSeries, stdDev } from './stats';
import { TrackStore, trackVelocity } from './tracks';
import type {
  AnalyticsFrame,
  AreaMetrics,
  Calibration,
  CountingLine,
  FrameAnalytics,
  GridGeometry,
  GroundGridSnapshot,
  TrackKinematics,
  ValidationIssue,
  Vec2,
  VelocityStats,
  Zone,
  ZoneMetrics,
} from './types';

/** Tunables of a `CrowdAnalyzer`; every field has a default (`DEFAULT_ANALYZER_OPTIONS`). */
export interface AnalyzerOptions {
  // --- bounded per-track state ---
  /** Most tracks held at once (least recently seen evicted first). */
  maxTracks: number;
  /** Tracks not seen for this long are evicted with their line side state, ms. */
  trackTtlMs: number;
  /** Ring capacity of each track's position history, samples. */
  maxHistory: number;
  // --- velocity ---
  /** Smoothing window of the per-track ground velocity (regression over the window), ms. */
  velocityWindowMs: number;
  /** A velocity needs samples spanning at least this long, ms. */
  velocityMinSpanMs: number;
  /** When fewer than 2 samples are in the window, the previous one is used if it is at most this old, ms. */
  velocityMaxGapMs: number;
  /** Speeds above this are implausible (tracking glitch, id switch): velocity marked invalid; a jump faster than
   * this (plus 1 m) between two samples restarts the track's history. m/s. */
  maxSpeedMps: number;
  /** Median speed below this: stagnant crowd / standing crowd for the Still bands, m/s. */
  stagnationSpeedMps: number;
  /** Only people at least this fast take part in the heading statistics, m/s. */
  movingSpeedMps: number;
  /** Heading histogram bins: 8 or 16. */
  directionBins: 8 | 16;
  // --- flow ---
  /** Dead band on each side of a counting line, metres (ground calibrations). */
  hysteresisM: number;
  /** Dead band on each side of a counting line, pixels (manual calibration: no ground mapping). */
  hysteresisPx: number;
  /** Crossings this far beyond a line's ends still count, metres (ground calibrations). */
  lineEndMarginM: number;
  /** Same, pixels (manual calibration). */
  lineEndMarginPx: number;
  flowWindowMs: number;
  flowBucketMs: number;
  flowMinRateWindowMs: number;
  bottleneckPersistMs: number;
  bottleneckMinExcessPerMin: number;
  bottleneckMinExcessRatio: number;
  // --- density, surge ---
  /** Count unconfirmed tracks in counts and densities (never in flow). Default false. */
  countUnconfirmed: boolean;
  surgeWindowMs: number;
  surgeWarningRate: number;
  surgeCriticalRate: number;
  /** Ring capacity of each density series (per camera and per zone). */
  surgeMaxSamples: number;
  still: StillThresholds;
  // --- ground grid: pressure, flow vectors, heatmap ---
  gridCellM: number;
  /** Upper bound on grid cells; the cell grows when the floor is too large. */
  maxGridCells: number;
  /** Ground extent of the grid in metres (default: bounding box of the floor polygon on the ground). */
  gridBounds?: { minX: number; minY: number; maxX: number; maxY: number };
  pressureRadiusM: number;
  pressureCutoff: number;
  pressureMode: PressureMode;
  pressureTemporalTauMs: number;
  pressureMinWeight: number;
  criticalPressure: number;
  /** Half-life of the live occupancy heatmap, ms. */
  heatmapHalfLifeMs: number;
  /** Image-grid cell for the heatmap under a manual calibration, px. */
  heatmapImageCellPx: number;
  /** Longest frame gap accumulated into heatmap and busy hours (longer gaps count as this), ms. */
  maxFrameGapMs: number;
  /** IANA zone for the busy-hours table (ignored when utcOffsetMinutes is set). */
  timeZone: string;
  utcOffsetMinutes?: number;
  // --- output ---
  includeGrid: boolean;
  includeTracks: boolean;
}

export const DEFAULT_ANALYZER_OPTIONS: Readonly<AnalyzerOptions> = {
  maxTracks: 4096,
  trackTtlMs: 5000,
  maxHistory: 64,
  velocityWindowMs: 1000,
  velocityMinSpanMs: 300,
  velocityMaxGapMs: 3000,
  maxSpeedMps: 10,
  stagnationSpeedMps: STAGNATION_SPEED_MPS,
  movingSpeedMps: 0.3,
  directionBins: 16,
  hysteresisM: 0.3,
  hysteresisPx: 10,
  lineEndMarginM: 0,
  lineEndMarginPx: 0,
  flowWindowMs: 60000,
  flowBucketMs: 1000,
  flowMinRateWindowMs: 10000,
  bottleneckPersistMs: 30000,
  bottleneckMinExcessPerMin: 2,
  bottleneckMinExcessRatio: 0.1,
  countUnconfirmed: false,
  surgeWindowMs: 5000,
  surgeWarningRate: SURGE_WARNING_RATE,
  surgeCriticalRate: SURGE_CRITICAL_RATE,
  surgeMaxSamples: 512,
  still: STILL_THRESHOLDS,
  gridCellM: 0.5,
  maxGridCells: 40000,
  pressureRadiusM: HELBING_KERNEL_RADIUS_M,
  pressureCutoff: 3,
  pressureMode: 'spatial',
  pressureTemporalTauMs: 10000,
  pressureMinWeight: 0.05,
  criticalPressure: HELBING_CRITICAL_PRESSURE,
  heatmapHalfLifeMs: 60000,
  heatmapImageCellPx: 16,
  maxFrameGapMs: 5000,
  timeZone: 'UTC',
  includeGrid: true,
  includeTracks: true,
};

export interface AnalyzerConfig {
  cameraId: string;
  calibration: Calibration;
  /** Safe occupancy of the camera's floor region, people (camera-level utilisation; optional). */
  capacity?: number;
  zones?: readonly Zone[];
  lines?: readonly CountingLine[];
  options?: Partial<AnalyzerOptions>;
}

/** Thrown by the `CrowdAnalyzer` constructor when the configuration has errors (all of them listed). */
export class AnalyticsConfigError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(`Invalid analytics configuration: ${issues.map((i) => (i.path ? `${i.path}: ` : '') + i.message).join(' ')}`);
    this.name = 'AnalyticsConfigError';
  }
}

/** Snapshot of the live heatmap. */
export interface HeatmapSnapshot {
  grid: GridGeometry;
  halfLifeMs: number;
  /** Exponentially weighted occupancy: people/m² (ground grid) or people per cell (image grid). */
  live: Float32Array;
  /** Person-seconds per cell since start. */
  totalPersonSeconds: Float32Array;
}

/** Sizes of every piece of per-camera state (each is bounded by the options). */
export interface AnalyzerStateSize {
  tracks: number;
  pooledTracks: number;
  maxTracks: number;
  historyCapacityPerTrack: number;
  lines: number;
  zones: number;
  gridCells: number;
  densitySeries: number;
  busyHourBuckets: number;
  evictedTracks: number;
}

function validateOptions(o: AnalyzerOptions): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const positive: Array<keyof AnalyzerOptions> = [
    'maxTracks',
    'trackTtlMs',
    'maxHistory',
    'velocityWindowMs',
    'velocityMaxGapMs',
    'maxSpeedMps',
    'flowWindowMs',
    'flowBucketMs',
    'flowMinRateWindowMs',
    'surgeWindowMs',
    'surgeMaxSamples',
    'gridCellM',
    'maxGridCells',
    'pressureRadiusM',
    'pressureCutoff',
    'pressureTemporalTauMs',
    'heatmapHalfLifeMs',
    'heatmapImageCellPx',
    'maxFrameGapMs',
  ];
  for (const k of positive) {
    const v = o[k];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) {
      issues.push({ severity: 'error', code: 'invalid-option', message: `Option ${k} must be a positive number (got ${String(v)}).`, path: `options.${k}` });
    }
  }
  const nonNeg: Array<keyof AnalyzerOptions> = [
    'velocityMinSpanMs',
    'stagnationSpeedMps',
    'movingSpeedMps',
    'hysteresisM',
    'hysteresisPx',
    'lineEndMarginM',
    'lineEndMarginPx',
    'bottleneckPersistMs',
    'bottleneckMinExcessPerMin',
    'bottleneckMinExcessRatio',
    'pressureMinWeight',
    'criticalPressure',
  ];
  for (const k of nonNeg) {
    const v = o[k];
    if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
      issues.push({ severity: 'error', code: 'invalid-option', message: `Option ${k} must be a number >= 0 (got ${String(v)}).`, path: `options.${k}` });
    }
  }
  if (o.directionBins !== 8 && o.directionBins !== 16) {
    issues.push({ severity: 'error', code: 'invalid-option', message: 'Option directionBins must be 8 or 16.', path: 'options.directionBins' });
  }
  if (o.pressureMode !== 'spatial' && o.pressureMode !== 'temporal') {
    issues.push({ severity: 'error', code: 'invalid-option', message: "Option pressureMode must be 'spatial' or 'temporal'.", path: 'options.pressureMode' });
  }
  if (o.maxHistory < 2) {
    issues.push({ severity: 'error', code: 'invalid-option', message: 'Option maxHistory must be at least 2.', path: 'options.maxHistory' });
  }
  if (o.utcOffsetMinutes === undefined) {
    try {
      new Intl.DateTimeFormat('en-GB', { timeZone: o.timeZone });
    } catch {
      issues.push({ severity: 'error', code: 'invalid-option', message: `Unknown time zone "${o.timeZone}".`, path: 'options.timeZone' });
    }
  } else if (!Number.isFinite(o.utcOffsetMinutes) || Math.abs(o.utcOffsetMinutes) > 18 * 60) {
    issues.push({ severity: 'error', code: 'invalid-option', message: 'Option utcOffsetMinutes must be within +-18 h.', path: 'options.utcOffsetMinutes' });
  }
  const b = o.gridBounds;
  if (b && !(b.maxX > b.minX && b.maxY > b.minY && [b.minX, b.minY, b.maxX, b.maxY].every(Number.isFinite))) {
    issues.push({ severity: 'error', code: 'invalid-option', message: 'Option gridBounds must have max > min.', path: 'options.gridBounds' });
  }
  return issues;
}

/** A grid over [minX, maxX] x [minY, maxY] with cells of at least `cell`, grown to stay within maxCells. */
export function makeGrid(
  space: 'ground' | 'image',
  minX: number,
  minY: number,
  maxX: number,
  maxY: number,
  cell: number,
  maxCells: number,
): GridGeometry {
  const w = Math.max(maxX - minX, cell);
  const h = Math.max(maxY - minY, cell);
  let c = Math.max(cell, Math.sqrt((w * h) / maxCells));
  while (Math.ceil(w / c) * Math.ceil(h / c) > maxCells) c *= 1.01;
  return { space, originX: minX, originY: minY, cell: c, cols: Math.ceil(w / c), rows: Math.ceil(h / c) };
}

interface AreaDef {
  polygon: readonly Vec2[];
  bbox: [number, number, number, number];
  areaM2: number;
  capacity: number | null;
  series: SlidingSeries;
}

function bboxOf(poly: readonly Vec2[]): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of poly) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return [x0, y0, x1, y1];
}

/**
 * Per-camera crowd analytics in real units. Feed every processed frame's tracks, in time order, to `update`.
 * All state is bounded: tracks (maxTracks, TTL eviction, recycled records), per-track history (maxHistory ring),
 * density series (surgeMaxSamples ring), flow windows (window / bucket counters), grids (maxGridCells) and the
 * 7 x 24 busy-hours table. Pure computation: no I/O, no clocks (time comes from the frames).
 */
export class CrowdAnalyzer {
  readonly cameraId: string;
  readonly calibration: Calibration;
  readonly options: Readonly<AnalyzerOptions>;
  /** Ground grid (pressure, flow vectors, heatmap), or the image heatmap grid without a ground mapping. */
  readonly grid: GridGeometry;
  private readonly zones: ReadonlyArray<{ zone: Zone; def: AreaDef; source: ZoneMetrics['areaSource'] }>;
  private readonly floor: AreaDef;
  private readonly lineCounters: LineCounter[];
  private readonly store: TrackStore;
  private readonly pressure: PressureField | null;
  private readonly heat: OccupancyHeatmap;
  private readonly busy: BusyHoursAccumulator;
  private readonly h: number[] | null;
  private firstTs: number | null = null;
  private lastTs: number | null = null;
  // Per-frame scratch, grown on demand (bounded by the largest frame seen).
  private cap = 0;
  private fx = new Float64Array(0);
  private fy = new Float64Array(0);
  private gx = new Float64Array(0);
  private gy = new Float64Array(0);
  private vx = new Float64Array(0);
  private vy = new Float64Array(0);
  private sp = new Float64Array(0);
  private valid = new Uint8Array(0);
  private hasPos = new Uint8Array(0);
  private counted = new Uint8Array(0);
  private seen = new Set<number>();

  constructor(config: AnalyzerConfig) {
    const options: AnalyzerOptions = { ...DEFAULT_ANALYZER_OPTIONS, ...(config.options ?? {}) };
    const cal = config.calibration;
    const issues: ValidationIssue[] = [];
    if (!cal || !cal.frame || !Array.isArray(cal.floorPolygon)) {
      issues.push({ severity: 'error', code: 'no-calibration', message: 'A calibration is required.', path: 'calibration' });
      throw new AnalyticsConfigError(issues);
    }
    const zones = config.zones ?? [];
    const lines = config.lines ?? [];
    issues.push(...validateOptions(options), ...validateLayout(cal, zones, lines));
    if (config.capacity !== undefined && !(config.capacity > 0 && Number.isFinite(config.capacity))) {
      issues.push({ severity: 'error', code: 'invalid-capacity', message: `Capacity must be a positive number of people (got ${config.capacity}).`, path: 'capacity' });
    }
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length > 0) throw new AnalyticsConfigError(errors);

    this.cameraId = config.cameraId;
    this.calibration = cal;
    this.options = options;
    this.h = cal.imageToGround;
    const o = options;
    this.store = new TrackStore({ maxTracks: o.maxTracks, ttlMs: o.trackTtlMs, maxHistory: o.maxHistory, lines: lines.length });
    const series = () => new SlidingSeries(o.surgeWindowMs, o.surgeMaxSamples);
    this.floor = {
      polygon: cal.floorPolygon,
      bbox: bboxOf(cal.floorPolygon),
      areaM2: cal.floorAreaM2,
      capacity: config.capacity ?? null,
      series: series(),
    };
    this.zones = zones.map((zone) => {
      const { areaM2, source } = zoneArea(cal, zone);
      return {
        zone,
        source,
        def: { polygon: zone.polygon, bbox: bboxOf(zone.polygon), areaM2, capacity: zone.capacity ?? null, series: series() },
      };
    });

    const hyst = this.h ? o.hysteresisM : o.hysteresisPx;
    const endMargin = this.h ? o.lineEndMarginM : o.lineEndMarginPx;
    this.lineCounters = lines.map((line, index) => {
      const a = this.toAnalysis(line.a[0], line.a[1]) as Vec2;
      const b = this.toAnalysis(line.b[0], line.b[1]) as Vec2;
      const dx = line.b[0] - line.a[0];
      const dy = line.b[1] - line.a[1];
      const len = Math.hypot(dx, dy);
      // On-screen left of a->b with y down is (dy, -dx).
      const mx = (line.a[0] + line.b[0]) / 2 + dy / len;
      const my = (line.a[1] + line.b[1]) / 2 - dx / len;
      const probe = this.toAnalysis(mx, my) ?? this.toAnalysis((line.a[0] + line.b[0]) / 2, (line.a[1] + line.b[1]) / 2);
      return new LineCounter(line, index, new LineGeometry(a, b, probe as Vec2), {
        hysteresis: hyst,
        endMargin,
        windowMs: o.flowWindowMs,
        bucketMs: o.flowBucketMs,
        minRateWindowMs: o.flowMinRateWindowMs,
        bottleneckMinExcessPerMin: o.bottleneckMinExcessPerMin,
        bottleneckMinExcessRatio: o.bottleneckMinExcessRatio,
        bottleneckPersistMs: o.bottleneckPersistMs,
      });
    });

    if (this.h) {
      let b = o.gridBounds;
      if (!b) {
        const gp = polygonToGroundPolygon(cal, cal.floorPolygon) ?? [];
        const [minX, minY, maxX, maxY] = bboxOf(gp);
        b = { minX, minY, maxX, maxY };
      }
      this.grid = makeGrid('ground', b.minX, b.minY, b.maxX, b.maxY, o.gridCellM, o.maxGridCells);
      this.pressure = new PressureField(this.grid, {
        radiusM: o.pressureRadiusM,
        cutoff: o.pressureCutoff,
        mode: o.pressureMode,
        temporalTauMs: o.pressureTemporalTauMs,
        minWeight: o.pressureMinWeight,
      });
    } else {
      this.grid = makeGrid('image', 0, 0, cal.frame.width, cal.frame.height, o.heatmapImageCellPx, o.maxGridCells);
      this.pressure = null;
    }
    this.heat = new OccupancyHeatmap(this.grid, o.heatmapHalfLifeMs);
    this.busy = new BusyHoursAccumulator(
      o.utcOffsetMinutes === undefined ? o.timeZone : `UTC${o.utcOffsetMinutes >= 0 ? '+' : '-'}${Math.abs(o.utcOffsetMinutes)}min`,
      o.utcOffsetMinutes ?? null,
    );
  }

  /** Image px -> analysis space (ground metres, or the image itself without a ground mapping). */
  private toAnalysis(x: number, y: number): Vec2 | null {
    return this.h ? applyHomography(this.h, x, y) : [x, y];
  }

  private ensureCapacity(n: number): void {
    if (n <= this.cap) return;
    const c = Math.max(n, this.cap * 2, 64);
    this.fx = new Float64Array(c);
    this.fy = new Float64Array(c);
    this.gx = new Float64Array(c);
    this.gy = new Float64Array(c);
    this.vx = new Float64Array(c);
    this.vy = new Float64Array(c);
    this.sp = new Float64Array(c);
    this.valid = new Uint8Array(c);
    this.hasPos = new Uint8Array(c);
    this.counted = new Uint8Array(c);
    this.cap = c;
  }

  /** Processes one frame and returns its analytics. Frames must come in time order; late ones are flagged. */
  update(frame: AnalyticsFrame): FrameAnalytics {
    const o = this.options;
    const t = Number.isFinite(frame?.timestampMs) ? frame.timestampMs : (this.lastTs ?? 0);
    const outOfOrder = !Number.isFinite(frame?.timestampMs) || (this.lastTs !== null && t <= this.lastTs);
    const dtMs = this.lastTs === null || outOfOrder ? 0 : t - this.lastTs;
    if (!outOfOrder) {
      if (this.firstTs === null) this.firstTs = t;
      this.lastTs = t;
    }
    const input = Array.isArray(frame?.tracks) ? frame.tracks : [];
    const countUnconfirmed = frame?.countUnconfirmed ?? o.countUnconfirmed;
    this.ensureCapacity(input.length);
    const ground = this.h !== null;
    const perTrack: TrackKinematics[] = [];
    let n = 0;
    let confirmedCount = 0;
    this.seen.clear();
    const tracks: typeof input = [];
    for (const tr of input) {
      const b = tr?.box;
      if (!b || !Number.isFinite(b.x1) || !Number.isFinite(b.x2) || !Number.isFinite(b.y2) || !Number.isFinite(tr.id)) continue;
      if (this.seen.has(tr.id)) continue;
      this.seen.add(tr.id);
      tracks.push(tr);
    }
    for (const tr of tracks) {
      const [fx, fy] = footPoint(tr.box);
      const pos = this.toAnalysis(fx, fy);
      const i = n++;
      this.fx[i] = fx;
      this.fy[i] = fy;
      this.hasPos[i] = pos ? 1 : 0;
      this.gx[i] = pos ? pos[0] : 0;
      this.gy[i] = pos ? pos[1] : 0;
      this.counted[i] = tr.confirmed || countUnconfirmed ? 1 : 0;
      if (tr.confirmed) confirmedCount++;
      let v = { vx: 0, vy: 0, valid: false };
      const st = outOfOrder ? this.store.get(tr.id) : this.store.touch(tr.id, t);
      if (st && pos && !outOfOrder) {
        const newest = st.index(0);
        if (newest >= 0 && ground) {
          const dt = (t - st.ht[newest]) / 1000;
          if (Math.hypot(pos[0] - st.hx[newest], pos[1] - st.hy[newest]) > o.maxSpeedMps * dt + 1) st.clearHistory();
        }
        st.push(t, pos[0], pos[1]);
        for (const lc of this.lineCounters) lc.observe(st, pos[0], pos[1], tr.confirmed === true, t);
      }
      if (st && ground) {
        v = trackVelocity(st, o.velocityWindowMs, o.velocityMinSpanMs, o.velocityMaxGapMs);
        if (v.valid && Math.hypot(v.vx, v.vy) > o.maxSpeedMps) v = { vx: 0, vy: 0, valid: false };
      }
      this.vx[i] = v.vx;
      this.vy[i] = v.vy;
      this.sp[i] = v.valid ? Math.hypot(v.vx, v.vy) : 0;
      this.valid[i] = v.valid && pos ? 1 : 0;
      if (o.includeTracks) {
        perTrack.push({
          id: tr.id,
          confirmed: tr.confirmed === true,
          image: [fx, fy],
          ground: ground && pos ? pos : null,
          vx: v.vx,
          vy: v.vy,
          speedMps: this.sp[i],
          headingDeg: v.valid ? ((Math.atan2(v.vy, v.vx) * 180) / Math.PI + 360) % 360 : 0,
          velocityValid: this.valid[i] === 1,
        });
      }
    }

    // Velocity statistics over counted tracks.
    const speeds: number[] = [];
    const dvx: number[] = [];
    const dvy: number[] = [];
    for (let i = 0; i < n; i++) {
      if (this.counted[i] && this.valid[i]) {
        speeds.push(this.sp[i]);
        dvx.push(this.vx[i]);
        dvy.push(this.vy[i]);
      }
    }
    const medianSpeed = median(speeds);
    let maxSpeed = 0;
    for (const s of speeds) if (s > maxSpeed) maxSpeed = s;
    const velocity: VelocityStats = {
      available: ground,
      samples: speeds.length,
      meanMps: mean(speeds),
      medianMps: medianSpeed,
      stdMps: stdDev(speeds),
      maxMps: maxSpeed,
      stagnant: speeds.length > 0 && medianSpeed < o.stagnationSpeedMps,
    };
    const direction = ground
      ? directionStats(dvx, dvy, speeds, speeds.length, o.movingSpeedMps, o.directionBins)
      : emptyDirectionStats(o.directionBins, false);

    const camera = this.areaMetrics(this.floor, n, t, outOfOrder);
    const zones: ZoneMetrics[] = this.zones.map(({ zone, def, source }) => ({
      id: zone.id,
      name: zone.name,
      areaSource: source,
      ...this.areaMetrics(def, n, t, outOfOrder),
    }));

    // Pressure / flow-vector grid over counted people with a ground position.
    let grid: GroundGridSnapshot | null = null;
    let pressure: FrameAnalytics['pressure'] = {
      available: false,
      mode: o.pressureMode,
      maxPressure: 0,
      maxAt: null,
      maxLocalDensity: 0,
      critical: false,
    };
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (this.counted[i] && this.hasPos[i]) {
        this.gx[m] = this.gx[i];
        this.gy[m] = this.gy[i];
        this.vx[m] = this.vx[i];
        this.vy[m] = this.vy[i];
        this.valid[m] = this.valid[i];
        this.fx[m] = this.fx[i];
        this.fy[m] = this.fy[i];
        m++;
      }
    }
    if (this.pressure) {
      this.pressure.compute(m, this.gx, this.gy, this.vx, this.vy, this.valid, dtMs);
      const mx = this.pressure.maxima();
      pressure = {
        available: true,
        mode: o.pressureMode,
        maxPressure: mx.maxPressure,
        maxAt: mx.maxCell >= 0 ? this.pressure.cellCentre(mx.maxCell) : null,
        maxLocalDensity: mx.maxDensity,
        critical: mx.maxPressure >= o.criticalPressure && mx.maxPressure > 0,
      };
      if (o.includeGrid) {
        grid = {
          ...this.grid,
          density: Float32Array.from(this.pressure.density),
          velocityVariance: Float32Array.from(this.pressure.variance),
          pressure: Float32Array.from(this.pressure.pressure),
          vx: Float32Array.from(this.pressure.vx),
          vy: Float32Array.from(this.pressure.vy),
        };
      }
    }

    if (!outOfOrder && dtMs > 0) {
      const dt = Math.min(dtMs, o.maxFrameGapMs);
      if (ground) this.heat.add(m, this.gx, this.gy, dt);
      else this.heat.add(m, this.fx, this.fy, dt);
      this.busy.add(t, dt, camera.count);
    }

    const elapsed = this.firstTs === null ? 0 : t - this.firstTs;
    const lines = this.lineCounters.map((lc) => lc.metrics(t, elapsed, !outOfOrder));
    const crossings = this.lineCounters.flatMap((lc) => lc.crossings.splice(0));
    if (!outOfOrder) this.store.expire(t);

    return {
      cameraId: this.cameraId,
      timestampMs: t,
      outOfOrder,
      calibration: { kind: this.calibration.kind, approximate: this.calibration.approximate, groundAvailable: ground },
      tracks: { total: n, confirmed: confirmedCount, unconfirmed: n - confirmedCount },
      camera,
      zones,
      velocity,
      direction,
      lines,
      pressure,
      grid,
      perTrack,
      crossings,
    };
  }

  /** Count, density, levels and surge of one area over the n tracks of this frame (before compaction). */
  private areaMetrics(def: AreaDef, n: number, t: number, outOfOrder: boolean): AreaMetrics {
    const o = this.options;
    const [x0, y0, x1, y1] = def.bbox;
    let count = 0;
    const speeds: number[] = [];
    for (let i = 0; i < n; i++) {
      if (!this.counted[i]) continue;
      const x = this.fx[i];
      const y = this.fy[i];
      if (x < x0 || x > x1 || y < y0 || y > y1 || !pointInPolygon(x, y, def.polygon)) continue;
      count++;
      if (this.valid[i]) speeds.push(this.sp[i]);
    }
    const density = def.areaM2 > 0 ? count / def.areaM2 : 0;
    const med = median(speeds);
    const crowdState = speeds.length > 0 && med < o.stagnationSpeedMps ? 'standing' : 'moving';
    if (!outOfOrder) def.series.push(t, density);
    const surge = def.series.slopePerSecond(t);
    return {
      count,
      areaM2: def.areaM2,
      density,
      areaPerPersonM2: count > 0 && def.areaM2 > 0 ? def.areaM2 / count : null,
      capacity: def.capacity,
      utilisation: def.capacity ? count / def.capacity : null,
      losWalkway: fruinWalkwayLos(density),
      losQueue: fruinQueueLos(density),
      crowdState,
      stillBand: stillBand(density, crowdState, o.still),
      meanSpeedMps: mean(speeds),
      stagnant: speeds.length > 0 && med < o.stagnationSpeedMps,
      surge: {
        ratePerM2PerS: surge.slope,
        level: surgeLevel(surge.slope, o.surgeWarningRate, o.surgeCriticalRate),
        ready: surge.ready,
      },
    };
  }

  /** The live heatmap (copies). */
  heatmap(): HeatmapSnapshot {
    return {
      grid: { ...this.grid },
      halfLifeMs: this.options.heatmapHalfLifeMs,
      live: Float32Array.from(this.heat.live),
      totalPersonSeconds: Float32Array.from(this.heat.total),
    };
  }

  /**
   * The heatmap as PNG bytes, blue -> yellow -> red: 'live' (decaying average, default) or 'total'
   * (person-seconds since start). Ground grids are drawn map-like (+Y up).
   */
  heatmapPng(opts: HeatmapRenderOptions & { layer?: 'live' | 'total' } = {}): Uint8Array {
    const values = opts.layer === 'total' ? this.heat.total : this.heat.live;
    const { rgba, width, height } = renderGridRgba(values, this.grid, opts);
    return encodePng(rgba, width, height);
  }

  /**
   * The live ground heatmap warped into the camera view as a PNG of outWidth x outHeight (transparent where
   * empty), for overlaying on the video. Null without a ground mapping (use `heatmapPng`: its grid is the image).
   */
  heatmapOverlayPng(outWidth: number, outHeight: number, opts: Omit<HeatmapRenderOptions, 'scale' | 'yUp'> = {}): Uint8Array | null {
    if (!this.h) return null;
    return encodePng(renderGridInImage(this.heat.live, this.grid, this.calibration, outWidth, outHeight, opts), outWidth, outHeight);
  }

  /** The 7 x 24 busy-hours table (copy). */
  busyHours(): BusyHours {
    return this.busy.snapshot();
  }

  /** Restores a persisted busy-hours table. */
  restoreBusyHours(data: BusyHours): void {
    this.busy.restore(data);
  }

  stateSize(): AnalyzerStateSize {
    return {
      tracks: this.store.size,
      pooledTracks: this.store.pooled,
      maxTracks: this.options.maxTracks,
      historyCapacityPerTrack: this.options.maxHistory,
      lines: this.lineCounters.length,
      zones: this.zones.length,
      gridCells: this.grid.cols * this.grid.rows,
      densitySeries: (1 + this.zones.length) * this.options.surgeMaxSamples,
      busyHourBuckets: 168,
      evictedTracks: this.store.evictedTotal,
    };
  }
}
