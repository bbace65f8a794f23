import type { Worker } from 'node:worker_threads';
// sharp (loaded by the thread) must also be loaded by this thread (see threaded-person-detector.ts).
import 'sharp';
import { errorFromWire, startModelThread, threadEntry } from '../threading/model-thread';
import type { DensityCount, FidtCountOptions, FidtCounterOptions, FidtModelInfo, RgbImage } from './fidt-counter';
import type { FidtThreadInit, FidtThreadReply, FidtThreadRequest } from './fidt-thread.protocol';

/**
 * FidtCounter in a worker thread (same pattern as ThreadedPersonDetector): load() resolves once the model passed
 * FidtCounter's checks in the thread (a StartupError there rejects load() with the same message and hint); count()
 * copies the pixels and transfers the copy; calls run one at a time in order; close() lets them finish.
 */
export class ThreadedFidtCounter {
  private readonly pending = new Map<number, { resolve: (r: DensityCount) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** Settles after every count() issued so far settled (close() waits for it). */
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private failure?: Error;
  private readonly exited: Promise<number>;

  private constructor(
    private readonly worker: Worker,
    readonly info: FidtModelInfo,
  ) {
    worker.on('message', (m: FidtThreadReply) => this.onMessage(m));
    worker.on('error', (e) => this.fail(`FIDT thread crashed: ${e.message}`));
    this.exited = new Promise((done) =>
      worker.on('exit', (code) => {
        if (!this.closed) this.fail(`FIDT thread exited unexpectedly (exit code ${code})`);
        done(code);
      }),
    );
    worker.unref();
  }

  static async load(options: FidtCounterOptions): Promise<ThreadedFidtCounter> {
    const entry = threadEntry(__dirname, 'fidt.thread', 'FIDT thread');
    const init: FidtThreadInit = { options };
    const { worker, info } = await startModelThread<FidtModelInfo>({ entry, workerData: init, what: 'FIDT thread' });
    return new ThreadedFidtCounter(worker, info);
  }

  count(image: RgbImage, options: FidtCountOptions = {}): Promise<DensityCount> {
    if (this.closed) return Promise.reject(new Error('ThreadedFidtCounter is closed'));
    if (this.failure) return Promise.reject(new Error(this.failure.message));
    const copy = new Uint8Array(image.data.byteLength);
    copy.set(image.data);
    const id = this.nextId++;
    const result = new Promise<DensityCount>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      const msg: FidtThreadRequest = { type: 'count', id, width: image.width, height: image.height, buffer: copy.buffer, ...(options.maxSide === undefined ? {} : { maxSide: options.maxSide }), ...(options.scale === undefined ? {} : { scale: options.scale }) };
      this.worker.postMessage(msg, [copy.buffer]);
    });
    const settled = result.catch(() => undefined);
    this.tail = Promise.all([this.tail, settled]);
    return result;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.failure) {
      await this.tail;
      this.worker.ref();
      this.worker.postMessage({ type: 'close' } satisfies FidtThreadRequest);
      const timer = setTimeout(() => void this.worker.terminate().catch(() => undefined), 10000);
      await this.exited;
      clearTimeout(timer);
    } else {
      await this.worker.terminate().catch(() => undefined);
    }
  }

  private onMessage(m: FidtThreadReply): void {
    if (m.type !== 'result' && m.type !== 'failed') return;
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (this.pending.size === 0) this.worker.unref();
    if (!p) return;
    if (m.type === 'result') p.resolve(m.result);
    else p.reject(errorFromWire(m.error));
  }

  private fail(reason: string): void {
    if (this.failure) return;
    this.failure = new Error(reason);
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
    if (!this.closed) void this.worker.terminate().catch(() => undefined);
  }
}
