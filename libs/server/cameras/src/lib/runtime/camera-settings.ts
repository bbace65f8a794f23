// The one parse/validate point of a camera's `settings` (CameraRecord.settings): every part typed (CameraSettings)
// and checked by its owner's validator (detection: parseDetectionSettings; risk: validateRiskConfig; annotation:
// annotationProblem), so the API refuses what the runtime would reject. Geometry of counting lines (inside the
// frame, width) needs the calibration and is checked with it by resolveCameraAnalytics.
import { type CalibrationData, CAMERA_SETTINGS_KEYS, type CameraCountingLine, type CameraSettings, type CameraVec2, type CameraZone } from '@crowdsafe/contracts';
import { validateRiskConfig } from '@crowdsafe/risk';
import { DetectionSettingsError, parseDetectionSettings } from '@crowdsafe/vision';
import { annotationProblem } from './annotation';

/** Invalid camera settings; `problems` names every bad field by its path (`settings.detection.confidence ...`). */
export class CameraSettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
    this.name = 'CameraSettingsError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates stored or posted settings and returns them typed. `undefined`/`null` = `{}`. Unknown keys are errors at
 * every level (as the API's ValidationPipe). Detection comes back normalised (parseDetectionSettings); the other
 * parts as given. Throws CameraSettingsError listing every problem.
 */
export function parseCameraSettings(raw: unknown, where = 'settings'): CameraSettings {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) throw new CameraSettingsError([`${where} must be an object`]);
  const problems: string[] = [];
  const out: CameraSettings = {};
  for (const key of Object.keys(raw)) {
    if (!(CAMERA_SETTINGS_KEYS as readonly string[]).includes(key)) problems.push(`${where}.${key}: unknown field (allowed: ${CAMERA_SETTINGS_KEYS.join(', ')})`);
  }
  try {
    if (raw['detection'] !== undefined) {
      const { roi, ...rest } = parseDetectionSettings(raw['detection'], `${where}.detection`);
      out.detection = { ...rest, ...(roi === undefined ? {} : { roi: roi === null ? null : roi.map(([x, y]): CameraVec2 => [x, y]) }) };
    }
  } catch (err) {
    if (!(err instanceof DetectionSettingsError)) throw err;
    problems.push(...err.problems);
  }
  const analytics = raw['analytics'];
  if (analytics !== undefined) {
    const lines = isObject(analytics) ? analytics['lines'] : undefined;
    if (!isObject(analytics)) problems.push(`${where}.analytics must be an object { lines? }`);
    else if (Object.keys(analytics).some((k) => k !== 'lines')) problems.push(`${where}.analytics: unknown field (allowed: lines)`);
    else if (lines !== undefined && !(Array.isArray(lines) && lines.every(isObject))) problems.push(`${where}.analytics.lines must be an array of counting lines`);
    else out.analytics = lines === undefined ? {} : { lines: lines as unknown as CameraCountingLine[] };
  }
  if (raw['risk'] !== undefined) {
    const v = validateRiskConfig(raw['risk']);
    if (!v.ok) problems.push(...v.issues.map((i) => `${where}.risk${i.path ? `.${i.path}` : ''}: ${i.message}`));
    else out.risk = raw['risk'] as CameraSettings['risk'];
  }
  if (raw['annotation'] !== undefined) {
    const problem = annotationProblem(raw['annotation']);
    if (problem) problems.push(problem.replace(/^settings\./, `${where}.`));
    else if (raw['annotation'] !== null) out.annotation = raw['annotation'] as CameraSettings['annotation'];
  }
  const recording = raw['recording'];
  if (recording !== undefined) {
    if (!isObject(recording) || Object.keys(recording).some((k) => k !== 'continuous')) problems.push(`${where}.recording must be an object { continuous? }`);
    else if (recording['continuous'] !== undefined && typeof recording['continuous'] !== 'boolean') problems.push(`${where}.recording.continuous must be true or false`);
    else out.recording = recording['continuous'] === undefined ? {} : { continuous: recording['continuous'] };
  }
  if (problems.length) throw new CameraSettingsError(problems);
  return out;
}

/**
 * The stored settings of a camera record as their type, without re-validation (written through parseCameraSettings;
 * the runtime's readers keep their own tolerance for rows written before: bad annotation/risk = defaults, bad
 * lines = analytics off). Non-objects read as `{}`.
 */
export function storedCameraSettings(stored: unknown): CameraSettings {
  return isObject(stored) ? (stored as CameraSettings) : {};
}

/** A record's stored zones as their type (validated on write by the API's DTOs and the analytics lib). Non-arrays read as []. */
export function storedCameraZones(stored: unknown): CameraZone[] {
  return Array.isArray(stored) ? (stored as CameraZone[]) : [];
}

/** A record's stored calibrationData as its type (validated on write; re-validated by the runtime). Non-objects read as null. */
export function storedCalibrationData(stored: unknown): CalibrationData | null {
  return isObject(stored) ? (stored as CalibrationData) : null;
}
