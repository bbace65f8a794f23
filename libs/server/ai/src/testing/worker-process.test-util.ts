// Test helper (excluded from the build): run the real worker (apps/worker/src/main.ts) as a child process.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { REPO_ROOT } from './video-frames.test-util';

export interface WorkerProcess {
  child: ChildProcessWithoutNullStreams;
  /** stdout + stderr so far. */
  output(): string;
  /** Resolves with the ready line; rejects if the process exits first or `timeoutMs` passes. */
  ready(timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Start `node -r ./tools/ts-register.js apps/worker/src/main.ts` with exactly `env` (the spec passes PATH if it
 * wants one): the worker sees no stray configuration from the test process.
 */
export function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['-r', './tools/ts-register.js', 'apps/worker/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (b: Buffer) => {
    out += b.toString();
    listeners.forEach((l) => l());
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    exited,
    ready(timeoutMs = 60000) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker not ready after ${timeoutMs} ms:\n${out}`)), timeoutMs);
        const check = () => {
          const m = /worker ready:.*/.exec(out);
          if (m) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve(m[0]);
          }
        };
        listeners.add(check);
        check();
        exited.then(({ code, signal }) => {
          clearTimeout(timer);
          reject(new Error(`worker exited (code ${code}, signal ${signal}) before it was ready:\n${out}`));
        });
      });
    },
    async stop(graceMs = 10000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        const r = await exited;
        clearTimeout(timer);
        return r;
      }
      return exited;
    },
  };
}
