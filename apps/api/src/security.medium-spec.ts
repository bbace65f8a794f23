// Protection of a real api process (SQLite + real Redis for the rate-limit counters): security headers and CSP,
// CORS refusal, CSRF refusal on cookie-authenticated requests, JSON errors for bad bodies and unknown routes,
// per-IP rate limits with Retry-After (X-Forwarded-For believed from the trusted loopback proxy), the audit trail,
// and no configured secret in any log line the process wrote.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Redis from 'ioredis';
import { MODEL, REDIS_URL, freePort, runTs, waitUntil, type RunningProcess } from './testing/processes.test-util';

jest.setTimeout(120_000);

const SECRETS = {
  SECRETS_KEY: Buffer.alloc(32, 0x5e).toString('base64'),
  JWT_SECRET: 'jwt-secret-Zq8vN3-should-never-be-logged-0123456789',
  SMTP_PASS: 'smtp-Pw-7hX2-never-logged',
  CAMERA_PASSWORD: 'CamPw-4kQ9-never-logged',
};

describe('api protection (headers, CORS, CSRF, body errors, rate limits, audit)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-sec-'));
  const prefix = `cs-test-sec-${process.pid}-${Date.now()}`;
  let api: RunningProcess;
  let base = '';
  let redis: Redis;

  /** One place to add authentication to every request of this file. */
  const call = (path: string, init: RequestInit & { ip?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.ip) headers.set('X-Forwarded-For', init.ip);
    return fetch(`${base}${path}`, { ...init, headers, redirect: 'manual' });
  };

  beforeAll(async () => {
    const web = join(dir, 'web');
    mkdirSync(web);
    writeFileSync(join(web, 'index.html'), '<!doctype html><html><head><script type="module" src="main.js"></script></head><body><cs-root></cs-root></body></html>');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = runTs('apps/api/src/main.ts', {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      MODEL_PATH: MODEL,
      SAMPLE_CAMERA: 'false',
      WEB_DIST: web,
      LOG_LEVEL: 'debug',
      CORS_ORIGINS: 'http://allowed.example',
      TRUSTED_PROXIES: 'loopback',
      RATE_LIMIT_API_PER_MIN: '20',
      RATE_LIMIT_LOGIN_PER_MIN: '3',
      SECRETS_KEY: SECRETS.SECRETS_KEY,
      JWT_SECRET: SECRETS.JWT_SECRET,
      SMTP_HOST: '127.0.0.1',
      SMTP_USER: 'mailer',
      SMTP_PASS: SECRETS.SMTP_PASS,
      SMTP_FROM: 'crowdsafe@example.test',
    });
    await api.waitFor(/CrowdSafe is running/, 90_000);
    redis = new Redis(REDIS_URL);
  });

  afterAll(async () => {
    await api?.stop();
    if (redis) {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends security headers and a strict CSP on API responses', async () => {
    const r = await call('/api/health');
    expect(r.status).toBe(200);
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/connect-src 'self' ws:\/\/127\.0\.0\.1:\d+ wss:/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('x-powered-by')).toBeNull();
  });

  it('serves the console with a per-response nonce matching its CSP', async () => {
    const pages = await Promise.all([call('/'), call('/dashboard'), call('/index.html')]);
    const nonces = new Set<string>();
    for (const r of pages) {
      expect(r.status).toBe(200);
      const html = await r.text();
      const nonce = /ngCspNonce="([^"]+)"/.exec(html)?.[1] ?? '';
      expect(nonce).not.toBe('');
      expect(r.headers.get('content-security-policy')).toContain(`'nonce-${nonce}'`);
      nonces.add(nonce);
    }
    expect(nonces.size).toBe(3);
  });

  it('refuses cross-origin browsers not in CORS_ORIGINS and allows the listed one', async () => {
    const preflight = (origin: string) =>
      call('/api/cameras', { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' } });
    const evil = await preflight('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const ok = await preflight('http://allowed.example');
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://allowed.example');
    const simple = await call('/api/health', { headers: { Origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses cookie-authenticated requests without X-CSRF or from a foreign origin', async () => {
    const refresh = (headers: Record<string, string>) => call('/api/auth/refresh', { method: 'POST', headers: { Cookie: 'cs_refresh=abc.def', ...headers } });
    const noHeader = await refresh({});
    expect(noHeader.status).toBe(403);
    await expect(noHeader.json()).resolves.toMatchObject({ statusCode: 403, message: expect.stringMatching(/CSRF.*X-CSRF: 1/) });
    const foreign = await refresh({ 'X-CSRF': '1', Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    await expect(foreign.json()).resolves.toMatchObject({ message: expect.stringMatching(/cross-site origin/) });
    // Same origin with the header passes the CSRF check (the handler then judges the token itself).
    const same = await refresh({ 'X-CSRF': '1', Origin: base });
    const body = (await same.json()) as { message?: string };
    expect(String(body.message)).not.toMatch(/CSRF check failed/);
  });

  it.each([
    { name: 'malformed JSON', body: '{"name": ', type: 'application/json', status: 400, message: /Malformed JSON/ },
    { name: 'a body over 1 MB', body: `{"name":"${'x'.repeat(1_100_000)}"}`, type: 'application/json', status: 413, message: /too large/ },
  ])('answers $name with a JSON $status', async ({ body, type, status, message }) => {
    const r = await call('/api/cameras', { method: 'POST', headers: { 'content-type': type }, body, ip: '198.51.100.1' });
    expect(r.status).toBe(status);
    expect(r.headers.get('content-type')).toMatch(/application\/json/);
    await expect(r.json()).resolves.toMatchObject({ statusCode: status, message: expect.stringMatching(message) });
  });

  it('answers an unknown /api route with a JSON 404', async () => {
    const r = await call('/api/no-such-thing/42', { ip: '198.51.100.2' });
    expect(r.status).toBe(404);
    await expect(r.json()).resolves.toMatchObject({ statusCode: 404 });
  });

  it('limits each client IP to RATE_LIMIT_API_PER_MIN with 429 + Retry-After, counted in Redis', async () => {
    const ip = '203.0.113.7';
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await call('/api/cameras', { ip })).status);
    expect(statuses.filter((s) => s === 429)).toEqual([]);
    const limited = await call('/api/cameras', { ip });
    expect(limited.status).toBe(429);
    const retry = Number(limited.headers.get('retry-after'));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    await expect(limited.json()).resolves.toMatchObject({ statusCode: 429, message: expect.stringMatching(/retry in \d+ s/) });
    // Another client is not affected; the counters live in Redis under the queue prefix with a TTL.
    expect((await call('/api/cameras', { ip: '203.0.113.8' })).status).not.toBe(429);
    const keys = await redis.keys(`${prefix}:rl:api:*`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    for (const k of keys) expect(await redis.pttl(k)).toBeGreaterThan(0);
  });

  it('limits login attempts per IP to RATE_LIMIT_LOGIN_PER_MIN', async () => {
    const ip = '203.0.113.9';
    const login = () =>
      call('/api/auth/login', { method: 'POST', ip, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody', password: 'wrong-password-1' }) });
    const first = [await login(), await login(), await login()].map((r) => r.status);
    expect(first).not.toContain(429);
    const fourth = await login();
    expect(fourth.status).toBe(429);
    expect(Number(fourth.headers.get('retry-after'))).toBeGreaterThan(0);
    await expect(fourth.json()).resolves.toMatchObject({ message: expect.stringMatching(/Too many login attempts; retry in \d+ s/) });
  });

  it('audits state-changing requests with the outcome, the client IP and a redacted body', async () => {
    const r = await call('/api/cameras', {
      method: 'POST',
      ip: '192.0.2.44',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'audit-cam', sourceType: 'rtsp', sourceUrl: `rtsp://admin:${SECRETS.CAMERA_PASSWORD}@10.9.8.7/s`, targetFps: 'fast' }),
    });
    expect(r.status).toBeGreaterThanOrEqual(400);
    const db = new Database(join(dir, 'crowdsafe.sqlite'), { readonly: true });
    try {
      const row = await waitUntil(
        () =>
          db.prepare(`SELECT * FROM system_logs WHERE category = 'audit' AND ip = '192.0.2.44'`).get() as
            | { action: string; message: string; resource_type: string; details: string; level: string }
            | undefined,
        10_000,
        'the audit row',
      );
      expect(row.action).toBe('POST /api/cameras');
      expect(row.resource_type).toBe('cameras');
      expect(row.level).toBe('warn');
      expect(row.message).toContain(`→ ${r.status}`);
      const details = JSON.parse(row.details) as { status: number; body: { sourceUrl: string; name: string } };
      expect(details.status).toBe(r.status);
      expect(details.body.name).toBe('audit-cam');
      expect(details.body.sourceUrl).toBe('rtsp://***@10.9.8.7/s');
      expect(row.details).not.toContain(SECRETS.CAMERA_PASSWORD);
    } finally {
      db.close();
    }
  });

  it('never writes a configured secret to its log', async () => {
    await api.stop();
    const out = api.output();
    expect(out).toContain('CrowdSafe is running');
    for (const [name, secret] of Object.entries(SECRETS)) {
      expect({ name, found: out.includes(secret) }).toEqual({ name, found: false });
    }
  });
});
