import { existsSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
// onnxruntime-node (loaded by every model thread) is also loaded by the thread that starts them, so that its native
// binding stays mapped for the process's lifetime: otherwise, once a model thread that loaded it has exited, the next
// model thread's load fails with "Module did not self-register" (reproduced with plain node and onnxruntime-node
// 1.22; e.g. a restarted app context in the same process). Same pattern as sharp in threaded-person-detector.ts.
import 'onnxruntime-node';
import { StartupError } from '@crowdsafe/server-core';
import type { WireError } from '../detector/detector-thread.protocol';

const REPO_ROOT = resolve(__dirname, '../../../../../..');
const ERROR_TYPES: Record<string, new (message: string) => Error> = { Error, RangeError, TypeError };

/**
 * A model thread's entry file next to its owner: `.ts` when running from source (tools/ts-register.js, jest), and
 * then the thread needs ts-register too; `.js` in the build (dist/), where tsc-alias already rewrote the aliases.
 */
export function threadEntry(dir: string, baseName: string, what: string): { filename: string; execArgv?: string[] } {
  const ext = extname(__filename);
  const filename = join(dir, `${baseName}${ext}`);
  if (ext !== '.ts') return { filename };
  const register = join(REPO_ROOT, 'tools', 'ts-register.js');
  if (!existsSync(register)) throw new Error(`cannot start the ${what} from TypeScript sources: ${register} is missing`);
  return { filename, execArgv: ['-r', register] };
}

/** An error from a thread, rebuilt in this thread: same class (StartupError with its hint), message and stack. */
export function errorFromWire(w: WireError): Error {
  const e = w.name === 'StartupError' ? new StartupError(w.message, w.hint) : new (ERROR_TYPES[w.name] ?? Error)(w.message);
  if (e.name !== w.name) e.name = w.name;
  if (w.stack) e.stack = w.stack;
  return e;
}

/** The first messages a model thread sends: optional logs, then `ready` with the model's info or `load-failed`. */
export type ModelThreadStartReply<I> =
  | { type: 'ready'; info: I }
  | { type: 'load-failed'; error: WireError }
  | { type: 'log'; message: string }
  | { type: string };

/**
 * Starts a model thread and waits until it has loaded its model. A StartupError in the thread rejects with a
 * StartupError of the same message and hint; a crash or exit while loading rejects too, and the thread is ended.
 */
export async function startModelThread<I>(opts: {
  entry: { filename: string; execArgv?: string[] };
  workerData: unknown;
  what: string;
  onLog?: (message: string) => void;
}): Promise<{ worker: Worker; info: I }> {
  const worker = new Worker(opts.entry.filename, { workerData: opts.workerData, ...(opts.entry.execArgv ? { execArgv: opts.entry.execArgv } : {}) });
  try {
    const info = await new Promise<I>((ok, fail) => {
      const done = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (m: ModelThreadStartReply<I>) => {
        if (m.type === 'log' && 'message' in m) return opts.onLog?.(m.message);
        done();
        if (m.type === 'ready' && 'info' in m) ok(m.info);
        else if (m.type === 'load-failed' && 'error' in m) fail(errorFromWire(m.error));
        else fail(new Error(`unexpected first message from the ${opts.what}: ${m.type}`));
      };
      const onError = (e: Error) => {
        done();
        fail(new Error(`${opts.what} failed to start: ${e.message}`, { cause: e }));
      };
      const onExit = (code: number) => {
        done();
        fail(new Error(`${opts.what} exited while loading the model (exit code ${code})`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
    return { worker, info };
  } catch (e) {
    await worker.terminate().catch(() => undefined);
    throw e;
  }
}
