// The offline run of the product's counting pipeline: frames -> the product's detector (ThreadedPersonDetector, an
// OnnxYoloDetector in a worker thread) -> PeopleCounter (BoT-SORT + count), exactly as a CameraRuntime does live,
// but over every frame and without pacing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CrowdAnalyzer, type FrameAnalytics } from '@crowdsafe/analytics';
import type { BBox, CameraSchedulerHealth, CountMethod, DetectOptions, Detection, LiveMovement, RawFrame } from '@crowdsafe/contracts';
import type { PersonDetector } from '@crowdsafe/server-ai';
import { PeopleCounter, type CameraDetectionSettings } from '@crowdsafe/vision';
import { AutoCalibrationSetup, type CameraAnalyticsSetup, CameraScheduling, type CameraSchedulingOptions, lineTotals, LIVE_ANALYZER_OPTIONS, SecondMovements } from '@crowdsafe/pipeline';
import { interpolateMotGaps, motRowsOf, PendingMotRows, type MotRow } from './mot-rows';
import { frameSlot } from './options';
import type { FrameReader, SourceInfo } from './frame-reader';

export interface FrameResult {
  /** 1-based source frame number. */
  frame: number;
  count: number;
  method: CountMethod;
  low: number;
  high: number;
  /** Person detections, source pixels (rounded to 0.1 px). */
  detections: Array<{ x1: number; y1: number; x2: number; y2: number; score: number }>;
  /** Confirmed tracks matched in this frame (the MOT rows), source pixels. */
  tracks: Array<{ id: number; x: number; y: number; w: number; h: number; score: number }>;
  /**
   * Tracks not confirmed yet on this frame that were confirmed later, with their confirmed id (Kalman box, source
   * pixels); `--mot` writes them with `tracks` (a track from its first detection on). Absent when none.
   */
  beforeConfirmation?: MotRow[];
  timingsMs: { decode: number; detect: number; preprocess: number; inference: number; postprocess: number; track: number };
  /** Crowd analytics of the frame in real units (only with a calibration in --config). */
  analytics?: FrameAnalyticsCompact;
}

/** One frame's analytics, compact (the camera floor region; flows summed over the counting lines). */
export interface FrameAnalyticsCompact {
  /** Confirmed tracks with their foot point on the floor region. */
  count: number;
  /** People per m². */
  density: number;
  /** Mean / median smoothed ground speed of the tracks with a valid velocity, m/s (null when none). */
  velocity: number | null;
  velocityMedian: number | null;
  /** Tracks with a valid velocity. */
  velocitySamples: number;
  /** Line crossings in this frame. */
  flowIn: number;
  flowOut: number;
  /** Density trend, people/m²/s (null until the surge window is filled). */
  surge: number | null;
  /** Max crowd pressure, 1/s² (null without ground mapping). */
  pressureMax: number | null;
  /** Share of moving people heading against the dominant direction (null: nobody moving). */
  counterFlow: number | null;
  /** Per-zone density, people/m² (by zone id). */
  zones?: Record<string, number>;
}

export interface AnalyticsSummary {
  calibration: string;
  approximate: boolean;
  /** 'calibrated': from --config; 'approximate': estimated from people's heights (no calibration given). */
  calibrationSource: 'calibrated' | 'approximate';
  /** The automatic fit (approximate only): model, scale at mid-frame, camera height, horizon, first frame used. */
  auto?: { model: string; pxPerMAtMid: number; cameraHeightM: number | null; horizonRow: number | null; firstFrame: number };
  floorAreaM2: number;
  /** Frames analysed. */
  frames: number;
  meanDensity: number;
  maxDensity: number;
  /** Mean of the per-frame mean speeds (frames with >= 1 valid velocity), m/s, and the 10th/50th/90th percentiles of the per-frame median speeds. */
  meanVelocity: number | null;
  velocityP10: number | null;
  velocityP50: number | null;
  velocityP90: number | null;
  framesWithVelocity: number;
  flowInTotal: number;
  flowOutTotal: number;
  lines: Array<{ id: string; inTotal: number; outTotal: number; flowPerMPerMin: number }>;
  zones: Array<{ id: string; areaM2: number; meanDensity: number; maxDensity: number }>;
  maxSurge: number | null;
  maxPressure: number | null;
  meanCounterFlow: number | null;
}

