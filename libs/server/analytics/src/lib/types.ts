import type { BBox, RiskLevel } from '@crowdsafe/contracts';

/** A 2-D point `[x, y]`: image pixels (x right, y down) or ground metres, as each field says. */
export type Vec2 = readonly [number, number];

/** One tracked person in one processed frame (from the tracker). */
export interface TrackInput {
  /** Tracker id, stable across frames. */
  id: number;
  /** Box in source-frame pixels; the foot point is its bottom-centre. */
  box: BBox;
  score: number;
  /** False while the tracker still considers the track tentative; such ids never count in flow. */
  confirmed: boolean;
}

/** Input of `CrowdAnalyzer.update`, one per processed frame. */
export interface AnalyticsFrame {
  /** Capture time, epoch milliseconds. */
  timestampMs: number;
  tracks: readonly TrackInput[];
  /**
   * Overrides the analyzer's `countUnconfirmed` for this frame: the pipeline sets it while its tracker warms up
   * (after a reset the count is the detection count, so densities count the not-yet-confirmed tracks too).
   */
  countUnconfirmed?: boolean;
}

/** A monitored area drawn on the camera image. */
export interface Zone {
  id: string;
  name: string;
  /** Simple polygon (>= 3 vertices, no self-intersection) in image pixels, inside the frame. */
  polygon: readonly Vec2[];
  /** Maximum safe occupancy in people (from the venue's safety plan); utilisation = count / capacity. */
  capacity?: number;
  /**
   * Manually surveyed floor area in m². Overrides the area computed through the calibration (and is the only
   * area source under a `manual` calibration).
   */
  areaM2?: number;
}

/** `'left'` or `'right'` of the directed segment a->b as seen ON SCREEN (image y axis pointing down). */
export type LineSide = 'left' | 'right';

/** A counting line drawn on the camera image. */
export interface CountingLine {
  id: string;
  name: string;
  /** Endpoints in image pixels, inside the frame. */
  a: Vec2;
  b: Vec2;
  /**
   * A crossing towards this side of a->b counts as "in", the other way as "out". Example: a = [100, 500],
   * b = [900, 500] (a horizontal line drawn left to right): 'left' is the upper part of the image, so walking up
   * the image counts as in.
   */
  inDirection: LineSide;
  /** Physical clear width of the passage the line spans, metres (for flow per metre of width). */
  widthM: number;
}

/** Size of the camera frame in pixels. */
export interface FrameSize {
  width: number;
  height: number;
}

/** An image point with its surveyed ground-plane position in metres. */
export interface CalibrationPoint {
  image: Vec2;
  world: Vec2;
}

/** How a calibration was obtained. */
export type CalibrationKind = 'homography' | 'scale' | 'manual';

/**
 * Camera calibration: plain JSON-serialisable data (store it as is). Build one with `calibrateHomography`,
 * `calibrateScale`, `calibrateFromMatrix` or `calibrateManual`; never construct by hand.
 */
export interface Calibration {
  kind: CalibrationKind;
  /** True unless a full ground-plane homography was fitted (scale and manual calibrations are approximate). */
  approximate: boolean;
  frame: FrameSize;
  /**
   * Image -> ground homography, row-major 3x3 (9 numbers), scaled so that w > 0 in front of the camera; null for
   * `manual`. Ground coordinates are metres in the frame of the surveyed world points (for `scale`: x right,
   * y up, origin at the image origin).
   */
  imageToGround: number[] | null;
  /** Inverse of `imageToGround` (ground -> image), same conventions; null for `manual`. */
  groundToImage: number[] | null;
  /**
   * The floor region the camera-level count and density refer to, image pixels (defaults to the whole frame when
   * the whole frame lies on the ground plane, else to the convex hull of the calibration points).
   */
  floorPolygon: Vec2[];
  /** Ground area of `floorPolygon` in m² (manual: as entered). */
  floorAreaM2: number;
  /** Fit quality (homography only; 0 otherwise). RMS / max reprojection error, image pixels and ground metres. */
  rmsErrorPx: number;
  rmsErrorM: number;
  maxErrorPx: number;
  maxErrorM: number;
  /** Number of correspondences used (homography), 2 (scale), 0 otherwise. */
  pointCount: number;
  /** Non-fatal remarks, e.g. "exactly 4 points: the reprojection error is 0 by construction". */
  warnings: string[];
}

