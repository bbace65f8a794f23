import type { DetectOptions, TilingMode } from '@crowdsafe/contracts';
import type { NormalizedPoint, RoiPolygon } from './roi';

/**
 * Per-camera detection settings, stored as `CameraRecord.settings.detection` (and the `--config` file of
 * `crowdsafe analyze` as `{ "detection": { ... } }`). Every field is optional; omitted ones take the global config
 * (DETECT_CONFIDENCE, NMS_IOU, MAX_DETECTIONS; tiling 'off'; no ROI = the whole frame).
 */
export interface CameraDetectionSettings {
  /** Minimum detection confidence, 0.01..1. */
  confidence?: number;
  /** NMS IoU threshold, 0.01..1. */
  iou?: number;
  /** Maximum detections per frame after NMS, integer 1..10000. */
  maxDetections?: number;
  tiling?: TilingMode;
  /**
   * Counting region: a polygon of 3..64 [x, y] vertices normalised to the frame (0..1, origin top-left). A person is
   * counted when the bottom-centre of their box (the feet) lies inside. Omitted or null = the whole frame.
   */
  roi?: RoiPolygon | null;
  /**
   * Global motion compensation for the tracker: 'off' (default: fixed cameras) or 'sparseOptFlow' (moving/PTZ or
   * shaking cameras; ~30-50 ms of CPU per 1280x720 frame on the processing thread).
   */
  gmc?: GmcMode;
}

export type GmcMode = 'off' | 'sparseOptFlow';
const GMC_MODES: readonly GmcMode[] = ['off', 'sparseOptFlow'];

/** The global defaults the per-camera settings fall back to. */
export interface DetectionDefaults {
  confidence: number;
  iou: number;
  maxDetections: number;
}

/** Invalid detection settings; `problems` lists every one found, the message joins them. */
export class DetectionSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid detection settings: ${problems.join('; ')}`);
    this.name = 'DetectionSettingsError';
  }
}

const KEYS: ReadonlyArray<keyof CameraDetectionSettings> = ['confidence', 'iou', 'maxDetections', 'tiling', 'roi', 'gmc'];
const TILING: readonly TilingMode[] = ['off', 'on', 'auto', 'scheduled'];
const MAX_ROI_VERTICES = 64;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * Validates `raw` (e.g. `CameraRecord.settings.detection`) and returns the settings. `undefined`/`null` = no
 * per-camera settings. Unknown keys are errors (a typo must not silently fall back to the default). Throws
 * DetectionSettingsError naming every bad field with `where` as prefix.
 */
export function parseDetectionSettings(raw: unknown, where = 'settings.detection'): CameraDetectionSettings {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw new DetectionSettingsError([`${where} must be an object, got ${describe(raw)}`]);
  const problems: string[] = [];
  const out: CameraDetectionSettings = {};
  const unknown = Object.keys(raw).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length) {
    problems.push(`${where} has unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} (allowed: ${KEYS.join(', ')})`);
  }
  const unit = (key: 'confidence' | 'iou'): void => {
    const v = raw[key];
    if (v === undefined) return;
    if (typeof v !== 'number' || !(v >= 0.01 && v <= 1)) problems.push(`${where}.${key} must be a number in [0.01, 1], got ${describe(v)}`);
    else out[key] = v;
  };
  unit('confidence');
  unit('iou');
  const max = raw['maxDetections'];
  if (max !== undefined) {
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > 10000) {
      problems.push(`${where}.maxDetections must be an integer in [1, 10000], got ${describe(max)}`);
    } else out.maxDetections = max;
  }
  const tiling = raw['tiling'];
  if (tiling !== undefined) {
    if (!TILING.includes(tiling as TilingMode)) problems.push(`${where}.tiling must be one of ${TILING.map((t) => `'${t}'`).join(', ')}, got ${describe(tiling)}`);
    else out.tiling = tiling as TilingMode;
  }
  const gmc = raw['gmc'];
  if (gmc !== undefined) {
    if (!GMC_MODES.includes(gmc as GmcMode)) problems.push(`${where}.gmc must be one of ${GMC_MODES.map((g) => `'${g}'`).join(', ')}, got ${describe(gmc)}`);
    else out.gmc = gmc as GmcMode;
  }
  const roi = raw['roi'];
  if (roi !== undefined && roi !== null) {
    const roiProblems = roiErrors(roi, `${where}.roi`);
    if (roiProblems.length) problems.push(...roiProblems);
    else out.roi = (roi as number[][]).map(([x, y]): NormalizedPoint => [x, y]);
  } else if (roi === null) out.roi = null;
  if (problems.length) throw new DetectionSettingsError(problems);
  return out;
}

function roiErrors(roi: unknown, where: string): string[] {
  if (!Array.isArray(roi) || roi.length < 3 || roi.length > MAX_ROI_VERTICES) {
    return [`${where} must be an array of 3 to ${MAX_ROI_VERTICES} [x, y] points normalised to the frame (0..1), got ${describe(roi)}`];
  }
  const problems: string[] = [];
  roi.forEach((p: unknown, i) => {
    const ok = Array.isArray(p) && p.length === 2 && p.every((c) => typeof c === 'number' && c >= 0 && c <= 1);
    if (!ok) problems.push(`${where}[${i}] must be [x, y] with 0 <= x, y <= 1 (fractions of the frame), got ${describe(p)}`);
  });
  if (!problems.length && polygonArea(roi as number[][]) < 1e-6) problems.push(`${where} encloses no area`);
  return problems;
}

/** Absolute shoelace area of a polygon. */
function polygonArea(points: readonly (readonly number[])[]): number {
  let twice = 0;
  for (let i = 0, j = points.length - 1; i < points.length; j = i++) twice += points[j][0] * points[i][1] - points[i][0] * points[j][1];
  return Math.abs(twice) / 2;
}

/** Detection options for one camera: its settings over the global defaults (tiling only when set). */
export function resolveDetectOptions(settings: CameraDetectionSettings, defaults: DetectionDefaults): DetectOptions {
  return {
    confidence: settings.confidence ?? defaults.confidence,
    iou: settings.iou ?? defaults.iou,
    maxDetections: settings.maxDetections ?? defaults.maxDetections,
    ...(settings.tiling !== undefined ? { tiling: settings.tiling } : {}),
  };
}
