import type { Worker } from 'node:worker_threads';
// sharp (loaded by the thread) must also be loaded by the main thread so that its shared libraries stay
// mapped until the process ends (glibc would unload them when the thread exits): see sharp's worker_threads notes.
import 'sharp';
import type { DetectOptions, RawFrame } from '@crowdsafe/contracts';
import type { DetectorThreadInit, DetectorThreadReply, DetectorThreadRequest, WireFrame } from './detector-thread.protocol';
import type { OnnxYoloDetectorOptions } from './onnx-yolo-detector';
import { errorFromWire, startModelThread, threadEntry } from '../threading/model-thread';
import { PersonDetector, type DetectorInfo, type DetectorRun } from './person-detector';

export interface ThreadedPersonDetectorOptions extends OnnxYoloDetectorOptions {
  /** Receives the thread's warnings (CUDA fallback) and, through `error` when present, its death. */
  logger?: { warn(message: string): void; error?(message: string): void };
  /** Calls allowed to wait behind the running one; beyond that detect() rejects at once. Default 64. */
  maxQueue?: number;
  /** How long close() lets the thread finish and release the session before terminating it. Default 10000 ms. */
  closeTimeoutMs?: number;
}

/** detect() was refused because `maxQueue` calls were already waiting. */
export class DetectorQueueFullError extends Error {
  constructor(readonly maxQueue: number) {
    super(`detector queue full: ${maxQueue} detect() calls already waiting for the detector thread`);
    this.name = 'DetectorQueueFullError';
  }
}

interface Request {
  frames: WireFrame[];
  options: (DetectOptions | undefined)[];
  buffer: ArrayBuffer;
  resolve: (run: DetectorRun) => void;
  reject: (e: Error) => void;
}

/**
 * A PersonDetector whose model runs in a worker thread (an OnnxYoloDetector there), so that inference
 * (onnxruntime-node's session.run is synchronous) never blocks this thread's event loop.
 *
 * - load() starts the thread and resolves once the model loaded and passed OnnxYoloDetector's checks there;
 *   a StartupError in the thread rejects load() with a StartupError of the same message and hint.
 * - detect() copies the frames' pixels (synchronously: the caller may reuse its frames at once) into one
 *   buffer that is transferred to the thread. Calls are serialised (one run at a time) behind a bounded queue.
 * - If the thread dies, pending and later calls reject with the reason (logged once). close() lets queued
 *   calls finish, releases the session and ends the thread.
 */
export class ThreadedPersonDetector extends PersonDetector {
  private readonly queue: Request[] = [];
  private running?: Request;
  /** The buffer of the last finished request, reused by the next one when large enough. */
  private spare?: ArrayBuffer;
  private nextId = 1;
  private closed = false;
  private closing?: Promise<void>;
  private failure?: Error;
  private readonly maxQueue: number;
  private readonly idleWaiters: (() => void)[] = [];
  /** Settles with the exit code once the thread has ended, whatever ended it. */
  private readonly exited: Promise<number>;

