import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { DetectOptions, RawFrame, TilingMode } from '@crowdsafe/contracts';
import { StartupError } from '@crowdsafe/server-core';
import {
  type AutoTilingThresholds,
  COCO_CLASS_NAMES,
  computeLetterbox,
  cropRgb,
  DEFAULT_TILE_OVERLAP,
  mergeTileDetections,
  type PassDetections,
  planTiles,
  shiftBox,
  shouldTile,
  type TileRegion,
  describeYoloOutput,
  type Letterbox,
  OnnxParseError,
  packLetterboxedChw,
  parseOnnxModelMetadata,
  parseUltralyticsMetadata,
  postprocessYolo,
  type UltralyticsMetadata,
  type YoloOutputLayout,
} from '@crowdsafe/vision';
import { PersonDetector, type DetectorInfo, type DetectorRun } from './person-detector';
import { chooseSessionOptions, describeTuning, sessionOptionsOf, type SessionTuningConfig } from '../tuning/session-tuner';

export interface DetectorDefaults {
  confidence: number;
  iou: number;
  maxDetections: number;
  /** Tiling when a frame's options do not say (default 'off'). */
  tiling?: TilingMode;
}

/** Sliced-inference settings (see libs/server/vision/src/lib/tiling). Slices are the model input size. */
export interface DetectorTilingOptions {
  /**
   * Slice size in source pixels (default 0 = the model input size, so slices run at 1:1). Smaller slices are
   * upscaled into the model input: more passes, smaller people found.
   */
  tileSize?: number;
  /** Overlap of neighbouring slices, fraction of the slice size (default 0.2). */
  overlap?: number;
  /** IoU above which the merge drops the weaker of two boxes (default 0.5; never above the frame's `iou`). */
  mergeIou?: number;
  /** IoS above which a box cut by a slice edge is merged into the box that covers it (default 0.6). */
  mergeIos?: number;
  /** 'auto' thresholds (defaults: >= 15 people, or median box height < 10 % of the frame with >= 3 people). */
  auto?: AutoTilingThresholds;
}

/** How one frame was run. */
export interface FrameTiling {
  /** True when slices ran (count method 'tiled-detection'). */
  tiled: boolean;
  /** Model passes for this frame: 1 untiled, else 1 global + the slices. */
  passes: number;
}

/** DetectorRun plus per-frame tiling (the field crosses the detector thread unchanged). */
export interface TiledDetectorRun extends DetectorRun {
  /** Present when any frame of the call asked for tiling ('on' / 'auto'); absent = nothing was tiled. */
  tiling?: FrameTiling[];
}

interface ResolvedOptions {
  confidence: number;
  iou: number;
  maxDetections: number;
  tiling: TilingMode;
  /** Scheduled slices (DetectOptions.slices): when present, exactly these run besides the global pass. */
  slices?: TileRegion[];
}

interface Pass {
  frame: number;
  region: TileRegion;
}

export interface OnnxYoloDetectorOptions {
  modelPath: string;
  executionProvider: 'cpu' | 'cuda';
  /** onnxruntime intra-op threads; 0 = onnxruntime's default. */
  threads: number;
  defaults: DetectorDefaults;
  /** Where the CUDA-fallback warning goes (default: nowhere). */
  logger?: { warn(message: string): void };
  /** The setting the path came from, named in errors (default MODEL_PATH). */
  settingName?: string;
  /** Upper bound of frames per session.run with a dynamic batch (bounds tensor memory). Default 64. */
  maxBatch?: number;
  /** Sliced inference (DetectOptions.tiling 'on' / 'auto'). */
  tiling?: DetectorTilingOptions;
  /**
   * Measure the session options at load on the model's input shape (batch 1; see tuning/session-tuner.ts).
   * Absent (or the CUDA provider): graphOptimizationLevel 'all' and `threads`.
   */
  tuning?: SessionTuningConfig;
}

