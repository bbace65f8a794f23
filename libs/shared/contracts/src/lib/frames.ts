/**
 * A reference to one decoded frame held in the bounded frame store (in-memory ring or Redis with a short TTL).
 * Job payloads carry these references, never pixels.
 */
export interface FrameRef {
  /** Frame-store key, e.g. `frame:<cameraId>:<seq>`. */
  key: string;
  cameraId: string;
  /** Monotonic per-camera sequence number of the decoded frame. */
  seq: number;
  /** Capture time, epoch milliseconds. */
  capturedAt: number;
  width: number;
  height: number;
}

/** Pixel layout of frames in the store. */
export type PixelFormat = 'rgb24';

/** One decoded frame in memory: packed RGB24, `width * height * 3` bytes, row-major. */
export interface RawFrame {
  cameraId: string;
  seq: number;
  capturedAt: number;
  width: number;
  height: number;
  data: Uint8Array;
}
