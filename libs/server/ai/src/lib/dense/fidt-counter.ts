import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { CountEstimate } from '@crowdsafe/contracts';
import { StartupError } from '@crowdsafe/server-core';
import { densityModelEstimate, type HeadPoint, lmdsDecode, OnnxParseError, parseOnnxModelMetadata } from '@crowdsafe/vision';
import { chooseSessionOptions, describeTuning, sessionOptionsOf, type SessionTuningConfig } from '../tuning/session-tuner';
import type { SessionCandidate } from '../tuning/session-tuning';

export interface FidtCounterOptions {
  /** Path of a FIDT head-localisation export (fidt_light_B.onnx). */
  modelPath: string;
  /** onnxruntime intra-op threads; 0 = onnxruntime's default. */
  threads: number;
  /** Default longest side the image is resized to before inference (0 = native size). Live operation: 512-640. */
  maxSide?: number;
  /** The setting the path came from, named in errors (default 'the FIDT model path'). */
  settingName?: string;
  /**
   * Measure the session options at load (see tuning/session-tuner.ts) on a frame of `frame` size resized to the
   * max side (default 1280x720). Absent: graphOptimizationLevel 'all' and `threads` (0 = onnxruntime's default).
   */
  tuning?: SessionTuningConfig & { frame?: { width: number; height: number } };
}

/** Session options in use and how they were chosen. */
export interface SessionChoice extends SessionCandidate {
  source: 'cache' | 'measured' | 'forced' | 'default';
  /** Median latency on the tuning input (ms), when measured or cached. */
  medianMs?: number;
  tuningMs?: number;
  /** The log line describing the choice. */
  summary: string;
}

/** An RGB24 image (a RawFrame fits). */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface FidtCountOptions {
  /** Longest side for this call (overrides the default; 0 = native). */
  maxSide?: number;
  /** Resize factor for this call (> 1 upscales small, far heads); capped by maxSide. Default: maxSide's rule. */
  scale?: number;
}

export interface DensityCount {
  /** method 'density-model', low/high from densityModelEstimate (measured bias). */
  estimate: CountEstimate;
  /** Head positions in source-image pixels. */
  points: HeadPoint[];
  /** Max of the FIDT map (near 0 on an empty scene). */
  mapMax: number;
  /** The model input actually run (resized, padded to multiples of 8). */
  inputSize: { width: number; height: number };
  timings: { preprocessMs: number; inferenceMs: number; decodeMs: number };
}

export interface FidtModelInfo {
  path: string;
  sha256: string;
  inputName: string;
  outputName: string;
  session: SessionChoice;
}

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const EXPECTED = 'Expected a FIDT crowd-counting export: input [1, 3, H, W] (RGB, ImageNet-normalised), output [1, 1, H/2, W/2]';
const HINT = 'Use models/fidt_light_B.onnx from the shared data (README section 1b), not the YOLO detector.';

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].trim();
}

/**
 * Resize so the longest side is at most maxSide (never up), then pad to multiples of 8. An explicit `scale` (> 0)
 * replaces that rule (it may upscale: far, small heads), still capped by maxSide when maxSide > 0.
 */
export function fidtInputGeometry(width: number, height: number, maxSide = 0, explicitScale?: number): { scale: number; newW: number; newH: number; inW: number; inH: number } {
  const cap = maxSide > 0 ? maxSide / Math.max(width, height) : Infinity;
  const scale = explicitScale !== undefined && explicitScale > 0 ? Math.min(explicitScale, cap) : Math.min(1, cap);
  const newW = Math.max(1, Math.round(width * scale));
  const newH = Math.max(1, Math.round(height * scale));
  return { scale, newW, newH, inW: Math.ceil(newW / 8) * 8, inH: Math.ceil(newH / 8) * 8 };
}

/** ImageNet-normalised planar tensor, zero (after normalisation) in the padding, as the model's reference does. */
export function packFidtInput(rgb: Uint8Array, newW: number, newH: number, inW: number, inH: number): Float32Array {
  const out = new Float32Array(3 * inW * inH);
  const plane = inW * inH;
  for (let c = 0; c < 3; c++) {
    const a = 1 / (255 * STD[c]);
    const b = -MEAN[c] / STD[c];
    for (let y = 0; y < newH; y++) {
      let src = y * newW * 3 + c;
      const dst = c * plane + y * inW;
      for (let x = 0; x < newW; x++, src += 3) out[dst + x] = rgb[src] * a + b;
    }
  }
  return out;
}

