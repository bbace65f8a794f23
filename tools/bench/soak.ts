// ./crowdsafe bench soak [--minutes M] [--clip-seconds S]: memory of one camera's pipeline over an accelerated soak
// (issue 12: "replay at max speed for 30 min: RSS growth < 5 %").
//   1. The hall clip (media/sample.mp4, 1280x720) at 5 fps for --clip-seconds (default 30) goes once through the
//      product's detector and the camera's own pipeline (scheduled slices, low-score split): each frame's accepted
//      detections and examined slices are kept (no pixels).
//   2. They are replayed through a fresh CameraPipeline (the camera defaults: scheduling bookkeeping, tracking, auto
//      calibration, analytics, the second window, risk, the alerting stage fed every closed second) at max speed for
//      --minutes of wall time (default 30), the clip looping as a file camera does (a stream break at each wrap),
//      with the camera's time running on at 5 fps: hours of camera time in minutes.
// Memory: RSS and V8 heap used after a forced GC, at the end of the warm-up (the first 10 % of the run: windows,
// maps and caches filled) and at the end; growth = end / warm-up - 1 (target RSS < 5 %). Also printed: camera-hours
// simulated, frames and seconds processed, alert events, the pipeline's bounded stores.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Detection, RawFrame } from '@crowdsafe/contracts';
import { alertInputOf, CameraPipeline } from '@crowdsafe/pipeline';
import { OnnxYoloDetector } from '@crowdsafe/server-ai';
import { loadConfig } from '@crowdsafe/server-config';
import type { ExaminedSlices } from '@crowdsafe/vision';

const root = resolve(__dirname, '../..');
const arg = (name: string, dflt: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i > 0 ? Number(process.argv[i + 1]) : dflt;
  if (!(v > 0) || !Number.isFinite(v)) throw new Error(`--${name} must be a positive number, got ${process.argv[i + 1]}`);
  return v;
};
const FPS = 5;
const W = 1280;
const H = 720;

/** A forced full GC (the bench's own process only), so heap and RSS are compared without garbage. */
function forceGc(): () => void {
  setFlagsFromString('--expose_gc');
  return runInNewContext('gc') as () => void;
}

interface Cached {
  detections: Detection[];
  examined?: ExaminedSlices;
}

function newPipeline(nowMs: number, confidence: number): CameraPipeline {
  return new CameraPipeline({ cameraId: 'soak', detect: { confidence }, alerting: {}, nowMs });
}

async function cacheClip(seconds: number, confidence: number): Promise<Cached[]> {
  const video = resolve(root, 'media/sample.mp4');
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', video, '-vf', `fps=${FPS},scale=${W}:${H}`, '-t', String(seconds), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 2 ** 32 });
  const size = W * H * 3;
  const config = loadConfig();
  const detector = await OnnxYoloDetector.load({ modelPath: config.inference.modelPath, executionProvider: 'cpu', threads: 0, defaults: { confidence: config.inference.confidence, iou: config.inference.iou, maxDetections: config.inference.maxDetections } });
  const t0 = 1_700_000_000_000;
  const pipeline = newPipeline(t0, confidence);
  const out: Cached[] = [];
  try {
    for (let i = 0; i < Math.floor(raw.length / size); i++) {
      const frame: RawFrame = { cameraId: 'soak', seq: i + 1, capturedAt: t0 + (i * 1000) / FPS, width: W, height: H, data: raw.subarray(i * size, (i + 1) * size) };
      const plan = pipeline.plan(frame);
      const r = await detector.detect([frame], [plan.detect]);
      const accepted = pipeline.accept(plan, r.detections[0]);
      pipeline.frame(frame, accepted.detections, accepted.examined);
      out.push({ detections: accepted.detections, examined: accepted.examined });
    }
  } finally {
    await detector.close();
    pipeline.release();
  }
  return out;
}

interface Sample {
  rssMb: number;
  heapMb: number;
}

function sample(gc: () => void): Sample {
  gc();
  const m = process.memoryUsage();
  return { rssMb: m.rss / 2 ** 20, heapMb: m.heapUsed / 2 ** 20 };
}

export async function soakBench(): Promise<void> {
  const minutes = arg('minutes', 30);
  const clipSeconds = arg('clip-seconds', 30);
  const gc = forceGc();
  const layout = JSON.parse(readFileSync(resolve(root, 'docs/calibration/hall.json'), 'utf8')) as { detection?: { confidence?: number } };
  const confidence = layout.detection?.confidence ?? loadConfig().inference.confidence;
  console.log(`soak bench: ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}; hall ${W}x${H} at ${FPS} fps, ${clipSeconds} s clip detected once, then replayed through CameraPipeline for ${minutes} min at max speed`);
  const clip = await cacheClip(clipSeconds, confidence);
  if (!clip.length) throw new Error('no frames decoded from media/sample.mp4 (run ./crowdsafe setup)');
  const pixels = new Uint8Array(0); // the pipeline's stages after detection read no pixels (GMC off by default)
  const t0 = 1_700_000_000_000;
  const pipeline = newPipeline(t0, confidence);
  const endAt = Date.now() + minutes * 60_000;
  const warmAt = Date.now() + minutes * 6_000; // the first 10 %
  let warm: Sample | null = null;
  let frames = 0;
  let seconds = 0;
  let alertEvents = 0;
  let nextReport = Date.now() + 60_000;
  const ctx = { cameraId: 'soak', cameraStatus: 'online' as const, capacity: 40, systemError: null };
  while (Date.now() < endAt) {
    for (let k = 0; k < 50; k++) {
      const i = frames % clip.length;
      if (i === 0 && frames > 0) pipeline.streamBroke(); // the file camera loops
      const capturedAt = t0 + (frames * 1000) / FPS;
      const frame: RawFrame = { cameraId: 'soak', seq: frames + 1, capturedAt, width: W, height: H, data: pixels };
      pipeline.plan(frame); // the scheduler's bookkeeping, as live
      pipeline.frame(frame, clip[i].detections, clip[i].examined);
      frames++;
      if (frames % FPS === 0) {
        for (const s of pipeline.close(capturedAt, 1500)) {
          seconds++;
          alertEvents += pipeline.alerting?.update(alertInputOf(s.time.getTime(), s, ctx)).length ?? 0;
        }
      }
    }
    if (!warm && Date.now() >= warmAt) warm = sample(gc);
    if (Date.now() >= nextReport) {
      nextReport += 60_000;
      const s = sample(gc);
      console.log(`  ${((frames / FPS) / 3600).toFixed(2)} camera-hours: RSS ${s.rssMb.toFixed(1)} MB, heap ${s.heapMb.toFixed(1)} MB`);
    }
  }
  const end = sample(gc);
  const w = warm ?? end;
  const growth = (a: number, b: number) => ((b / a - 1) * 100).toFixed(2);
  console.log(`  simulated ${((frames / FPS) / 3600).toFixed(2)} camera-hours (${frames} frames, ${seconds} seconds closed, ${alertEvents} alert events) in ${minutes} min`);
  console.log(`  after warm-up: RSS ${w.rssMb.toFixed(1)} MB, heap ${w.heapMb.toFixed(1)} MB; end: RSS ${end.rssMb.toFixed(1)} MB, heap ${end.heapMb.toFixed(1)} MB`);
  console.log(`  => RSS growth ${growth(w.rssMb, end.rssMb)} % (target < 5 %), heap growth ${growth(w.heapMb, end.heapMb)} %`);
  console.log(`  alerting stores: ${JSON.stringify(pipeline.alerting?.stats() ?? null)}`);
  pipeline.release();
}
