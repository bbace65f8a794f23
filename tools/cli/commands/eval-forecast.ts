// `crowdsafe eval-forecast`: the density forecaster's error (libs/server/risk forecastDensity) — backtested on the
// per-second series the product's pipeline produces from real clips (short horizons: the clips are 14-29 s), and on
// documented synthetic scenarios for the 2- and 5-minute horizons (labelled synthetic). See libs/server/risk/README.md.
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { DensitySample } from '@crowdsafe/risk';
import { analyzeInput } from './analyze';
import { writeOutput } from './analyze/run-analysis';
import { backtest, perSecondSeries, poolBacktests, residualNoise, type BacktestRow, type ResidualNoise } from './eval-forecast/backtest';
import { EVAL_FORECAST_USAGE, parseEvalForecastArgs, type VideoSpec } from './eval-forecast/options';
import { markdownTable, resultRows, RESULT_HEADER, sig3 } from './eval-forecast/report';
import { generateScenario, SYNTHETIC_SCENARIOS, type NoiseModel } from './eval-forecast/synthetic';

export const summary = 'density forecast error: backtest on the shared clips (short horizons) and synthetic scenarios (2/5 min)';

/**
 * Noise used when no real clip is evaluated (--synthetic-only, unless --noise-* are given): the largest σ, cv and φ
 * measured by `crowdsafe eval-forecast` on the shared clips on 2026-11-21 (libs/server/risk/README.md).
 */
export const MEASURED_NOISE: NoiseModel = { sigma: 0.0191, cv: 0.0997, phi: 0.503 };

/** The shared clips, relative to the repository root (./crowdsafe runs there); elsewhere, name the videos. */
function defaultVideos(): VideoSpec[] {
  const data = resolve('..', 'shared', 'data', 'videos');
  return [
    { path: resolve(data, 'hall_topdown_1280x720_25fps_reencoded.mp4'), config: resolve('docs/calibration/hall.json') },
    { path: resolve(data, 'street_crosswalk_640x360_24fps.mp4') },
  ];
}

interface ClipResult {
  video: string;
  config: string | null;
  unit: 'p/m²' | 'people';
  series: DensitySample[];
  mean: number;
  noise: ResidualNoise | null;
  rows: BacktestRow[];
}

async function evalClip(v: VideoSpec, horizons: number[], fps: number, warmupS: number, model: string | undefined): Promise<ClipResult> {
  if (!existsSync(v.path)) throw new Error(`video not found: ${v.path}`);
  const { result } = await analyzeInput({ input: v.path, config: v.config, fps, model });
  const sourceFps = result.source.fps;
  const calibrated = result.analytics !== null;
  // Density (p/m²) of the floor region with a calibration; else the product's per-frame count (people).
  const frames = result.frames.map((f) => ({ timeMs: ((f.frame - 1) * 1000) / sourceFps, value: calibrated ? (f.analytics?.density ?? Number.NaN) : f.count }));
  const series = perSecondSeries(frames).filter((s) => s.t >= warmupS);
  const mean = series.length ? series.reduce((a, s) => a + s.density, 0) / series.length : 0;
  console.error(`${basename(v.path)}: ${series.length} s after a ${warmupS} s warm-up, ${calibrated ? 'density p/m²' : 'count (people)'}: ${series.map((s) => sig3(s.density)).join(' ')}`);
  return { video: basename(v.path), config: v.config ?? null, unit: calibrated ? 'p/m²' : 'people', series, mean, noise: residualNoise(series), rows: backtest(series, horizons) };
}