/**
 * Crowd counting with a FIDT head-localisation model (fidt_light_B.onnx) in onnxruntime-node: resize to a max side,
 * ImageNet normalisation, pad to multiples of 8, one session.run, LMDS decoding (@crowdsafe/vision). Config-free:
 * the caller passes the path and threads. load() refuses a file that is not such a model with a StartupError.
 * Calls are serialised. session.run blocks the calling thread; the service uses ThreadedFidtCounter.
 */
export class FidtCounter {
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly info: FidtModelInfo,
    private readonly maxSide: number,
  ) {}

  static async load(opts: FidtCounterOptions): Promise<FidtCounter> {
    const where = `${opts.modelPath} (${opts.settingName ?? 'the FIDT model path'})`;
    const refuse = (what: string) => new StartupError(`Model at ${where} ${what}. ${EXPECTED}`, HINT);
    if (opts.maxSide !== undefined && !(Number.isInteger(opts.maxSide) && opts.maxSide >= 0)) {
      throw new RangeError(`maxSide must be a non-negative integer, got ${opts.maxSide}`);
    }
    let bytes: Buffer;
    try {
      if (!(await stat(opts.modelPath)).isFile()) throw new StartupError(`Model path ${where} is not a file. ${EXPECTED}`, HINT);
      bytes = await readFile(opts.modelPath);
    } catch (e) {
      if (e instanceof StartupError) throw e;
      const code = (e as { code?: string }).code;
      throw new StartupError(code === 'ENOENT' ? `Model not found at ${where}. ${EXPECTED}` : `Model at ${where} is not readable (${code ?? firstLine(e)}). ${EXPECTED}`, HINT);
    }
    try {
      parseOnnxModelMetadata(bytes);
    } catch (e) {
      if (e instanceof OnnxParseError) throw refuse(`is not an ONNX model (${e.message})`);
      throw e;
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const initial: SessionCandidate = { level: opts.tuning?.forced.level ?? 'all', threads: opts.threads };
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        graphOptimizationLevel: initial.level,
        executionProviders: ['cpu'],
        ...(opts.threads > 0 ? { intraOpNumThreads: opts.threads } : {}),
      });
    } catch (e) {
      throw refuse(`could not be loaded by onnxruntime (${firstLine(e)})`);
    }
    try {
      const names = await validate(session, refuse);
      let choice: SessionChoice = { ...initial, source: 'default', summary: `density model: graphOptimizationLevel '${initial.level}', ${opts.threads || 'default'} intra-op threads (not measured)` };
      if (opts.tuning) {
        const frame = opts.tuning.frame ?? { width: 1280, height: 720 };
        const g = fidtInputGeometry(frame.width, frame.height, opts.maxSide ?? 0);
        const outcome = await chooseSessionOptions({ bytes, sha256, inputName: names.inputName, inputDims: [1, 3, g.inH, g.inW] }, opts.tuning);
        choice = { ...outcome.choice, source: outcome.source, tuningMs: outcome.tuningMs, summary: describeTuning(`density model ${g.inW}x${g.inH}`, outcome), ...(Number.isFinite(outcome.medianMs) ? { medianMs: outcome.medianMs } : {}) };
        await session.release().catch(() => undefined);
        session = await ort.InferenceSession.create(bytes, sessionOptionsOf(outcome.choice));
      }
      return new FidtCounter(session, { path: opts.modelPath, sha256, ...names, session: choice }, opts.maxSide ?? 0);
    } catch (e) {
      await session.release().catch(() => undefined);
      throw e;
    }
  }

  count(image: RgbImage, options: FidtCountOptions = {}): Promise<DensityCount> {
    if (this.closed) return Promise.reject(new Error('FidtCounter is closed'));
    const run = this.queue.then(() => this.run(image, options.maxSide ?? this.maxSide, options.scale));
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.session.release();
  }

  private async run(image: RgbImage, maxSide: number, scale?: number): Promise<DensityCount> {
    const { data, width, height } = image;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || data.length !== width * height * 3) {
      throw new RangeError(`expected a ${width}x${height} RGB24 image (${width * height * 3} bytes), got ${data.length} bytes`);
    }
    if (!(Number.isInteger(maxSide) && maxSide >= 0)) throw new RangeError(`maxSide must be a non-negative integer, got ${maxSide}`);
    if (scale !== undefined && !(Number.isFinite(scale) && scale > 0 && scale <= 8)) throw new RangeError(`scale must be in (0, 8], got ${scale}`);
    let t = performance.now();
    const g = fidtInputGeometry(width, height, maxSide, scale);
    const px =
      g.newW === width && g.newH === height
        ? data
        : await sharp(data, { raw: { width, height, channels: 3 } }).resize(g.newW, g.newH, { fit: 'fill', kernel: g.scale > 1 ? 'cubic' : 'linear' }).raw().toBuffer();
    const input = new ort.Tensor('float32', packFidtInput(px, g.newW, g.newH, g.inW, g.inH), [1, 3, g.inH, g.inW]);
    const preprocessMs = performance.now() - t;

    t = performance.now();
    const out = (await this.session.run({ [this.info.inputName]: input }))[this.info.outputName];
    const inferenceMs = performance.now() - t;

    t = performance.now();
    const [, , mh, mw] = out.dims;
    const res = lmdsDecode(out.data as Float32Array, mw, mh, { scale: g.inW / mw });
    // Heads found in the padding are not in the image; map the rest back to source pixels.
    const points = res.points.filter((p) => p.x < g.newW && p.y < g.newH).map((p) => ({ x: p.x / g.scale, y: p.y / g.scale }));
    const decodeMs = performance.now() - t;
    return {
      estimate: densityModelEstimate(points.length),
      points,
      mapMax: res.max,
      inputSize: { width: g.inW, height: g.inH },
      timings: { preprocessMs, inferenceMs, decodeMs },
    };
  }
}

