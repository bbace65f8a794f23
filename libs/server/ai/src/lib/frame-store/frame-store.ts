import type { FrameRef, RawFrame } from '@crowdsafe/contracts';

/**
 * Bounded, short-lived storage for decoded frames (DI token). Job payloads carry FrameRefs; the process that
 * runs inference reads the pixels back with get(). A frame may be gone by then (TTL or per-camera bound):
 * get() then resolves undefined, which callers count rather than treat as an error.
 */
export abstract class FrameStore {
  /** Store a frame and return its reference. The store may keep `frame.data` without copying: don't mutate it. */
  abstract put(frame: RawFrame): Promise<FrameRef>;
  abstract get(ref: FrameRef): Promise<RawFrame | undefined>;
  abstract close(): Promise<void>;

  /** Nest hook: closed last, after job consumers and clients stopped in onModuleDestroy. */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }
}

/** The store-relative key of a frame (FrameRef.key). */
export function frameKey(cameraId: string, seq: number): string {
  return `frame:${cameraId}:${seq}`;
}

export function toFrameRef(frame: RawFrame, key = frameKey(frame.cameraId, frame.seq)): FrameRef {
  return { key, cameraId: frame.cameraId, seq: frame.seq, capturedAt: frame.capturedAt, width: frame.width, height: frame.height };
}

/** Throws when `frame` is not packed RGB24 of its declared size. */
export function assertRawFrame(frame: RawFrame): void {
  const { width, height, data } = frame;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`frame ${frame.cameraId}#${frame.seq}: bad size ${width}x${height}`);
  }
  if (data.length !== width * height * 3) {
    throw new RangeError(`frame ${frame.cameraId}#${frame.seq}: expected ${width}x${height}x3 = ${width * height * 3} bytes, got ${data.length}`);
  }
  if (!Number.isSafeInteger(frame.seq)) throw new RangeError(`frame ${frame.cameraId}: seq must be an integer, got ${frame.seq}`);
}
