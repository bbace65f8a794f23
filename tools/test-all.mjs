#!/usr/bin/env node
// The whole test suite, in order: lint (incl. Nx module boundaries), type-check/build, OpenAPI drift check,
// unit specs, medium specs (real PostgreSQL, Redis, ffmpeg, ONNX, a separate BullMQ worker process) and the
// Playwright e2e in Chromium against the running app. Ends with one line "N passed, N failed".
//   ./crowdsafe test [--only lint,unit,medium,e2e,...]
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { coverageArgs, summaryLines } from './coverage-summary.mjs';

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

/** Runs a command, echoing its output live and keeping a copy in tmp/test-results/logs (scanned for secrets at the end). */
let logSeq = 0;
async function run(cmd, args, extraEnv = {}) {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  mkdirSync(join(out, 'logs'), { recursive: true });
  const log = createWriteStream(join(out, 'logs', `${String(++logSeq).padStart(2, '0')}-${args.slice(0, 3).join('_').replace(/[^\w.-]+/g, '_')}.log`));
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, ...extraEnv } });
  child.stdout.on('data', (d) => { process.stdout.write(d); log.write(d); });
  child.stderr.on('data', (d) => { process.stderr.write(d); log.write(d); });
  const code = await new Promise((resolve) => child.on('close', (c) => resolve(c)));
  await new Promise((resolve) => log.end(resolve));
  return code === 0;
}

/** A check that is one pass/fail (lint, build, drift). */
async function check(name, cmd, args, extraEnv) {
  if (only && !only.has(name)) return true;
  const ok = await run(cmd, args, extraEnv);
  if (ok) passed++;
  else failed++;
  lines.push(`${ok ? 'PASS' : 'FAIL'} ${name}`);
  return ok;
}

/** A jest tier: every test case counts. */
async function jestTier(name, extra) {
  if (only && !only.has(name)) return;
  const file = join(out, `${name}.json`);
  const ok = await run('npx', ['jest', '-c', 'jest.config.js', '--selectProjects', name, '--json', `--outputFile=${file}`, ...extra]);
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

async function e2e() {
  if (only && !only.has('e2e')) return;
  const file = join(root, 'e2e', 'artifacts', 'report.json');
  rmSync(file, { force: true });
  const ok = await run('node', ['e2e/run.mjs']);
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
await check('project-graph', 'npx', ['nx', 'show', 'projects']);
await check('lint', 'npx', ['eslint', '.', '--cache', '--cache-location', 'tmp/.eslintcache']);
await check('build', 'npm', ['run', '-s', 'build:server']);
await check('typecheck-tests', 'npx', ['tsc', '-p', 'tsconfig.spec.json']);
// The console's specs (jest transpiles them without type checks).
await check('typecheck-web-tests', 'npx', ['tsc', '-p', 'tools/jest/tsconfig.web-spec.json']);
await check('openapi', 'node', ['tools/openapi.mjs', '--check']);
// Both jest tiers measure line coverage (V8); one summary line per area goes into the result (tools/coverage-summary.mjs).
await jestTier('unit', coverageArgs('unit'));
await jestTier('medium', ['--runInBand', '--testTimeout=120000', ...coverageArgs('medium')]);
if (!only || only.has('unit') || only.has('medium')) lines.push(...summaryLines());
if (!only || only.has('e2e')) await check('build-web', 'npx', ['nx', 'run', 'web:build', '--skip-nx-cache']);
await e2e();
secretsScan();

/**
 * No secret in any log line the suite wrote: every stage's captured output plus the e2e api log. Scans for the known
 * test secrets (the fixed ones in apps/api/src/testing/auth.test-util.ts and those e2e/run.mjs generated) and for
 * secret shapes: JWTs, Bearer headers, URL passwords, PEM private keys.
 */
/** Secrets in a parsed JSON log object: known values and secret shapes in any string, unredacted secret-named fields. */
function jsonSecretHits(value, known, shapes, path = '', depth = 0) {
  if (depth > 20) return [];
  if (typeof value === 'string') {
    const out = [];
    for (const v of known) if (value.includes(v)) out.push(`a known test secret at ${path || '(root)'}`);
    for (const [what, re] of shapes) if (re.test(value)) out.push(`${what} at ${path || '(root)'}`);
    return out;
  }
  if (!value || typeof value !== 'object') return [];
  const out = [];
  for (const [k, v] of Object.entries(value)) {
    const p = path ? `${path}.${k}` : k;
    if (/^(password|secret|token|accessToken|refreshToken|authorization|cookie|set-cookie|apiKey|privateKey)$/i.test(k) && typeof v === 'string' && v && v !== '[REDACTED]') {
      out.push(`unredacted field ${p}`);
    }
    out.push(...jsonSecretHits(v, known, shapes, p, depth + 1));
  }
  return out;
}

function secretsScan() {
  if (only && !only.has('secrets-scan')) return;
  const known = new Set();
  const util = readFileSync(join(root, 'apps/api/src/testing/auth.test-util.ts'), 'utf8');
  for (const m of util.matchAll(/(?:password|JWT_SECRET)['"]?\s*[:=]\s*['"]([^'"]{12,})['"]/gi)) known.add(m[1]);
  const e2eSecrets = join(root, 'e2e', 'artifacts', 'secrets.json');
  if (existsSync(e2eSecrets)) for (const v of Object.values(JSON.parse(readFileSync(e2eSecrets, 'utf8')))) if (typeof v === 'string' && v.length >= 12) known.add(v);
  const shapes = [
    ['a JWT', /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/],
    ['a Bearer token', /\bBearer\s+[A-Za-z0-9._~+/-]{20,}/],
    ['a URL password', /\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@"'*]+:(?!\*)[^\s/@"']+@/i],
    ['a private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ];
  const files = readdirSync(join(out, 'logs')).map((f) => join(out, 'logs', f));
  const apiLog = join(root, 'e2e', 'artifacts', 'api.log');
  if (existsSync(apiLog)) files.push(apiLog);
  const apiJsonLog = join(out, 'api-json.log'); // LOG_FORMAT=json output of apps/api/src/operations.medium-spec.ts
  if (existsSync(apiJsonLog)) files.push(apiJsonLog);
  const hits = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const v of known) if (text.includes(v)) hits.push(`${f}: a known test secret (${v.slice(0, 3)}…)`);
    for (const [what, re] of shapes) {
      const m = re.exec(text);
      if (m) hits.push(`${f}: ${what} near "${text.slice(Math.max(0, m.index - 60), m.index).replace(/\s+/g, ' ')}"`);
    }
    // JSON log lines (LOG_FORMAT=json): decoded string values too (JSON escapes such as \u0041 or \/ would hide a
    // secret from the text search), and secret-named fields must be redacted.
    for (const line of text.split('\n')) {
      const start = line.indexOf('{');
      if (start < 0 || !line.trimEnd().endsWith('}')) continue;
      let obj;
      try {
        obj = JSON.parse(line.slice(start));
      } catch {
        continue;
      }
      for (const h of jsonSecretHits(obj, known, shapes)) hits.push(`${f}: JSON log line: ${h}`);
    }
  }
  const ok = hits.length === 0;
  if (ok) passed++;
  else failed++;
  console.log(`\nsecrets scan: ${files.length} logs, ${known.size} known secrets, ${hits.length} hit(s)`);
  for (const h of hits.slice(0, 20)) console.log(`  ${h}`);
  lines.push(`${ok ? 'PASS' : 'FAIL'} secrets-scan: ${files.length} logs`);
}

console.log('\n' + lines.join('\n'));
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
