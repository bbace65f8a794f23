// ./crowdsafe bench — throughput of the foundation slice, measured in ONE run on the same machine:
//   1. raw inference: the ONNX detector alone (letterbox + session.run + NMS) on decoded 1280x720 frames, batch 1;
//   2. end-to-end: the real embedded product (ffmpeg decode -> bounded buffer -> frame store -> in-process job ->
//      detector -> count -> per-second rows in SQLite + live events) fed the sample video at its native 25 fps,
//      i.e. faster than this CPU can detect, so the processed rate is the pipeline's capacity;
//   3. the ratio end-to-end / raw (1.0 = the pipeline adds no overhead beyond the model);
//   4. vision engine (tools/bench/vision.ts): batch 1 vs 4 cameras, untiled vs tiled, BoT-SORT at 50/300 people;
//   5. alerts (tools/bench/alerts.ts): trigger -> WebSocket `alert` and trigger -> SMTP accepted, p50/p95 over
//      --triggers N (default 250); `./crowdsafe bench alerts [--triggers N]` runs only this.
// Options: --seconds N (end-to-end measuring window, default 20), --frames N (raw frames, default 30).
// `./crowdsafe bench live [--seconds N] [--fps N]`: live-view glass-to-glass latency, socket.io frames vs MJPEG, with
// the api's CPU and bytes/s at 1 and 4 viewers (tools/bench/live.ts).
// `./crowdsafe bench recordings [--seconds N]`: recorder CPU per camera (stream copy vs re-encode) and clip assembly
// time (tools/bench/recordings.ts).
// `./crowdsafe bench counting [--seconds N] [--fps N] [--only NAME]`: scheduled detection vs the tiled reference and
// the untiled pipeline: recall, count and CPU per camera-second (tools/bench/counting.ts).
// `./crowdsafe bench web [--runs N]`: console load time from the api on loopback in Chromium (tools/bench/web.ts).
// `./crowdsafe bench analytics [--runs N] [--days D]`: analytics query latency on a week of 1 Hz data in a scratch
// PostgreSQL database instead (tools/bench/analytics.ts).
// `./crowdsafe bench onnx [--runs N] [--fidt-size WxH]`: every onnxruntime session-option candidate of both models and the
// load-time tuner's choice and cost (tools/bench/onnx.ts).
// `./crowdsafe bench reports [--runs N] [--step S] [--cameras N]`: weekly report for 8 cameras x 7 days in PDF and xlsx,
// wall time and peak memory (tools/bench/reports.ts).
// `./crowdsafe bench scale [--rows N] [--clients N] [--cameras N] [--seconds S]`: metric ingest rows/s into PostgreSQL
// through the metrics sink, and socket.io delivery p99 across 2 api replicas (tools/bench/scale.ts).
// `./crowdsafe bench soak [--minutes M] [--clip-seconds S]`: one camera's pipeline replayed at max speed for M minutes
// (default 30), RSS and heap growth after warm-up (tools/bench/soak.ts).
// INFERENCE_THREADS=N (env) sets onnxruntime's intra-op threads for both measurements (0/unset = ORT default).
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RawFrame } from '@crowdsafe/contracts';
import { OnnxYoloDetector } from '@crowdsafe/server-ai';
import { CameraSupervisor } from '@crowdsafe/server-cameras';
import { loadConfig } from '@crowdsafe/server-config';
import { createApp } from '../../apps/api/src/app/bootstrap';
import { printAlertsBench } from './alerts';
import { analyticsBench } from './analytics';
import { countingBench } from './counting';
import { reportsBench } from './reports';
import { liveBench } from './live';
import { onnxBench } from './onnx';
import { recordingsBench } from './recordings';
import { scaleBench } from './scale';
import { soakBench } from './soak';
import { webBench } from './web';
import { visionBench } from './vision';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const root = resolve(__dirname, '../..');
const model = resolve(root, 'models/yolo11n.onnx');
const video = resolve(root, 'media/sample.mp4');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const threads = Number(process.env['INFERENCE_THREADS'] ?? 0);

function decodeFrames(n: number, width: number, height: number): RawFrame[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', video, '-vf', `fps=5,scale=${width}:${height}`, '-frames:v', String(n), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 1 << 30 });
  const size = width * height * 3;
  return Array.from({ length: Math.floor(raw.length / size) }, (_, i) => ({
    cameraId: 'bench', seq: i, capturedAt: Date.now(), width, height, data: raw.subarray(i * size, (i + 1) * size),
  }));
}

