import { join } from 'node:path';
import Redis from 'ioredis';
import type { RawFrame } from '@crowdsafe/contracts';
import { StartupError } from '@crowdsafe/server-core';
import { deleteKeysWithPrefix, TEST_REDIS_URL, uniquePrefix } from '../../testing/redis.test-util';
import { decodeFrames, sharedDataDir } from '../../testing/video-frames.test-util';
import { toFrameRef } from './frame-store';
import { RedisFrameStore } from './redis-frame-store';

// The medium project's testTimeout in jest.config.js is not applied (jest reads testTimeout from the global
// config only), so this spec sets its own bound.
jest.setTimeout(60000);

const DATA = sharedDataDir(process.env.CROWDSAFE_SHARED_DATA);

const synthetic = (cameraId: string, seq: number, w = 8, h = 4): RawFrame => ({
  cameraId,
  seq,
  capturedAt: 1_700_000_000_000 + seq,
  width: w,
  height: h,
  data: Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 7 + seq) % 256),
});

describe('RedisFrameStore (real Redis)', () => {
  const prefix = uniquePrefix('frames');
  let admin: Redis;
  const stores: RedisFrameStore[] = [];
  const open = async (opts: Partial<Parameters<typeof RedisFrameStore.connect>[1]> = {}) => {
    const s = await RedisFrameStore.connect(TEST_REDIS_URL, { prefix, ttlMs: 30000, ...opts });
    stores.push(s);
    return s;
  };

  beforeAll(() => {
    admin = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await deleteKeysWithPrefix(admin, prefix);
    await admin.quit();
  });

  it('returns undefined for a frame that was never stored', async () => {
    const store = await open();
    await expect(store.get(toFrameRef(synthetic('none', 1)))).resolves.toBeUndefined();
  });

  it('round-trips raw bytes under ${prefix}:frame:<camera>:<seq> with a TTL', async () => {
    const store = await open({ ttlMs: 20000 });
    const frame = synthetic('cam-a', 42);
    const ref = await store.put(frame);
    expect(ref).toEqual({ key: 'frame:cam-a:42', cameraId: 'cam-a', seq: 42, capturedAt: frame.capturedAt, width: 8, height: 4 });
    const key = `${prefix}:frame:cam-a:42`;
    await expect(admin.strlen(key)).resolves.toBe(8 * 4 * 3);
    const pttl = await admin.pttl(key);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(20000);
    const back = await store.get(ref);
    expect(back).toMatchObject({ cameraId: 'cam-a', seq: 42, capturedAt: frame.capturedAt, width: 8, height: 4 });
    expect(Buffer.from(back?.data ?? []).equals(Buffer.from(frame.data))).toBe(true);
  });

  it('another connection reads what the first wrote', async () => {
    const [writer, reader] = [await open(), await open()];
    const ref = await writer.put(synthetic('cam-b', 1));
    await expect(reader.get(ref)).resolves.toMatchObject({ seq: 1 });
  });

  it('frames expire after ttlMs', async () => {
    const store = await open({ ttlMs: 150 });
    const ref = await store.put(synthetic('cam-ttl', 1));
    // Poll instead of sleeping a fixed time: the machine is noisy; what matters is that it does expire.
    let gone = false;
    for (let i = 0; i < 100 && !gone; i++) {
      gone = (await store.get(ref)) === undefined;
      if (!gone) await new Promise((r) => setTimeout(r, 50));
    }
    expect(gone).toBe(true);
    await expect(admin.exists(`${prefix}:frame:cam-ttl:1`)).resolves.toBe(0);
  });

  it('keeps at most framesPerCamera frames of a camera', async () => {
    const store = await open({ framesPerCamera: 2 });
    const refs = [];
    for (let seq = 1; seq <= 4; seq++) refs.push(await store.put(synthetic('cam-n', seq)));
    const held = [];
    for (const r of refs) held.push((await store.get(r)) !== undefined);
    expect(held).toEqual([false, false, true, true]);
    await expect(store.put(synthetic('cam-other', 1))).resolves.toBeDefined();
    await expect(store.get(refs[3])).resolves.toBeDefined();
  });

  it('stores JPEG when asked, and any store reads it back as RGB of the same size', async () => {
    const [frame] = await decodeFrames(join(DATA, 'videos', 'hall_topdown_1280x720_25fps_reencoded.mp4'), { count: 1, cameraId: 'cam-jpeg' });
    const jpegStore = await open({ encoding: 'jpeg', jpegQuality: 90 });
    const rawReader = await open();
    const ref = await jpegStore.put(frame);
    const stored = (await admin.getBuffer(`${prefix}:frame:cam-jpeg:1`)) ?? Buffer.alloc(0);
    expect(stored.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(stored.length).toBeLessThan(frame.data.length / 5);
    const back = (await rawReader.get(ref))?.data ?? new Uint8Array(0);
    expect(back.length).toBe(frame.data.length);
    let sum = 0;
    for (let i = 0; i < frame.data.length; i++) sum += Math.abs(back[i] - frame.data[i]);
    expect(sum / frame.data.length).toBeLessThan(4); // q90: a few grey levels on average
  });

  it('refuses a value that is neither raw RGB of the declared size nor a JPEG', async () => {
    const store = await open();
    const ref = await store.put(synthetic('cam-bad', 1));
    await expect(store.get({ ...ref, width: 9 })).rejects.toThrow(/neither 9x4 RGB24 \(108 bytes\) nor a JPEG/);
  });

  it('rejects a frame whose buffer does not match its size', async () => {
    const store = await open();
    await expect(store.put({ ...synthetic('cam-bad', 2), width: 9 })).rejects.toThrow(/expected 9x4x3 = 108 bytes, got 96/);
  });

  it('fails fast with a StartupError naming the redacted URL when Redis is unreachable', async () => {
    const connect = RedisFrameStore.connect('redis://user:secret@127.0.0.1:1', { prefix, ttlMs: 1000, connectTimeoutMs: 2000 });
    await expect(connect).rejects.toThrow(StartupError);
    await expect(RedisFrameStore.connect('redis://user:secret@127.0.0.1:1', { prefix, ttlMs: 1000 })).rejects.toThrow(
      /^Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1 \(REDIS_URL\) is not reachable: .*ECONNREFUSED/,
    );
  });
});
