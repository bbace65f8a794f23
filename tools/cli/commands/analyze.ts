import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { intraOpThreads, ThreadedPersonDetector } from '@crowdsafe/server-ai';
import { loadConfig } from '@crowdsafe/server-config';
import type { DetectOptions } from '@crowdsafe/contracts';
import { PassBudgetAllocator, resolveDetectOptions } from '@crowdsafe/vision';
import { openFrames } from './analyze/frame-reader';
import { resolveCameraAnalytics } from '@crowdsafe/pipeline';
import { type AnalyzeArgs, parseAnalyzeArgs, parseCameraConfigFile, USAGE } from './analyze/options';
import { type AnalysisResult, type AnalyticsSummary, runAnalysis, toMotLines, writeOutput } from './analyze/run-analysis';

export const summary = 'run the detector + tracking/counting pipeline offline over a video or image directory (MOT + JSON out)';

export async function run(argv: string[]): Promise<void> {
  const args = parseAnalyzeArgs(argv);
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const { result, detect } = await analyzeInput(args);
  if (args.mot) writeOutput(resolve(args.mot), toMotLines(result.frames, result.trackBufferFrames));
  if (args.json) writeOutput(resolve(args.json), `${JSON.stringify(result)}\n`);

  const s = result.summary;
  const src = result.source;
  const methods = Object.entries(s.methods).map(([m, n]) => `${m} ${n}`).join(', ');
  const roi = result.roi ? `ROI of ${result.roi.length} points` : 'whole frame';
  console.log(
    `Analyzed ${args.input} (${src.kind}, ${src.width}x${src.height} at ${r2(src.fps)} fps, decoded at ${src.decoded.width}x${src.decoded.height}): ` +
      `${s.frames} of ${s.sourceFrames} frames processed at ${r2(result.processingFps)} fps with confidence ${detect.confidence}, IoU ${detect.iou}` +
      `, tiling ${detect.tiling ?? 'scheduled'}${schedulerLine(s)}, ${roi}. People count mean ${s.meanCount} (min ${s.minCount}, max ${s.maxCount}; ` +
      `range mean ${s.meanLow}-${s.meanHigh}; methods: ${methods}); ${s.meanDetections} detections per frame; ${s.trackIds} track ids. ` +
      `Throughput ${s.fps} frames/s (detect ${s.meanTimingsMs.detect} ms, inference ${s.meanTimingsMs.inference} ms, track ${s.meanTimingsMs.track} ms per frame).` +
      `${analyticsLine(result.analytics)}${movementLine(result.movement)}` +
      `${args.mot ? ` MOT: ${resolve(args.mot)}.` : ''}${args.json ? ` JSON: ${resolve(args.json)}.` : ''}`,
  );
}

/** What `analyzeInput` needs: `crowdsafe analyze`'s options (input, --model, --config, --fps, --max-frames). */
export type AnalyzeInputOptions = Pick<AnalyzeArgs, 'input' | 'model' | 'config' | 'fps' | 'maxFrames'> & Partial<Pick<AnalyzeArgs, 'autoCalibration'>>;

/**
 * One offline run of the product's pipeline (the analyze command without its output): validated config, the
 * product's threaded detector, PeopleCounter and, with a calibration in --config, CrowdAnalyzer. Reused by
 * `crowdsafe eval-forecast`.
 */
