// Per-camera crowd analytics in real units: the stored calibration/layout -> a CrowdAnalyzer config (validated with
// the analytics lib), and the per-second aggregation of its per-frame output into a metrics row + `analytics` event.
import type { LiveAnalytics, LiveLevelOfService, RiskLevel } from '@crowdsafe/contracts';
import {
  calibrateFromMatrix,
  calibrateHomography,
  calibrateManual,
  calibrateScale,
  validateLayout,
  type AnalyzerOptions,
  type Calibration,
  type CalibrationPoint,
  type CountingLine,
  type FrameAnalytics,
  type FrameSize,
  type Validated,
  type ValidationIssue,
  type Vec2,
  type Zone,
} from '@crowdsafe/analytics';

/**
 * The stored inputs of a camera's analytics (CameraRecord columns + settings.analytics):
 * - `calibrationData` (CameraRecord.calibrationData): either a `Calibration` as produced by the analytics lib
 *   (`kind`, `frame`, `imageToGround`, ...: stored as is, re-validated here), or the raw inputs, validated and
 *   turned into one here: `{ frame, points: [{ image, world }...], floorPolygon? }` (homography),
 *   `{ frame, scale: { a, b, distanceM }, floorPolygon? }` or `{ frame, manual: { floorAreaM2 }, floorPolygon? }`.
 *   Image coordinates are pixels of a `frame`-sized image; the runtime rescales boxes from the decoded size.
 * - `zones` (CameraRecord.zones): Zone[] (`{ id, name, polygon, capacity?, areaM2? }`).
 * - `lines` (CameraRecord.settings.analytics.lines): CountingLine[] (`{ id, name, a, b, inDirection, widthM }`).
 * - `capacity` (CameraRecord.capacity): safe occupancy of the camera floor region.
 */
export interface CameraAnalyticsInput {
  calibrationData?: unknown;
  zones?: unknown;
  lines?: unknown;
  capacity?: number | null;
}

export type CameraAnalyticsSetup =
  /** No calibration stored: counting only (`analytics: null` in metrics_update). */
  | { state: 'uncalibrated' }
  /** Calibration or layout invalid: counting only, analytics off with the reason (every issue, field first). */
  | { state: 'off'; reason: string; issues: ValidationIssue[] }
  | { state: 'on'; calibration: Calibration; zones: Zone[]; lines: CountingLine[]; capacity?: number; warnings: string[] };

/** Live-pipeline analyzer options: no per-frame grid/track snapshots (the runtime reads only aggregates). */
export const LIVE_ANALYZER_OPTIONS: Partial<AnalyzerOptions> = { includeGrid: false, includeTracks: false };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const issueText = (i: ValidationIssue): string => `${i.path ? `${i.path}: ` : ''}${i.message}`;

function prefixed(issues: ValidationIssue[], prefix: string): ValidationIssue[] {
  return issues.map((i) => ({ ...i, path: i.path ? `${prefix}.${i.path}` : prefix }));
}

function fail(issues: ValidationIssue[]): CameraAnalyticsSetup {
  const errors = issues.filter((i) => i.severity === 'error');
  return { state: 'off', reason: (errors.length ? errors : issues).map(issueText).join('; '), issues };
}

/** `calibrationData` -> a validated Calibration (stored one or built from raw inputs). */
export function calibrationOf(data: unknown): Validated<Calibration> {
  const P = 'calibrationData';
  const bad = (code: string, message: string, path = P): Validated<Calibration> => ({ ok: false, issues: [{ severity: 'error', code, message, path }] });
  if (!isObject(data)) return bad('invalid-calibration', 'must be an object (a Calibration, or { frame, points | scale | manual }).');
  const frame = data['frame'] as FrameSize;
  const floorPolygon = Array.isArray(data['floorPolygon']) ? (data['floorPolygon'] as Vec2[]) : undefined;
  let r: Validated<Calibration>;
  if (typeof data['kind'] === 'string') {
    // A stored Calibration: re-validate its mapping through the lib, keep the stored object.
    const kind = data['kind'];
    if (kind === 'manual') r = calibrateManual({ frame, floorAreaM2: data['floorAreaM2'] as number, floorPolygon });
    else if (kind === 'homography' || kind === 'scale') {
      const m = data['imageToGround'];
      if (!Array.isArray(m) || m.length !== 9 || !m.every((v) => Number.isFinite(v))) return bad('invalid-matrix', 'imageToGround must be 9 finite numbers.', `${P}.imageToGround`);
      r = calibrateFromMatrix({ frame, imageToGround: m as number[], floorPolygon });
    } else return bad('invalid-kind', `kind must be 'homography', 'scale' or 'manual' (got '${String(kind)}').`, `${P}.kind`);
    if (r.ok) {
      const stored = data as unknown as Calibration;
      const value: Calibration = { ...r.value, kind: stored.kind, approximate: stored.approximate !== false || stored.kind !== 'homography', warnings: Array.isArray(stored.warnings) ? stored.warnings : r.value.warnings };
      r = { ok: true, value, issues: r.issues };
    }
  } else if (data['points'] !== undefined) {
    r = calibrateHomography({ frame, points: data['points'] as CalibrationPoint[], floorPolygon });
  } else if (isObject(data['scale'])) {
    const s = data['scale'];
    r = calibrateScale({ frame, a: s['a'] as Vec2, b: s['b'] as Vec2, distanceM: s['distanceM'] as number, floorPolygon });
  } else if (isObject(data['manual'])) {
    r = calibrateManual({ frame, floorAreaM2: data['manual']['floorAreaM2'] as number, floorPolygon });
  } else {
    return bad('invalid-calibration', "needs 'kind' (a stored Calibration) or one of 'points', 'scale', 'manual'.");
  }
  return r.ok ? { ...r, issues: prefixed(r.issues, P) } : { ok: false, issues: prefixed(r.issues, P) };
}