export interface AnalysisSummary {
  /** Frames processed. */
  frames: number;
  sourceFrames: number;
  meanCount: number;
  minCount: number;
  maxCount: number;
  meanLow: number;
  meanHigh: number;
  meanDetections: number;
  methods: Partial<Record<CountMethod, number>>;
  /** Track ids issued (confirmed tracks). */
  trackIds: number;
  /** Frames processed per second of wall time (decode + detect + track, model load excluded). */
  fps: number;
  wallS: number;
  /** Mean per-frame timings, ms. */
  meanTimingsMs: FrameResult['timingsMs'];
  /** Model passes per processed frame (1 = global pass only). */
  passesPerFrame: number;
  /** The detection scheduler at the end of the run (null when another tiling mode was chosen). */
  scheduler: CameraSchedulerHealth | null;
}

export interface AnalysisResult {
  input: string;
  model: string;
  source: Omit<SourceInfo, 'path'>;
  /** Rate frames were processed at (the tracker's frameRate). */
  processingFps: number;
  /** The tracker's lost-track buffer, processed frames (the longest gap `--mot` interpolates). */
  trackBufferFrames: number;
  detect: DetectOptions;
  roi: CameraDetectionSettings['roi'] | null;
  summary: AnalysisSummary;
  /** Analytics summary (null without a calibration and before an automatic one). */
  analytics: AnalyticsSummary | null;
  /**
   * Dominant movement direction per second of video (image plane: degrees clockwise from image up, compass word,
   * coherence; no heading when people stand still, fewer than 3 move, or movement is chaotic).
   */
  movement: Array<LiveMovement & { second: number }>;
  frames: FrameResult[];
}

