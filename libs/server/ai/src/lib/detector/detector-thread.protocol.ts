// Messages between ThreadedPersonDetector (main thread) and detector.thread (the worker thread).
// Type-only imports and plain data: both sides load this file, neither needs Nest.
import type { DetectOptions, RawFrame } from '@crowdsafe/contracts';
import type { OnnxYoloDetectorOptions } from './onnx-yolo-detector';
import type { DetectorInfo, DetectorRun } from './person-detector';

/** workerData: the detector options minus the logger (functions do not cross threads). */
export interface DetectorThreadInit {
  options: Omit<OnnxYoloDetectorOptions, 'logger'>;
}

/** A frame without its pixels; they lie at [offset, offset + length) of the request's buffer. */
export type WireFrame = Omit<RawFrame, 'data'> & { offset: number; length: number };

/** An error as it crosses the thread boundary (class, message and StartupError's hint kept). */
export interface WireError {
  name: string;
  message: string;
  stack?: string;
  hint?: string;
}

export type DetectorThreadRequest =
  | {
      type: 'detect';
      id: number;
      frames: WireFrame[];
      options: (DetectOptions | undefined)[];
      /** Every frame's pixels, copied by the caller; transferred (not cloned) and transferred back with the reply. */
      buffer: ArrayBuffer;
    }
  | { type: 'close' };

export type DetectorThreadReply =
  | { type: 'ready'; info: DetectorInfo }
  | { type: 'load-failed'; error: WireError }
  | { type: 'result'; id: number; run: DetectorRun; buffer: ArrayBuffer }
  | { type: 'failed'; id: number; error: WireError; buffer: ArrayBuffer }
  | { type: 'log'; level: 'warn'; message: string };

export function toWireError(e: unknown): WireError {
  if (e instanceof Error) {
    const hint = (e as { hint?: unknown }).hint;
    return { name: e.name, message: e.message, stack: e.stack, ...(typeof hint === 'string' ? { hint } : {}) };
  }
  return { name: 'Error', message: String(e) };
}
