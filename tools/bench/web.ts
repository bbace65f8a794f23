// `./crowdsafe bench web [--runs N]`: how fast the production console loads from the api on loopback (target < 2 s).
// Starts the BUILT api (dist/server, serving dist/web/browser) on its embedded default with the sample camera, then in
// system Chromium (playwright-core) measures N cold loads, each in a fresh browser context (empty cache):
//   login  - navigation start -> the login form visible
//   signed - submit -> the dashboard's header visible (token, /me, camera list)
//   video  - submit -> the first live frame drawn on the dashboard
// and prints p50/p95 with the ratio to the 2 s target. Needs `npm run build:server` and `npx nx run web:build`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(__dirname, '../..');
const TARGET_MS = 2000;

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      const p = typeof a === 'object' && a ? a.port : 0;
      s.close(() => res(p));
    });
  });

function pct(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

export async function webBench(): Promise<void> {
  const runs = arg('runs', 8);
  for (const f of ['dist/server/apps/api/src/main.js', 'dist/web/browser/index.html']) {
    if (!existsSync(join(root, f))) throw new Error(`${f} is missing: npm run build:server && npx nx run web:build`);
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'cs-bench-web-'));
  const password = `bench-${randomBytes(9).toString('hex')}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'production', LOG_LEVEL: 'warn',
    SECRETS_KEY: randomBytes(32).toString('base64'), RATE_LIMIT_ENABLED: 'false',
    INITIAL_ADMIN_USERNAME: 'admin', INITIAL_ADMIN_PASSWORD: password, WEB_DIST: join(root, 'dist/web/browser'),
  };
  delete env['DATABASE_URL'];
  delete env['REDIS_URL'];
  const api = spawn('node', ['dist/server/apps/api/src/main.js'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error('api did not come up');
      await new Promise((r) => setTimeout(r, 500));
    }
    const login: number[] = [];
    const signed: number[] = [];
    const video: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      const t0 = Date.now();
      await page.goto(`${base}/login`);
      await page.getByTestId('login-form').waitFor({ state: 'visible', timeout: 30_000 });
      const t1 = Date.now();
      await page.getByLabel('Username').fill('admin');
      await page.getByLabel('Password').fill(password);
      const t2 = Date.now();
      await page.getByTestId('login-submit').click();
      await page.getByTestId('app-header').waitFor({ state: 'visible', timeout: 30_000 });
      const t3 = Date.now();
      await page.locator('[data-testid="live-frame"][data-frame-seq]').first().waitFor({ state: 'attached', timeout: 60_000 });
      const t4 = Date.now();
      await ctx.close();
      if (i === 0) continue; // the first run warms the api (first camera frames, JIT); not counted
      login.push(t1 - t0);
      signed.push(t3 - t2);
      video.push(t4 - t2);
    }
    console.log(`\nconsole load from the api on loopback (${runs} cold loads, fresh browser context each; target ${TARGET_MS} ms)`);
    for (const [name, xs] of [['login page', login], ['sign-in -> dashboard', signed], ['sign-in -> first live frame', video]] as const) {
      const p50 = pct(xs, 0.5);
      const p95 = pct(xs, 0.95);
      console.log(`  ${name.padEnd(28)} p50 ${String(p50).padStart(5)} ms  p95 ${String(p95).padStart(5)} ms  p95/target ${(p95 / TARGET_MS).toFixed(2)}`);
    }
  } finally {
    await browser.close();
    api.kill('SIGTERM');
    await new Promise((r) => api.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
