// Helpers for medium tests that run the real api/worker as child processes.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';

export const REPO_ROOT = resolve(__dirname, '../../../..');
export const SHARED_DATA = process.env.CROWDSAFE_SHARED_DATA ?? resolve(REPO_ROOT, '..', 'shared', 'data');
export const MODEL = resolve(SHARED_DATA, 'models/yolo11n_int8_dynamic_640.onnx');
export const HALL_VIDEO = resolve(SHARED_DATA, 'videos/hall_topdown_1280x720_25fps_reencoded.mp4');
export const PG = {
  host: process.env.PGHOST ?? '127.0.0.1',
  port: Number(process.env.PGPORT ?? 5432),
  user: process.env.PGUSER ?? 'postgres',
  password: process.env.PGPASSWORD,
};
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export function pgUrl(database: string): string {
  const auth = PG.password ? `${PG.user}:${encodeURIComponent(PG.password)}` : PG.user;
  return `postgres://${auth}@${PG.host}:${PG.port}/${database}`;
}

export async function createDatabase(name: string): Promise<void> {
  const c = new Client({ ...PG, database: 'postgres' });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.query(`CREATE DATABASE "${name}"`);
  await c.end();
}

export async function dropDatabase(name: string): Promise<void> {
  const c = new Client({ ...PG, database: 'postgres' });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await c.end();
}

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** Runs a TypeScript entry point of this repo in a child process (tools/ts-register.js). */
export function runTs(entry: string, env: Record<string, string>): RunningProcess {
  const child = spawn(process.execPath, ['-r', './tools/ts-register.js', entry], {
    cwd: REPO_ROOT,
    // ONNX session options forced unless the spec says otherwise: every spawned process has a fresh DATA_DIR, and
    // timing the candidates there (the load-time tuner, tested in session-tuner.medium-spec.ts) would only slow boots.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ONNX_GRAPH_OPTIMIZATION: 'all', INFERENCE_THREADS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-200_000)));
  child.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-200_000)));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    output: () => out,
    exited,
    waitFor: async (pattern, timeoutMs) => {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (child.exitCode !== null) throw new Error(`${entry} exited (${child.exitCode}) before ${pattern}:\n${out}`);
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern} from ${entry}:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(t);
    },
  };
}

export async function waitUntil<T>(fn: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
