import '../../testing/ort-jest-realm.test-util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Detection, RawFrame } from '@crowdsafe/contracts';
import { StartupError } from '@crowdsafe/server-core';
import { tinyYoloOnnx } from '../../testing/tiny-onnx.test-util';
import { decodeFrames, sharedDataDir } from '../../testing/video-frames.test-util';
import { OnnxYoloDetector, type OnnxYoloDetectorOptions } from './onnx-yolo-detector';

// The medium project's testTimeout in jest.config.js is not applied (jest reads testTimeout from the global
// config only), so this spec sets its own bound.
jest.setTimeout(60000);

const DATA = sharedDataDir(process.env.CROWDSAFE_SHARED_DATA);
const MODEL = join(DATA, 'models', 'yolo11n_int8_dynamic_640.onnx');
const HALL = join(DATA, 'videos', 'hall_topdown_1280x720_25fps_reencoded.mp4');
const STREET = join(DATA, 'videos', 'street_crosswalk_640x360_24fps.mp4');
const defaults = { confidence: 0.25, iou: 0.7, maxDetections: 1000 };
const opts = (over: Partial<OnnxYoloDetectorOptions> = {}): OnnxYoloDetectorOptions => ({
  modelPath: MODEL,
  executionProvider: 'cpu',
  threads: 0,
  defaults,
  ...over,
});

function expectValidPersons(dets: Detection[], frame: RawFrame, minScore: number): void {
  for (const d of dets) {
    expect(d.classId).toBe(0);
    expect(d.score).toBeGreaterThanOrEqual(minScore);
    expect(d.box.x1).toBeGreaterThanOrEqual(0);
    expect(d.box.y1).toBeGreaterThanOrEqual(0);
    expect(d.box.x2).toBeLessThanOrEqual(frame.width);
    expect(d.box.y2).toBeLessThanOrEqual(frame.height);
    expect(d.box.x2).toBeGreaterThan(d.box.x1);
    expect(d.box.y2).toBeGreaterThan(d.box.y1);
  }
  const scores = dets.map((d) => d.score);
  expect(scores).toEqual([...scores].sort((a, b) => b - a));
}

