// ./crowdsafe bench counting [--seconds N] [--fps N] — what the scheduled live pipeline finds, and what it costs,
// against the tiled-every-frame reference and the untiled live pipeline, measured in ONE run on this machine:
//   hall  : media/sample.mp4 (1280x720) at 5 fps;
//   hall-1080p : the same video upscaled to 1920x1080 by ffmpeg at bench time (no elevated 1080p video is shared
//          here; this stands in for one: same scene, every person 1.5x larger in pixels, the global pass's scale
//          640/1920 instead of 640/1280);
//   mot17-02 : MOT17-02 frames 1-4 (1920x1080, ground truth in shared/data/mot), played back and forth as a 5 fps
//          clip of --seconds (the shared set has only 4 frames: a static scene; the count is compared with the
//          ground truth's pedestrians, flag 1, class 1).
// For each: the reference = tiling 'on' (global + 640 px slices, SAHI) on every frame at confidence 0.25; the live
// pipelines = the product's default camera settings (confidence: the sample camera's docs/calibration/hall.json for the
// hall, DETECT_CONFIDENCE otherwise), the camera's PeopleCounter, and either the camera's detection scheduler (the
// default, tiling 'scheduled') or no slices (tiling 'off').
// Recall = per frame, the reference's boxes matched one-to-one (greedy by IoU) to the live pipeline's tracked boxes
// (confirmed tracks matched on that frame, carried and coasting ones included) at IoU >= 0.5, divided by the reference's boxes;
// averaged over the frames after the first --warmup seconds (default 2: the tracker's confirmation and the size map's
// learning). Count ratio = mean live count / mean reference detections over the same frames.
// CPU = process.cpuUsage() (user + sys, all threads: onnxruntime's included) around the detector calls of each
// pipeline, per camera-second (frames / fps); ratio = scheduled / untiled. Target: recall >= 0.95 at <= 2.5x.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BBox, DetectOptions, Detection, RawFrame } from '@crowdsafe/contracts';
import { OnnxYoloDetector } from '@crowdsafe/server-ai';
import { CameraScheduling } from '@crowdsafe/pipeline';
import { loadConfig } from '@crowdsafe/server-config';
import { iou, PeopleCounter, PassBudgetAllocator } from '@crowdsafe/vision';

const root = resolve(__dirname, '../..');
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};

interface Clip {
  name: string;
  frames: RawFrame[];
  fps: number;
  /** Live confidence (the product's default for this camera). */
  confidence: number;
  /** Ground-truth people per frame (MOT17-02), when known. */
  gt?: number[];
}

function decode(path: string, fps: number, seconds: number, width: number, height: number, loopPingPong = false): RawFrame[] {
  const vf = loopPingPong ? `scale=${width}:${height}` : `fps=${fps},scale=${width}:${height}:flags=bicubic`;
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-vf', vf, ...(loopPingPong ? [] : ['-t', String(seconds)]), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 2 ** 32 });
  const size = width * height * 3;
  return Array.from({ length: Math.floor(raw.length / size) }, (_, i) => ({ cameraId: 'bench', seq: i + 1, capturedAt: 1_700_000_000_000 + Math.round((i * 1000) / fps), width, height, data: raw.subarray(i * size, (i + 1) * size) }));
}


/** One-to-one greedy matching by IoU (>= thr): the indices of the matched reference boxes (also counting-replay.ts). */
export function matchedSet(ref: readonly BBox[], live: readonly BBox[], thr = 0.5): Set<number> {
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < ref.length; i++) for (let j = 0; j < live.length; j++) {
    const v = iou(ref[i], live[j]);
    if (v >= thr) pairs.push([v, i, j]);
  }
  pairs.sort((a, b) => b[0] - a[0]);
  const ri = new Set<number>();
  const lj = new Set<number>();
  for (const [, i, j] of pairs) {
    if (ri.has(i) || lj.has(j)) continue;
    ri.add(i);
    lj.add(j);
  }
  return ri;
}

/** Matched reference boxes (count). */
function matched(ref: readonly BBox[], live: readonly BBox[], thr = 0.5): number {
  return matchedSet(ref, live, thr).size;
}

interface LiveRun {
  counts: number[];
  boxes: BBox[][];
  /** The detector's output of each frame (merged passes), before tracking: where recall is lost. */
  detBoxes: BBox[][];
  cpuS: number;
  passes: number;
  status?: ReturnType<CameraScheduling['health']>;
}