  private constructor(
    private readonly worker: Worker,
    readonly info: DetectorInfo,
    private readonly opts: ThreadedPersonDetectorOptions,
  ) {
    super();
    this.maxQueue = opts.maxQueue ?? 64;
    worker.on('message', (m: DetectorThreadReply) => this.onMessage(m));
    worker.on('error', (e) => this.fail(`detector thread crashed: ${e.message}`));
    worker.on('messageerror', (e) => this.fail(`detector thread sent an unreadable message: ${e.message}`));
    this.exited = new Promise((done) =>
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(`detector thread exited unexpectedly (exit code ${code})`);
        done(code);
      }),
    );
    worker.unref(); // an idle detector does not keep the process alive; ref'd while calls are pending
  }

  static async load(opts: ThreadedPersonDetectorOptions): Promise<ThreadedPersonDetector> {
    if (opts.maxQueue !== undefined && !(Number.isInteger(opts.maxQueue) && opts.maxQueue >= 0)) {
      throw new RangeError(`maxQueue must be a non-negative integer, got ${opts.maxQueue}`);
    }
    const { logger, maxQueue: _q, closeTimeoutMs: _t, ...options } = opts;
    const init: DetectorThreadInit = { options };
    const { worker, info } = await startModelThread<DetectorInfo>({
      entry: threadEntry(__dirname, 'detector.thread', 'detector thread'),
      workerData: init,
      what: 'detector thread',
      onLog: (message) => logger?.warn(message),
    });
    return new ThreadedPersonDetector(worker, info, opts);
  }

  detect(frames: readonly RawFrame[], options: readonly (DetectOptions | undefined)[] = []): Promise<DetectorRun> {
    if (this.closed) return Promise.reject(new Error('ThreadedPersonDetector is closed'));
    if (this.failure) return Promise.reject(new Error(this.failure.message));
    if (this.running && this.queue.length >= this.maxQueue) return Promise.reject(new DetectorQueueFullError(this.maxQueue));

    // Copy now: the frames stay the caller's (never detached), and may change after this call returns.
    let total = 0;
    for (const f of frames) {
      if (!ArrayBuffer.isView(f.data)) return Promise.reject(new TypeError(`frame ${f.cameraId}#${f.seq}: data must be a Uint8Array`));
      total += f.data.byteLength;
    }
    const buffer = this.spare && this.spare.byteLength >= total ? this.spare : new ArrayBuffer(total);
    this.spare = undefined;
    const bytes = new Uint8Array(buffer);
    let offset = 0;
    const wire = frames.map((f): WireFrame => {
      bytes.set(f.data, offset);
      const w = { cameraId: f.cameraId, seq: f.seq, capturedAt: f.capturedAt, width: f.width, height: f.height, offset, length: f.data.byteLength };
      offset += f.data.byteLength;
      return w;
    });

    return new Promise<DetectorRun>((resolve, reject) => {
      this.queue.push({ frames: wire, options: frames.map((_, i) => options[i]), buffer, resolve, reject });
      this.pump();
    });
  }

  /** Lets running and queued calls finish, releases the session in the thread, then ends the thread. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.closed = true;
    if (this.failure) {
      void this.worker.terminate().catch(() => undefined);
      await this.exited;
      return;
    }
    this.worker.ref();
    const timeoutMs = this.opts.closeTimeoutMs ?? 10000;
    const timer = setTimeout(() => {
      this.log(`detector thread did not stop within ${timeoutMs} ms of close(); terminating it`);
      void this.worker.terminate().catch(() => undefined);
    }, timeoutMs);
    try {
      const stopped = this.idle().then(() => {
        this.post({ type: 'close' });
        return this.exited;
      });
      await Promise.race([stopped, this.exited]);
    } finally {
      clearTimeout(timer);
    }
    // Anything still waiting (the thread was terminated before answering) fails rather than hangs.
    this.rejectAll(new Error('ThreadedPersonDetector is closed'));
  }

  /** Resolves when nothing runs or waits. */
  private idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((done) => this.idleWaiters.push(done));
  }

  private pump(): void {
    if (this.running || this.failure) return;
    const next = this.queue.shift();
    if (!next) {
      this.worker.unref();
      for (const done of this.idleWaiters.splice(0)) done();
      return;
    }
    this.worker.ref();
    this.running = next;
    this.post({ type: 'detect', id: this.nextId++, frames: next.frames, options: next.options, buffer: next.buffer }, [next.buffer]);
  }

  private post(msg: DetectorThreadRequest, transfer: ArrayBuffer[] = []): void {
    try {
      this.worker.postMessage(msg, transfer);
    } catch (e) {
      this.fail(`could not send a request to the detector thread: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private onMessage(m: DetectorThreadReply): void {
    if (m.type === 'log') {
      this.opts.logger?.warn(m.message);
      return;
    }
    if (m.type !== 'result' && m.type !== 'failed') return;
    const req = this.running;
    this.running = undefined;
    if (!this.spare || m.buffer.byteLength > this.spare.byteLength) this.spare = m.buffer;
    if (req) {
      if (m.type === 'result') req.resolve(m.run);
      else req.reject(errorFromWire(m.error));
    }
    this.pump();
  }

  /** The thread is gone (or unusable): every pending and later call rejects with the reason. */
  private fail(reason: string): void {
    if (this.failure || this.closed) {
      // During close(), a late crash still must not leave callers hanging.
      if (this.closed) this.rejectAll(new Error(`ThreadedPersonDetector is closed (${reason})`));
      return;
    }
    this.failure = new Error(reason);
    this.log(`${reason}; inference is unavailable until restart`);
    this.rejectAll(this.failure);
    this.worker.unref();
    void this.worker.terminate().catch(() => undefined);
  }

  private rejectAll(e: Error): void {
    const pending = [...(this.running ? [this.running] : []), ...this.queue.splice(0)];
    this.running = undefined;
    for (const r of pending) r.reject(new Error(e.message));
    for (const done of this.idleWaiters.splice(0)) done();
  }

  private log(message: string): void {
    const l = this.opts.logger;
    if (l?.error) l.error(message);
    else if (l) l.warn(message);
    else process.emitWarning(message, 'ThreadedPersonDetector');
  }
}
