#!/usr/bin/env node
// Browser e2e harness: starts the BUILT product on its embedded default (fresh SQLite, in-process inference,
// the sample camera) on a free port, runs the Playwright suite in Chromium against it, then stops it.
// Needs: npm run build:server, nx run web:build, models/yolo11n.onnx and media/sample.mp4 (./crowdsafe setup).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
const artifacts = join(root, 'e2e', 'artifacts');
mkdirSync(artifacts, { recursive: true });

for (const f of ['dist/server/apps/api/src/main.js', 'dist/web/browser/index.html']) {
  if (!existsSync(f)) {
    console.error(`e2e: ${f} is missing; build first (npm run build:server && npx nx run web:build)`);
    process.exit(1);
  }
}

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const dataDir = join(root, 'tmp', 'e2e-data');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });

const env = { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', NODE_ENV: 'production' };
// Production requires SECRETS_KEY (secrets at rest); the browser suite logs in far more often than the per-IP limits allow.
env.SECRETS_KEY ??= randomBytes(32).toString('base64');
env.RATE_LIMIT_ENABLED ??= 'false';
// Auth: a known initial admin for the browser suite (e2e/support/console.ts reads E2E_ADMIN_*).
env.INITIAL_ADMIN_USERNAME ??= 'admin';
env.INITIAL_ADMIN_PASSWORD ??= `e2e-harbour-${randomBytes(8).toString('hex')}`;
// Web push (e2e/tests/push.e2e.ts): a fresh VAPID key pair, so the console can subscribe against this server.
if (!env.VAPID_PUBLIC_KEY) {
  const { default: webpush } = await import('web-push');
  const keys = webpush.generateVAPIDKeys();
  env.VAPID_PUBLIC_KEY = keys.publicKey;
  env.VAPID_PRIVATE_KEY = keys.privateKey;
  env.VAPID_SUBJECT = 'mailto:e2e@example.org';
}
// The suite's secrets-scan stage (tools/test-all.mjs) checks that none of these reach a log.
writeFileSync(join(artifacts, 'secrets.json'), JSON.stringify({ SECRETS_KEY: env.SECRETS_KEY, INITIAL_ADMIN_PASSWORD: env.INITIAL_ADMIN_PASSWORD, VAPID_PRIVATE_KEY: env.VAPID_PRIVATE_KEY }));
delete env.DATABASE_URL;
delete env.REDIS_URL;
const log = createWriteStream(join(artifacts, 'api.log'));
const api = spawn('node', ['dist/server/apps/api/src/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
api.stdout.pipe(log);
api.stderr.pipe(log);
let exited = false;
api.on('exit', () => (exited = true));

const base = `http://127.0.0.1:${port}`;
const deadline = Date.now() + 90_000;
let up = false;
while (!up && !exited && Date.now() < deadline) {
  try {
    up = (await fetch(`${base}/api/health`)).ok;
  } catch {
    /* not yet listening */
  }
  if (!up) await new Promise((r) => setTimeout(r, 500));
}
if (!up) {
  console.error(`e2e: the api did not come up on ${base} (see e2e/artifacts/api.log)`);
  api.kill('SIGKILL');
  process.exit(1);
}
console.log(`e2e: api up on ${base}`);

// Extra arguments go to Playwright (e.g. a spec file or --grep).
const r = spawnSync('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, E2E_BASE_URL: base, E2E_ADMIN_USERNAME: env.INITIAL_ADMIN_USERNAME, E2E_ADMIN_PASSWORD: env.INITIAL_ADMIN_PASSWORD },
});

api.kill('SIGTERM');
await new Promise((resolve) => {
  const t = setTimeout(() => {
    api.kill('SIGKILL');
    resolve();
  }, 10_000);
  api.on('exit', () => {
    clearTimeout(t);
    resolve();
  });
  if (exited) resolve();
});
process.exit(r.status ?? 1);
