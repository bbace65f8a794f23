#!/usr/bin/env node
// The whole test suite, in order: lint (incl. Nx module boundaries), type-check/build, OpenAPI drift check,
// unit specs, medium specs (real PostgreSQL, Redis, ffmpeg, ONNX, a separate BullMQ worker process) and the
// Playwright e2e in Chromium against the running app. Ends with one line "N passed, N failed".
//   ./crowdsafe test [--only lint,unit,medium,e2e,...]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const out = join(root, 'tmp', 'test-results');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1].split(',')) : null;
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0' };

let passed = 0;
let failed = 0;
const lines = [];

function run(cmd, args, extraEnv = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...env, ...extraEnv } });
  return r.status === 0;
}

/** A check that is one pass/fail (lint, build, drift). */
function check(name, cmd, args, extraEnv) {
  if (only && !only.has(name)) return true;
  const ok = run(cmd, args, extraEnv);
  if (ok) passed++;
  else failed++;
  lines.push(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  return ok;
}

/** A jest tier: every test case counts. */
function jestTier(name, extra) {
  if (only && !only.has(name)) return;
  const file = join(out, `${name}.json`);
  const ok = run('npx', ['jest', '-c', 'jest.config.js', '--selectProjects', name, '--json', `--outputFile=${file}`, ...extra]);
  if (!existsSync(file)) {
    failed++;
    lines.push(`FAIL ${name}: jest produced no report`);
    return;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  // Suites that failed to run (syntax error, beforeAll failure) count as a failure even with 0 tests.
  const brokenSuites = r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.every((a) => a.status !== 'failed')).length;
  passed += r.numPassedTests;
  failed += r.numFailedTests + brokenSuites;
  lines.push(`${ok ? 'PASS' : 'FAIL'} ${name}: ${r.numPassedTests} passed, ${r.numFailedTests + brokenSuites} failed, ${r.numPendingTests} skipped (${r.numTotalTestSuites} files)`);
}

function e2e() {
  if (only && !only.has('e2e')) return;
  const file = join(root, 'e2e', 'artifacts', 'report.json');
  rmSync(file, { force: true });
  const ok = run('node', ['e2e/run.mjs']);
  if (!existsSync(file)) {
    failed++;
    lines.push('FAIL e2e: no Playwright report');
    return;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const s = r.stats ?? {};
  const p = s.expected ?? 0;
  const f = (s.unexpected ?? 0) + (s.flaky ?? 0);
  passed += p;
  failed += f + (ok || f ? 0 : 1);
  lines.push(`${ok ? 'PASS' : 'FAIL'} e2e: ${p} passed, ${f} failed, ${s.skipped ?? 0} skipped`);
}

// @nx/enforce-module-boundaries silently skips itself when no project graph is cached (a fresh clone): build it first.
check('project-graph', 'npx', ['nx', 'show', 'projects']);
check('lint', 'npx', ['eslint', '.', '--cache', '--cache-location', 'tmp/.eslintcache']);
check('build', 'npm', ['run', '-s', 'build:server']);
check('typecheck-tests', 'npx', ['tsc', '-p', 'tsconfig.spec.json']);
check('openapi', 'node', ['tools/openapi.mjs', '--check']);
jestTier('unit', []);
jestTier('medium', ['--runInBand', '--testTimeout=120000']);
if (!only || only.has('e2e')) check('build-web', 'npx', ['nx', 'run', 'web:build', '--skip-nx-cache']);
e2e();

console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
