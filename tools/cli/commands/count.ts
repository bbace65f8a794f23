// `crowdsafe count <image...|dir> [--method detection|tiled|scheduled|density|fused|auto|live] [--max-side N] [--json out.json]`
// Counts people in still images and writes {images: [{image, path, count, method, low, high, detections, timingsMs}]},
// the prediction format `crowdsafe eval count --pred` reads (matched by file name).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import sharp from 'sharp';
import type { CountEstimate, RawFrame, TilingMode } from '@crowdsafe/contracts';
import { OnnxYoloDetector, ThreadedFidtCounter } from '@crowdsafe/server-ai';
import { densityInputScale, detectionEstimate, fuseCounts, planStillImage } from '@crowdsafe/vision';

export const summary = 'count people in images: count <image...|dir> [--method detection|tiled|scheduled|density|fused|auto|live] [--max-side N] [--json out.json]';

const METHODS = ['detection', 'tiled', 'scheduled', 'density', 'fused', 'auto', 'live'] as const;
/** DETECT_CONFIDENCE's default: what a live camera counts with unless its settings say otherwise. */
const LIVE_CONFIDENCE = 0.5;
type Method = (typeof METHODS)[number];
const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff']);
/** Longest side for the density model: ShanghaiTech B's native 1024 (~0.3 s/image here); 640 is ~0.13 s but costs accuracy (dense/README.md). */
const DEFAULT_MAX_SIDE = 1024;

export interface CountImageResult {
  image: string;
  path: string;
  count: number;
  method: CountEstimate['method'];
  low: number;
  high: number;
  /** Person detections used (0 for method density). */
  detections: number;
  /** Density-model heads (when it ran). */
  densityCount?: number;
  timingsMs: { decode: number; detect: number; density: number; total: number };
}

interface Args {
  inputs: string[];
  method: Method;
  maxSide: number;
  json?: string;
  model: string;
  fidtModel: string;
  confidence: number;
  confidenceSet?: boolean;
  threads: number;
  quiet: boolean;
  tileSize: number;
}

const USAGE = `usage: crowdsafe count <image...|dir> [options]
  --method M        detection (untiled) | tiled (tiling 'on') | scheduled (the live detection scheduler: global pass,
                    person-size map from it, slices where people are small) | density (FIDT model)
                    | fused (tiled + FIDT, fused) | auto (default; the live pipeline: scheduled, FIDT, fused)
                    | live (what a camera does: scheduled detection at DETECT_CONFIDENCE's default 0.5 unless
                      --confidence, FIDT at the input scale chosen from the detected people's sizes
                      (densityInputScale, capped by --max-side = FIDT_MAX_SIDE), fused as a camera fuses it)
  --max-side N      longest image side for the density model (default ${DEFAULT_MAX_SIDE}; 0 = native)
  --json FILE       write {images: [...]} for 'crowdsafe eval count --pred'
  --model PATH      YOLO detect export (default MODEL_PATH, else models/yolo11n.onnx, else the shared data model)
  --fidt-model PATH FIDT model (default models/fidt_light_B.onnx, else <shared data>/models/fidt_light_B.onnx)
  --confidence C    detection confidence for counting (default 0.25; live: 0.5)
  --threads N       onnxruntime threads per model (default 0 = onnxruntime's default)
  --tile-size N     slice size in source pixels for tiled detection (default 0 = the model input, 640)
  --quiet           no per-image lines`;

function sharedData(): string {
  return resolve(process.env['CROWDSAFE_SHARED_DATA'] ?? join(process.cwd(), '..', 'shared', 'data'));
}

function firstExisting(...paths: string[]): string {
  return paths.find((p) => existsSync(p)) ?? paths[0];
}

export function parseArgs(argv: string[]): Args {
  const a: Args = {
    inputs: [],
    method: 'auto',
    maxSide: DEFAULT_MAX_SIDE,
    model: firstExisting(process.env['MODEL_PATH'] ?? 'models/yolo11n.onnx', join(sharedData(), 'models', 'yolo11n_int8_dynamic_640.onnx')),
    fidtModel: firstExisting('models/fidt_light_B.onnx', join(sharedData(), 'models', 'fidt_light_B.onnx')),
    confidence: 0.25,
    threads: 0,
    quiet: false,
    tileSize: 0,
  };
  const num = (flag: string, v: string | undefined, int: boolean, min: number, max = Infinity): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || (int && !Number.isInteger(n)) || n < min || n > max) {
      throw new Error(`${flag} needs ${int ? 'an integer' : 'a number'} >= ${min}${max < Infinity ? ` and <= ${max}` : ''}, got ${v ?? 'nothing'}`);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--method': {
        const m = value();
        if (!METHODS.includes(m as Method)) throw new Error(`--method must be one of ${METHODS.join(', ')}, got ${m ?? 'nothing'}`);
        a.method = m as Method;
        break;
      }
      case '--max-side':
        a.maxSide = num(flag, value(), true, 0);
        break;
      case '--json':
        a.json = value();
        if (!a.json) throw new Error('--json needs a file name');
        break;
      case '--model':
        a.model = value();
        break;
      case '--fidt-model':
        a.fidtModel = value();
        break;
      case '--confidence':
        a.confidence = num(flag, value(), false, 0, 1);
        a.confidenceSet = true;
        break;
      case '--threads':
        a.threads = num(flag, value(), true, 0);
        break;
      case '--tile-size':
        a.tileSize = num(flag, value(), true, 0);
        break;
      case '--quiet':
        a.quiet = true;
        break;
      case '-h':
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        if (arg.startsWith('-')) throw new Error(`unknown option ${arg}\n${USAGE}`);
        a.inputs.push(arg);
    }
  }
  if (a.inputs.length === 0) throw new Error(`no images given\n${USAGE}`);
  if (a.method === 'live' && !a.confidenceSet) a.confidence = LIVE_CONFIDENCE;
  return a;
}