describe('OnnxYoloDetector (real model, real frames)', () => {
  let detector: OnnxYoloDetector;
  let hall: RawFrame[];
  let street: RawFrame[];

  beforeAll(async () => {
    [detector, hall, street] = await Promise.all([
      OnnxYoloDetector.load(opts()),
      decodeFrames(HALL, { count: 4, every: 40, cameraId: 'hall' }),
      decodeFrames(STREET, { count: 1, cameraId: 'street' }),
    ]);
  });
  afterAll(async () => {
    await detector?.close();
  });

  it('describes the model from its metadata and signature', () => {
    const sums = readFileSync(join(DATA, 'SHA256SUMS'), 'utf8');
    const expectedSha = /^([0-9a-f]{64})\s+\*?\.?\/?models\/yolo11n_int8_dynamic_640\.onnx$/m.exec(sums)?.[1];
    expect(detector.info).toMatchObject({
      path: MODEL,
      sha256: expectedSha,
      inputName: 'images',
      outputName: 'output0',
      inputSize: { width: 640, height: 640 },
      personClassId: 0,
      dynamicBatch: false,
      fixedBatch: 1,
      provider: 'cpu',
      exporterVersion: '8.3.49',
    });
    expect(detector.info.classes).toHaveLength(80);
    expect(detector.info.classes.slice(0, 3)).toEqual(['person', 'bicycle', 'car']);
  });

  it('finds 10-40 people in a 1280x720 hall frame, boxes inside the frame', async () => {
    const run = await detector.detect([hall[0]]);
    expect(run.detections).toHaveLength(1);
    expect(run.detections[0].length).toBeGreaterThanOrEqual(10);
    expect(run.detections[0].length).toBeLessThanOrEqual(40);
    expectValidPersons(run.detections[0], hall[0], 0.25);
    expect(Object.keys(run.timings).sort()).toEqual(['inferenceMs', 'postprocessMs', 'preprocessMs']);
  });

  it('finds people in a 640x360 street frame (no resize needed)', async () => {
    const run = await detector.detect(street);
    expect(run.detections[0].length).toBeGreaterThanOrEqual(1);
    expect(run.detections[0].length).toBeLessThanOrEqual(15);
    expectValidPersons(run.detections[0], street[0], 0.25);
  });

  it('a batch of 4 frames gives the same detections as 4 single runs', async () => {
    const batch = await detector.detect(hall);
    const singles: Detection[][] = [];
    for (const f of hall) singles.push((await detector.detect([f])).detections[0]);
    expect(batch.detections).toEqual(singles);
  });

  it('concurrent calls are serialised and give the same results', async () => {
    const [a, b] = await Promise.all([detector.detect([hall[1]]), detector.detect([hall[2], street[0]])]);
    const again = await detector.detect([hall[1], hall[2], street[0]]);
    expect([...a.detections, ...b.detections]).toEqual(again.detections);
  });

  it('applies per-frame options over the defaults', async () => {
    const run = await detector.detect([hall[0], hall[0], hall[0]], [undefined, { confidence: 0.6 }, { maxDetections: 3 }]);
    const [all, confident, capped] = run.detections;
    expect(confident).toEqual(all.filter((d) => d.score >= 0.6));
    expect(capped).toEqual(all.slice(0, 3));
  });

  it('returns nothing for no frames', async () => {
    await expect(detector.detect([])).resolves.toEqual({ detections: [], timings: { preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 } });
  });

  it.each([
    ['a buffer of the wrong size', (f: RawFrame) => ({ ...f, data: f.data.subarray(0, 100) }), [], /expected 1280x720 RGB24/],
    ['a confidence above 1', (f: RawFrame) => f, [{ confidence: 2 }], /confidence must be within 0..1/],
    ['a maxDetections of 0', (f: RawFrame) => f, [{ maxDetections: 0 }], /maxDetections must be a positive integer/],
  ])('rejects %s', async (_name, change, options, msg) => {
    await expect(detector.detect([change(hall[0])], options)).rejects.toThrow(msg);
  });

  describe('refuses unusable models with a one-line StartupError', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'cs-model-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each([
      ['a missing file', () => join(dir, 'nope', 'yolo.onnx'), /^Model not found at .*nope\/yolo\.onnx \(MODEL_PATH\)\. Expected a YOLOv8\/YOLO11 detect ONNX export/],
      ['a directory', () => dir, /is not a file/],
      ['a file that is not ONNX', () => join(DATA, 'README.md'), /\(MODEL_PATH\) is not an ONNX model/],
      ['a crowd-counting (non-YOLO) model', () => join(DATA, 'models', 'fidt_light_B.onnx'), /fidt_light_B\.onnx \(MODEL_PATH\) is not a YOLO detect export: expected output \[B, 84, N\]/],
    ])('%s', async (_name, path, msg) => {
      const load = OnnxYoloDetector.load(opts({ modelPath: path() }));
      await expect(load).rejects.toThrow(StartupError);
      await expect(OnnxYoloDetector.load(opts({ modelPath: path() }))).rejects.toThrow(msg);
      await expect(OnnxYoloDetector.load(opts({ modelPath: path() }))).rejects.toMatchObject({ message: expect.not.stringContaining('\n') });
    });
  });

  it('falls back to CPU with a warning when CUDA is requested but unavailable', async () => {
    const warnings: string[] = [];
    const d = await OnnxYoloDetector.load(opts({ executionProvider: 'cuda', logger: { warn: (m) => warnings.push(m) } }));
    try {
      if (d.info.provider === 'cpu') expect(warnings).toEqual([expect.stringMatching(/^CUDA execution provider unavailable .*falling back to CPU$/)]);
      else expect(warnings).toEqual([]);
      expect((await d.detect([hall[0]])).detections[0].length).toBeGreaterThanOrEqual(10);
    } finally {
      await d.close();
    }
  });
});