/**
 * Validates a camera's stored analytics inputs. Never throws: anything wrong turns analytics off with a reason that
 * names the field, so that the camera keeps counting.
 */
export function resolveCameraAnalytics(input: CameraAnalyticsInput): CameraAnalyticsSetup {
  const { calibrationData } = input;
  if (calibrationData === null || calibrationData === undefined || (isObject(calibrationData) && Object.keys(calibrationData).length === 0)) {
    return { state: 'uncalibrated' };
  }
  const cal = calibrationOf(calibrationData);
  if (!cal.ok) return fail(cal.issues);
  const structural: ValidationIssue[] = [];
  const zones = input.zones ?? [];
  const lines = input.lines ?? [];
  if (!Array.isArray(zones)) structural.push({ severity: 'error', code: 'invalid-zones', message: 'must be an array of zones.', path: 'zones' });
  if (!Array.isArray(lines)) structural.push({ severity: 'error', code: 'invalid-lines', message: 'must be an array of counting lines.', path: 'settings.analytics.lines' });
  const capacity = input.capacity ?? undefined;
  if (capacity !== undefined && !(Number.isFinite(capacity) && capacity > 0)) {
    structural.push({ severity: 'error', code: 'invalid-capacity', message: `must be a positive number (got ${capacity}).`, path: 'capacity' });
  }
  if (structural.length) return fail(structural);
  let layout: ValidationIssue[];
  try {
    layout = validateLayout(cal.value, zones as Zone[], lines as CountingLine[]).map((i) => ({
      ...i,
      path: i.path?.startsWith('lines') ? `settings.analytics.${i.path}` : i.path,
    }));
  } catch (e) {
    // Malformed entries the validator did not anticipate (e.g. a zone that is not an object).
    layout = [{ severity: 'error', code: 'invalid-layout', message: e instanceof Error ? e.message : String(e), path: 'zones/lines' }];
  }
  if (layout.some((i) => i.severity === 'error')) return fail(layout);
  return {
    state: 'on',
    calibration: cal.value,
    zones: zones as Zone[],
    lines: lines as CountingLine[],
    ...(capacity === undefined ? {} : { capacity }),
    warnings: [...cal.issues, ...layout].filter((i) => i.severity === 'warning').map(issueText),
  };
}

/** The analytics part of one open second (accumulated per processed frame). */
export interface AnalyticsSecondAcc {
  frames: number;
  densitySum: number;
  speedSum: number;
  speedFrames: number;
  flowIn: number;
  flowOut: number;
  pressureMax: number;
  /** The second's latest frame (levels, indices, zones and lines are those of the last frame). */
  last: FrameAnalytics;
}

/** Adds one frame's analytics (with the line crossings since the previous frame) to a second's accumulator. */
export function accumulateAnalytics(acc: AnalyticsSecondAcc | undefined, a: FrameAnalytics, crossed: { in: number; out: number }): AnalyticsSecondAcc {
  const speed = a.velocity.available && a.velocity.samples > 0;
  const pressure = a.pressure.available ? a.pressure.maxPressure : 0;
  if (!acc) {
    return { frames: 1, densitySum: a.camera.density, speedSum: speed ? a.velocity.meanMps : 0, speedFrames: speed ? 1 : 0, flowIn: crossed.in, flowOut: crossed.out, pressureMax: pressure, last: a };
  }
  acc.frames++;
  acc.densitySum += a.camera.density;
  if (speed) {
    acc.speedSum += a.velocity.meanMps;
    acc.speedFrames++;
  }
  acc.flowIn += crossed.in;
  acc.flowOut += crossed.out;
  acc.pressureMax = Math.max(acc.pressureMax, pressure);
  acc.last = a;
  return acc;
}

/** Total crossings over every line since the analyzer started. */
export function lineTotals(a: FrameAnalytics): { in: number; out: number } {
  let i = 0;
  let o = 0;
  for (const l of a.lines) {
    i += l.inTotal;
    o += l.outTotal;
  }
  return { in: i, out: o };
}