/** Check the signature and make one small run: output must be [1, 1, H/2, W/2]. */
async function validate(session: ort.InferenceSession, refuse: (what: string) => StartupError): Promise<{ inputName: string; outputName: string }> {
  if (session.inputNames.length !== 1 || session.outputNames.length < 1) {
    throw refuse(`has ${session.inputNames.length} inputs and ${session.outputNames.length} outputs, expected one image input and a map output`);
  }
  const input = session.inputMetadata[0];
  const output = session.outputMetadata[0];
  const shape = (m: typeof input) => (m.isTensor ? `${m.type} [${m.shape.join(', ')}]` : 'a non-tensor');
  if (!input.isTensor || input.type !== 'float32' || input.shape.length !== 4 || input.shape[1] !== 3) {
    throw refuse(`has input '${input.name}' ${shape(input)}`);
  }
  const fixed = input.shape.slice(2).some((d) => typeof d === 'number' && d > 0);
  if (fixed || !output.isTensor || output.type !== 'float32' || output.shape.length !== 4 || output.shape[1] !== 1) {
    throw refuse(`has input '${input.name}' ${shape(input)} and output '${output.name}' ${shape(output)} (it looks like ${fixed ? 'a fixed-size model such as YOLO' : 'another model'})`);
  }
  const h = 64;
  const w = 96;
  let dims: readonly number[];
  try {
    const out = await session.run({ [input.name]: new ort.Tensor('float32', new Float32Array(3 * h * w), [1, 3, h, w]) });
    dims = out[output.name].dims;
  } catch (e) {
    throw refuse(`failed a warm-up run on a ${w}x${h} input (${firstLine(e)})`);
  }
  if (dims.length !== 4 || dims[0] !== 1 || dims[1] !== 1 || dims[2] !== h / 2 || dims[3] !== w / 2) {
    throw refuse(`gave output [${dims.join(', ')}] for a ${w}x${h} input, expected [1, 1, ${h / 2}, ${w / 2}]`);
  }
  return { inputName: input.name, outputName: output.name };
}