describe('OnnxYoloDetector (tiny hand-built ONNX models)', () => {
  let dir: string;
  const persons = "{0: 'person', 1: 'head'}";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cs-tiny-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let n = 0;
  const write = (model: Uint8Array) => {
    const path = join(dir, `m${n++}.onnx`);
    writeFileSync(path, model);
    return path;
  };
  /** Pseudo-random RGB frame (deterministic per seed). */
  const noise = (w: number, h: number, seed: number): RawFrame => {
    const data = new Uint8Array(w * h * 3);
    let x = seed * 2654435761;
    for (let i = 0; i < data.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      data[i] = x >>> 24;
    }
    return { cameraId: 'noise', seq: seed, capturedAt: 0, width: w, height: h, data };
  };
  const frames = [noise(16, 8, 1), noise(8, 8, 2), noise(5, 7, 3)];
  const tinyDefaults = { confidence: 0.3, iou: 0.5, maxDetections: 100 };

  it.each([
    ['a dynamic batch: one run for the whole batch', { batch: 'batch' }, { dynamicBatch: true }],
    ['a static batch of 2: chunks of 2, the last one padded', { batch: 2 }, { dynamicBatch: false, fixedBatch: 2 }],
  ] as const)('%s gives the same detections as single runs', async (_name, model, expectedInfo) => {
    const path = write(tinyYoloOnnx({ ...model, metadata: { task: 'detect', names: persons, imgsz: '[8, 8]' } }));
    const d = await OnnxYoloDetector.load(opts({ modelPath: path, defaults: tinyDefaults }));
    try {
      expect(d.info).toMatchObject({ ...expectedInfo, inputSize: { width: 8, height: 8 }, classes: ['person', 'head'], personClassId: 0 });
      const batch = await d.detect(frames);
      const singles: Detection[][] = [];
      for (const f of frames) singles.push((await d.detect([f])).detections[0]);
      expect(batch.detections).toEqual(singles);
      expect(batch.detections.flat().length).toBeGreaterThan(0);
      batch.detections.forEach((dets, i) => expectValidPersons(dets, frames[i], 0.3));
    } finally {
      await d.close();
    }
  });

  it.each([
    ['a segment export', { metadata: { task: 'segment', names: persons } }, /its metadata says task 'segment'/],
    ['no person class', { metadata: { task: 'detect', names: "{0: 'car', 1: 'bus'}" } }, /has no 'person' class \(classes: car, bus\)/],
    ['unreadable names', { metadata: { names: "{0: 'person'" } }, /unreadable Ultralytics metadata \(names: /],
    ['imgsz that contradicts the input', { metadata: { imgsz: '[16, 16]', names: persons } }, /metadata imgsz \[16, 16\] but input 'images' is \[batch, 3, 8, 8\]/],
    ['an output whose class count does not match the names', { metadata: { names: "{0: 'person', 1: 'a', 2: 'b'}" } }, /expected output \[B, 7, N\] \(4 box values \+ 3 class scores\), found 'output0' \[batch, 6, 32\]/],
    // No imgsz and a symbolic input size: the warm-up runs at 640x640, where 3*640*640 is not divisible by 7.
    ['a model that fails its warm-up run', { symbolicSize: true, features: 7, metadata: { names: "{0: 'person', 1: 'a', 2: 'b'}" } }, /failed a warm-up run on a 640x640 input \(/],
  ])('refuses %s', async (_name, model, msg) => {
    const path = write(tinyYoloOnnx(model));
    await expect(OnnxYoloDetector.load(opts({ modelPath: path }))).rejects.toThrow(StartupError);
    await expect(OnnxYoloDetector.load(opts({ modelPath: path }))).rejects.toThrow(msg);
  });

  it('without metadata: input size from the input dims, COCO class names', async () => {
    const path = write(tinyYoloOnnx({ size: 14, features: 84 }));
    const d = await OnnxYoloDetector.load(opts({ modelPath: path }));
    try {
      expect(d.info).toMatchObject({ inputSize: { width: 14, height: 14 }, dynamicBatch: true, personClassId: 0 });
      expect(d.info.classes).toHaveLength(80);
    } finally {
      await d.close();
    }
  });
});