const EXPECTED = 'Expected a YOLOv8/YOLO11 detect ONNX export; see models/README.md';
const HINT = 'Export one with `yolo export model=yolo11n.pt format=onnx` and point MODEL_PATH at the .onnx file.';
const DEFAULT_INPUT = 640;
/** Distinct batch sizes whose input tensors are kept for reuse. */
const TENSOR_CACHE_SIZE = 4;

interface InputBuffer {
  data: Float32Array;
  tensor: ort.Tensor;
}

interface ModelLayout {
  inputName: string;
  outputName: string;
  width: number;
  height: number;
  numClasses: number;
  classes: string[];
  personClassId: number;
  dynamicBatch: boolean;
  fixedBatch: number;
}

function errorCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].trim();
}

function shapeText(shape: readonly (number | string)[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Person detection with an Ultralytics YOLOv8/YOLO11 detect export in onnxruntime-node.
 * `load()` validates the model (file, metadata, input/output shapes, a warm-up run) and throws StartupError
 * with a one-line message when it is not usable. detect() calls are serialised: they share the pre-allocated
 * input tensors, and one session on a CPU gains nothing from overlapping runs.
 */
export class OnnxYoloDetector extends PersonDetector {
  private readonly tensors = new Map<number, InputBuffer>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly info: DetectorInfo,
    private readonly layout: ModelLayout,
    private readonly outputLayout: YoloOutputLayout,
    private readonly defaults: DetectorDefaults,
    private readonly maxBatch: number,
    private readonly tiling: Required<Omit<DetectorTilingOptions, 'auto'>> & { auto: AutoTilingThresholds },
  ) {
    super();
  }

  static async load(opts: OnnxYoloDetectorOptions): Promise<OnnxYoloDetector> {
    const setting = opts.settingName ?? 'MODEL_PATH';
    const where = `${opts.modelPath} (${setting})`;
    const refuse = (what: string) => new StartupError(`Model at ${where} ${what}. ${EXPECTED}`, HINT);

    const bytes = await readModel(opts.modelPath, where);
    const sha256 = createHash('sha256').update(bytes).digest('hex');

    let meta: ReturnType<typeof parseOnnxModelMetadata>;
    try {
      meta = parseOnnxModelMetadata(bytes);
    } catch (e) {
      if (e instanceof OnnxParseError) throw refuse(`is not an ONNX model (${e.message})`);
      throw e;
    }
    const ul = parseUltralyticsMetadata(meta.metadata);
    const bad = ul.problems.filter((p) => /^(imgsz|names):/.test(p));
    if (bad.length) throw refuse(`has unreadable Ultralytics metadata (${bad.join('; ')})`);
    if (ul.task !== undefined && ul.task !== 'detect') {
      throw refuse(`is not a YOLO detect export: its metadata says task '${ul.task}'`);
    }

    const session = await createSession(bytes, opts, where);
    try {
      const layout = inspectModel(session.session, ul, refuse);
      const outputLayout = await warmUp(session.session, layout, refuse);
      let sessionChoice: DetectorInfo['session'];
      if (opts.tuning && session.provider === 'cpu') {
        const dims = [layout.dynamicBatch ? 1 : layout.fixedBatch, 3, layout.height, layout.width];
        const outcome = await chooseSessionOptions({ bytes, sha256, inputName: layout.inputName, inputDims: dims }, opts.tuning);
        sessionChoice = {
          ...outcome.choice,
          source: outcome.source,
          tuningMs: outcome.tuningMs,
          summary: describeTuning(`detector ${layout.width}x${layout.height}`, outcome),
          ...(Number.isFinite(outcome.medianMs) ? { medianMs: outcome.medianMs } : {}),
        };
        const tuned = await ort.InferenceSession.create(bytes, sessionOptionsOf(outcome.choice));
        await session.session.release().catch(() => undefined);
        session.session = tuned;
      }
      const info: DetectorInfo = {
        path: opts.modelPath,
        sha256,
        inputName: layout.inputName,
        outputName: layout.outputName,
        inputSize: { width: layout.width, height: layout.height },
        classes: layout.classes,
        personClassId: layout.personClassId,
        dynamicBatch: layout.dynamicBatch,
        ...(layout.dynamicBatch ? {} : { fixedBatch: layout.fixedBatch }),
        provider: session.provider,
        ...(sessionChoice ? { session: sessionChoice } : {}),
        ...(meta.producerName ? { producer: meta.producerName } : {}),
        ...(ul.version ? { exporterVersion: ul.version } : {}),
      };
      const t = opts.tiling ?? {};
      const tiling = { tileSize: t.tileSize ?? 0, overlap: t.overlap ?? DEFAULT_TILE_OVERLAP, mergeIou: t.mergeIou ?? 0.5, mergeIos: t.mergeIos ?? 0.6, auto: t.auto ?? {} };
      return new OnnxYoloDetector(session.session, info, layout, outputLayout, opts.defaults, Math.max(1, opts.maxBatch ?? 64), tiling);
    } catch (e) {
      await session.session.release().catch(() => undefined);
      throw e;
    }
  }

  async detect(frames: readonly RawFrame[], options: readonly (DetectOptions | undefined)[] = []): Promise<TiledDetectorRun> {
    if (this.closed) throw new Error('OnnxYoloDetector is closed');
    const run = this.queue.then(() => this.runExclusive(frames, options));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    this.tensors.clear();
    await this.session.release();
  }

  private async runExclusive(frames: readonly RawFrame[], options: readonly (DetectOptions | undefined)[]): Promise<TiledDetectorRun> {
    const timings = { preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 };
    const resolved = frames.map((f, i) => {
      const expected = f.width * f.height * 3;
      if (!Number.isInteger(f.width) || !Number.isInteger(f.height) || f.width <= 0 || f.height <= 0 || f.data.length !== expected) {
        throw new RangeError(
          `frame ${f.cameraId}#${f.seq}: expected ${f.width}x${f.height} RGB24 (${expected} bytes), got ${f.data.length} bytes`,
        );
      }
      const r = this.resolveOptions(options[i]);
      if (r.slices) for (const s of r.slices) checkSlice(s, f);
      return r;
    });
    const { width: inW, height: inH } = this.layout;
    const tcfg = this.tiling;
    const slices = (f: RawFrame) =>
      planTiles(f.width, f.height, { tileWidth: tcfg.tileSize || inW, tileHeight: tcfg.tileSize || inH, overlap: tcfg.overlap }).filter((r) => r.kind === 'tile');
    // Round 1: the untiled pass of every frame (the 'global' pass of tiled frames), plus the slices of 'on' frames,
    // all batched together. Round 2: the slices of 'auto' frames whose untiled pass asked for tiling.
    const perFrame: PassDetections[][] = frames.map(() => []);
    const round1: Pass[] = [];
    frames.forEach((f, i) => {
      round1.push({ frame: i, region: { x: 0, y: 0, width: f.width, height: f.height, kind: 'global' } });
      const scheduled = resolved[i].slices;
      if (scheduled) for (const region of scheduled) round1.push({ frame: i, region });
      else if (resolved[i].tiling === 'on') for (const region of slices(f)) round1.push({ frame: i, region });
    });
    await this.runPasses(frames, resolved, round1, perFrame, timings);
    const round2: Pass[] = [];
    frames.forEach((f, i) => {
      if (!resolved[i].slices && resolved[i].tiling === 'auto' && shouldTile(perFrame[i][0].detections, f.height, tcfg.auto)) {
        for (const region of slices(f)) round2.push({ frame: i, region });
      }
    });
    if (round2.length) await this.runPasses(frames, resolved, round2, perFrame, timings);

    // Untiled frames keep their single pass's detections as they are; tiled frames merge their passes.
    if (resolved.every((o) => o.tiling === 'off' && !o.slices)) return { detections: perFrame.map((p) => [...p[0].detections]), timings };
    const t = performance.now();
    const tiling: FrameTiling[] = [];
    const detections = frames.map((f, i) => {
      const passes = perFrame[i];
      tiling.push({ tiled: passes.length > 1, passes: passes.length });
      if (passes.length === 1) return [...passes[0].detections];
      return mergeTileDetections(passes, {
        frameWidth: f.width,
        frameHeight: f.height,
        iou: Math.min(resolved[i].iou, tcfg.mergeIou),
        ios: tcfg.mergeIos,
        maxDetections: resolved[i].maxDetections,
      });
    });
    timings.postprocessMs += performance.now() - t;
    return { detections, timings, tiling };
  }

  /** Run passes (slices or whole frames) in batches of the model's batch size; append each pass's detections. */
  private async runPasses(
    frames: readonly RawFrame[],
    resolved: readonly ResolvedOptions[],
    passes: readonly Pass[],
    out: PassDetections[][],
    timings: { preprocessMs: number; inferenceMs: number; postprocessMs: number },
  ): Promise<void> {
    const chunk = this.layout.dynamicBatch ? this.maxBatch : this.layout.fixedBatch;
    for (let start = 0; start < passes.length; start += chunk) {
      const part = passes.slice(start, start + chunk);
      const batch = this.layout.dynamicBatch ? part.length : this.layout.fixedBatch;
      const input = this.inputBuffer(batch);

      let t = performance.now();
      const lbs = await this.preprocess(frames, part, input.data);
      timings.preprocessMs += performance.now() - t;

      t = performance.now();
      const res = await this.session.run({ [this.layout.inputName]: input.tensor });
      timings.inferenceMs += performance.now() - t;

      t = performance.now();
      const tensor = res[this.layout.outputName];
      const data = tensor.data as Float32Array;
      part.forEach((p, b) => {
        const o = resolved[p.frame];
        const { region } = p;
        const dets = postprocessYolo(data, tensor.dims, b, lbs[b], region.width, region.height, {
          classIds: [this.layout.personClassId],
          confidence: o.confidence,
          iou: o.iou,
          maxDetections: o.maxDetections,
          numClasses: this.layout.numClasses,
          layout: this.outputLayout,
        });
        const shifted = region.x === 0 && region.y === 0 ? dets : dets.map((d) => ({ ...d, box: shiftBox(d.box, region) }));
        out[p.frame].push({ region, detections: shifted });
      });
      timings.postprocessMs += performance.now() - t;
    }
  }

  private resolveOptions(o: DetectOptions | undefined): ResolvedOptions {
    const r = {
      confidence: o?.confidence ?? this.defaults.confidence,
      iou: o?.iou ?? this.defaults.iou,
      maxDetections: o?.maxDetections ?? this.defaults.maxDetections,
      tiling: o?.tiling ?? this.defaults.tiling ?? 'off',
      ...(o?.slices ? { slices: o.slices.map((r): TileRegion => ({ x: r.x, y: r.y, width: r.width, height: r.height, kind: 'tile' })) } : {}),
    };
    if (!(r.confidence >= 0 && r.confidence <= 1)) throw new RangeError(`confidence must be within 0..1, got ${r.confidence}`);
    if (!(r.iou >= 0 && r.iou <= 1)) throw new RangeError(`iou must be within 0..1, got ${r.iou}`);
    if (!Number.isInteger(r.maxDetections) || r.maxDetections < 1) {
      throw new RangeError(`maxDetections must be a positive integer, got ${r.maxDetections}`);
    }
    if (r.tiling !== 'off' && r.tiling !== 'on' && r.tiling !== 'auto' && r.tiling !== 'scheduled') {
      throw new RangeError(`tiling must be 'off', 'on', 'auto' or 'scheduled', got ${String(r.tiling)}`);
    }
    return r;
  }

  /** Crop each pass's region, resize it (sharp, in parallel) and pack it into its slot of the batch tensor. */
  private async preprocess(frames: readonly RawFrame[], passes: readonly Pass[], out: Float32Array): Promise<Letterbox[]> {
    const { width: inW, height: inH } = this.layout;
    const lbs = passes.map((p) => computeLetterbox(p.region.width, p.region.height, inW, inH));
    const resized = await Promise.all(
      passes.map((p, i) => {
        const f = frames[p.frame];
        const { region } = p;
        const lb = lbs[i];
        const px = cropRgb(f.data, f.width, f.height, region);
        if (lb.newW === region.width && lb.newH === region.height) return px;
        // 'linear' matches Ultralytics' cv2.INTER_LINEAR letterbox more closely than sharp's lanczos3 default.
        return sharp(px, { raw: { width: region.width, height: region.height, channels: 3 } })
          .resize(lb.newW, lb.newH, { fit: 'fill', kernel: 'linear' })
          .raw()
          .toBuffer();
      }),
    );
    resized.forEach((px, i) => packLetterboxedChw(px, lbs[i].newW, lbs[i].newH, lbs[i], inW, inH, out, i * 3 * inW * inH));
    return lbs;
  }

  /** The input tensor for a batch size, allocated once and reused (small LRU over batch sizes). */
  private inputBuffer(batch: number): InputBuffer {
    const hit = this.tensors.get(batch);
    if (hit) {
      this.tensors.delete(batch);
      this.tensors.set(batch, hit);
      return hit;
    }
    const { width, height } = this.layout;
    const data = new Float32Array(batch * 3 * width * height);
    const buf = { data, tensor: new ort.Tensor('float32', data, [batch, 3, height, width]) };
    this.tensors.set(batch, buf);
    if (this.tensors.size > TENSOR_CACHE_SIZE) this.tensors.delete(this.tensors.keys().next().value as number);
    return buf;
  }
}

/** A scheduled slice must be a non-empty integer rectangle inside its frame. */
function checkSlice(r: TileRegion, f: RawFrame): void {
  const ints = [r.x, r.y, r.width, r.height].every((v) => Number.isInteger(v));
  if (!ints || r.width <= 0 || r.height <= 0 || r.x < 0 || r.y < 0 || r.x + r.width > f.width || r.y + r.height > f.height) {
    throw new RangeError(`frame ${f.cameraId}#${f.seq}: slice ${r.width}x${r.height}+${r.x}+${r.y} is not an integer region inside the ${f.width}x${f.height} frame`);
  }
}

async function readModel(path: string, where: string): Promise<Buffer> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new StartupError(`Model path ${where} is not a file. ${EXPECTED}`, HINT);
    return await readFile(path);
  } catch (e) {
    if (e instanceof StartupError) throw e;
    const code = errorCode(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new StartupError(`Model not found at ${where}. ${EXPECTED}`, HINT);
    throw new StartupError(`Model at ${where} is not readable (${code ?? firstLine(e)}). ${EXPECTED}`, HINT);
  }
}