export async function analyzeInput(args: AnalyzeInputOptions): Promise<{ result: AnalysisResult; detect: DetectOptions }> {
  const config = loadConfig();
  const file = args.config ? parseCameraConfigFile(readConfigFile(args.config), args.config) : { detection: {}, analytics: null };
  const settings = file.detection;
  // Same validation as a live camera, but an offline run with a broken calibration fails loudly instead.
  const setup = file.analytics ? resolveCameraAnalytics(file.analytics) : null;
  if (setup?.state === 'off') throw new Error(`${args.config}: invalid analytics configuration: ${setup.reason}`);
  const analytics = setup?.state === 'on' ? setup : undefined;
  for (const w of analytics?.warnings ?? []) console.error(`warning: ${w}`);
  const detect = resolveDetectOptions(settings, config.inference);
  const modelPath = args.model ? resolve(args.model) : config.inference.modelPath;
  const reader = await openFrames(resolve(args.input), {
    maxWidth: config.cameras.defaultWidth,
    ffmpegPath: config.cameras.ffmpegPath,
    ffprobePath: config.cameras.ffprobePath,
  });
  const detector = await ThreadedPersonDetector.load({
    modelPath,
    settingName: args.model ? '--model' : 'MODEL_PATH',
    executionProvider: config.inference.executionProvider,
    // Like the embedded api: one core left to ffmpeg decoding.
    threads: intraOpThreads(config.inference.threads, 'embedded'),
    defaults: { confidence: config.inference.confidence, iou: config.inference.iou, maxDetections: config.inference.maxDetections },
    maxBatch: config.inference.batchSize,
    logger: { warn: (m) => console.error(`warning: ${m}`) },
  });
  try {
    const scheduling = { refreshS: config.inference.sliceRefreshS, allocator: new PassBudgetAllocator({ totalPerSecond: config.inference.passBudget }) };
    const result = await runAnalysis({ reader, detector, detect, settings, fps: args.fps, maxFrames: args.maxFrames, modelPath, analytics, autoCalibration: args.autoCalibration === true, scheduling });
    return { result, detect };
  } finally {
    await detector.close();
  }
}

function readConfigFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new Error(`cannot read --config ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function analyticsLine(a: AnalyticsSummary | null): string {
  if (!a) return '';
  const v = a.meanVelocity === null ? 'n/a' : `${a.meanVelocity} m/s (median per frame p10-p90 ${a.velocityP10}-${a.velocityP90})`;
  return (
    ` Analytics (${a.calibration}${a.approximate ? ', approximate' : ''}${a.auto ? `, AUTOMATIC from people's heights (${a.auto.model}, ${a.auto.pxPerMAtMid} px/m at mid-frame, from frame ${a.auto.firstFrame})` : ''}, floor ${a.floorAreaM2} m²): density mean ${a.meanDensity} p/m² (max ${a.maxDensity}), ` +
    `speed mean ${v}, flow in ${a.flowInTotal} / out ${a.flowOutTotal}, surge max ${a.maxSurge ?? 'n/a'} p/m²/s, pressure max ${a.maxPressure ?? 'n/a'} /s², ` +
    `counter-flow mean ${a.meanCounterFlow ?? 'n/a'}.`
  );
}

/** Seconds with a dominant direction, and the most frequent compass word. */
function movementLine(m: AnalysisResult['movement']): string {
  const withHeading = m.filter((s) => s.compass !== null);
  if (!m.length) return '';
  const counts = new Map<string, number>();
  for (const s of withHeading) counts.set(s.compass as string, (counts.get(s.compass as string) ?? 0) + 1);
  const top = [...counts.entries()].sort((p, q) => q[1] - p[1])[0];
  return ` Movement: a dominant direction in ${withHeading.length} of ${m.length} s${top ? ` (mostly ${top[0]}, ${top[1]} s; 0 deg = image up)` : ''}.`;
}

function r2(v: number): number {
  return Math.round(v * 100) / 100;
}

/** The scheduler's figures for the summary line (empty for another tiling mode). */
function schedulerLine(s: AnalysisResult['summary']): string {
  const h = s.scheduler;
  if (!h) return ` (${s.passesPerFrame} model passes per frame)`;
  const why = h.reason ? `; ${h.reason}` : '';
  return ` (${s.passesPerFrame} model passes per frame, ${h.plannedSlices} slices refreshed every ${h.refreshS} s, size map ${h.mode}${why})`;
}
