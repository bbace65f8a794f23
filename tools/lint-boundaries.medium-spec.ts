// Proves the Nx project boundaries are enforced by lint (not just configured): each probe file is linted as if it
// lived in the given project, through the real eslint CLI and the workspace config.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'cs-lint-'));
const env = { ...process.env, NX_DAEMON: 'false' };

// The rule skips itself (with only a warning) when Nx has no cached project graph, e.g. on a fresh clone; the
// suite builds the graph before linting, and so does this test.
beforeAll(() => {
  expect(spawnSync('npx', ['nx', 'show', 'projects'], { cwd: root, env, encoding: 'utf8' }).status).toBe(0);
});
afterAll(() => rmSync(out, { recursive: true, force: true }));

function lint(file: string, source: string): string[] {
  const report = join(out, 'report.json');
  const r = spawnSync('npx', ['eslint', '--stdin', '--stdin-filename', file, '--format', 'json', '--output-file', report, '--no-warn-ignored'], {
    cwd: root,
    input: source,
    encoding: 'utf8',
    env,
  });
  expect(r.stdout + r.stderr).not.toMatch(/rule will be skipped/i);
  const parsed = JSON.parse(readFileSync(report, 'utf8')) as Array<{ messages: Array<{ ruleId: string | null; message: string }> }>;
  return parsed.flatMap((f) => f.messages.filter((m) => m.ruleId === '@nx/enforce-module-boundaries').map((m) => m.message));
}

describe('project boundaries (lint)', () => {
  it.each([
    { name: 'web lib importing nothing from the server is fine', file: 'libs/web/ui/src/probe.ts', src: "import { WsEvent } from '@crowdsafe/contracts';\nexport const x = WsEvent;\n", violations: 0 },
    { name: 'web importing server code', file: 'libs/web/ui/src/probe.ts', src: "import { redactUrl } from '@crowdsafe/server-core';\nexport const x = redactUrl;\n", violations: 1 },
    { name: 'the web app importing a server lib', file: 'apps/web/src/probe.ts', src: "import { loadConfig } from '@crowdsafe/server-config';\nexport const x = loadConfig;\n", violations: 1 },
    { name: 'contracts importing an npm package', file: 'libs/shared/contracts/src/probe.ts', src: "import { Observable } from 'rxjs';\nexport type X = Observable<number>;\n", violations: 1 },
    { name: 'a pure domain lib importing onnxruntime', file: 'libs/server/vision/src/probe.ts', src: "import * as ort from 'onnxruntime-node';\nexport const x = ort;\n", violations: 1 },
    { name: 'a pure domain lib importing a feature lib', file: 'libs/server/analytics/src/probe.ts', src: "import { AiModule } from '@crowdsafe/server-ai';\nexport const x = AiModule;\n", violations: 1 },
  ])('$name', ({ file, src, violations }) => {
    expect(lint(file, src)).toHaveLength(violations);
  });
});
