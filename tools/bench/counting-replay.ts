// Diagnostic (issue 13): replays the scheduled live pipeline (CameraScheduling -> PeopleCounter, default settings, the
// frame's pixels given as live) on cached detector passes, so that variants can be compared in seconds, and classifies
// every missed reference box. Not a benchmark: the figures to report come from `./crowdsafe bench counting`.
//   node -r ./tools/ts-register.js tools/bench/counting-replay.ts [--clip hall|1080p] [--seconds 10] [--misses]
//        [--set '{"scheduler":{...},"counter":{...},"refreshS":1,"confidence":0.35,"ratio":2.5}']
//        [--plan 'x,y,w,h;...' (a fixed slice plan once the size map is learnt)] [--oracle-carry]
// Each model pass (the global pass, or one slice region cropped from the frame) of each frame runs once at confidence
// 0.25 and is cached in /tmp/crowdsafe-replay-<clip>-<seconds>.json; a frame's detections are the cached passes merged
// as the detector merges them (mergeTileDetections). Reference = global + the 640 px SAHI grid at 0.25, as the bench.
// --misses: each reference box missed after the 2 s warm-up, by category (drift-noDet: a tracked box at IoU 0.2-0.5
// and no detection of it on this frame, with its source: carried / coasting / fresh detection; detected-not-output:
// the live detector has it at IoU >= 0.5 but no tracked box covers it, with its score and whether a tentative track
// holds it; seen-in-last-5 / never-seen-5: not detected now, detected or not in the 5 frames before) and by region
// (top-cut: box touching the top edge; bottom80: feet in the last 80 rows; feetN: feet row band).
// --oracle-carry: carried boxes snapped to the reference box they overlap most (upper bound of better carry motion).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { BBox, Detection, RawFrame } from '@crowdsafe/contracts';
import { OnnxYoloDetector } from '@crowdsafe/server-ai';
import { CameraScheduling } from '@crowdsafe/pipeline';
import { loadConfig } from '@crowdsafe/server-config';
import { DetectionScheduler, iou, PassBudgetAllocator, PeopleCounter, SliceCarry, mergeTileDetections, planTiles, type TileRegion } from '@crowdsafe/vision';
import { matchedSet } from './counting';

const root = resolve(__dirname, '../..');
const argv = process.argv;
const opt = (name: string, dflt: string) => (argv.indexOf(`--${name}`) > 0 ? argv[argv.indexOf(`--${name}`) + 1] : dflt);
const fps = 5;
const seconds = Number(opt('seconds', '10'));
const clipName = opt('clip', 'hall');
const [W, H] = clipName === '1080p' ? [1920, 1080] : [1280, 720];
const set = JSON.parse(opt('set', '{}')) as { scheduler?: Record<string, unknown>; counter?: Record<string, unknown>; refreshS?: number; confidence?: number };