export type IssueSeverity = 'error' | 'warning';

/** One validation finding with a message meant for the operator. */
export interface ValidationIssue {
  severity: IssueSeverity;
  /** Stable machine code, e.g. `too-few-points`, `collinear-points`, `self-intersecting-polygon`. */
  code: string;
  message: string;
  /** Which input it refers to, e.g. `points[3]`, `zones[entrance].polygon`, `lines[gate-a].b`. */
  path?: string;
}

/** Result of a builder or validator: the value when there is no error, plus every issue found. */
export type Validated<T> =
  | { ok: true; value: T; issues: ValidationIssue[] }
  | { ok: false; issues: ValidationIssue[] };

/** Fruin level of service, A (free) to F (breakdown). */
export type LevelOfService = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

/** G. K. Still density band, expressed on the product's risk scale. */
export type StillBand = RiskLevel;

/** Whether a crowd is treated as moving or standing for the Still bands. */
export type CrowdState = 'moving' | 'standing';

export type SurgeLevel = 'none' | 'warning' | 'critical';

export interface SurgeMetrics {
  /** Linear-regression slope of density over the surge window, people/m²/s (signed). */
  ratePerM2PerS: number;
  /** 'warning' at >= 0.5, 'critical' at >= 0.8 people/m²/s (rising density only). */
  level: SurgeLevel;
  /** False until the window holds >= 3 samples spanning at least half of it (rate is 0 then). */
  ready: boolean;
}

/** Count/density metrics of one area (the camera floor or a zone). */
export interface AreaMetrics {
  /** Confirmed tracks whose foot point lies in the area. */
  count: number;
  /** Ground area used for density, m² (0 when unknown). */
  areaM2: number;
  /** People per m² (0 when the area is unknown). */
  density: number;
  /** m² per person (null when nobody is there or the area is unknown). */
  areaPerPersonM2: number | null;
  capacity: number | null;
  /** count / capacity (null without a capacity). */
  utilisation: number | null;
  /** Fruin walkway level of service from the area per person. */
  losWalkway: LevelOfService;
  /** Fruin queuing level of service from the area per person. */
  losQueue: LevelOfService;
  /** Moving if the median speed of its people >= the stagnation speed (moving when unknown: stricter band). */
  crowdState: CrowdState;
  stillBand: StillBand;
  /** Mean smoothed ground speed of its people with a valid velocity, m/s (0 if none). */
  meanSpeedMps: number;
  /** Median ground speed < stagnation speed with at least one valid velocity. */
  stagnant: boolean;
  surge: SurgeMetrics;
}

export interface ZoneMetrics extends AreaMetrics {
  id: string;
  name: string;
  areaSource: 'homography' | 'scale' | 'manual' | 'none';
}

export interface VelocityStats {
  /** False without a ground mapping (manual calibration): all figures are 0 then. */
  available: boolean;
  /** Confirmed tracks with a valid smoothed velocity. */
  samples: number;
  meanMps: number;
  medianMps: number;
  /** Population standard deviation of the speeds. */
  stdMps: number;
  maxMps: number;
  /** Median speed < stagnation speed (default 0.2 m/s) with at least one sample. */
  stagnant: boolean;
}

export interface DirectionStats {
  available: boolean;
  /** Confirmed tracks moving at >= the moving speed (their headings make the statistics). */
  movingCount: number;
  /** Histogram of headings: bin k is centred on k * 360 / bins degrees (counter-clockwise from ground +X). */
  histogram: number[];
  /** Predominant heading in degrees [0, 360), or null when nobody moves. */
  dominantHeadingDeg: number | null;
  /** Share of moving people heading more than 90 degrees away from the dominant heading, 0..1. */
  counterFlowIndex: number;
  /** Circular variance of the headings (1 - mean resultant length), 0 (all aligned) .. 1 (no preferred heading). */
  chaoticIndex: number;
}

