// Regression tests for the outside probe of issue #17, against a real api process (SQLite + real Redis sessions):
// the SSRF guard bypass through POST /api/cameras/test (backslash userinfo, HTTP redirects, cross-host HLS
// segments), sessions surviving a password change, stored camera credentials following a changed URL, and the
// low findings (atomic failed-login counter, per-session MJPEG cap, uniform login/camera-test answers, the live
// socket of a user who must change their password, risk thresholds through camera settings, Cache-Control).
//
// Network: every listener is on loopback. 127.0.0.1 and 127.0.0.2 are refused by the SSRF guard (loopback); only
// 127.0.0.3/32 is in CAMERA_ALLOWED_NETWORKS, standing in for a camera LAN. A "victim" listener counts connections:
// it must receive none. Nothing is sent to a routable address (203.0.113.1 in the payload is never contacted).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import Redis from 'ioredis';
import { io } from 'socket.io-client';
import { MODEL, REDIS_URL, freePort, runTs, type RunningProcess } from './testing/processes.test-util';
import { authHeaders, createUserWithRole, loginAs, TEST_AUTH_ENV, TEST_USER_PASSWORD } from './testing/auth.test-util';

jest.setTimeout(180_000);

/** A TCP listener that only counts connections (and the bytes it was sent). */
async function victim(host: string): Promise<{ port: number; connections: () => number; data: () => string; close: () => Promise<void> }> {
  let n = 0;
  let data = '';
  const server: Server = createServer((s) => {
    n++;
    s.on('data', (d: Buffer) => (data += d.toString('latin1')));
    s.on('error', () => undefined);
    setTimeout(() => s.destroy(), 200);
  });
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  const port = (server.address() as { port: number }).port;
  return { port, connections: () => n, data: () => data, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function httpServer(host: string, handler: Parameters<typeof createHttpServer>[1]): Promise<{ port: number; server: HttpServer }> {
  const server = createHttpServer(handler);
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  return { port: (server.address() as { port: number }).port, server };
}

describe('issue #17: the outside probe findings stay closed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-sec17-'));
  const media = join(dir, 'media');
  const prefix = `cs-test-sec17-${process.pid}-${Date.now()}`;
  let api: RunningProcess;
  let base = '';
  let admin = '';
  let operator = '';
  const closers: Array<() => Promise<void> | void> = [];

  const json = (token: string | null, method: string, path: string, body?: unknown) =>
    fetch(`${base}${path}`, {
      method,
      headers: { ...(token ? authHeaders(token) : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const login = (username: string, password: string) => json(null, 'POST', '/api/auth/login', { username, password });

  beforeAll(async () => {
    mkdirSync(media);
    writeFileSync(join(media, 'cam.mp4'), 'not really a video');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = runTs('apps/api/src/main.ts', {
      ...TEST_AUTH_ENV,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      MEDIA_DIR: media,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      MODEL_PATH: MODEL,
      SAMPLE_CAMERA: 'false',
      LOG_LEVEL: 'info',
      CAMERA_ALLOWED_NETWORKS: '127.0.0.3/32',
      RATE_LIMIT_API_PER_MIN: '100000',
      RATE_LIMIT_LOGIN_PER_MIN: '100000',
    });
    await api.waitFor(/CrowdSafe is running/, 120_000);
    admin = await loginAs(base);
    operator = (await createUserWithRole(base, admin, 'operator')).token;
  });

  afterAll(async () => {
    for (const c of closers.reverse()) await c();
    await api?.stop();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  // ---- 1. SSRF ----

  it.each([
    ['http', 'http://203.0.113.1\\@127.0.0.1:PORT/probe.mjpg'],
    ['hls', 'http://203.0.113.1\\@127.0.0.1:PORT/live.m3u8'],
    ['http', 'http://203.0.113.1\\\\@127.0.0.1:PORT/probe.mjpg'],
    ['http', 'http://user@203.0.113.1\\@127.0.0.1:PORT/probe.mjpg'],
  ])('POST /api/cameras/test refuses the backslash-userinfo bypass (%s %s) and never connects to loopback', async (sourceType, template) => {
    const target = await victim('127.0.0.1');
    closers.push(target.close);
    const sourceUrl = template.replace('PORT', String(target.port));
    const r = await json(operator, 'POST', '/api/cameras/test', { sourceType, sourceUrl, timeoutMs: 3000 });
    const body = (await r.json()) as { message?: string };
    await new Promise((res) => setTimeout(res, 300));
    // Before the fix: 1 connection (ffprobe read '203.0.113.1\\' as user info and opened 127.0.0.1).
    expect(target.connections()).toBe(0);
    expect(r.status).toBe(400);
    expect(String(body.message)).toMatch(/sourceUrl: a (http|hls) URL may not contain a backslash/);
  });

  it("refuses '@' inside the userinfo of a camera URL", async () => {
    const r = await json(operator, 'POST', '/api/cameras/test', { sourceType: 'rtsp', sourceUrl: 'rtsp://a@b:pw@127.0.0.3:554/x', timeoutMs: 2000 });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { message: string }).message).toMatch(/'@' inside the user name or password .* %40/);
  });

  it('does not follow an HTTP redirect from an allowed camera to a refused address', async () => {
    const target = await victim('127.0.0.2');
    closers.push(target.close);
    const redirector = await httpServer('127.0.0.3', (_req, res) => {
      res.writeHead(302, { Location: `http://127.0.0.2:${target.port}/probe.mjpg` });
      res.end();
    });
    closers.push(() => new Promise<void>((r) => redirector.server.close(() => r())));
    const r = await json(operator, 'POST', '/api/cameras/test', { sourceType: 'http', sourceUrl: `http://127.0.0.3:${redirector.port}/probe.mjpg`, timeoutMs: 3000 });
    expect(r.status).toBe(400);
    await new Promise((res) => setTimeout(res, 300));
    expect(target.connections()).toBe(0);
  });

  it('does not fetch HLS segments from another host than the playlist', async () => {
    const target = await victim('127.0.0.2');
    closers.push(target.close);
    const origin = await httpServer('127.0.0.3', (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/vnd.apple.mpegurl' });
      res.end(`#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.0,\nhttp://127.0.0.2:${target.port}/seg0.ts\n#EXTINF:2.0,\nhttp://127.0.0.2:${target.port}/seg1.ts\n`);
    });
    closers.push(() => new Promise<void>((r) => origin.server.close(() => r())));
    const r = await json(operator, 'POST', '/api/cameras/test', { sourceType: 'hls', sourceUrl: `http://127.0.0.3:${origin.port}/live.m3u8`, timeoutMs: 3000 });
    expect(r.status).toBe(400);
    await new Promise((res) => setTimeout(res, 300));
    expect(target.connections()).toBe(0);
  });

  // ---- 2. password change ----

  it("changing one's password ends every other session of the user (access and refresh), keeping the current one", async () => {
    const user = await createUserWithRole(base, admin, 'viewer');
    const a = await login(user.username, user.password);
    const b = await login(user.username, user.password);
    const tokenA = ((await a.json()) as { accessToken: string }).accessToken;
    const tokenB = ((await b.json()) as { accessToken: string }).accessToken;
    const cookieB = (b.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookieB).toMatch(/^cs_refresh=/);
    const changed = await json(tokenA, 'POST', '/api/auth/change-password', { currentPassword: user.password, newPassword: 'amber-signal-quietly-7-harbor' });
    expect(changed.status).toBe(204);
    expect((await json(tokenB, 'GET', '/api/auth/me')).status).toBe(401);
    expect((await json(user.token, 'GET', '/api/auth/me')).status).toBe(401);
    const refreshB = await fetch(`${base}/api/auth/refresh`, { method: 'POST', headers: { cookie: cookieB, 'x-csrf': '1' } });
    expect(refreshB.status).toBe(401);
    expect((await json(tokenA, 'GET', '/api/auth/me')).status).toBe(200);
  });

  // ---- 3. stored credentials ----

  it('PATCH keeps stored camera credentials only for the same scheme, host and port', async () => {
    const cam = await victim('127.0.0.3');
    const other = await victim('127.0.0.3');
    closers.push(cam.close, other.close);
    const created = await json(operator, 'POST', '/api/cameras', { name: `creds-${Date.now()}`, sourceType: 'rtsp', sourceUrl: `rtsp://viewer:S3cret-pw@127.0.0.3:${cam.port}/stream`, isActive: false });
    expect(created.status).toBe(201);
    const c = (await created.json()) as { id: string; sourceUrl: string; hasCredentials: boolean };
    expect(c.sourceUrl).toBe(`rtsp://***@127.0.0.3:${cam.port}/stream`);
    // Another port (or host, or scheme): the redacted '***' must not carry the stored password there.
    const moved = await json(operator, 'PATCH', `/api/cameras/${c.id}`, { sourceUrl: `rtsp://***@127.0.0.3:${other.port}/stream` });
    expect(moved.status).toBe(400);
    expect(((await moved.json()) as { message: string }).message).toMatch(/credentials/i);
    const movedScheme = await json(operator, 'PATCH', `/api/cameras/${c.id}`, { sourceType: 'http', sourceUrl: `http://***@127.0.0.3:${cam.port}/stream` });
    expect(movedScheme.status).toBe(400);
    // Same scheme/host/port, another path: kept.
    const samePlace = await json(operator, 'PATCH', `/api/cameras/${c.id}`, { sourceUrl: `rtsp://***@127.0.0.3:${cam.port}/other` });
    expect(samePlace.status).toBe(200);
    expect(((await samePlace.json()) as { hasCredentials: boolean }).hasCredentials).toBe(true);
    expect(other.data()).not.toContain('S3cret');
  });

  // ---- 4. low findings ----

  it('counts concurrent failed logins atomically: 20 parallel wrong passwords count 20 and lock the account', async () => {
    const user = await createUserWithRole(base, admin, 'viewer');
    const rs = await Promise.all(Array.from({ length: 20 }, () => login(user.username, 'wrong-password-123456')));
    expect(rs.every((r) => r.status === 401 || r.status === 423)).toBe(true);
    // Every attempt that got past the lock check was counted (none lost to a read-modify-write race).
    const db = new Database(join(dir, 'crowdsafe.sqlite'), { readonly: true, fileMustExist: true });
    const row = db.prepare('SELECT id, failed_login_count AS n FROM users WHERE username = ?').get(user.username) as { id: string; n: number };
    // Each attempt that passed the lock check and was refused wrote one auth.login_failed row.
    const failedAttempts = (db.prepare("SELECT COUNT(*) AS n FROM system_logs WHERE action = 'auth.login_failed' AND user_id = ?").get(row.id) as { n: number }).n;
    db.close();
    expect(failedAttempts).toBeGreaterThanOrEqual(5);
    expect(row.n).toBe(failedAttempts);
    // AUTH_LOCKOUT_THRESHOLD (5) failures lock it: the right password is refused now.
    const ok = await login(user.username, user.password);
    expect(ok.status).toBe(423);
  });

  it('answers a wrong password for an unknown username exactly as for an existing account (lockout included)', async () => {
    const user = await createUserWithRole(base, admin, 'viewer');
    const ghost = `ghost-${Date.now().toString(36)}`;
    const seq = async (username: string) => {
      const out: string[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await login(username, 'wrong-password-123456');
        const body = (await r.json()) as { message: string };
        out.push(`${r.status} ${body.message.replace(/\d+ s/, 'N s')} ${r.headers.get('retry-after') ? 'retry' : '-'}`);
      }
      return out;
    };
    const known = await seq(user.username);
    const unknown = await seq(ghost);
    expect(known.slice(-1)[0]).toMatch(/^423/);
    expect(unknown).toEqual(known);
  });

  it('POST /api/cameras/test does not reveal whether a file outside the media directories exists', async () => {
    const exists = await json(operator, 'POST', '/api/cameras/test', { sourceType: 'file', sourceUrl: '/etc/passwd' });
    const missing = await json(operator, 'POST', '/api/cameras/test', { sourceType: 'file', sourceUrl: '/etc/no-such-file-zz9' });
    const dirEntry = await json(operator, 'POST', '/api/cameras/test', { sourceType: 'file', sourceUrl: '/etc' });
    const bodies = await Promise.all([exists, missing, dirEntry].map(async (r) => `${r.status} ${((await r.json()) as { message: string }).message.replace(/\/etc\S*/g, 'PATH')}`));
    expect(bodies[0]).toMatch(/^400 /);
    expect(new Set(bodies).size).toBe(1);
  });

  it('refuses the live socket to a user who must change their password', async () => {
    const user = await createUserWithRole(base, admin, 'viewer');
    const users = (await (await json(admin, 'GET', '/api/users')).json()) as Array<{ id: string; username: string }>;
    const id = users.find((u) => u.username === user.username)?.id;
    const reset = await json(admin, 'POST', `/api/users/${id}/reset-password`);
    const { temporaryPassword } = (await reset.json()) as { temporaryPassword: string };
    const token = ((await (await login(user.username, temporaryPassword)).json()) as { accessToken: string }).accessToken;
    const outcome = await new Promise<string>((resolve) => {
      const socket = io(`${base}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
      const done = (what: string) => {
        socket.close();
        resolve(what);
      };
      socket.on('connect', () => setTimeout(() => done(socket.connected ? 'connected' : 'disconnected'), 500));
      socket.on('connect_error', (err) => done(`connect_error: ${err.message}`));
      setTimeout(() => done('timeout'), 10_000);
    });
    expect(outcome).toMatch(/^connect_error: .*password/i);
  });

  it('an operator cannot set or remove risk thresholds through camera settings (admin only)', async () => {
    const created = await json(operator, 'POST', '/api/cameras', { name: `risk-${Date.now()}`, sourceType: 'file', sourceUrl: 'cam.mp4', isActive: false, settings: { risk: { timeZone: 'Europe/London' } } });
    expect(created.status).toBe(403);
    const ok = await json(operator, 'POST', '/api/cameras', { name: `risk-${Date.now()}`, sourceType: 'file', sourceUrl: 'cam.mp4', isActive: false, settings: { detection: { confidence: 0.4 } } });
    expect(ok.status).toBe(201);
    const cam = (await ok.json()) as { id: string };
    const patch = await json(operator, 'PATCH', `/api/cameras/${cam.id}`, { settings: { risk: { timeZone: 'Europe/London' } } });
    expect(patch.status).toBe(403);
    expect(((await patch.json()) as { message: string }).message).toMatch(/settings\.risk.*admin/);
    const byAdmin = await json(admin, 'PATCH', `/api/cameras/${cam.id}`, { settings: { risk: { timeZone: 'Europe/London' } } });
    expect(byAdmin.status).toBe(200);
    // The operator may still tune detection; the admin's risk override is kept, not dropped.
    const tune = await json(operator, 'PATCH', `/api/cameras/${cam.id}`, { settings: { detection: { confidence: 0.5 } } });
    expect(tune.status).toBe(200);
    const after = (await tune.json()) as { settings: { risk?: unknown; detection?: unknown } };
    expect(after.settings.risk).toEqual({ timeZone: 'Europe/London' });
    expect(after.settings.detection).toEqual({ confidence: 0.5 });
  });

  it('one live ticket (one session) cannot take every MJPEG slot of a camera', async () => {
    const created = await json(operator, 'POST', '/api/cameras', { name: `mjpeg-${Date.now()}`, sourceType: 'file', sourceUrl: 'cam.mp4', isActive: false });
    expect(created.status).toBe(201);
    const cam = (await created.json()) as { id: string };
    const t = (await (await json(operator, 'POST', `/api/cameras/${cam.id}/live-ticket`)).json()) as { url: string };
    const aborts: AbortController[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const ac = new AbortController();
      aborts.push(ac);
      const r = await fetch(`${base}${t.url}`, { signal: ac.signal });
      statuses.push(r.status);
      if (r.status !== 200) await r.text();
    }
    // Another session still gets a slot.
    const t2 = (await (await json(admin, 'POST', `/api/cameras/${cam.id}/live-ticket`)).json()) as { url: string };
    const ac2 = new AbortController();
    aborts.push(ac2);
    const other = await fetch(`${base}${t2.url}`, { signal: ac2.signal });
    for (const ac of aborts) ac.abort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(4);
    expect(statuses.slice(4)).toEqual([429, 429, 429, 429]);
    expect(other.status).toBe(200);
  });

  it('sends Cache-Control: no-store on auth responses and on other responses that carry secrets', async () => {
    const ok = await login('admin', TEST_AUTH_ENV['INITIAL_ADMIN_PASSWORD'] ?? '');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toMatch(/no-store/);
    const bad = await login('admin', 'nope-nope-nope-nope');
    expect(bad.headers.get('cache-control')).toMatch(/no-store/);
    expect((await json(admin, 'GET', '/api/auth/me')).headers.get('cache-control')).toMatch(/no-store/);
    const viewer = await createUserWithRole(base, admin, 'viewer');
    const users = (await (await json(admin, 'GET', '/api/users')).json()) as Array<{ id: string; username: string }>;
    const id = users.find((u) => u.username === viewer.username)?.id;
    const reset = await json(admin, 'POST', `/api/users/${id}/reset-password`);
    expect(reset.headers.get('cache-control')).toMatch(/no-store/);
    expect(TEST_USER_PASSWORD).toBeTruthy();
  });
});