function decode(): RawFrame[] {
  const raw = execFileSync('ffmpeg', ['-v', 'error', '-i', resolve(root, 'media/sample.mp4'), '-vf', `fps=${fps},scale=${W}:${H}:flags=bicubic`, '-t', String(seconds), '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { maxBuffer: 2 ** 32 });
  const size = W * H * 3;
  return Array.from({ length: Math.floor(raw.length / size) }, (_, i) => ({ cameraId: 'bench', seq: i + 1, capturedAt: 1_700_000_000_000 + Math.round((i * 1000) / fps), width: W, height: H, data: raw.subarray(i * size, (i + 1) * size) }));
}

function crop(f: RawFrame, r: TileRegion): RawFrame {
  const out = Buffer.alloc(r.width * r.height * 3);
  const src = Buffer.from(f.data.buffer, f.data.byteOffset, f.data.length);
  for (let y = 0; y < r.height; y++) src.copy(out, y * r.width * 3, ((r.y + y) * f.width + r.x) * 3, ((r.y + y) * f.width + r.x + r.width) * 3);
  return { ...f, width: r.width, height: r.height, data: out };
}

async function main(): Promise<void> {
  if (argv.includes('--plan')) {
    const fixed = opt('plan', '').split(';').map((t) => { const [x, y, w, h] = t.split(',').map(Number); return { x, y, width: w, height: h, kind: 'tile' }; });
    const proto = DetectionScheduler.prototype as unknown as { replan: (at: number) => void };
    const orig = proto.replan;
    proto.replan = function (this: { plan: { mode: string; slices: unknown[] } }, at: number) {
      orig.call(this, at);
      if (this.plan.mode === 'map') this.plan = { ...this.plan, slices: fixed };
    };
  }
  const config = loadConfig();
  const cachePath = `/tmp/crowdsafe-replay-${clipName}-${seconds}.json`;
  const cache: Record<string, Detection[]> = existsSync(cachePath) ? JSON.parse(readFileSync(cachePath, 'utf8')) : {};
  const frames = decode();
  let detector: OnnxYoloDetector | null = null;
  let computed = 0;
  const pass = async (i: number, r: TileRegion): Promise<Detection[]> => {
    const key = `${i}:${r.x},${r.y},${r.width},${r.height}`;
    if (cache[key]) return cache[key];
    detector ??= await OnnxYoloDetector.load({ modelPath: config.inference.modelPath, executionProvider: 'cpu', threads: 0, defaults: { confidence: 0.25, iou: config.inference.iou, maxDetections: config.inference.maxDetections } });
    const global = r.x === 0 && r.y === 0 && r.width === W && r.height === H;
    const res = await detector.detect([global ? frames[i] : crop(frames[i], r)], [{ confidence: 0.25, tiling: 'off' }]);
    cache[key] = res.detections[0].map((d) => ({ ...d, box: { x1: d.box.x1 + r.x, y1: d.box.y1 + r.y, x2: d.box.x2 + r.x, y2: d.box.y2 + r.y } }));
    computed++;
    return cache[key];
  };
  const globalRegion: TileRegion = { x: 0, y: 0, width: W, height: H, kind: 'global' };
  const detect = async (i: number, slices: readonly TileRegion[], conf: number): Promise<Detection[]> => {
    const passes = [{ region: globalRegion, detections: await pass(i, globalRegion) }];
    for (const s of slices) passes.push({ region: { ...s, kind: 'tile' }, detections: await pass(i, { ...s, kind: 'tile' }) });
    const filtered = passes.map((p) => ({ region: p.region, detections: p.detections.filter((d) => d.score >= conf) }));
    if (filtered.length === 1) return [...filtered[0].detections];
    return mergeTileDetections(filtered, { frameWidth: W, frameHeight: H, iou: Math.min(config.inference.iou, 0.5), ios: 0.6, maxDetections: config.inference.maxDetections });
  };

  const tiles = planTiles(W, H, { tileWidth: 640, tileHeight: 640, overlap: 0.2 }).filter((r) => r.kind === 'tile');
  const ref: BBox[][] = [];
  for (let i = 0; i < frames.length; i++) ref.push((await detect(i, tiles, 0.25)).map((d) => d.box));

  const hallLayout = JSON.parse(readFileSync(resolve(root, 'docs/calibration/hall.json'), 'utf8')) as { detection?: { confidence?: number } };
  const confidence = set.confidence ?? hallLayout.detection?.confidence ?? config.inference.confidence;
  const refreshS = set.refreshS ?? config.inference.sliceRefreshS;
  const scheduling = new CameraScheduling('bench', fps, { refreshS, allocator: new PassBudgetAllocator({ maxRatio: (set as { ratio?: number }).ratio ?? 2.5 }), ...(set.scheduler ? { scheduler: set.scheduler } : {}) });
  const counter = new PeopleCounter({ frameRate: fps, trackBufferS: Math.max(1, refreshS), ...(set.counter ?? {}) });
  const boxes: BBox[][] = [];
  let curRef: BBox[] = [];
  if (argv.includes('--oracle-carry')) {
    const orig = SliceCarry.prototype.apply;
    SliceCarry.prototype.apply = function (this: SliceCarry, d, fi, ex, fr) {
      const r = orig.call(this, d, fi, ex, fr);
      for (let k = d.length; k < r.detections.length; k++) {
        const c = r.detections[k];
        let bi = -1;
        let bv = 0.2;
        curRef.forEach((rb, q) => { const v = iou(rb, c.box); if (v > bv) { bv = v; bi = q; } });
        if (bi >= 0) r.detections[k] = { ...c, box: { ...curRef[bi] } };
      }
      return r;
    };
  }
  const det: BBox[][] = [];
  const rawDet: Detection[][] = [];
  const tent: BBox[][] = [];
  const counts: number[] = [];
  const timeSince: number[][] = [];
  let passes = 0;
  let trackMs = 0;
  const planned: string[] = [];
  for (const [i, f] of frames.entries()) {
    curRef = ref[i];
    const plan = scheduling.next(f, { confidence });
    const slices = (plan.detect.slices ?? []).map((s): TileRegion => ({ ...s, kind: 'tile' }));
    passes += 1 + slices.length;
    const raw = await detect(i, slices, plan.detect.confidence ?? confidence);
    const accepted = scheduling.split(plan, raw);
    scheduling.observe(accepted.detections);
    const t0 = process.cpuUsage();
    const res = counter.process(accepted.detections, i + 1, f, null, { width: f.width, height: f.height, rgb: f.data }, accepted.examined);
    const dc = process.cpuUsage(t0);
    trackMs += (dc.user + dc.system) / 1000;
    counts.push(res.count.count);
    boxes.push(res.tracks.map((t) => t.box));
    timeSince.push(res.tracks.map((t) => t.timeSinceUpdate));
    det.push(raw.map((d) => d.box));
    rawDet.push(raw);
    tent.push(res.unconfirmed.map((u) => u.box));
    const p = plan.examined.planned?.map((s) => `${s.x},${s.y},${s.width}`).join(' ') ?? '';
    if (planned[planned.length - 1] !== p) planned.push(p);
  }
  if (computed) writeFileSync(cachePath, JSON.stringify(cache));
  const from = 2 * fps;
  let refN = 0;
  let hit = 0;
  let recallSum = 0;
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / Math.max(1, v.length);
  const cats = new Map<string, number>();
  const add = (k: string) => cats.set(k, (cats.get(k) ?? 0) + 1);
  let coastHit = 0;
  let coastOut = 0;
  for (let i = from; i < frames.length; i++) {
    const m = matchedSet(ref[i], boxes[i]);
    refN += ref[i].length;
    hit += m.size;
    recallSum += ref[i].length ? m.size / ref[i].length : 1;
    // matched outputs that are coasting/carried
    for (let j = 0; j < boxes[i].length; j++) if (timeSince[i][j] > 0) coastOut++;
    const lm = matchedSet(boxes[i], ref[i]);
    for (let j = 0; j < boxes[i].length; j++) if (timeSince[i][j] > 0 && lm.has(j)) coastHit++;
    if (!argv.includes('--misses')) continue;
    ref[i].forEach((b, k) => {
      if (m.has(k)) return;
      const feet = b.y2;
      const h = b.y2 - b.y1;
      const region = b.y1 <= 2 ? 'top-cut' : feet < H * 0.12 ? 'top<12%' : feet > H - 80 ? 'bottom80' : `feet${Math.floor(feet / (H / 6)) * Math.round(H / 6)}`;
      const ious = boxes[i].map((o) => iou(b, o));
      const best = Math.max(0, ...ious);
      const bj = ious.indexOf(best);
      if (best >= 0.2) {
        const src = timeSince[i][bj] > 0 ? 'coast' : det[i].some((o) => iou(o, boxes[i][bj]) >= 0.7) ? 'fresh' : 'carried';
        add(`drift-src ${src}`);
        if (src === 'carried') {
          const o = boxes[i][bj];
          const off = Math.hypot((o.x1 + o.x2 - b.x1 - b.x2) / 2, (o.y1 + o.y2 - b.y1 - b.y2) / 2) / (b.y2 - b.y1);
          const sr = (o.y2 - o.y1) / (b.y2 - b.y1);
          add(`carried off ${off < 0.1 ? '<0.1' : off < 0.2 ? '0.1-0.2' : '>0.2'} size ${sr < 0.85 ? 'small' : sr > 1.18 ? 'large' : 'ok'}`);
        }
      }
      const sc = Math.max(0, ...rawDet[i].filter((d) => iou(d.box, b) >= 0.5).map((d) => d.score));
      if (sc > 0 && best < 0.2) add(`notout score ${sc < 0.35 ? '<0.35' : sc < 0.5 ? '0.35-0.5' : '>=0.5'} tentative ${tent[i].some((o) => iou(o, b) >= 0.5)}`);
      const detNow = det[i].some((o) => iou(b, o) >= 0.5);
      let recent = false;
      for (let k2 = Math.max(0, i - 5); k2 < i; k2++) if (det[k2].some((o) => iou(b, o) >= 0.3)) recent = true;
      const cat = best >= 0.2 ? (detNow ? 'drift-detNow' : 'drift-noDet') : detNow ? 'detected-not-output' : recent ? 'seen-in-last-5' : 'never-seen-5';
      add(`${cat.padEnd(20)} ${region.padEnd(9)} h${h < 30 ? '<30' : h < 60 ? '30-60' : h < 100 ? '60-100' : '100+'}`);
      add(`cat ${cat}`);
      add(`reg ${region}`);
    });
  }
  const st = scheduling.health();
  console.log(`${clipName} ${frames.length} frames; set ${JSON.stringify(set)}; ref ${(refN / (frames.length - from)).toFixed(1)}/frame`);
  console.log(`recall ${(recallSum / (frames.length - from)).toFixed(3)} (pooled ${(hit / refN).toFixed(3)}) count ${mean(counts.slice(from)).toFixed(1)} passes/frame ${(passes / frames.length).toFixed(2)} outputs coasting ${coastOut} matched ${coastHit}; computed passes ${computed}; PeopleCounter CPU ${(trackMs / frames.length).toFixed(1)} ms/frame`);
  console.log(`plans: ${planned.join(' | ')}; refresh ${st.refreshS}`);
  if (argv.includes('--misses')) for (const [k, v] of [...cats.entries()].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(48)} ${v} (${((100 * v) / refN).toFixed(1)} %)`);
  if (detector) await (detector as OnnxYoloDetector).close();
}

void main();