export interface LineMetrics {
  id: string;
  name: string;
  /** Crossings since the analyzer started. */
  inTotal: number;
  outTotal: number;
  /** Rates over the sliding flow window (default 60 s), people/min. */
  inPerMin: number;
  outPerMin: number;
  netPerMin: number;
  /** Window the rates were computed over, ms (shorter than the configured window right after start). */
  rateWindowMs: number;
  /** (in + out) per metre of width per minute. */
  specificFlowPerMPerMin: number;
  /** specificFlow / 82 p/m/min (Fruin's maximum walkway flow). */
  flowCapacityRatio: number;
  /** Fruin walkway level of service from the specific flow. */
  losFlow: LevelOfService;
  /** Inflow has exceeded outflow (by the configured margin) continuously for at least the persistence time. */
  bottleneck: boolean;
  /** For how long the inflow has exceeded the outflow, ms (0 when it does not). */
  inExceedsOutForMs: number;
}

export interface PressureStats {
  available: boolean;
  mode: 'spatial' | 'temporal';
  /** Maximum crowd pressure P = rho * Var(v) over the grid, 1/s². */
  maxPressure: number;
  /** Ground position (cell centre, metres) of the maximum, null when the maximum is 0. */
  maxAt: Vec2 | null;
  /** Maximum Gaussian-weighted local density over the grid, people/m². */
  maxLocalDensity: number;
  /** P >= the critical pressure (default 0.02 /s², Helbing et al. 2007). */
  critical: boolean;
}

/** Ground-plane grid geometry: cell (i, j) has its centre at (originX + (i + .5) cellM, originY + (j + .5) cellM). */
export interface GridGeometry {
  space: 'ground' | 'image';
  originX: number;
  originY: number;
  /** Cell edge: metres (ground) or pixels (image). */
  cell: number;
  cols: number;
  rows: number;
}

/** Per-cell fields of the frame (row-major, index j * cols + i). */
export interface GroundGridSnapshot extends GridGeometry {
  /** Gaussian-weighted local density, people/m². */
  density: Float32Array;
  /** Local velocity variance, m²/s². */
  velocityVariance: Float32Array;
  /** Crowd pressure density * variance, 1/s². */
  pressure: Float32Array;
  /** Gaussian-weighted local mean velocity (flow vectors), m/s. */
  vx: Float32Array;
  vy: Float32Array;
}

export interface TrackKinematics {
  id: number;
  confirmed: boolean;
  /** Foot point, image pixels. */
  image: Vec2;
  /** Foot point on the ground, metres (null without a ground mapping or above the horizon). */
  ground: Vec2 | null;
  /** Smoothed ground velocity, m/s (0 when not valid). */
  vx: number;
  vy: number;
  speedMps: number;
  /** Heading in degrees [0, 360), counter-clockwise from ground +X (0 when not valid). */
  headingDeg: number;
  /** Enough history for a velocity and under the plausibility cap. */
  velocityValid: boolean;
}

export interface FrameAnalytics {
  cameraId: string;
  timestampMs: number;
  /** True when the timestamp was not after the previous frame's: temporal state was left untouched. */
  outOfOrder: boolean;
  calibration: { kind: CalibrationKind; approximate: boolean; groundAvailable: boolean };
  tracks: { total: number; confirmed: number; unconfirmed: number };
  camera: AreaMetrics;
  zones: ZoneMetrics[];
  velocity: VelocityStats;
  direction: DirectionStats;
  lines: LineMetrics[];
  pressure: PressureStats;
  /** Per-cell fields (null without ground mapping or when `includeGrid` is off). */
  grid: GroundGridSnapshot | null;
  /** Per-track kinematics (empty when `includeTracks` is off). */
  perTrack: TrackKinematics[];
  /** Counting-line crossings counted in this frame (at most one per track and line), oldest first. */
  crossings: LineCrossing[];
}

/** One counted crossing of a counting line by a track. */
export interface LineCrossing {
  lineId: string;
  lineName: string;
  direction: 'in' | 'out';
  /** The track id given to the analyzer. */
  trackId: number;
  /** The frame's timestamp (epoch ms). */
  timestampMs: number;
}
