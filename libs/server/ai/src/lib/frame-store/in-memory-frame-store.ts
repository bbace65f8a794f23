import type { FrameRef, RawFrame } from '@crowdsafe/contracts';
import { assertRawFrame, FrameStore, toFrameRef } from './frame-store';

export interface InMemoryFrameStoreOptions {
  /** Newest frames kept per camera. */
  framesPerCamera: number;
  /** Frames older than this (since put) are gone. */
  ttlMs: number;
  /** Cameras tracked at once; putting a frame of one more evicts the least recently used camera. Default 256. */
  maxCameras?: number;
  /** Clock (tests). Default Date.now. */
  now?: () => number;
}

interface Entry {
  frame: RawFrame;
  storedAt: number;
}

/**
 * Embedded-mode frame store: frames stay in this process and are handed out by reference (zero copy).
 * Bounded three ways: frames per camera, age, and number of cameras.
 */
export class InMemoryFrameStore extends FrameStore {
  /** cameraId -> frames oldest first. Map order = camera recency (re-inserted on put). */
  private readonly cameras = new Map<string, Entry[]>();
  private readonly maxCameras: number;
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly opts: InMemoryFrameStoreOptions) {
    super();
    if (!Number.isInteger(opts.framesPerCamera) || opts.framesPerCamera < 1) {
      throw new RangeError(`framesPerCamera must be a positive integer, got ${opts.framesPerCamera}`);
    }
    if (!(opts.ttlMs > 0)) throw new RangeError(`ttlMs must be positive, got ${opts.ttlMs}`);
    this.maxCameras = opts.maxCameras ?? 256;
    this.now = opts.now ?? Date.now;
  }

  async put(frame: RawFrame): Promise<FrameRef> {
    if (this.closed) throw new Error('frame store is closed');
    assertRawFrame(frame);
    const now = this.now();
    this.sweep(now);
    const list = this.cameras.get(frame.cameraId) ?? [];
    this.cameras.delete(frame.cameraId);
    const same = list.findIndex((e) => e.frame.seq === frame.seq);
    if (same >= 0) list.splice(same, 1);
    list.push({ frame, storedAt: now });
    if (list.length > this.opts.framesPerCamera) list.splice(0, list.length - this.opts.framesPerCamera);
    this.cameras.set(frame.cameraId, list);
    while (this.cameras.size > this.maxCameras) this.cameras.delete(this.cameras.keys().next().value as string);
    return toFrameRef(frame);
  }

  async get(ref: FrameRef): Promise<RawFrame | undefined> {
    const list = this.cameras.get(ref.cameraId);
    const entry = list?.find((e) => e.frame.seq === ref.seq);
    if (!entry) return undefined;
    return this.now() - entry.storedAt >= this.opts.ttlMs ? undefined : entry.frame;
  }

  /** Frames currently held (expired ones may linger until the next put). */
  get size(): number {
    let n = 0;
    for (const list of this.cameras.values()) n += list.length;
    return n;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cameras.clear();
  }

  /** Drop expired frames of every camera, and cameras left empty. O(cameras) amortised. */
  private sweep(now: number): void {
    for (const [id, list] of this.cameras) {
      let expired = 0;
      while (expired < list.length && now - list[expired].storedAt >= this.opts.ttlMs) expired++;
      if (expired === list.length) this.cameras.delete(id);
      else if (expired > 0) list.splice(0, expired);
    }
  }
}