async function createSession(
  bytes: Uint8Array,
  opts: OnnxYoloDetectorOptions,
  where: string,
): Promise<{ session: ort.InferenceSession; provider: 'cpu' | 'cuda' }> {
  const base: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: opts.tuning?.forced.level ?? 'all',
    ...(opts.threads > 0 ? { intraOpNumThreads: opts.threads } : {}),
  };
  if (opts.executionProvider === 'cuda') {
    try {
      return { session: await ort.InferenceSession.create(bytes, { ...base, executionProviders: ['cuda', 'cpu'] }), provider: 'cuda' };
    } catch (e) {
      opts.logger?.warn(`CUDA execution provider unavailable (${firstLine(e)}); falling back to CPU`);
    }
  }
  try {
    return { session: await ort.InferenceSession.create(bytes, { ...base, executionProviders: ['cpu'] }), provider: 'cpu' };
  } catch (e) {
    throw new StartupError(`Model at ${where} could not be loaded by onnxruntime (${firstLine(e)}). ${EXPECTED}`, HINT);
  }
}

/** Check the declared input/output signature and work out input size, classes and batch mode. */
function inspectModel(
  session: ort.InferenceSession,
  ul: UltralyticsMetadata,
  refuse: (what: string) => StartupError,
): ModelLayout {
  const notYolo = 'is not a YOLO detect export';
  if (session.inputNames.length !== 1) {
    throw refuse(`${notYolo}: expected one image input [B, 3, H, W], found ${session.inputNames.length} (${session.inputNames.join(', ')})`);
  }
  const input = session.inputMetadata[0];
  if (!input.isTensor || input.type !== 'float32' || input.shape.length !== 4 || input.shape[1] !== 3) {
    const found = input.isTensor ? `${input.type} ${shapeText(input.shape)}` : 'a non-tensor';
    throw refuse(`${notYolo}: expected a float32 image input [B, 3, H, W], found '${input.name}' ${found}`);
  }

  const classes = ul.names ? namesToList(ul.names, refuse) : [...COCO_CLASS_NAMES];
  const numClasses = classes.length;
  const personClassId = classes.indexOf('person');
  if (personClassId < 0) {
    throw refuse(`has no 'person' class (classes: ${classes.slice(0, 8).join(', ')}${classes.length > 8 ? ', ...' : ''})`);
  }

  if (session.outputNames.length < 1) throw refuse(`${notYolo}: it has no output`);
  const output = session.outputMetadata[0];
  const features = 4 + numClasses;
  const expectedOut = `expected output [B, ${features}, N] (4 box values + ${numClasses} class scores)`;
  if (!output.isTensor || output.type !== 'float32') {
    throw refuse(`${notYolo}: ${expectedOut}, found '${output.name}' ${output.isTensor ? output.type : 'a non-tensor'}`);
  }
  if (output.shape.length > 0) {
    const s = output.shape;
    const fits = s.length === 3 && [s[1], s[2]].some((d) => d === features || typeof d !== 'number' || d < 0);
    if (!fits) throw refuse(`${notYolo}: ${expectedOut}, found '${output.name}' ${shapeText(s)}`);
  }

  const dimH = input.shape[2];
  const dimW = input.shape[3];
  const staticH = typeof dimH === 'number' && dimH > 0 ? dimH : undefined;
  const staticW = typeof dimW === 'number' && dimW > 0 ? dimW : undefined;
  if (ul.imgsz && ((staticH && staticH !== ul.imgsz[0]) || (staticW && staticW !== ul.imgsz[1]))) {
    throw refuse(`is inconsistent: metadata imgsz [${ul.imgsz.join(', ')}] but input '${input.name}' is ${shapeText(input.shape)}`);
  }
  const height = ul.imgsz?.[0] ?? staticH ?? DEFAULT_INPUT;
  const width = ul.imgsz?.[1] ?? staticW ?? DEFAULT_INPUT;

  const b = input.shape[0];
  const dynamicBatch = typeof b !== 'number' || b <= 0;
  return {
    inputName: input.name,
    outputName: output.name,
    width,
    height,
    numClasses,
    classes,
    personClassId,
    dynamicBatch,
    fixedBatch: dynamicBatch ? 1 : (b as number),
  };
}

