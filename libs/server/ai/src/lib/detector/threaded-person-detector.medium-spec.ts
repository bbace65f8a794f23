import '../../testing/ort-jest-realm.test-util';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { RawFrame } from '@crowdsafe/contracts';
import { StartupError } from '@crowdsafe/server-core';
import { decodeFrames, sharedDataDir } from '../../testing/video-frames.test-util';
import { OnnxYoloDetector, type OnnxYoloDetectorOptions } from './onnx-yolo-detector';
import type { PersonDetector } from './person-detector';
import { DetectorQueueFullError, ThreadedPersonDetector } from './threaded-person-detector';

jest.setTimeout(120000);

const DATA = sharedDataDir(process.env.CROWDSAFE_SHARED_DATA);
const MODEL = join(DATA, 'models', 'yolo11n_int8_dynamic_640.onnx');
const HALL = join(DATA, 'videos', 'hall_topdown_1280x720_25fps_reencoded.mp4');
const STREET = join(DATA, 'videos', 'street_crosswalk_640x360_24fps.mp4');
const opts = (over: Partial<OnnxYoloDetectorOptions> = {}): OnnxYoloDetectorOptions => ({
  modelPath: MODEL,
  executionProvider: 'cpu',
  threads: 0,
  defaults: { confidence: 0.25, iou: 0.7, maxDetections: 1000 },
  ...over,
});

/** Largest delay of a 5 ms interval timer while `work` runs: how long this thread's event loop was blocked. */
async function maxLoopLag(work: () => Promise<unknown>): Promise<number> {
  const period = 5;
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - period);
    last = now;
  }, period);
  try {
    await work();
    return Math.max(max, performance.now() - last - period);
  } finally {
    clearInterval(timer);
  }
}

const workerOf = (d: ThreadedPersonDetector) => (d as unknown as { worker: Worker }).worker;

