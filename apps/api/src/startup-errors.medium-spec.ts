// Anticipated startup problems end the process with ONE clear line (plus an optional hint), never a stack trace.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HALL_VIDEO, MODEL, freePort, runTs } from './testing/processes.test-util';

jest.setTimeout(120_000);

const dir = mkdtempSync(join(tmpdir(), 'cs-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorLines(out: string): string[] {
  return out.split('\n').filter((l) => l.trim() && !/^\[Nest\]|^\s*$/.test(l) && !/ LOG | WARN /.test(l));
}

describe('api startup errors', () => {
  const notAModel = join(dir, 'not-a-model.onnx');
  writeFileSync(notAModel, 'this is not an onnx file');

  const cases: Array<{ name: string; env: Record<string, string>; expect: RegExp; code: number }> = [
    { name: 'bad MODEL_PATH', env: { MODEL_PATH: join(dir, 'missing.onnx') }, expect: /MODEL_PATH/, code: 1 },
    { name: 'a file that is not a YOLO model', env: { MODEL_PATH: notAModel }, expect: /^error: Model at .*not-a-model\.onnx \(MODEL_PATH\) is not an ONNX model/, code: 1 },
    // The density model (embedded: loaded by the api for the in-process density-count handler).
    { name: 'a missing FIDT_MODEL_PATH file', env: { FIDT_MODEL_PATH: join(dir, 'missing-fidt.onnx') }, expect: /^error: Model not found at .*missing-fidt\.onnx \(FIDT_MODEL_PATH\)/, code: 1 },
    { name: 'a garbage FIDT_MODEL_PATH file', env: { FIDT_MODEL_PATH: notAModel }, expect: /^error: Model at .*not-a-model\.onnx \(FIDT_MODEL_PATH\) is not an ONNX model/, code: 1 },
    { name: 'missing sample video', env: { SAMPLE_VIDEO: join(dir, 'nope.mp4') }, expect: /SAMPLE_VIDEO/, code: 1 },
    { name: 'unreachable DATABASE_URL', env: { DATABASE_URL: 'postgres://cs:s3cret-pw@127.0.0.1:1/crowdsafe', DB_CONNECT_TIMEOUT_S: '3' }, expect: /DATABASE_URL/, code: 1 },
    { name: 'invalid PORT', env: { PORT: 'eighty' }, expect: /PORT/, code: 2 },
  ];
  it.each(cases)('$name -> one line naming it, exit $code', async ({ env, expect: pattern, code }) => {
    const p = runTs('apps/api/src/main.ts', {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATA_DIR: join(dir, `data-${Math.random().toString(36).slice(2)}`),
      MODEL_PATH: MODEL,
      SAMPLE_VIDEO: HALL_VIDEO,
      WEB_DIST: '',
      ...env,
    });
    let timer: NodeJS.Timeout | undefined;
    const exitCode = await Promise.race([p.exited, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 60_000)))]);
    clearTimeout(timer);
    if (exitCode === 'timeout') await p.stop();
    expect(exitCode).toBe(code);
    const out = p.output();
    const lines = errorLines(out).filter((l) => l.startsWith('error:'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    expect(out).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
    expect(out).not.toContain('s3cret-pw');
  });
});
