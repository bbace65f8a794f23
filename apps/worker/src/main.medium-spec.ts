import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// The medium project's testTimeout in jest.config.js is not applied (jest reads testTimeout from the global
// config only), so this spec sets its own bound.
jest.setTimeout(60000);

// The worker's startup contract, checked on the real process: one `error: ...` line on stderr, no stack trace,
// exit 2 for bad configuration and 1 for anything else that stops startup.
const ROOT = resolve(__dirname, '../../..');
const DATA = process.env.CROWDSAFE_SHARED_DATA ? resolve(process.env.CROWDSAFE_SHARED_DATA) : resolve(ROOT, '..', 'shared', 'data');
const MODEL = resolve(DATA, 'models', 'yolo11n_int8_dynamic_640.onnx');

function runWorker(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['-r', './tools/ts-register.js', 'apps/worker/src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60000);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearTimeout(timer);
      ok({ code, stdout, stderr });
    });
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'cs-worker-start-'));
const GARBAGE = join(scratch, 'garbage.onnx');
writeFileSync(GARBAGE, 'definitely not an onnx model');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
// Options forced: no session tuning before the density model is refused.
const FORCED = { ONNX_GRAPH_OPTIMIZATION: 'basic', INFERENCE_THREADS: '1', DATA_DIR: scratch };

const ownLines = (stderr: string) => stderr.split('\n').filter((l) => l.trim());

describe('worker startup failures (real process)', () => {
  it.each([
    ['invalid configuration', { INFERENCE_BATCH_SIZE: 'lots', REDIS_URL: 'redis://127.0.0.1:6379' }, 2, /^error: Invalid configuration: INFERENCE_BATCH_SIZE/],
    ['no REDIS_URL', { MODEL_PATH: MODEL }, 1, /^error: the worker needs REDIS_URL; in embedded mode inference runs inside the api process$/],
    [
      'a missing model',
      { REDIS_URL: 'redis://127.0.0.1:6379', MODEL_PATH: '/nonexistent/yolo.onnx' },
      1,
      /^error: Model not found at \/nonexistent\/yolo\.onnx \(MODEL_PATH\)\. Expected a YOLOv8\/YOLO11 detect ONNX export; see models\/README\.md$/,
    ],
    ['a non-YOLO model', { REDIS_URL: 'redis://127.0.0.1:6379', MODEL_PATH: resolve(DATA, 'models', 'fidt_light_B.onnx') }, 1, /^error: Model at .*fidt_light_B\.onnx \(MODEL_PATH\) is not a YOLO detect export/],
    ['a garbage MODEL_PATH file', { REDIS_URL: 'redis://127.0.0.1:6379', MODEL_PATH: GARBAGE }, 1, /^error: Model at .*garbage\.onnx \(MODEL_PATH\) is not an ONNX model/],
    ['a missing FIDT_MODEL_PATH file', { REDIS_URL: 'redis://127.0.0.1:6379', MODEL_PATH: MODEL, FIDT_MODEL_PATH: '/nonexistent/fidt.onnx', ...FORCED }, 1, /^error: Model not found at \/nonexistent\/fidt\.onnx \(FIDT_MODEL_PATH\)\./],
    ['a garbage FIDT_MODEL_PATH file', { REDIS_URL: 'redis://127.0.0.1:6379', MODEL_PATH: MODEL, FIDT_MODEL_PATH: GARBAGE, ...FORCED }, 1, /^error: Model at .*garbage\.onnx \(FIDT_MODEL_PATH\) is not an ONNX model/],
    ['the YOLO model as FIDT_MODEL_PATH', { REDIS_URL: 'redis://127.0.0.1:6379', MODEL_PATH: MODEL, FIDT_MODEL_PATH: MODEL, ...FORCED }, 1, /^error: Model at .*yolo11n_int8_dynamic_640\.onnx \(FIDT_MODEL_PATH\) has input/],
    ['an unreachable Redis', { REDIS_URL: 'redis://user:pw@127.0.0.1:1', MODEL_PATH: MODEL }, 1, /^error: Redis at redis:\/\/\*\*\*@127\.0\.0\.1:1 \(REDIS_URL\) is not reachable/],
  ])('%s', async (_name, env, code, firstLine) => {
    const r = await runWorker(env);
    expect(r.code).toBe(code);
    const lines = ownLines(r.stderr);
    expect(lines[0]).toMatch(firstLine);
    // At most the error and its hint; never a stack trace, and never the password.
    expect(lines.length).toBeLessThanOrEqual(2);
    if (lines[1]) expect(lines[1]).toMatch(/^hint: /);
    expect(r.stderr + r.stdout).not.toMatch(/\n\s+at /);
    expect(r.stderr + r.stdout).not.toContain(':pw@');
  });
});