export async function run(argv: string[]): Promise<void> {
  const args = parseEvalForecastArgs(argv);
  if (args.help) {
    console.log(EVAL_FORECAST_USAGE);
    return;
  }
  const clips: ClipResult[] = [];
  if (args.videosOn) for (const v of args.videos.length ? args.videos : defaultVideos()) clips.push(await evalClip(v, args.horizons, args.fps, args.warmupS, args.model));

  const out: Record<string, unknown> = { date: new Date().toISOString(), argv, clips: clips.map(({ series, ...c }) => ({ ...c, series })) };
  if (clips.length) {
    console.log(`Real clips (per-second series from the product pipeline at ${args.fps} fps; forecasts from every second with >= 3 s of history):\n`);
    console.log(markdownTable(RESULT_HEADER, clips.flatMap((c) => resultRows(`${c.video} (${c.unit}, mean ${sig3(c.mean)})`, c.mean, c.rows))));
    console.log('\nResidual noise around the Theil–Sen line (σ = 1.4826 MAD, cv = σ/mean, lag-1 autocorrelation φ):');
    for (const c of clips) console.log(`  ${c.video}: σ ${sig3(c.noise?.sigma ?? null)} ${c.unit}, cv ${sig3(c.noise?.cv ?? null)}, φ ${sig3(c.noise?.phi ?? null)}, n ${c.noise?.n ?? 0}`);
  }

  if (args.synthetic) {
    const observed = clips.map((c) => ({ unit: c.unit, noise: c.noise })).filter((c): c is { unit: ClipResult['unit']; noise: ResidualNoise } => c.noise !== null);
    const densityClips = observed.filter((c) => c.unit === 'p/m²');
    const cvs = observed.map((c) => c.noise.cv).filter((v): v is number => v !== null);
    const sigma = args.noiseSigma ?? (densityClips.length ? Math.max(...densityClips.map((c) => c.noise.sigma)) : MEASURED_NOISE.sigma);
    const cv = args.noiseCv ?? (cvs.length ? Math.max(...cvs) : MEASURED_NOISE.cv);
    const phi = args.noisePhi ?? (observed.length ? Math.min(0.95, Math.max(0, ...observed.map((c) => c.noise.phi))) : MEASURED_NOISE.phi);
    const source = observed.length ? 'the largest observed on the clips above' : 'MEASURED_NOISE (an earlier run on the shared clips)';
    const models: Array<{ name: string; noise: NoiseModel }> = [
      { name: `additive σ ${sig3(sigma)} p/m²`, noise: { sigma, cv: 0, phi } },
      { name: `multiplicative cv ${sig3(cv)}`, noise: { sigma: 0, cv, phi } },
    ];
    const results = SYNTHETIC_SCENARIOS.flatMap((s) =>
      (s.noisy ? models : [{ name: 'no noise', noise: { sigma: 0, cv: 0, phi: 0 } }]).map((m) => {
        const seeds = s.noisy ? args.seeds : 1;
        const runs = Array.from({ length: seeds }, (_, k) => backtest(generateScenario(s, m.noise, 1000 + k), args.syntheticHorizons, { minHistory: 61, originStepS: 5 }));
        return { scenario: s.name, description: s.description, model: m.name, noise: m.noise, rows: poolBacktests(runs) };
      }),
    );
    console.log(
      `\nSYNTHETIC scenarios (not a measurement): 1 Hz, 30 min, origins every 5 s once 60 s of history exist, ${args.seeds} seeds per noisy scenario; ` +
        `AR(1) noise, φ ${sig3(phi)}, σ and cv ${args.noiseSigma !== undefined || args.noiseCv !== undefined || args.noisePhi !== undefined ? 'partly from --noise-*, else ' : ''}${source}:\n`,
    );
    console.log(markdownTable(RESULT_HEADER, results.flatMap((r) => resultRows(`${r.scenario}, ${r.model}`, null, r.rows))));
    console.log('');
    for (const s of SYNTHETIC_SCENARIOS) console.log(`  ${s.name}: ${s.description}`);
    out['synthetic'] = { source, seeds: args.seeds, scenarios: SYNTHETIC_SCENARIOS.map((s) => ({ name: s.name, description: s.description })), results };
  }
  if (args.json) {
    writeOutput(resolve(args.json), `${JSON.stringify(out)}\n`);
    console.log(`\nJSON: ${resolve(args.json)}`);
  }
}