function namesToList(names: Record<number, string>, refuse: (what: string) => StartupError): string[] {
  const ids = Object.keys(names).map(Number);
  const list = ids.map((_, i) => names[i]);
  if (list.some((n) => n === undefined)) throw refuse(`has class names that are not numbered 0..${ids.length - 1}`);
  return list;
}

/** One run on a grey image: proves the model executes and that the real output shape is [B, 4+nc, N]. */
async function warmUp(session: ort.InferenceSession, layout: ModelLayout, refuse: (what: string) => StartupError): Promise<YoloOutputLayout> {
  const { width, height, fixedBatch } = layout;
  const data = new Float32Array(fixedBatch * 3 * width * height).fill(114 / 255);
  let dims: readonly number[];
  try {
    const out = await session.run({ [layout.inputName]: new ort.Tensor('float32', data, [fixedBatch, 3, height, width]) });
    dims = out[layout.outputName].dims;
  } catch (e) {
    throw refuse(`failed a warm-up run on a ${width}x${height} input (${firstLine(e)})`);
  }
  try {
    const shape = describeYoloOutput(dims, { numClasses: layout.numClasses });
    if (shape.batch !== fixedBatch) throw new RangeError(`batch ${shape.batch} for an input batch of ${fixedBatch}`);
    return shape.layout;
  } catch (e) {
    throw refuse(`is not a YOLO detect export: expected output [B, ${4 + layout.numClasses}, N], the warm-up run gave ${shapeText(dims)} (${firstLine(e)})`);
  }
}