export interface AnalysisOptions {
  reader: FrameReader;
  detector: PersonDetector;
  detect: DetectOptions;
  settings: CameraDetectionSettings;
  /** --fps; undefined = every frame at the source rate. */
  fps?: number;
  /** --max-frames: stop after this many processed frames. */
  maxFrames?: number;
  /** Validated analytics setup (from --config); absent = no analytics (or an automatic one, see autoCalibration). */
  analytics?: Extract<CameraAnalyticsSetup, { state: 'on' }>;
  /** Without `analytics`: estimate an approximate calibration from people's heights, as a live camera does. */
  autoCalibration?: boolean;
  modelPath: string;
  /**
   * Scheduled detection (tiling 'scheduled' or unset, the live default): the live camera's scheduler, refresh and
   * budget (SLICE_REFRESH_S; one camera = the whole DETECT_PASS_BUDGET, or 2.5 x fps). Default refresh 1 s.
   */
  scheduling?: CameraSchedulingOptions;
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const r3 = (v: number) => Math.round(v * 1000) / 1000;
const motBox = (b: BBox, score: number): Omit<MotRow, 'id'> => ({ x: r1(b.x1), y: r1(b.y1), w: r1(b.x2 - b.x1), h: r1(b.y2 - b.y1), score: r3(score) });

export async function runAnalysis(o: AnalysisOptions): Promise<AnalysisResult> {
  const { info } = o.reader;
  const processingFps = o.fps !== undefined && o.fps < info.fps ? o.fps : info.fps;
  // The live default: the camera's detection scheduler (global pass + rotated slices), as a CameraRuntime runs it.
  const scheduled = (o.detect.tiling ?? 'scheduled') === 'scheduled';
  const refreshS = o.scheduling?.refreshS ?? 1;
  const scheduling = scheduled ? new CameraScheduling('analyze', processingFps, { ...o.scheduling, refreshS }) : null;
  let passes = 0;
  const counter = new PeopleCounter({
    ...(scheduled ? { trackBufferS: Math.max(1, refreshS) } : {}),
    frameRate: processingFps,
    roi: o.settings.roi ?? null,
    detectionMethod: o.detect.tiling === 'on' ? 'tiled-detection' : 'detection',
    gmc: o.settings.gmc ?? 'off',
  });
  const sx = info.width / info.decoded.width;
  const sy = info.height / info.decoded.height;
  const toSource = (b: BBox): BBox => ({ x1: b.x1 * sx, y1: b.y1 * sy, x2: b.x2 * sx, y2: b.y2 * sy });
  const frames: FrameResult[] = [];
  // Unconfirmed tracks' rows wait for their confirmation (dropped once a track is unseen longer than the buffer).
  const pendingRows = new PendingMotRows(counter.stats.maxTimeLost + 2);
  let sourceFrames = 0;
  let setup = o.analytics;
  const analyzerOf = (s: Extract<CameraAnalyticsSetup, { state: 'on' }>) =>
    new CrowdAnalyzer({ cameraId: 'analyze', calibration: s.calibration, zones: s.zones, lines: s.lines, ...(s.capacity === undefined ? {} : { capacity: s.capacity }), options: LIVE_ANALYZER_OPTIONS });
  let analyzer = setup ? analyzerOf(setup) : null;
  const auto = !setup && o.autoCalibration ? new AutoCalibrationSetup() : null;
  let autoFirstFrame = 0;
  // Tracker boxes are in decoded pixels; the calibration's image coordinates refer to its own frame size.
  let ax = setup ? setup.calibration.frame.width / info.decoded.width : 1;
  let ay = setup ? setup.calibration.frame.height / info.decoded.height : 1;
  const movements = new SecondMovements(processingFps);
  const movement: AnalysisResult['movement'] = [];
  let openSecond: number | null = null;
  const closeSecond = (s: number) => movement.push({ second: s, ...movements.take(s * 1000) });
  let totals = { in: 0, out: 0 };
  let lastAnalytics: FrameAnalytics | null = null;
  const started = performance.now();

  // One frame decoded ahead while the detector thread works on the current one.
  const it = o.reader.frames();
  let next = it.next();
  for (;;) {
    if (o.maxFrames !== undefined && frames.length >= o.maxFrames) {
      await it.return(undefined); // stops the decoder
      break;
    }
    const step = await next;
    if (step.done) break;
    next = it.next();
    const f = step.value;
    sourceFrames = f.number;
    const slot = frameSlot(f.number, info.fps, o.fps);
    if (slot === null) continue;
    const raw: RawFrame = {
      cameraId: 'analyze',
      seq: f.number,
      capturedAt: Math.round(((f.number - 1) * 1000) / info.fps),
      width: info.decoded.width,
      height: info.decoded.height,
      data: f.data,
    };
    const t0 = performance.now();
    const plan = scheduling?.next(raw, o.detect);
    const run = await o.detector.detect([raw], [plan?.detect ?? o.detect]);
    const t1 = performance.now();
    // Scheduled detection asks the detector below the camera's confidence (BYTE): split() keeps those for the tracker.
    const accepted = plan && scheduling ? scheduling.split(plan, run.detections[0] ?? []) : { detections: run.detections[0] ?? [], examined: plan?.examined };
    const detections: Detection[] = accepted.detections;
    passes += 1 + (plan?.detect.slices?.length ?? 0);
    scheduling?.observe(detections);
    const result = counter.process(detections, slot, info.decoded, undefined, { ...info.decoded, rgb: f.data }, accepted.examined);
    const t2 = performance.now();
    const second = Math.floor(raw.capturedAt / 1000);
    if (openSecond !== null && second !== openSecond) closeSecond(openSecond);
    openSecond = second;
    movements.add(raw.capturedAt, result.tracks);
    const autoSetup = auto?.observe(info.decoded, result.tracks);
    if (autoSetup) {
      setup = autoSetup;
      analyzer = analyzerOf(autoSetup);
      ax = autoSetup.calibration.frame.width / info.decoded.width;
      ay = autoSetup.calibration.frame.height / info.decoded.height;
      totals = { in: 0, out: 0 };
      autoFirstFrame ||= f.number;
    }
    let analytics: FrameAnalyticsCompact | undefined;
    if (analyzer) {
      const a = analyzer.update({
        timestampMs: raw.capturedAt,
        tracks: result.tracks.map((t) => ({ id: t.id, box: { x1: t.box.x1 * ax, y1: t.box.y1 * ay, x2: t.box.x2 * ax, y2: t.box.y2 * ay }, score: t.score, confirmed: true })),
      });
      const now = lineTotals(a);
      analytics = compactAnalytics(a, { in: now.in - totals.in, out: now.out - totals.out });
      totals = now;
      lastAnalytics = a;
    }
    frames.push({
      frame: f.number,
      ...result.count,
      detections: detections.map((d) => {
        const b = toSource(d.box);
        return { x1: r1(b.x1), y1: r1(b.y1), x2: r1(b.x2), y2: r1(b.y2), score: r3(d.score) };
      }),
      // Matched tracks only: a coasting track's predicted box is a live-count device; offline, its gap is
      // interpolated from the boxes around it (interpolateMotGaps) or, when it is never re-found, not invented.
      tracks: result.tracks.filter((t) => !(t.timeSinceUpdate > 0)).map((t) => ({ id: t.id, ...motBox(toSource(t.box), t.score) })),
      beforeConfirmation: [],
      timingsMs: {
        decode: r1(f.decodeMs),
        detect: r1(t1 - t0),
        preprocess: r1(run.timings.preprocessMs),
        inference: r1(run.timings.inferenceMs),
        postprocess: r1(run.timings.postprocessMs),
        track: r3(t2 - t1),
      },
      ...(analytics ? { analytics } : {}),
    });
    const fr = frames[frames.length - 1];
    pendingRows.observe(
      (fr.beforeConfirmation ??= []),
      result.unconfirmed.map((u) => ({ provisionalId: u.provisionalId, row: motBox(toSource(u.box), u.score) })),
      result.tracks.map((t, k) => ({ provisionalId: result.trackProvisionalIds[k], id: t.id })),
    );
  }
  for (const f of frames) if (f.beforeConfirmation?.length === 0) delete f.beforeConfirmation;
  if (openSecond !== null) closeSecond(openSecond);
  const wallS = (performance.now() - started) / 1000;
  if (!frames.length) throw new Error(`no frames decoded from ${info.path}`);
  const mean = (pick: (f: FrameResult) => number) => Math.round((frames.reduce((s, f) => s + pick(f), 0) / frames.length) * 100) / 100;
  const methods: Partial<Record<CountMethod, number>> = {};
  for (const f of frames) methods[f.method] = (methods[f.method] ?? 0) + 1;
  const { path: _path, ...source } = info;
  return {
    input: info.path,
    model: o.modelPath,
    source: { ...source, frames: source.frames ?? sourceFrames },
    processingFps,
    trackBufferFrames: counter.stats.maxTimeLost,
    detect: o.detect,
    roi: o.settings.roi ?? null,
    summary: {
      frames: frames.length,
      sourceFrames,
      meanCount: mean((f) => f.count),
      minCount: Math.min(...frames.map((f) => f.count)),
      maxCount: Math.max(...frames.map((f) => f.count)),
      meanLow: mean((f) => f.low),
      meanHigh: mean((f) => f.high),
      meanDetections: mean((f) => f.detections.length),
      methods,
      trackIds: counter.stats.confirmedTotal,
      passesPerFrame: Math.round((passes / frames.length) * 100) / 100,
      scheduler: scheduling?.health() ?? null,
      fps: Math.round((frames.length / wallS) * 100) / 100,
      wallS: Math.round(wallS * 100) / 100,
      meanTimingsMs: {
        decode: mean((f) => f.timingsMs.decode),
        detect: mean((f) => f.timingsMs.detect),
        preprocess: mean((f) => f.timingsMs.preprocess),
        inference: mean((f) => f.timingsMs.inference),
        postprocess: mean((f) => f.timingsMs.postprocess),
        track: mean((f) => f.timingsMs.track),
      },
    },
    analytics: setup && lastAnalytics ? summarizeAnalytics(frames, lastAnalytics, setup, auto?.currentFit ? { ...auto.currentFit, firstFrame: autoFirstFrame } : null) : null,
    movement,
    frames,
  };
}

const r4 = (v: number) => Math.round(v * 10000) / 10000;

function compactAnalytics(a: FrameAnalytics, crossed: { in: number; out: number }): FrameAnalyticsCompact {
  const v = a.velocity.available && a.velocity.samples > 0;
  const moving = a.direction.available && a.direction.movingCount > 0;
  return {
    count: a.camera.count,
    density: r4(a.camera.density),
    velocity: v ? r3(a.velocity.meanMps) : null,
    velocityMedian: v ? r3(a.velocity.medianMps) : null,
    velocitySamples: a.velocity.samples,
    flowIn: crossed.in,
    flowOut: crossed.out,
    surge: a.camera.surge.ready ? r4(a.camera.surge.ratePerM2PerS) : null,
    pressureMax: a.pressure.available ? r4(a.pressure.maxPressure) : null,
    counterFlow: moving ? r3(a.direction.counterFlowIndex) : null,
    ...(a.zones.length ? { zones: Object.fromEntries(a.zones.map((z) => [z.id, r4(z.density)])) } : {}),
  };
}

function quantile(sorted: readonly number[], q: number): number | null {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return r3(sorted[i]);
}

function summarizeAnalytics(
  frames: readonly FrameResult[],
  last: FrameAnalytics,
  setup: Extract<CameraAnalyticsSetup, { state: 'on' }>,
  auto: { model: string; pxPerMAtMid: number; cameraHeightM: number | null; horizonRow: number | null; firstFrame: number } | null,
): AnalyticsSummary {
  const fa = frames.map((f) => f.analytics).filter((a): a is FrameAnalyticsCompact => a !== undefined);
  const meanOf = (xs: readonly number[]) => (xs.length ? r4(xs.reduce((s, x) => s + x, 0) / xs.length) : null);
  const maxOf = (xs: readonly number[]) => (xs.length ? r4(Math.max(...xs)) : null);
  const speeds = fa.map((a) => a.velocity).filter((v): v is number => v !== null);
  const medians = fa.map((a) => a.velocityMedian).filter((v): v is number => v !== null).sort((a, b) => a - b);
  const densities = fa.map((a) => a.density);
  return {
    calibration: setup.calibration.kind,
    approximate: setup.calibration.approximate || auto !== null,
    calibrationSource: auto ? 'approximate' : 'calibrated',
    ...(auto
      ? { auto: { model: auto.model, pxPerMAtMid: r3(auto.pxPerMAtMid), cameraHeightM: auto.cameraHeightM === null ? null : r3(auto.cameraHeightM), horizonRow: auto.horizonRow === null ? null : Math.round(auto.horizonRow), firstFrame: auto.firstFrame } }
      : {}),
    floorAreaM2: r3(setup.calibration.floorAreaM2),
    frames: fa.length,
    meanDensity: meanOf(densities) ?? 0,
    maxDensity: maxOf(densities) ?? 0,
    meanVelocity: meanOf(speeds),
    velocityP10: quantile(medians, 0.1),
    velocityP50: quantile(medians, 0.5),
    velocityP90: quantile(medians, 0.9),
    framesWithVelocity: speeds.length,
    flowInTotal: fa.reduce((s, a) => s + a.flowIn, 0),
    flowOutTotal: fa.reduce((s, a) => s + a.flowOut, 0),
    lines: last.lines.map((l) => ({ id: l.id, inTotal: l.inTotal, outTotal: l.outTotal, flowPerMPerMin: r3(l.specificFlowPerMPerMin) })),
    zones: last.zones.map((z) => {
      const ds = fa.map((a) => a.zones?.[z.id] ?? 0);
      return { id: z.id, areaM2: r3(z.areaM2), meanDensity: meanOf(ds) ?? 0, maxDensity: maxOf(ds) ?? 0 };
    }),
    maxSurge: maxOf(fa.map((a) => a.surge).filter((v): v is number => v !== null)),
    maxPressure: maxOf(fa.map((a) => a.pressureMax).filter((v): v is number => v !== null)),
    meanCounterFlow: meanOf(fa.map((a) => a.counterFlow).filter((v): v is number => v !== null)),
  };
}

/**
 * MOTChallenge rows `frame,id,x,y,w,h,conf,-1,-1,-1` of the confirmed tracks, one per line; gaps of at most
 * `maxGapFrames` processed frames in a track are interpolated (interpolateMotGaps; 0 = none).
 */
export function toMotLines(frames: readonly FrameResult[], maxGapFrames = 0): string {
  const lines: string[] = [];
  const rows = interpolateMotGaps(frames.map((f) => motRowsOf(f)), maxGapFrames);
  frames.forEach((f, i) => {
    for (const t of rows[i]) lines.push(`${f.frame},${t.id},${t.x},${t.y},${t.w},${t.h},${t.score},-1,-1,-1`);
  });
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export function writeOutput(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
