import '../../testing/ort-jest-realm.test-util';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import type { FrameRef, RawFrame } from '@crowdsafe/contracts';
import { OnnxYoloDetector } from '../detector/onnx-yolo-detector';
import { RedisFrameStore } from '../frame-store/redis-frame-store';
import { InferenceClient } from '../inference/inference-client';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniquePrefix } from '../../testing/redis.test-util';
import { decodeFrames, sharedDataDir } from '../../testing/video-frames.test-util';
import { startWorker, type WorkerProcess } from '../../testing/worker-process.test-util';
import { BullMqJobDispatcher, JobFailedError, JobTimeoutError } from './bullmq-job-dispatcher';

// The medium project's testTimeout in jest.config.js is not applied (jest reads testTimeout from the global
// config only), so this spec sets its own bound.
jest.setTimeout(60000);

const DATA = sharedDataDir(process.env.CROWDSAFE_SHARED_DATA);
const MODEL = join(DATA, 'models', 'yolo11n_int8_dynamic_640.onnx');
const HALL = join(DATA, 'videos', 'hall_topdown_1280x720_25fps_reencoded.mp4');
const OPTIONS = { confidence: 0.25 };

describe('detect-batch through BullMQ and a separate worker process (real Redis, real model)', () => {
  const prefix = uniquePrefix('bullmq');
  let worker: WorkerProcess;
  let store: RedisFrameStore;
  let dispatcher: BullMqJobDispatcher;
  let admin: Redis;
  let frames: RawFrame[];

  beforeAll(async () => {
    admin = new Redis(TEST_REDIS_URL);
    // Session options forced: this spec is about the queue, not the load-time tuner (tuning.medium-spec.ts).
    worker = startWorker({ PATH: process.env.PATH ?? '', REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, MODEL_PATH: MODEL, LOG_LEVEL: 'info', ONNX_GRAPH_OPTIMIZATION: 'all', INFERENCE_THREADS: '1' });
    [frames, store] = await Promise.all([
      decodeFrames(HALL, { count: 4, every: 30, cameraId: 'hall' }),
      RedisFrameStore.connect(TEST_REDIS_URL, { prefix, ttlMs: 60000 }),
    ]);
    dispatcher = new BullMqJobDispatcher({ redisUrl: TEST_REDIS_URL, prefix, timeoutMs: 60000 });
    await dispatcher.onModuleInit();
    await worker.ready();
  });

  afterAll(async () => {
    await worker?.stop();
    await dispatcher?.close();
    await store?.close();
    await deleteKeysWithPrefix(admin, prefix);
    await admin.quit();
  });

  it('the worker logs one ready line naming the model, the queue and the concurrency', () => {
    expect(worker.output()).toMatch(/worker ready: model yolo11n_int8_dynamic_640\.onnx \(640x640, 80 classes, static batch 1, cpu\) queue inference,density concurrency 1/);
  });

  it('runs a job on the worker: detections for a stored frame, `missing` for an expired one', async () => {
    const ref = await store.put(frames[0]);
    const gone: FrameRef = { ...ref, seq: 999, key: 'frame:hall:999' };
    const result = await dispatcher.dispatch('detect-batch', { frames: [ref, gone], options: { hall: OPTIONS } });

    expect(result.worker).toBe(`${hostname()}:${worker.child.pid}`);
    expect(result.results.map((r) => [r.cameraId, r.seq, r.missing ?? false])).toEqual([
      ['hall', ref.seq, false],
      ['hall', 999, true],
    ]);
    const dets = result.results[0].detections;
    expect(dets.length).toBeGreaterThanOrEqual(10);
    expect(dets.length).toBeLessThanOrEqual(40);
    for (const d of dets) {
      expect(d.score).toBeGreaterThanOrEqual(0.25);
      expect(d.box.x1).toBeGreaterThanOrEqual(0);
      expect(d.box.x2).toBeLessThanOrEqual(1280);
      expect(d.box.y2).toBeLessThanOrEqual(720);
    }
    expect(result.results[1].detections).toEqual([]);
    expect(Object.keys(result.timings).sort()).toEqual(['fetchMs', 'inferenceMs', 'postprocessMs', 'preprocessMs']);

    // Same frame, same model, same code in this process: the worker's answer matches.
    const local = await OnnxYoloDetector.load({ modelPath: MODEL, executionProvider: 'cpu', threads: 0, defaults: { ...OPTIONS, iou: 0.7, maxDetections: 1000 } });
    try {
      const mine = (await local.detect([frames[0]])).detections[0];
      expect(dets).toHaveLength(mine.length);
      dets.forEach((d, i) => {
        expect(d.score).toBeCloseTo(mine[i].score, 3);
        for (const k of ['x1', 'y1', 'x2', 'y2'] as const) expect(Math.abs(d.box[k] - mine[i].box[k])).toBeLessThan(1);
      });
    } finally {
      await local.close();
    }
  });

  it('InferenceClient batches requests of cameras into jobs that the worker runs', async () => {
    const client = new InferenceClient(dispatcher, { batchSize: 4, maxInFlight: 1 });
    const refs = [];
    for (const f of frames) refs.push(await store.put({ ...f, cameraId: f.seq % 2 ? 'hall-a' : 'hall-b' }));
    const results = await Promise.all(refs.map((r) => client.detect(r, OPTIONS)));

    expect(results.map((r) => [r.cameraId, r.seq])).toEqual(refs.map((r) => [r.cameraId, r.seq]));
    for (const r of results) {
      expect(r.missing).toBeUndefined();
      expect(r.detections.length).toBeGreaterThanOrEqual(10);
      expect(r.detections.length).toBeLessThanOrEqual(40);
    }
    // The first request leaves alone; the other three pile up while it runs and go as one batch.
    expect(client.stats()).toMatchObject({ jobs: 2, frames: 4, meanBatchSize: 2, dropped: 0, failedJobs: 0, inFlight: 0, pending: 0 });
    client.onModuleDestroy();
  });

  it('a job the worker fails comes back as JobFailedError with the reason', async () => {
    const ref = await store.put({ ...frames[0], cameraId: 'hall-bad' });
    // The reference lies about the size: the worker's frame store refuses the bytes.
    await expect(dispatcher.dispatch('detect-batch', { frames: [{ ...ref, width: 640 }] })).rejects.toThrow(JobFailedError);
    await expect(dispatcher.dispatch('detect-batch', { frames: [{ ...ref, width: 640 }] })).rejects.toThrow(
      /^job 'detect-batch' \(id \d+\) failed: frame .*hall-bad:1 has 2764800 bytes in Redis: neither 640x720 RGB24/,
    );
  });

  it('a job nobody runs in time fails with JobTimeoutError and is removed from the queue', async () => {
    const lonely = uniquePrefix('bullmq-noworker');
    const d = new BullMqJobDispatcher({ redisUrl: TEST_REDIS_URL, prefix: lonely, timeoutMs: 300 });
    try {
      await d.onModuleInit();
      const ref = { key: 'frame:x:1', cameraId: 'x', seq: 1, capturedAt: 0, width: 2, height: 2 };
      await expect(d.dispatch('detect-batch', { frames: [ref] })).rejects.toThrow(JobTimeoutError);
      await expect(d.counts()).resolves.toMatchObject({ inference: { waiting: 0, active: 0, completed: 0, failed: 0 } });
    } finally {
      await d.close();
      await deleteKeysWithPrefix(admin, lonely);
    }
  });

  it('stops gracefully on SIGTERM', async () => {
    const { code, signal } = await worker.stop();
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(worker.output()).not.toMatch(/\n\s+at /);
  });
});
