// The offline run of the product's counting pipeline: frames -> the product's detector (ThreadedPersonDetector, an
// OnnxYoloDetector in a worker thread) -> PeopleCounter (BoT-SORT + count), exactly as a CameraRuntime does live,
// but over every frame and without pacing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BBox, CountMethod, DetectOptions, Detection, RawFrame } from '@crowdsafe/contracts';
import type { PersonDetector } from '@crowdsafe/server-ai';
import { PeopleCounter, type CameraDetectionSettings } from '@crowdsafe/vision';
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
  timingsMs: { decode: number; detect: number; preprocess: number; inference: number; postprocess: number; track: number };
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
}

export interface AnalysisResult {
  input: string;
  model: string;
  source: Omit<SourceInfo, 'path'>;
  /** Rate frames were processed at (the tracker's frameRate). */
  processingFps: number;
  detect: DetectOptions;
  roi: CameraDetectionSettings['roi'] | null;
  summary: AnalysisSummary;
  frames: FrameResult[];
}

export interface AnalysisOptions {
  reader: FrameReader;
  detector: PersonDetector;
  detect: DetectOptions;
  settings: CameraDetectionSettings;
  /** --fps; undefined = every frame at the source rate. */
  fps?: number;
  modelPath: string;
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const r3 = (v: number) => Math.round(v * 1000) / 1000;

export async function runAnalysis(o: AnalysisOptions): Promise<AnalysisResult> {
  const { info } = o.reader;
  const processingFps = o.fps !== undefined && o.fps < info.fps ? o.fps : info.fps;
  const counter = new PeopleCounter({
    frameRate: processingFps,
    roi: o.settings.roi ?? null,
    detectionMethod: o.detect.tiling === 'on' ? 'tiled-detection' : 'detection',
  });
  const sx = info.width / info.decoded.width;
  const sy = info.height / info.decoded.height;
  const toSource = (b: BBox): BBox => ({ x1: b.x1 * sx, y1: b.y1 * sy, x2: b.x2 * sx, y2: b.y2 * sy });
  const frames: FrameResult[] = [];
  let sourceFrames = 0;
  const started = performance.now();

  // One frame decoded ahead while the detector thread works on the current one.
  const it = o.reader.frames();
  let next = it.next();
  for (;;) {
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
    const run = await o.detector.detect([raw], [o.detect]);
    const t1 = performance.now();
    const detections: Detection[] = run.detections[0] ?? [];
    const result = counter.process(detections, slot, info.decoded);
    const t2 = performance.now();
    frames.push({
      frame: f.number,
      ...result.count,
      detections: detections.map((d) => {
        const b = toSource(d.box);
        return { x1: r1(b.x1), y1: r1(b.y1), x2: r1(b.x2), y2: r1(b.y2), score: r3(d.score) };
      }),
      tracks: result.tracks.map((t) => {
        const b = toSource(t.box);
        return { id: t.id, x: r1(b.x1), y: r1(b.y1), w: r1(b.x2 - b.x1), h: r1(b.y2 - b.y1), score: r3(t.score) };
      }),
      timingsMs: {
        decode: r1(f.decodeMs),
        detect: r1(t1 - t0),
        preprocess: r1(run.timings.preprocessMs),
        inference: r1(run.timings.inferenceMs),
        postprocess: r1(run.timings.postprocessMs),
        track: r3(t2 - t1),
      },
    });
  }
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
    frames,
  };
}

/** MOTChallenge rows `frame,id,x,y,w,h,conf,-1,-1,-1` of the confirmed tracks, one per line. */
export function toMotLines(frames: readonly FrameResult[]): string {
  const lines: string[] = [];
  for (const f of frames) for (const t of f.tracks) lines.push(`${f.frame},${t.id},${t.x},${t.y},${t.w},${t.h},${t.score},-1,-1,-1`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export function writeOutput(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}
