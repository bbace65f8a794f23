// Arguments of `crowdsafe eval-forecast` (pure: unit-tested without a model).

export const EVAL_FORECAST_USAGE = `usage: crowdsafe eval-forecast [video[,camera.json]...] [--horizons 2,5,10] [--fps 5] [--warmup 1] [--model M.onnx]
         [--synthetic-horizons 120,300] [--seeds 20] [--noise-sigma S] [--noise-cv C] [--noise-phi P] [--no-synthetic | --synthetic-only] [--json out.json]
  Backtests the density forecaster (Theil–Sen over the last 60 s, as live) against persistence and mean baselines.
  Real clips: each video runs through the product's pipeline (crowdsafe analyze: detector, tracker, analytics) at
  --fps; the per-second series is the mean density (p/m², with a calibration in camera.json) or the mean tracked
  count (people, without one) of each second, the first --warmup seconds dropped (tracker confirmation). At every
  second with >= 3 samples, forecasts at each horizon (s) that fits in the clip are scored: MAE, RMSE, 95 % coverage.
  Default videos: the shared hall (docs/calibration/hall.json) and street_crosswalk (uncalibrated) clips.
  Synthetic: documented 30-min scenarios (eval-forecast/synthetic.ts) at the long horizons, --seeds realisations each
  of two AR(1) noise models: additive (σ p/m², the largest on the calibrated clips) and multiplicative (σ = cv x level,
  the largest cv on any clip); lag-1 autocorrelation: the largest observed. --noise-* override the observed values.`;

export interface VideoSpec {
  path: string;
  /** camera.json (calibration, detection settings) or undefined. */
  config?: string;
}

export interface EvalForecastArgs {
  videos: VideoSpec[];
  horizons: number[];
  fps: number;
  warmupS: number;
  model?: string;
  syntheticHorizons: number[];
  seeds: number;
  noiseSigma?: number;
  noiseCv?: number;
  noisePhi?: number;
  synthetic: boolean;
  videosOn: boolean;
  json?: string;
  help: boolean;
}

const VALUE_FLAGS = ['--horizons', '--fps', '--warmup', '--model', '--synthetic-horizons', '--seeds', '--noise-sigma', '--noise-cv', '--noise-phi', '--json'];
const BOOL_FLAGS = ['--no-synthetic', '--synthetic-only', '--help', '-h'];

/** A comma-separated list of 1-10 distinct positive integer horizons (s), <= 3600, sorted. */
export function parseHorizons(flag: string, value: string): number[] {
  const parts = value.split(',').map((p) => p.trim());
  const out = parts.map(Number);
  if (!parts.length || parts.length > 10 || parts.some((p) => p === '') || out.some((h) => !Number.isInteger(h) || h < 1 || h > 3600)) {
    throw new Error(`${flag} must be 1-10 comma-separated whole seconds in [1, 3600], got '${value}'`);
  }
  if (new Set(out).size !== out.length) throw new Error(`${flag} lists a horizon twice: '${value}'`);
  return [...out].sort((a, b) => a - b);
}

function num(flag: string, value: string, lo: number, hi: number, integer = false): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < lo || n > hi || (integer && !Number.isInteger(n))) {
    throw new Error(`${flag} must be ${integer ? 'an integer' : 'a number'} in [${lo}, ${hi}], got '${value}'`);
  }
  return n;
}

export function parseEvalForecastArgs(argv: readonly string[]): EvalForecastArgs {
  const out: EvalForecastArgs = { videos: [], horizons: [2, 5, 10], fps: 5, warmupS: 1, syntheticHorizons: [120, 300], seeds: 20, synthetic: true, videosOn: true, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('-')) {
      const comma = a.lastIndexOf(',');
      const spec: VideoSpec = comma > 0 ? { path: a.slice(0, comma), config: a.slice(comma + 1) } : { path: a };
      if (spec.path === '' || spec.config === '') throw new Error(`bad video '${a}': expected video or video,camera.json`);
      out.videos.push(spec);
      continue;
    }
    if (BOOL_FLAGS.includes(a)) {
      if (a === '--no-synthetic') out.synthetic = false;
      else if (a === '--synthetic-only') out.videosOn = false;
      else out.help = true;
      continue;
    }
    const eq = a.indexOf('=');
    const flag = eq > 0 ? a.slice(0, eq) : a;
    if (!VALUE_FLAGS.includes(flag)) throw new Error(`unknown option ${flag}\n${EVAL_FORECAST_USAGE}`);
    const value = eq > 0 ? a.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new Error(`${flag} needs a value`);
    if (flag === '--horizons') out.horizons = parseHorizons(flag, value);
    else if (flag === '--synthetic-horizons') out.syntheticHorizons = parseHorizons(flag, value);
    else if (flag === '--fps') out.fps = num(flag, value, 0.5, 60);
    else if (flag === '--warmup') out.warmupS = num(flag, value, 0, 60, true);
    else if (flag === '--seeds') out.seeds = num(flag, value, 1, 200, true);
    else if (flag === '--noise-sigma') out.noiseSigma = num(flag, value, 0, 5);
    else if (flag === '--noise-cv') out.noiseCv = num(flag, value, 0, 2);
    else if (flag === '--noise-phi') out.noisePhi = num(flag, value, -0.99, 0.99);
    else if (flag === '--model') out.model = value;
    else out.json = value;
  }
  if (!out.synthetic && !out.videosOn) throw new Error('--no-synthetic and --synthetic-only leave nothing to evaluate');
  if (!out.videosOn && out.videos.length) throw new Error('--synthetic-only takes no videos');
  return out;
}