async function rawInference(n: number): Promise<{ fps: number; msPerFrame: number; people: number; inferenceMs: number; preMs: number; postMs: number }> {
  const detector = await OnnxYoloDetector.load({ modelPath: model, executionProvider: 'cpu', threads, defaults: { confidence: 0.5, iou: 0.7, maxDetections: 1000 } });
  const frames = decodeFrames(n, 1280, 720);
  for (let i = 0; i < 3; i++) await detector.detect([frames[i % frames.length]]);
  let people = 0, inf = 0, pre = 0, post = 0;
  const t0 = performance.now();
  for (const f of frames) {
    const r = await detector.detect([f]);
    people += r.detections[0].length;
    inf += r.timings.inferenceMs;
    pre += r.timings.preprocessMs;
    post += r.timings.postprocessMs;
  }
  const ms = performance.now() - t0;
  await detector.close();
  const k = frames.length;
  return { fps: (k * 1000) / ms, msPerFrame: ms / k, people: people / k, inferenceMs: inf / k, preMs: pre / k, postMs: post / k };
}

async function endToEnd(seconds: number): Promise<{ fps: number; fpsIn: number; dropped: number; stale: number; processed: number; loopP99Ms: number; loopMaxMs: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cs-bench-'));
  const config = loadConfig({ DATA_DIR: dataDir, MODEL_PATH: model, SAMPLE_VIDEO: video, CAMERA_DEFAULT_FPS: '25', WEB_DIST: '', LOG_LEVEL: 'warn', INFERENCE_THREADS: String(threads) }, root);
  const app = await createApp(config);
  await app.init();
  try {
    const supervisor = app.get(CameraSupervisor);
    const cameraId = (await (app.get(CameraSupervisor) as unknown as { cameras: { list(): Promise<Array<{ id: string }>> } }).cameras.list())[0].id;
    const runtime = supervisor.runtime(cameraId);
    if (!runtime) throw new Error('sample camera did not start');
    await sleep(5000); // warm-up: ffmpeg start, model warm-up, JIT
    const a = runtime.health();
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const t0 = performance.now();
    await sleep(seconds * 1000);
    const b = runtime.health();
    const s = (performance.now() - t0) / 1000;
    loop.disable();
    return {
      fps: (b.framesProcessed - a.framesProcessed) / s,
      fpsIn: (b.framesDecoded - a.framesDecoded) / s,
      dropped: b.droppedFrames - a.droppedFrames,
      stale: b.staleFrames - a.staleFrames,
      processed: b.framesProcessed - a.framesProcessed,
      loopP99Ms: loop.percentile(99) / 1e6,
      loopMaxMs: loop.max / 1e6,
    };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'scale') return scaleBench();
  if (process.argv[2] === 'soak') return soakBench();
  if (process.argv[2] === 'analytics') return analyticsBench();
  if (process.argv[2] === 'reports') return reportsBench();
  if (process.argv[2] === 'alerts') return printAlertsBench(arg('triggers', 250));
  if (process.argv[2] === 'live') return liveBench();
  if (process.argv[2] === 'onnx') return onnxBench();
  if (process.argv[2] === 'counting') return countingBench();
  if (process.argv[2] === 'web') return webBench();
  if (process.argv[2] === 'recordings') return recordingsBench(arg('seconds', 30));
  for (const f of [model, video]) if (!existsSync(f)) throw new Error(`${f} is missing; run ./crowdsafe setup`);
  const seconds = arg('seconds', 20);
  console.log(`CrowdSafe bench — ${process.arch}, ${require('node:os').cpus().length} cores, node ${process.version}`);
  console.log(`model ${model}\nvideo ${video} (1280x720), onnxruntime intra-op threads: ${threads || 'default'}\n`);
  const raw = await rawInference(arg('frames', 30));
  console.log(`raw inference (detector alone, batch 1): ${raw.fps.toFixed(2)} frames/s (${raw.msPerFrame.toFixed(1)} ms/frame: preprocess ${raw.preMs.toFixed(1)}, session.run ${raw.inferenceMs.toFixed(1)}, postprocess ${raw.postMs.toFixed(1)}; ${raw.people.toFixed(1)} people/frame at conf 0.5)`);
  const e2e = await endToEnd(seconds);
  console.log(`end-to-end slice (embedded, fed at 25 fps for ${seconds} s): ${e2e.fps.toFixed(2)} frames/s processed, ${e2e.fpsIn.toFixed(2)} frames/s decoded, ${e2e.dropped} dropped (oldest-first), ${e2e.stale} stale; event-loop delay p99 ${e2e.loopP99Ms.toFixed(1)} ms, max ${e2e.loopMaxMs.toFixed(1)} ms`);
  console.log(`ratio end-to-end / raw: ${(e2e.fps / raw.fps).toFixed(2)}\n`);
  await visionBench(model, threads, decodeFrames(6, 1280, 720));
  console.log('');
  await printAlertsBench(arg('triggers', 250));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