/** Files given, and the images of directories given (not recursive), in natural order (IMG_2 before IMG_10). */
export function listImages(inputs: readonly string[]): string[] {
  const natural = new Intl.Collator('en', { numeric: true }).compare;
  const out: string[] = [];
  for (const input of inputs) {
    if (!existsSync(input)) throw new Error(`no such file or directory: ${input}`);
    if (statSync(input).isDirectory()) {
      const files = readdirSync(input)
        .filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()))
        .sort(natural)
        .map((f) => join(input, f));
      if (files.length === 0) throw new Error(`no images (${[...IMAGE_EXT].join(', ')}) in ${input}`);
      out.push(...files);
    } else out.push(input);
  }
  return out;
}

async function decodeRgb(path: string, seq: number): Promise<RawFrame> {
  const { data, info } = await sharp(path).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`${path}: decoded to ${info.channels} channels, expected RGB`);
  return { cameraId: 'cli', seq, capturedAt: Date.now(), width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

export async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const files = listImages(args.inputs);
  const needDetector = args.method !== 'density';
  const needDensity = args.method === 'density' || args.method === 'fused' || args.method === 'auto' || args.method === 'live';
  const detector = needDetector
    ? await OnnxYoloDetector.load({
        modelPath: resolve(args.model),
        settingName: '--model',
        executionProvider: 'cpu',
        threads: args.threads,
        defaults: { confidence: args.confidence, iou: 0.7, maxDetections: 3000 },
        tiling: { tileSize: args.tileSize },
      })
    : undefined;
  const fidt = needDensity
    ? await ThreadedFidtCounter.load({ modelPath: resolve(args.fidtModel), settingName: '--fidt-model', threads: args.threads, maxSide: args.maxSide })
    : undefined;
  const tiling: TilingMode = args.method === 'tiled' || args.method === 'fused' ? 'on' : 'off';
  const scheduled = args.method === 'scheduled' || args.method === 'auto' || args.method === 'live';
  const results: CountImageResult[] = [];
  try {
    for (const [i, file] of files.entries()) {
      const t0 = performance.now();
      const frame = await decodeRgb(file, i);
      const t1 = performance.now();
      let n = 0;
      let tiled = false;
      let people: Array<{ y: number; height: number }> = [];
      if (detector) {
        let r = await detector.detect([frame], [{ tiling }]);
        if (scheduled) {
          // The live scheduler on a still image: size map from the global pass, then every planned slice at once.
          const plan = planStillImage(r.detections[0], frame.width, frame.height, { inputSize: detector.info.inputSize.width });
          if (plan.slices.length) r = await detector.detect([frame], [{ slices: plan.slices.map(({ x, y, width, height }) => ({ x, y, width, height })) }]);
        }
        n = r.detections[0].length;
        tiled = r.tiling?.[0]?.tiled ?? false;
        people = r.detections[0].map((d) => ({ y: d.box.y2, height: d.box.y2 - d.box.y1 }));
      }
      const t2 = performance.now();
      const det = detectionEstimate(n, tiled ? 'tiled-detection' : 'detection');
      let estimate: CountEstimate = det;
      let densityCount: number | undefined;
      if (fidt) {
        const d =
          args.method === 'live'
            ? await fidt.count(frame, { scale: densityInputScale(people, { frameWidth: frame.width, frameHeight: frame.height, maxSide: args.maxSide || Math.max(frame.width, frame.height) }).scale })
            : await fidt.count(frame);
        densityCount = d.estimate.count;
        if (args.method === 'density') estimate = d.estimate;
        else {
          const { densityWeight: _w, ...fused } = fuseCounts(det, d.estimate);
          estimate = fused;
        }
      }
      const t3 = performance.now();
      const r: CountImageResult = {
        image: basename(file),
        path: resolve(file),
        count: estimate.count,
        method: estimate.method,
        low: estimate.low,
        high: estimate.high,
        detections: n,
        ...(densityCount === undefined ? {} : { densityCount }),
        timingsMs: { decode: round1(t1 - t0), detect: round1(t2 - t1), density: round1(t3 - t2), total: round1(t3 - t0) },
      };
      results.push(r);
      if (!args.quiet) {
        console.log(`${r.image}\t${r.count}\t[${r.low}, ${r.high}]\t${r.method}\tdetections ${n}${densityCount === undefined ? '' : `\tdensity ${densityCount}`}\t${r.timingsMs.total} ms`);
      }
    }
  } finally {
    await detector?.close();
    await fidt?.close();
  }
  if (args.json) {
    await mkdir(dirname(resolve(args.json)), { recursive: true });
    await writeFile(args.json, JSON.stringify({ images: results }, null, 1) + '\n');
    console.log(`wrote ${results.length} images to ${args.json}`);
  }
}

function round1(ms: number): number {
  return Math.round(ms * 10) / 10;
}