const r3 = (v: number): number => Math.round(v * 1000) / 1000;
const r4 = (v: number): number => Math.round(v * 10000) / 10000;

/**
 * The compact live object of a second (metrics_update.analytics). `source`: the operator's calibration, or one
 * estimated automatically from people's heights ('approximate').
 */
export function liveAnalyticsOf(acc: AnalyticsSecondAcc, source: 'calibrated' | 'approximate' = 'calibrated'): LiveAnalytics {
  const a = acc.last;
  const ground = a.calibration.groundAvailable;
  const moving = a.direction.available && a.direction.movingCount > 0;
  return {
    status: 'on',
    calibration: a.calibration.kind,
    approximate: a.calibration.approximate || source === 'approximate',
    calibrationSource: source,
    density: r4(acc.densitySum / acc.frames),
    velocity: acc.speedFrames ? r3(acc.speedSum / acc.speedFrames) : null,
    surge: a.camera.surge.ready ? r4(a.camera.surge.ratePerM2PerS) : null,
    surgeLevel: a.camera.surge.level,
    flowIn: acc.flowIn,
    flowOut: acc.flowOut,
    stillBand: a.camera.stillBand,
    losWalkway: a.camera.losWalkway,
    counterFlowIndex: moving ? r3(a.direction.counterFlowIndex) : null,
    chaoticIndex: moving ? r3(a.direction.chaoticIndex) : null,
    pressureMax: ground && a.pressure.available ? r4(acc.pressureMax) : null,
    pressureCritical: a.pressure.available && a.pressure.critical,
    stagnant: a.camera.stagnant,
    zones: a.zones.map((z) => ({
      id: z.id,
      name: z.name,
      count: z.count,
      density: r4(z.density),
      utilisation: z.utilisation === null ? null : r3(z.utilisation),
      losWalkway: z.losWalkway as LiveLevelOfService,
      stillBand: z.stillBand as RiskLevel,
    })),
    lines: a.lines.map((l) => ({
      id: l.id,
      name: l.name,
      inTotal: l.inTotal,
      outTotal: l.outTotal,
      inPerMin: r3(l.inPerMin),
      outPerMin: r3(l.outPerMin),
      flowPerMPerMin: r3(l.specificFlowPerMPerMin),
      losFlow: l.losFlow as LiveLevelOfService,
      bottleneck: l.bottleneck,
    })),
  };
}

/** Analytics 'off' (invalid calibration/layout): every metric null, the reason kept. */
export function analyticsOff(reason: string): LiveAnalytics {
  return {
    status: 'off',
    reason,
    calibration: null,
    approximate: false,
    density: null,
    velocity: null,
    surge: null,
    surgeLevel: 'none',
    flowIn: 0,
    flowOut: 0,
    stillBand: null,
    losWalkway: null,
    counterFlowIndex: null,
    chaoticIndex: null,
    pressureMax: null,
    pressureCritical: false,
    stagnant: false,
    zones: [],
    lines: [],
  };
}

/** Metric-row columns of a second from its compact analytics (null columns when unavailable). */
export function metricColumnsOf(live: LiveAnalytics | null): { density: number | null; velocity: number | null; surge: number | null; flowIn: number | null; flowOut: number | null } {
  if (!live || live.status !== 'on') return { density: null, velocity: null, surge: null, flowIn: null, flowOut: null };
  const flows = live.lines.length > 0;
  return { density: live.density, velocity: live.velocity, surge: live.surge, flowIn: flows ? live.flowIn : null, flowOut: flows ? live.flowOut : null };
}

/** The row's metadata.analytics: the extras that have no column (compact). */
export function metadataOf(live: LiveAnalytics | null, uncalibratedReason: string): Record<string, unknown> {
  if (!live) return { status: 'uncalibrated', reason: uncalibratedReason };
  if (live.status !== 'on') return { status: 'off', reason: live.reason };
  return {
    status: 'on',
    calibration: live.calibration,
    approximate: live.approximate,
    calibrationSource: live.calibrationSource ?? 'calibrated',
    stillBand: live.stillBand,
    losWalkway: live.losWalkway,
    surgeLevel: live.surgeLevel,
    counterFlowIndex: live.counterFlowIndex,
    chaoticIndex: live.chaoticIndex,
    pressureMax: live.pressureMax,
    pressureCritical: live.pressureCritical,
    stagnant: live.stagnant,
    zones: live.zones.map((z) => ({ id: z.id, count: z.count, density: z.density, los: z.losWalkway, still: z.stillBand, utilisation: z.utilisation })),
    lines: live.lines.map((l) => ({ id: l.id, in: l.inTotal, out: l.outTotal, flowPerMPerMin: l.flowPerMPerMin, los: l.losFlow, bottleneck: l.bottleneck })),
  };
}