async function live(detector: OnnxYoloDetector, clip: Clip, scheduled: boolean, refreshS: number): Promise<LiveRun> {
  const scheduling = scheduled ? new CameraScheduling('bench', clip.fps, { refreshS, allocator: new PassBudgetAllocator() }) : null;
  const counter = new PeopleCounter({ frameRate: clip.fps, ...(scheduled ? { trackBufferS: Math.max(1, refreshS) } : {}) });
  const base: DetectOptions = { confidence: clip.confidence, ...(scheduled ? {} : { tiling: 'off' as const }) };
  const out: LiveRun = { counts: [], boxes: [], detBoxes: [], cpuS: 0, passes: 0 };
  for (const [i, f] of clip.frames.entries()) {
    const plan = scheduling?.next(f, base);
    const opts = plan?.detect ?? base;
    const c0 = process.cpuUsage();
    const r = await detector.detect([f], [opts]);
    const c = process.cpuUsage(c0);
    out.cpuS += (c.user + c.system) / 1e6;
    out.passes += 1 + (opts.slices?.length ?? 0);
    // Scheduled: detections below the camera's confidence go to the tracker only (BYTE), as live.
    const accepted = plan && scheduling ? scheduling.split(plan, r.detections[0]) : { detections: r.detections[0], examined: plan?.examined };
    const dets: Detection[] = accepted.detections;
    scheduling?.observe(dets);
    // The frame's pixels, as the camera runtime gives them (TrackingStage): carried people are moved by measured motion.
    const res = counter.process(dets, i + 1, f, null, { width: f.width, height: f.height, rgb: f.data }, accepted.examined);
    out.counts.push(res.count.count);
    out.boxes.push(res.tracks.map((t) => t.box));
    out.detBoxes.push(dets.map((d) => d.box));
  }
  if (scheduling) out.status = scheduling.health();
  return out;
}

async function reference(detector: OnnxYoloDetector, clip: Clip): Promise<{ boxes: BBox[][]; cpuS: number }> {
  const boxes: BBox[][] = [];
  let cpuS = 0;
  for (const f of clip.frames) {
    const c0 = process.cpuUsage();
    const r = await detector.detect([f], [{ confidence: 0.25, tiling: 'on' }]);
    const c = process.cpuUsage(c0);
    cpuS += (c.user + c.system) / 1e6;
    boxes.push(r.detections[0].map((d) => d.box));
  }
  return { boxes, cpuS };
}

function motGt(dir: string): number[] {
  const per = new Map<number, number>();
  for (const line of readFileSync(join(dir, 'gt/gt.txt'), 'utf8').split('\n')) {
    const c = line.split(',');
    if (c.length < 8 || c[6] !== '1' || c[7] !== '1') continue;
    per.set(Number(c[0]), (per.get(Number(c[0])) ?? 0) + 1);
  }
  return [...per.keys()].sort((a, b) => a - b).map((k) => per.get(k) ?? 0);
}

const mean = (v: readonly number[]) => (v.length ? v.reduce((s, x) => s + x, 0) / v.length : 0);
const r2 = (v: number) => Math.round(v * 100) / 100;

