import type { FrameRef, RawFrame } from '@crowdsafe/contracts';
import { redactUrl, StartupError } from '@crowdsafe/server-core';
import Redis from 'ioredis';
import sharp from 'sharp';
import { assertRawFrame, FrameStore, frameKey, toFrameRef } from './frame-store';

export interface RedisFrameStoreOptions {
  /** Key prefix (QUEUE_PREFIX): keys are `${prefix}:frame:${cameraId}:${seq}`. */
  prefix: string;
  /** Redis TTL of every frame (PX). */
  ttlMs: number;
  /**
   * Frames of one camera this store instance keeps: putting one more deletes the oldest it wrote
   * (bounds memory when inference falls behind, on top of the TTL). Default: no count bound.
   */
  framesPerCamera?: number;
  /** Cameras whose recent keys are tracked for that bound (LRU). Default 256. */
  maxCameras?: number;
  /** How put() stores pixels (see the class comment). Default 'raw'. */
  encoding?: FrameEncoding;
  /** JPEG quality for encoding 'jpeg'. Default 90. */
  jpegQuality?: number;
}

export type FrameEncoding = 'raw' | 'jpeg';

/**
 * Frames in Redis with a short TTL; width/height travel in the FrameRef.
 *
 * Raw vs JPEG, measured with libs/server/ai/src/bench/frame-transport.bench.ts (one real frame at 1280x720,
 * local Redis, this shared 2-core machine, median of 40 runs, two videos):
 *   raw   SET+GET                               6.3-16.7 ms/frame, 2.76 MB stored
 *   JPEG  q90 encode+SET+GET+decode (sharp)     11.7-14.7 ms/frame, 0.12 MB stored
 *         of which encode (api) 6.6-6.9 ms, decode (worker) 3.7-4.0 ms
 * With Redis on the same host raw is as fast or faster, costs no codec CPU on either side (the worker's
 * ~60 ms inference budget stays whole) and gives the detector the exact pixels, so `raw` is the default.
 * JPEG trades ~10 ms of CPU per frame for 23x less Redis memory and bandwidth: on a 1 Gbit/s link a raw
 * frame is ~22 ms of wire time each way, so choose `jpeg` when Redis or the workers are on other hosts.
 * get() reads both formats (raw is exactly width*height*3 bytes; anything else must be a JPEG), so the
 * writer's choice never has to match the reader's.
 */
export class RedisFrameStore extends FrameStore {
  private readonly recent = new Map<string, number[]>();
  private readonly maxCameras: number;

  constructor(
    private readonly redis: Redis,
    private readonly opts: RedisFrameStoreOptions,
    /** Quit the connection on close() (true when created by connect()). */
    private readonly ownsConnection = false,
  ) {
    super();
    if (!(opts.ttlMs >= 1)) throw new RangeError(`ttlMs must be >= 1, got ${opts.ttlMs}`);
    if (opts.encoding !== undefined && opts.encoding !== 'raw' && opts.encoding !== 'jpeg') {
      throw new RangeError(`encoding must be 'raw' or 'jpeg', got ${String(opts.encoding)}`);
    }
    if (opts.framesPerCamera !== undefined && !(Number.isInteger(opts.framesPerCamera) && opts.framesPerCamera >= 1)) {
      throw new RangeError(`framesPerCamera must be a positive integer, got ${opts.framesPerCamera}`);
    }
    this.maxCameras = opts.maxCameras ?? 256;
  }

