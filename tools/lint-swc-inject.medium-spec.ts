// Proves the lint rule against the SWC injection trap: under jest's SWC transform a constructor parameter typed
// `X | null` has `Object` as its design type, so `@Optional()` without an explicit `@Inject(X)` is silently injected
// as undefined. Each probe is linted as if it lived at the given path, through the real eslint CLI and config.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

jest.setTimeout(120_000);

const root = resolve(__dirname, '..');
const out = mkdtempSync(join(tmpdir(), 'cs-lint-inject-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function violations(file: string, source: string): number[] {
  const report = join(out, 'report.json');
  const r = spawnSync('npx', ['eslint', '--stdin', '--stdin-filename', file, '--format', 'json', '--output-file', report, '--no-warn-ignored'], {
    cwd: root,
    input: source,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  expect(r.error).toBeUndefined();
  const parsed = JSON.parse(readFileSync(report, 'utf8')) as Array<{ messages: Array<{ ruleId: string | null; line: number }> }>;
  return parsed.flatMap((f) => f.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.line));
}

const probe = (params: string) =>
  `import { Inject, Injectable, Optional } from '@nestjs/common';\nexport class Foo {}\n@Injectable()\nexport class Probe {\n  constructor(\n${params}\n  ) {}\n}\n`;

describe('lint: @Optional() constructor parameters need @Inject (SWC)', () => {
  it.each([
    { name: 'no constructor parameters', file: 'libs/server/core/src/probe.ts', params: '', lines: [] },
    { name: 'plain class-typed injection', file: 'libs/server/core/src/probe.ts', params: '    private readonly foo: Foo,', lines: [] },
    { name: '@Optional() with @Inject(Foo)', file: 'libs/server/core/src/probe.ts', params: '    @Optional() @Inject(Foo) private readonly foo: Foo | null = null,', lines: [] },
    { name: '@Optional() parameter property without @Inject', file: 'libs/server/core/src/probe.ts', params: '    @Optional() private readonly foo: Foo | null = null,', lines: [6] },
    { name: '@Optional() plain parameter without @Inject', file: 'apps/api/src/probe.ts', params: '    @Inject(Foo) a: Foo,\n    @Optional() b: Foo | null,', lines: [7] },
    { name: 'the worker app too', file: 'apps/worker/src/probe.ts', params: '    @Optional() private readonly foo?: Foo,', lines: [6] },
    { name: 'not the Angular app (its own compiler)', file: 'apps/web/src/probe.ts', params: '    @Optional() private readonly foo: Foo | null = null,', lines: [] },
  ])('$name', ({ file, params, lines }) => {
    expect(violations(file, probe(params))).toEqual(lines);
  });
});
