import '../../testing/ort-jest-realm.test-util';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import Redis from 'ioredis';
import sharp from 'sharp';
import type { DensityCountResult, FrameRef, RawFrame } from '@crowdsafe/contracts';
import { loadConfig } from '@crowdsafe/server-config';
import { AiModule, DENSITY_COUNTER, type DensityCounter } from '../ai.module';
import { FrameStore } from '../frame-store/frame-store';
import { RedisFrameStore } from '../frame-store/redis-frame-store';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniquePrefix } from '../../testing/redis.test-util';
import { REPO_ROOT, sharedDataDir } from '../../testing/video-frames.test-util';
import { startWorker, type WorkerProcess } from '../../testing/worker-process.test-util';
import { BullMqJobDispatcher, JobFailedError } from './bullmq-job-dispatcher';
import { InProcessJobDispatcher } from './in-process-job-dispatcher';
import { JobDispatcher } from './job-dispatcher';

// The density census as a typed job: on a separate worker process through BullMQ on real Redis (distributed mode)
// and through the in-process dispatcher (embedded mode), with the real FIDT model on a ShanghaiTech B image.
jest.setTimeout(120000);

const DATA = sharedDataDir(process.env.CROWDSAFE_SHARED_DATA);
const YOLO = join(DATA, 'models', 'yolo11n_int8_dynamic_640.onnx');
const FIDT = join(DATA, 'models', 'fidt_light_B.onnx');
// ShanghaiTech B train IMG_3: 1024x768, 29 annotated heads.
const IMG_3 = join(DATA, 'crowd_counting', 'shanghaitech', 'part_B_train_60', 'images', 'IMG_3.jpg');
// Session options forced: these specs are about the job, not the load-time tuner (tuning.medium-spec.ts).
const FORCED = { ONNX_GRAPH_OPTIMIZATION: 'basic', INFERENCE_THREADS: '1', FIDT_THREADS: '1' };

async function image(path: string, cameraId: string, seq: number): Promise<RawFrame> {
  const { data, info } = await sharp(path).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return { cameraId, seq, capturedAt: Date.now(), width: info.width, height: info.height, data: new Uint8Array(data) };
}

function expectHeads(r: DensityCountResult, frame: RawFrame): void {
  expect(r.missing).toBeUndefined();
  expect(r.cameraId).toBe(frame.cameraId);
  expect(r.seq).toBe(frame.seq);
  expect(r.estimate.method).toBe('density-model');
  expect(r.estimate.count).toBe(r.points.length);
  expect(r.estimate.count).toBeGreaterThanOrEqual(18);
  expect(r.estimate.count).toBeLessThanOrEqual(40);
  for (const p of r.points) {
    expect(p.x).toBeGreaterThanOrEqual(0);
    expect(p.x).toBeLessThan(frame.width);
    expect(p.y).toBeGreaterThanOrEqual(0);
    expect(p.y).toBeLessThan(frame.height);
  }
}