  /**
   * Connect to Redis (failing fast with a StartupError naming the redacted URL when it is unreachable) and
   * return a store that owns the connection.
   */
  static async connect(url: string, opts: RedisFrameStoreOptions & { connectTimeoutMs?: number }): Promise<RedisFrameStore> {
    let connected = false;
    const redis = new Redis(url, {
      lazyConnect: true,
      connectTimeout: opts.connectTimeoutMs ?? 5000,
      // No retries for the first connect (fail startup at once); reconnect with backoff once it has worked.
      retryStrategy: (times) => (connected ? Math.min(times * 200, 2000) : null),
      // A frame read/write that cannot reach Redis should fail, not queue forever.
      maxRetriesPerRequest: 2,
      // ioredis keeps the process alive this long after disconnect() (default 2 s).
      disconnectTimeout: 200,
    });
    let lastError: Error | undefined;
    // Later errors surface through the failing commands; the first one explains a failed connect.
    redis.on('error', (e: Error) => (lastError ??= e));
    try {
      await redis.connect();
      connected = true;
    } catch (e) {
      redis.disconnect();
      const why = (lastError ?? (e as Error)).message;
      throw new StartupError(
        `Redis at ${redactUrl(url)} (REDIS_URL) is not reachable: ${redactUrl(why)}`,
        'Start Redis or fix REDIS_URL; leave REDIS_URL unset to run embedded (single process).',
      );
    }
    return new RedisFrameStore(redis, opts, true);
  }

  /** The Redis key of a frame. */
  redisKey(cameraId: string, seq: number): string {
    return `${this.opts.prefix}:${frameKey(cameraId, seq)}`;
  }

  async put(frame: RawFrame): Promise<FrameRef> {
    assertRawFrame(frame);
    const { data, width, height } = frame;
    const raw = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    const value =
      this.opts.encoding === 'jpeg'
        ? await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: this.opts.jpegQuality ?? 90 }).toBuffer()
        : raw;
    const multi = this.redis.multi();
    multi.set(this.redisKey(frame.cameraId, frame.seq), value, 'PX', this.opts.ttlMs);
    const evicted = this.track(frame.cameraId, frame.seq);
    if (evicted.length) multi.del(...evicted.map((s) => this.redisKey(frame.cameraId, s)));
    const results = await multi.exec();
    const failed = results?.find(([err]) => err);
    if (!results || failed) throw new Error(`storing frame ${frame.cameraId}#${frame.seq} in Redis failed: ${failed?.[0]?.message ?? 'transaction aborted'}`);
    return toFrameRef(frame);
  }

  async get(ref: FrameRef): Promise<RawFrame | undefined> {
    // The key is rebuilt from cameraId/seq (not taken from ref.key) so a job payload cannot read other keys.
    const key = this.redisKey(ref.cameraId, ref.seq);
    const buf = await this.redis.getBuffer(key);
    if (!buf) return undefined;
    const size = ref.width * ref.height * 3;
    let data: Uint8Array = buf;
    if (buf.length !== size) {
      if (buf.length < 3 || buf[0] !== 0xff || buf[1] !== 0xd8) {
        throw new Error(`frame ${key} has ${buf.length} bytes in Redis: neither ${ref.width}x${ref.height} RGB24 (${size} bytes) nor a JPEG`);
      }
      const { data: rgb, info } = await sharp(buf).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
      if (info.width !== ref.width || info.height !== ref.height || info.channels !== 3) {
        throw new Error(`frame ${key} is a ${info.width}x${info.height}x${info.channels} JPEG, but its reference says ${ref.width}x${ref.height} RGB`);
      }
      data = rgb;
    }
    return { cameraId: ref.cameraId, seq: ref.seq, capturedAt: ref.capturedAt, width: ref.width, height: ref.height, data };
  }

  async close(): Promise<void> {
    this.recent.clear();
    if (this.ownsConnection && this.redis.status !== 'end') {
      await this.redis.quit().catch(() => this.redis.disconnect());
    }
  }

  /** Remember `seq` for its camera; return the seqs that fall out of the per-camera bound. */
  private track(cameraId: string, seq: number): number[] {
    const max = this.opts.framesPerCamera;
    if (max === undefined) return [];
    const list = this.recent.get(cameraId) ?? [];
    this.recent.delete(cameraId);
    if (!list.includes(seq)) list.push(seq);
    const evicted = list.length > max ? list.splice(0, list.length - max) : [];
    this.recent.set(cameraId, list);
    while (this.recent.size > this.maxCameras) this.recent.delete(this.recent.keys().next().value as string);
    return evicted;
  }
}