export async function countingBench(): Promise<void> {
  const fps = arg('fps', 5);
  const seconds = arg('seconds', 20);
  const warmupS = arg('warmup', 2);
  const config = loadConfig();
  const refreshS = config.inference.sliceRefreshS;
  const video = resolve(root, 'media/sample.mp4');
  const hallLayout = JSON.parse(readFileSync(resolve(root, 'docs/calibration/hall.json'), 'utf8')) as { detection?: { confidence?: number } };
  // --confidence C overrides the live confidence of every clip (exploration; the figures to report use the defaults).
  const override = arg('confidence', 0);
  const hallConfidence = override || (hallLayout.detection?.confidence ?? config.inference.confidence);
  const shared = resolve(process.env['CROWDSAFE_SHARED_DATA'] ?? join(root, '..', '..', 'shared', 'data'));
  const motDir = [join(shared, 'mot/MOT17-02-FRCNN_frames1-4'), '/work/shared/data/mot/MOT17-02-FRCNN_frames1-4'].find((p) => existsSync(p));
  const threads = Number(process.env['INFERENCE_THREADS'] ?? 0);
  const detector = await OnnxYoloDetector.load({
    modelPath: config.inference.modelPath,
    executionProvider: 'cpu',
    threads,
    defaults: { confidence: config.inference.confidence, iou: config.inference.iou, maxDetections: config.inference.maxDetections },
  });
  const only = process.argv.indexOf('--only') > 0 ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
  const clips: [string, () => Clip][] = [
    ['hall 1280x720', () => ({ name: 'hall 1280x720', frames: decode(video, fps, seconds, 1280, 720), fps, confidence: hallConfidence })],
    ['hall upscaled 1920x1080', () => ({ name: 'hall upscaled 1920x1080 (ffmpeg bicubic, at bench time)', frames: decode(video, fps, seconds, 1920, 1080), fps, confidence: hallConfidence })],
  ];
  if (motDir) {
    clips.push(['MOT17-02', () => {
      const four = decode(join(motDir, 'MOT17-02-FRCNN_frames1-4.mp4'), fps, seconds, 1920, 1080, true);
      const order = [0, 1, 2, 3, 2, 1];
      const n = Math.round(seconds * fps);
      const frames = Array.from({ length: n }, (_, i) => ({ ...four[order[i % order.length]], seq: i + 1, capturedAt: 1_700_000_000_000 + Math.round((i * 1000) / fps) }));
      const gt = motGt(motDir);
      return { name: 'MOT17-02 frames 1-4 (1920x1080, looped)', frames, fps, confidence: override || config.inference.confidence, gt: frames.map((_, i) => gt[order[i % order.length]] ?? 0) };
    }]);
  } else console.log('MOT17-02 not found (set CROWDSAFE_SHARED_DATA): skipped');

  console.log(`counting bench: ${fps} fps, ${seconds} s per clip, refresh ${refreshS} s, warm-up ${warmupS} s excluded, onnxruntime threads ${threads || 'default'}`);
  for (const [name, make] of clips) {
    if (only && !name.toLowerCase().includes(only.toLowerCase())) continue;
    const clip = make();
    const ref = await reference(detector, clip);
    const sched = await live(detector, clip, true, refreshS);
    const flat = await live(detector, clip, false, refreshS);
    const from = Math.min(clip.frames.length - 1, Math.round(warmupS * fps));
    const recallOf = (boxes: BBox[][]) => mean(ref.boxes.slice(from).map((rb, k) => (rb.length ? matched(rb, boxes[from + k]) / rb.length : 1)));
    const recall = (run: LiveRun) => recallOf(run.boxes);
    const refMean = mean(ref.boxes.slice(from).map((b) => b.length));
    const camS = clip.frames.length / fps;
    const line = (name: string, run: LiveRun) => {
      const c = mean(run.counts.slice(from));
      return `  ${name.padEnd(22)} recall ${r2(recall(run)).toFixed(2)}  count ${r2(c)} (ratio ${r2(c / refMean)}, min ${Math.min(...run.counts.slice(from))}, max ${Math.max(...run.counts.slice(from))})  passes/frame ${r2(run.passes / clip.frames.length)}  (detector output recall ${r2(recallOf(run.detBoxes))})  CPU ${r2(run.cpuS / camS)} s per camera-second`;
    };
    console.log(`\n${clip.name}: ${clip.frames.length} frames, live confidence ${clip.confidence}; reference (tiled every frame, conf 0.25): ${r2(refMean)} people/frame, CPU ${r2(ref.cpuS / camS)} s per camera-second`);
    console.log(line('scheduled (default)', sched));
    console.log(line('untiled', flat));
    console.log(`  => scheduled/untiled CPU ${r2(sched.cpuS / flat.cpuS)}x (target <= 2.5x), recall ${r2(recall(sched))} (target >= 0.95)`);
    if (sched.status) console.log(`  scheduler: ${JSON.stringify(sched.status)}`);
    if (clip.gt) {
      const g = mean(clip.gt.slice(from));
      console.log(`  ground truth ${r2(g)} pedestrians/frame: scheduled count ${r2(mean(sched.counts.slice(from)) / g)}x, untiled ${r2(mean(flat.counts.slice(from)) / g)}x, reference ${r2(refMean / g)}x`);
    }
  }
  await detector.close();
}
