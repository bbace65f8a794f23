import '../testing/ort-jest-realm.test-util';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import Redis from 'ioredis';
import type { RawFrame } from '@crowdsafe/contracts';
import { loadConfig } from '@crowdsafe/server-config';
import { StartupError } from '@crowdsafe/server-core';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniquePrefix } from '../testing/redis.test-util';
import { decodeFrames, REPO_ROOT, sharedDataDir } from '../testing/video-frames.test-util';
import { AiModule } from './ai.module';
import { PersonDetector } from './detector/person-detector';
import { ThreadedPersonDetector } from './detector/threaded-person-detector';
import { FrameStore } from './frame-store/frame-store';
import { InMemoryFrameStore } from './frame-store/in-memory-frame-store';
import { RedisFrameStore } from './frame-store/redis-frame-store';
import { FrameDroppedError, InferenceClient } from './inference/inference-client';
import { BullMqJobDispatcher } from './jobs/bullmq-job-dispatcher';
import { InProcessJobDispatcher } from './jobs/in-process-job-dispatcher';
import { JobDispatcher } from './jobs/job-dispatcher';

// The medium project's testTimeout in jest.config.js is not applied (jest reads testTimeout from the global
// config only), so this spec sets its own bound.
jest.setTimeout(60000);

const DATA = sharedDataDir(process.env.CROWDSAFE_SHARED_DATA);
const MODEL = join(DATA, 'models', 'yolo11n_int8_dynamic_640.onnx');
const config = (env: Record<string, string>) => loadConfig({ MODEL_PATH: MODEL, DETECT_CONFIDENCE: '0.25', ...env }, REPO_ROOT);

describe('AiModule.forApi, embedded (no REDIS_URL): inference in this process', () => {
  let app: TestingModule;
  let frames: RawFrame[];

  beforeAll(async () => {
    [app, frames] = await Promise.all([
      Test.createTestingModule({ imports: [AiModule.forApi(config({ INFERENCE_BATCH_SIZE: '4' }))] }).compile(),
      decodeFrames(join(DATA, 'videos', 'hall_topdown_1280x720_25fps_reencoded.mp4'), { count: 3, every: 50, cameraId: 'hall' }),
    ]);
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('wires the in-memory store, the in-process dispatcher and the loaded detector', () => {
    expect(app.get(FrameStore)).toBeInstanceOf(InMemoryFrameStore);
    expect(app.get(JobDispatcher)).toBeInstanceOf(InProcessJobDispatcher);
    expect(app.get(PersonDetector).info.classes).toHaveLength(80);
    expect(app.get(PersonDetector)).toBeInstanceOf(ThreadedPersonDetector); // inference off the event loop
  });

  it('detects people in frames of two cameras through the InferenceClient', async () => {
    const store = app.get(FrameStore);
    const client = app.get(InferenceClient);
    const refs = [];
    for (const [i, f] of frames.entries()) refs.push(await store.put({ ...f, cameraId: i % 2 ? 'cam-2' : 'cam-1' }));
    const results = await Promise.all(refs.map((r) => client.detect(r)));
    expect(results.map((r) => `${r.cameraId}#${r.seq}`)).toEqual(refs.map((r) => `${r.cameraId}#${r.seq}`));
    for (const r of results) {
      expect(r.detections.length).toBeGreaterThanOrEqual(10);
      expect(r.detections.length).toBeLessThanOrEqual(40);
    }
    expect(client.stats()).toMatchObject({ jobs: 2, frames: 3, dropped: 0, failedJobs: 0 });
  });

  it('a frame gone from the store resolves as missing', async () => {
    const ref = { key: 'frame:cam-9:1', cameraId: 'cam-9', seq: 1, capturedAt: 0, width: 1280, height: 720 };
    await expect(app.get(InferenceClient).detect(ref)).resolves.toMatchObject({ missing: true, detections: [] });
  });
});

describe('AiModule startup', () => {
  it('a bad MODEL_PATH stops module init with a StartupError', async () => {
    const build = Test.createTestingModule({ imports: [AiModule.forApi(config({ MODEL_PATH: '/nope/model.onnx' }))] }).compile();
    await expect(build).rejects.toThrow(StartupError);
    await expect(Test.createTestingModule({ imports: [AiModule.forApi(config({ MODEL_PATH: '/nope/model.onnx' }))] }).compile()).rejects.toThrow(
      /Model not found at \/nope\/model\.onnx \(MODEL_PATH\)/,
    );
  });

  it('forWorker refuses a configuration without REDIS_URL', () => {
    expect(() => AiModule.forWorker(config({}))).toThrow(new StartupError('the worker needs REDIS_URL; in embedded mode inference runs inside the api process'));
  });

  it('forApi with REDIS_URL uses Redis for frames and BullMQ for jobs, and shuts down cleanly', async () => {
    const prefix = uniquePrefix('aimodule');
    const app = await Test.createTestingModule({
      imports: [AiModule.forApi(config({ REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix }))],
    }).compile();
    await app.init();
    const admin = new Redis(TEST_REDIS_URL);
    try {
      expect(app.get(FrameStore)).toBeInstanceOf(RedisFrameStore);
      expect(app.get(JobDispatcher)).toBeInstanceOf(BullMqJobDispatcher);
      const ref = await app.get(FrameStore).put({ cameraId: 'c', seq: 1, capturedAt: 0, width: 2, height: 2, data: new Uint8Array(12) });
      await expect(admin.exists(`${prefix}:frame:c:1`)).resolves.toBe(1);
      // No worker is running: the request waits in the client until shutdown rejects it.
      const pending = app.get(InferenceClient).detect({ ...ref, seq: 2 });
      const second = app.get(InferenceClient).detect({ ...ref, seq: 3 });
      await app.close();
      await expect(second).rejects.toThrow(FrameDroppedError);
      await expect(pending).rejects.toThrow();
    } finally {
      await deleteKeysWithPrefix(admin, prefix);
      await admin.quit();
    }
  });
});