describe('density-count through BullMQ on a separate worker process (real Redis, real FIDT model)', () => {
  const prefix = uniquePrefix('density');
  const dataDir = mkdtempSync(join(tmpdir(), 'cs-density-'));
  let worker: WorkerProcess;
  let store: RedisFrameStore;
  let dispatcher: BullMqJobDispatcher;
  let admin: Redis;
  let frame: RawFrame;

  beforeAll(async () => {
    admin = new Redis(TEST_REDIS_URL);
    worker = startWorker({ PATH: process.env.PATH ?? '', REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, MODEL_PATH: YOLO, FIDT_MODEL_PATH: FIDT, DATA_DIR: dataDir, LOG_LEVEL: 'info', ...FORCED });
    [frame, store] = await Promise.all([image(IMG_3, 'shb', 3), RedisFrameStore.connect(TEST_REDIS_URL, { prefix, ttlMs: 60000 })]);
    dispatcher = new BullMqJobDispatcher({ redisUrl: TEST_REDIS_URL, prefix, timeoutMs: 60000 });
    await dispatcher.onModuleInit();
    await worker.ready(90000);
  });

  afterAll(async () => {
    await worker?.stop();
    await dispatcher?.close();
    await store?.close();
    await deleteKeysWithPrefix(admin, prefix);
    await admin.quit();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the worker consumes both queues and logs the density model it loaded', () => {
    expect(worker.output()).toMatch(/queue inference,density/);
    expect(worker.output()).toMatch(/density model .*fidt_light_B\.onnx loaded/);
    expect(worker.output()).toMatch(/graphOptimizationLevel 'basic', 1 intra-op thread \(forced by configuration\)/);
  });

  it('counts the heads of a stored ShanghaiTech B frame on the worker (29 annotated), head points in source pixels', async () => {
    const ref = await store.put(frame);
    const r = await dispatcher.dispatch('density-count', { cameraId: 'shb', frame: ref, maxSide: 1024 });
    expect(r.worker).toBe(`${hostname()}:${worker.child.pid}`);
    expectHeads(r, frame);
    expect(r.inputSize).toEqual({ width: 1024, height: 768 });
    expect(Object.keys(r.timings).sort()).toEqual(['decodeMs', 'fetchMs', 'inferenceMs', 'preprocessMs']);

    // The right half only: fewer heads, all inside the region, in full-frame coordinates.
    const half = await dispatcher.dispatch('density-count', { cameraId: 'shb', frame: ref, region: { x: 512, y: 0, width: 512, height: 768 } });
    expect(half.points.length).toBeLessThan(r.points.length);
    expect(half.points.length).toBeGreaterThan(0);
    for (const p of half.points) expect(p.x).toBeGreaterThanOrEqual(512);

    // Upscaled x1.5 under a 2048 cap: the input follows the scale.
    const up = await dispatcher.dispatch('density-count', { cameraId: 'shb', frame: ref, scale: 1.5, maxSide: 2048 });
    expect(up.inputSize).toEqual({ width: 1536, height: 1152 });
    expectHeads(up, frame);
  });

  it('a frame gone from the store comes back missing; an invalid payload fails naming the field', async () => {
    const ref = await store.put({ ...frame, seq: 4 });
    const gone: FrameRef = { ...ref, seq: 999, key: 'frame:shb:999' };
    await expect(dispatcher.dispatch('density-count', { cameraId: 'shb', frame: gone })).resolves.toMatchObject({ missing: true, estimate: { count: 0 }, points: [] });
    await expect(dispatcher.dispatch('density-count', { cameraId: 'other', frame: ref })).rejects.toThrow(JobFailedError);
    await expect(dispatcher.dispatch('density-count', { cameraId: 'shb', frame: ref, scale: 100 })).rejects.toThrow(/invalid density-count payload: scale: expected a number in \(0, 8\]/);
  });
});

describe('density-count in process (embedded mode: AiModule.forApi without REDIS_URL)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cs-density-embedded-'));
  let app: TestingModule;

  beforeAll(async () => {
    const config = loadConfig({ MODEL_PATH: YOLO, FIDT_MODEL_PATH: FIDT, DATA_DIR: dataDir, ...FORCED }, REPO_ROOT);
    app = await Test.createTestingModule({ imports: [AiModule.forApi(config)] }).compile();
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('the census client dispatches to the in-process handler, which runs the model in this process', async () => {
    expect(app.get(JobDispatcher)).toBeInstanceOf(InProcessJobDispatcher);
    const census = app.get<DensityCounter | null>(DENSITY_COUNTER);
    expect(census).not.toBeNull();
    const frame = await image(IMG_3, 'shb-local', 3);
    const ref = await app.get(FrameStore).put(frame);
    const r = await (census as DensityCounter).count({ cameraId: 'shb-local', frame: ref, maxSide: 1024 });
    expect(r.worker).toBe(`${hostname()}:${process.pid}`);
    expectHeads(r, frame);
    // An expired frame is an error for the census (the runtime counts it as a density failure).
    await expect((census as DensityCounter).count({ cameraId: 'shb-local', frame: { ...ref, seq: 77, key: 'frame:shb-local:77' } })).rejects.toThrow(/expired from the frame store/);
  });
});

describe('AiModule.forApi with REDIS_URL: no density model in the api process', () => {
  it('provides the census client (jobs go to the workers) and no in-process handler', async () => {
    const prefix = uniquePrefix('density-api');
    const config = loadConfig({ MODEL_PATH: YOLO, FIDT_MODEL_PATH: '/not/loaded/by/the/api.onnx', REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix }, REPO_ROOT);
    const app = await Test.createTestingModule({ imports: [AiModule.forApi(config)] }).compile();
    await app.init();
    try {
      expect(app.get(JobDispatcher)).toBeInstanceOf(BullMqJobDispatcher);
      expect(app.get<DensityCounter | null>(DENSITY_COUNTER)).not.toBeNull();
    } finally {
      await app.close();
      const admin = new Redis(TEST_REDIS_URL);
      await deleteKeysWithPrefix(admin, prefix);
      await admin.quit();
    }
  });
});