describe('ThreadedPersonDetector (real model in a worker thread)', () => {
  let threaded: ThreadedPersonDetector;
  let local: OnnxYoloDetector;
  let hall: RawFrame[];
  let street: RawFrame[];
  const warnings: string[] = [];
  const errors: string[] = [];
  const logger = { warn: (m: string) => warnings.push(m), error: (m: string) => errors.push(m) };

  beforeAll(async () => {
    [threaded, local, hall, street] = await Promise.all([
      ThreadedPersonDetector.load({ ...opts(), logger }),
      OnnxYoloDetector.load(opts()),
      decodeFrames(HALL, { count: 4, every: 40, cameraId: 'hall' }),
      decodeFrames(STREET, { count: 1, cameraId: 'street' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([threaded?.close(), local?.close()]);
  });

  it('reports the same model info as the in-thread detector', () => {
    expect(threaded).toBeInstanceOf(ThreadedPersonDetector);
    expect(threaded.info).toEqual(local.info);
  });

  it('returns exactly the detections of the in-thread detector (singles, a mixed batch, per-frame options)', async () => {
    for (const f of [...hall, ...street]) {
      expect((await threaded.detect([f])).detections).toEqual((await local.detect([f])).detections);
    }
    const batch = [hall[0], street[0], hall[1], hall[2]];
    const options = [undefined, { confidence: 0.5 }, { maxDetections: 3 }, { iou: 0.3 }];
    const [a, b] = [await threaded.detect(batch, options), await local.detect(batch, options)];
    expect(a.detections).toEqual(b.detections);
    expect(a.detections.flat().length).toBeGreaterThan(20);
    expect(Object.keys(a.timings).sort()).toEqual(['inferenceMs', 'postprocessMs', 'preprocessMs']);
    expect(a.timings.inferenceMs).toBeGreaterThan(0);
  });

  it("copies the frames: the caller's buffers stay attached and unchanged", async () => {
    const f = hall[3];
    const before = Buffer.from(f.data);
    const pending = threaded.detect([f]);
    expect(f.data.byteLength).toBe(1280 * 720 * 3); // not detached by the transfer
    await pending;
    expect(Buffer.from(f.data).equals(before)).toBe(true);
  });

  it('keeps the event loop responsive: max lag over 5 detections is a fraction of one inference', async () => {
    const frame = hall[0];
    const five = (d: PersonDetector) => async () => {
      for (let i = 0; i < 5; i++) await d.detect([frame]);
    };
    const runs: number[] = [];
    for (let i = 0; i < 3; i++) runs.push((await local.detect([frame])).timings.inferenceMs);
    const inferenceMs = Math.min(...runs);

    const localLag = await maxLoopLag(five(local));
    const threadedLag = await maxLoopLag(five(threaded));
    // In-thread, session.run blocks the loop for about a whole inference (a run can be faster than the fastest of the
    // three timed above on a busy host: half of it is the bound); in the worker thread it does not.
    expect(localLag).toBeGreaterThan(inferenceMs * 0.5);
    expect(threadedLag).toBeLessThan(inferenceMs / 2);
    expect(threadedLag).toBeLessThan(localLag / 3);
  });

  it('serialises concurrent calls and gives the same results', async () => {
    const [a, b, c] = await Promise.all([threaded.detect([hall[1]]), threaded.detect([hall[2], street[0]]), threaded.detect([])]);
    const again = await local.detect([hall[1], hall[2], street[0]]);
    expect([...a.detections, ...b.detections]).toEqual(again.detections);
    expect(c).toEqual({ detections: [], timings: { preprocessMs: 0, inferenceMs: 0, postprocessMs: 0 } });
  });

  it.each([
    ['a buffer of the wrong size', (f: RawFrame) => ({ ...f, data: f.data.subarray(0, 100) }), [], RangeError, /expected 1280x720 RGB24/],
    ['a confidence above 1', (f: RawFrame) => f, [{ confidence: 2 }], RangeError, /confidence must be within 0..1/],
  ])('rejects %s with the in-thread error, and keeps working', async (_name, change, options, type, msg) => {
    const call = threaded.detect([change(hall[0])], options);
    await expect(call).rejects.toThrow(type);
    await expect(threaded.detect([change(hall[0])], options)).rejects.toThrow(msg);
    expect((await threaded.detect(street)).detections[0].length).toBeGreaterThan(0);
  });

  it('bounds its queue: beyond maxQueue waiting calls, detect() rejects at once', async () => {
    const d = await ThreadedPersonDetector.load({ ...opts(), maxQueue: 1 });
    try {
      const running = d.detect(street);
      const queued = d.detect(street);
      await expect(d.detect(street)).rejects.toThrow(DetectorQueueFullError);
      await expect(Promise.all([running, queued])).resolves.toHaveLength(2);
    } finally {
      await d.close();
    }
  });

  it('forwards the thread’s warnings to the logger (CUDA requested but unavailable)', async () => {
    const seen: string[] = [];
    const d = await ThreadedPersonDetector.load({ ...opts({ executionProvider: 'cuda' }), logger: { warn: (m) => seen.push(m) } });
    try {
      if (d.info.provider === 'cpu') expect(seen).toEqual([expect.stringMatching(/^CUDA execution provider unavailable .*falling back to CPU$/)]);
      else expect(seen).toEqual([]);
    } finally {
      await d.close();
    }
  });

  it('close() lets a running call finish; later calls reject clearly', async () => {
    const d = await ThreadedPersonDetector.load(opts());
    const running = d.detect([hall[0]]);
    const closing = d.close();
    await expect(d.detect([hall[0]])).rejects.toThrow(/^ThreadedPersonDetector is closed$/);
    expect((await running).detections[0].length).toBeGreaterThanOrEqual(10);
    await closing;
    await expect(d.close()).resolves.toBeUndefined();
    await expect(d.detect(street)).rejects.toThrow(/^ThreadedPersonDetector is closed$/);
  });

  it('when the thread dies, the pending call and later calls reject (and it is logged) instead of hanging', async () => {
    const died: string[] = [];
    const d = await ThreadedPersonDetector.load({ ...opts(), logger: { warn: () => undefined, error: (m) => died.push(m) } });
    // 640x360 needs no resize: the thread is inside session.run (no sharp work to interrupt) when it is killed.
    const pending = d.detect(street);
    await workerOf(d).terminate();
    await expect(pending).rejects.toThrow(/^detector thread exited unexpectedly \(exit code 1\)$/);
    await expect(d.detect(street)).rejects.toThrow(/^detector thread exited unexpectedly/);
    expect(died).toEqual([expect.stringMatching(/^detector thread exited unexpectedly .*inference is unavailable until restart$/)]);
    await expect(d.close()).resolves.toBeUndefined();
  });
});

describe('ThreadedPersonDetector refuses unusable models like OnnxYoloDetector', () => {
  it.each([
    ['a missing model path', join(DATA, 'nope', 'yolo.onnx'), /^Model not found at .*nope\/yolo\.onnx \(MODEL_PATH\)\. Expected a YOLOv8\/YOLO11 detect ONNX export/],
    ['a crowd-counting (non-YOLO) model', join(DATA, 'models', 'fidt_light_B.onnx'), /fidt_light_B\.onnx \(MODEL_PATH\) is not a YOLO detect export: expected output \[B, 84, N\]/],
  ])('%s: a StartupError with the same message and hint', async (_name, modelPath, msg) => {
    const inThread = await OnnxYoloDetector.load(opts({ modelPath })).then(
      () => undefined,
      (e: unknown) => e as StartupError,
    );
    const threaded = await ThreadedPersonDetector.load(opts({ modelPath })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(threaded).toBeInstanceOf(StartupError);
    expect(threaded).toMatchObject({ name: 'StartupError', message: inThread?.message, hint: inThread?.hint });
    expect((threaded as StartupError).message).toMatch(msg);
    expect((threaded as StartupError).message).not.toContain('\n');
    expect((threaded as StartupError).hint).toMatch(/^Export one with `yolo export/);
  });
});
