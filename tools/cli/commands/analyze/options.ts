// Argument and --config parsing for `crowdsafe analyze` (pure: unit-tested without a model).
import { parseDetectionSettings, type CameraDetectionSettings } from '@crowdsafe/vision';
import type { CameraAnalyticsInput } from '@crowdsafe/pipeline';

export const USAGE = `usage: crowdsafe analyze <video | image-dir> [--model M.onnx] [--config camera.json] [--fps N] [--max-frames N] [--mot out.txt] [--json out.json] [--no-auto-calibration]
  Runs the product's detector + counting pipeline offline over every decoded frame (no real-time pacing).
  --model    ONNX model (default MODEL_PATH)
  --config   per-camera settings: { "detection": { "confidence", "iou", "maxDetections", "tiling", "roi" },
             (tiling: 'scheduled' = the live default: global pass + slices where people are small, in rotation;
             'off' | 'on' | 'auto' as options)
             "calibrationData": {...}, "zones": [...], "capacity": N, "analytics": { "lines": [...] } } (all optional;
             with calibrationData, crowd analytics in real units per frame; see docs/calibration/README.md)
  --fps      process N frames per second of video like a camera at targetFps N (default: every frame)
  --max-frames  stop after N processed frames
  --mot      write confirmed tracks in MOTChallenge format: frame,id,x,y,w,h,conf,-1,-1,-1 (source pixels, frames from 1),
             each from its first detection on (also the frames before it was confirmed); a track's gaps up to the
             tracker's lost-track buffer (1 s) are filled by linear interpolation (offline output only)
  --json     write per-frame results, the movement direction per second and a summary
  --no-auto-calibration  without a calibrationData in --config, do not estimate an approximate one from people's
             heights (by default analytics then start, flagged approximate, once enough people were seen)`;

export interface AnalyzeArgs {
  input: string;
  model?: string;
  config?: string;
  fps?: number;
  maxFrames?: number;
  mot?: string;
  json?: string;
  /** Estimate an approximate calibration from people's heights when --config has none (default true). */
  autoCalibration: boolean;
  help: boolean;
}

const VALUE_FLAGS = ['--model', '--config', '--fps', '--max-frames', '--mot', '--json'] as const;

export function parseAnalyzeArgs(argv: readonly string[]): AnalyzeArgs {
  const out: Partial<AnalyzeArgs> & { help: boolean; autoCalibration: boolean } = { help: false, autoCalibration: true };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-h' || a === '--help') {
      out.help = true;
      continue;
    }
    if (a === '--no-auto-calibration') {
      out.autoCalibration = false;
      continue;
    }
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) throw new Error(`unknown option ${flag}\n${USAGE}`);
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--fps': {
        const n = Number(value);
        if (!(Number.isFinite(n) && n > 0 && n <= 240)) throw new Error(`--fps must be a number in (0, 240], got '${value}'`);
        out.fps = n;
        break;
      }
      case '--max-frames': {
        const n = Number(value);
        if (!(Number.isInteger(n) && n > 0)) throw new Error(`--max-frames must be a positive integer, got '${value}'`);
        out.maxFrames = n;
        break;
      }
      default:
        out[flag.slice(2) as 'model' | 'config' | 'mot' | 'json'] = value;
    }
  }
  if (out.help) return { input: positional[0] ?? '', ...out };
  if (positional.length !== 1) throw new Error(`${positional.length ? 'exactly one input expected' : 'missing input'}\n${USAGE}`);
  return { ...out, input: positional[0] };
}

/** Keys of a --config file: camera settings (detection, analytics) and the camera's analytics columns. */
const CONFIG_KEYS = ['detection', 'analytics', 'calibrationData', 'zones', 'capacity', 'description'];

/** A parsed --config file: detection settings, and the analytics inputs (null without calibrationData). */
export interface CameraConfigFile {
  detection: CameraDetectionSettings;
  analytics: CameraAnalyticsInput | null;
}

/** The `--config` file's detection settings (see parseCameraConfigFile). */
export function parseCameraConfig(text: string, file: string): CameraDetectionSettings {
  return parseCameraConfigFile(text, file).detection;
}

/**
 * The `--config` file: like a stored camera, `detection` and `analytics` ({ lines }) from its settings plus its
 * `calibrationData`, `zones` and `capacity` columns (and a free-text `description`). Unknown keys are errors; the
 * analytics inputs are validated by the caller (resolveCameraAnalytics).
 */
export function parseCameraConfigFile(text: string, file: string): CameraConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${file} must hold a JSON object like { "detection": { "confidence": 0.25 } }`);
  const unknown = Object.keys(raw).filter((k) => !CONFIG_KEYS.includes(k));
  if (unknown.length) {
    const hint = unknown.some((k) => ['confidence', 'iou', 'maxDetections', 'tiling', 'roi'].includes(k)) ? ' (detection settings go under "detection")' : '';
    throw new Error(`${file}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')}; allowed: ${CONFIG_KEYS.map((k) => `'${k}'`).join(', ')}${hint}`);
  }
  const obj = raw as Record<string, unknown>;
  let detection: CameraDetectionSettings;
  try {
    detection = parseDetectionSettings(obj['detection'], 'detection');
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const a = obj['analytics'];
  if (a !== undefined && (typeof a !== 'object' || a === null || Array.isArray(a))) throw new Error(`${file}: analytics must be an object like { "lines": [...] }`);
  const extra = a ? Object.keys(a).filter((k) => k !== 'lines') : [];
  if (extra.length) throw new Error(`${file}: analytics has unknown key${extra.length > 1 ? 's' : ''} ${extra.map((k) => `'${k}'`).join(', ')}; allowed: 'lines'`);
  const hasLayout = obj['zones'] !== undefined || a !== undefined || obj['capacity'] !== undefined;
  if (obj['calibrationData'] === undefined && hasLayout) throw new Error(`${file}: zones, capacity and analytics.lines need a calibrationData`);
  const capacity = obj['capacity'];
  const analytics: CameraAnalyticsInput | null =
    obj['calibrationData'] === undefined
      ? null
      : {
          calibrationData: obj['calibrationData'],
          zones: obj['zones'],
          lines: (a as { lines?: unknown } | undefined)?.lines,
          capacity: typeof capacity === 'number' ? capacity : capacity === undefined || capacity === null ? null : Number.NaN,
        };
  return { detection, analytics };
}

/**
 * Frame selection for --fps: with a processing rate below the source rate, the first source frame of each
 * 1/fps slot is processed and the tracker's frame index is the slot (so a camera at targetFps is reproduced).
 * Returns the tracker frame index for source frame `n` (1-based), or null when the frame is skipped.
 */
export function frameSlot(n: number, sourceFps: number, fps: number | undefined): number | null {
  if (fps === undefined || fps >= sourceFps) return n;
  const slot = (k: number) => Math.floor((k * fps) / sourceFps + 1e-9);
  const k = n - 1;
  if (k > 0 && slot(k) === slot(k - 1)) return null;
  return slot(k) + 1;
}
