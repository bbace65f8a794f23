// Auth end to end on a real (small) Nest app over loopback HTTP and socket.io: SQLite in a temp dir, the real
// AuthModule (global guard, sessions, users), a real OpenID provider in a child process.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, Module, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import { AppConfigModule, loadConfig } from '@crowdsafe/server-config';
import { AdminAccess, OperatorAccess, Public, ViewerAccess } from '@crowdsafe/server-core';
import { DatabaseModule, SystemLogRepository } from '@crowdsafe/server-database';
import { driveOidcLogin, startOidcProvider, type OidcProviderProcess } from '../testing/oidc-provider.test-util';
import { AuthModule } from './auth.module';
import { WsAuthAdapter } from './ws-auth.adapter';

jest.setTimeout(120_000);

const ADMIN_PW = 'harbour-lights-at-dusk-42';
const USER_PW = 'copper-lantern-drifts-north-9';

@Controller('probe')
class ProbeController {
  @Public() @Get('public') pub() { return { ok: true }; }
  @ViewerAccess() @Get('viewer') viewer() { return { ok: true }; }
  @OperatorAccess() @Get('operator') operator() { return { ok: true }; }
  @AdminAccess() @Get('admin') admin() { return { ok: true }; }
}

@WebSocketGateway({ namespace: '/probe' })
class ProbeGateway {
  @ViewerAccess() @SubscribeMessage('ping') ping() { return 'pong'; }
  @AdminAccess() @SubscribeMessage('admin_ping') adminPing() { return 'admin-pong'; }
}

@Controller('bad')
class UndeclaredController {
  @Get() oops() { return 'should never be reachable'; }
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (a && typeof a === 'object' ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

interface TestApp {
  app: NestExpressApplication;
  base: string;
  dir: string;
  close(): Promise<void>;
}

async function startApp(env: Record<string, string> = {}, opts: { port?: number; controllers?: Array<new () => unknown> } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'cs-auth-'));
  const config = loadConfig(
    { DATA_DIR: dir, AUTH_BCRYPT_COST: '4', INITIAL_ADMIN_USERNAME: 'admin', INITIAL_ADMIN_PASSWORD: ADMIN_PW, AUTH_SOCKET_CHECK_INTERVAL_MS: '200', ...env },
    dir,
  );
  @Module({
    imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(config), AuthModule.forRoot(config)],
    controllers: [ProbeController, ...(opts.controllers ?? [])],
    providers: [ProbeGateway],
  })
  class TestModule {}
  const app = await NestFactory.create<NestExpressApplication>(TestModule, { logger: false, abortOnError: false });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.useWebSocketAdapter(new WsAuthAdapter(app));
  try {
    await app.listen(opts.port ?? 0, '127.0.0.1');
  } catch (err) {
    await app.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const port = (app.getHttpServer().address() as { port: number }).port;
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    dir,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
  cookie: string | undefined;
}

/** One request helper per spec: adding auth is the `token` option. */
async function call<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  o: { token?: string; body?: unknown; cookie?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const res = await fetch(`${base}${path}`, {
    method,
    redirect: 'manual',
    headers: {
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(o.cookie ? { cookie: o.cookie } : {}),
      ...o.headers,
    },
    body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
  });
  const text = await res.text();
  const json = (): unknown => {
    try {
      return text ? JSON.parse(text) : {};
    } catch {
      return { text };
    }
  };
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('cs_refresh='));
  return { status: res.status, body: json() as T, headers: res.headers, cookie: setCookie };
}

const withTimeout = <T>(p: Promise<T>, what: string, ms = 10_000): Promise<T> =>
  Promise.race([p, new Promise<T>((_r, rej) => setTimeout(() => rej(new Error(`timed out: ${what}`)), ms).unref())]);

const cookiePair = (setCookie: string | undefined) => (setCookie ?? '').split(';')[0];

async function login(base: string, username: string, password: string): Promise<{ token: string; cookie: string; body: Record<string, unknown> }> {
  const r = await call(base, 'POST', '/api/auth/login', { body: { username, password } });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return { token: r.body['accessToken'] as string, cookie: cookiePair(r.cookie), body: r.body };
}

async function createUser(base: string, adminToken: string, username: string, role: string, password = USER_PW): Promise<{ id: string; password: string }> {
  const r = await call(base, 'POST', '/api/users', { token: adminToken, body: { username, role, password } });
  if (r.status !== 201) throw new Error(`create ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return { id: r.body['id'] as string, password };
}

const refresh = (base: string, cookie: string, headers: Record<string, string> = { 'x-csrf': '1' }) => call(base, 'POST', '/api/auth/refresh', { cookie, headers });

describe('auth: local accounts, sessions, roles, sockets (embedded store)', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startApp({ AUTH_LOCKOUT_THRESHOLD: '3', AUTH_LOCKOUT_BASE_S: '60' });
    admin = (await login(t.base, 'admin', ADMIN_PW)).token;
  });
  afterAll(() => t?.close());

  it('login returns the contract shape and an httpOnly strict refresh cookie; the JWT secret file is 0600', async () => {
    const r = await call(t.base, 'POST', '/api/auth/login', { body: { username: 'Admin', password: ADMIN_PW } });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      accessToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 86400,
      user: { id: expect.any(String), username: 'admin', fullName: null, email: null, role: 'admin', mustChangePassword: false },
    });
    expect(r.cookie).toMatch(/^cs_refresh=[0-9a-f-]{36}\.[A-Za-z0-9_-]{43};/);
    expect(r.cookie).toMatch(/HttpOnly/);
    expect(r.cookie).toMatch(/SameSite=Strict/);
    expect(r.cookie).toMatch(/Path=\/api\/auth/);
    expect(r.cookie).toMatch(/Max-Age=604800/);
    expect(r.cookie).not.toMatch(/Secure/);
    expect(statSync(join(t.dir, 'jwt-secret')).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['wrong password', { username: 'admin', password: 'not-the-password-at-all' }, 401, 'Invalid username or password'],
    ['unknown user', { username: 'nobody', password: 'whatever-it-is-here' }, 401, 'Invalid username or password'],
    ['empty body', {}, 400, /username/],
    ['username too long', { username: 'x'.repeat(65), password: 'p' }, 400, /username/],
  ])('login refused: %s', async (_n, body, status, message) => {
    const r = await call(t.base, 'POST', '/api/auth/login', { body });
    expect(r.status).toBe(status);
    expect(JSON.stringify(r.body['message'])).toMatch(message);
  });

  it('roles: 401 without/with a bad token, 403 naming the role, 200 when allowed', async () => {
    const viewer = await createUser(t.base, admin, 'vera', 'viewer');
    const operator = await createUser(t.base, admin, 'otto', 'operator');
    const v = (await login(t.base, 'vera', viewer.password)).token;
    const o = (await login(t.base, 'otto', operator.password)).token;
    const expectations: Array<[string, string | undefined, number, string?]> = [
      ['/api/probe/public', undefined, 200],
      ['/api/probe/viewer', undefined, 401, 'Authentication required'],
      ['/api/probe/viewer', 'garbage.token.here', 401, 'Invalid access token'],
      ['/api/probe/viewer', v, 200],
      ['/api/probe/operator', v, 403, 'Requires role: admin or operator'],
      ['/api/probe/admin', v, 403, 'Requires role: admin'],
      ['/api/probe/operator', o, 200],
      ['/api/probe/admin', o, 403, 'Requires role: admin'],
      ['/api/probe/admin', admin, 200],
      ['/api/users', o, 403, 'Requires role: admin'],
    ];
    for (const [path, token, status, message] of expectations) {
      const r = await call(t.base, 'GET', path, { token });
      expect([path, r.status]).toEqual([path, status]);
      if (message) expect(r.body).toMatchObject({ statusCode: status, message });
    }
  });

  it('refresh rotates the cookie; replaying a rotated token revokes the whole session', async () => {
    const s = await login(t.base, 'admin', ADMIN_PW);
    expect((await refresh(t.base, s.cookie, {})).status).toBe(403);
    expect((await refresh(t.base, s.cookie, { 'x-csrf': '1', origin: 'https://evil.example' })).status).toBe(403);
    const r1 = await refresh(t.base, s.cookie);
    expect(r1.status).toBe(200);
    expect(r1.body).toMatchObject({ tokenType: 'Bearer', user: { username: 'admin', role: 'admin' } });
    const c2 = cookiePair(r1.cookie);
    expect(c2).not.toBe(s.cookie);
    expect((await call(t.base, 'GET', '/api/auth/me', { token: r1.body['accessToken'] as string })).status).toBe(200);
    const replay = await refresh(t.base, s.cookie);
    expect(replay.status).toBe(401);
    expect(replay.body['message']).toMatch(/reused/);
    expect((await refresh(t.base, c2)).status).toBe(401);
    expect((await call(t.base, 'GET', '/api/auth/me', { token: r1.body['accessToken'] as string })).status).toBe(401);
    expect((await call(t.base, 'GET', '/api/auth/me', { token: s.token })).status).toBe(401);
    expect((await refresh(t.base, 'cs_refresh=garbage')).status).toBe(401);
  });

  it('logout revokes access and refresh token and clears the cookie', async () => {
    const s = await login(t.base, 'admin', ADMIN_PW);
    const out = await call(t.base, 'POST', '/api/auth/logout', { token: s.token, cookie: s.cookie });
    expect(out.status).toBe(204);
    expect(out.cookie).toMatch(/cs_refresh=;/);
    const me = await call(t.base, 'GET', '/api/auth/me', { token: s.token });
    expect(me.status).toBe(401);
    expect(me.body['message']).toMatch(/signed out/);
    expect((await refresh(t.base, s.cookie)).status).toBe(401);
    expect((await call(t.base, 'GET', '/api/auth/me', { token: admin })).status).toBe(200); // other sessions live on
  });

  it('lockout after repeated failures (423 + Retry-After), admin reset, forced password change', async () => {
    const u = await createUser(t.base, admin, 'locky', 'viewer');
    const bad = () => call(t.base, 'POST', '/api/auth/login', { body: { username: 'locky', password: 'definitely-wrong-pass' } });
    expect((await bad()).status).toBe(401);
    expect((await bad()).status).toBe(401);
    const third = await bad();
    expect(third.status).toBe(423);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(50);
    expect(third.body['message']).toMatch(/locked.*try again in \d+ s/);
    const right = await call(t.base, 'POST', '/api/auth/login', { body: { username: 'locky', password: u.password } });
    expect(right.status).toBe(423);

    const activity = await call<{ items: Array<{ action: string }> }>(t.base, 'GET', `/api/users/${u.id}/activity`, { token: admin });
    expect(activity.body.items.map((i) => i.action)).toEqual(expect.arrayContaining(['auth.lockout', 'auth.login_failed']));

    const reset = await call(t.base, 'POST', `/api/users/${u.id}/reset-password`, { token: admin });
    expect(reset.status).toBe(200);
    const temp = reset.body['temporaryPassword'] as string;
    const s = await login(t.base, 'locky', temp);
    expect(s.body['user']).toMatchObject({ mustChangePassword: true });
    expect(await call(t.base, 'GET', '/api/probe/viewer', { token: s.token })).toMatchObject({ status: 403, body: { message: 'Password change required' } });
    expect((await call(t.base, 'GET', '/api/auth/me', { token: s.token })).status).toBe(200);
    const weak = await call(t.base, 'POST', '/api/auth/change-password', { token: s.token, body: { currentPassword: temp, newPassword: 'password1234' } });
    expect(weak).toMatchObject({ status: 400, body: { message: expect.stringMatching(/too common/) } });
    const wrongCurrent = await call(t.base, 'POST', '/api/auth/change-password', { token: s.token, body: { currentPassword: 'nope-nope-nope', newPassword: 'granite-owl-sings-softly' } });
    expect(wrongCurrent.status).toBe(400);
    expect((await call(t.base, 'POST', '/api/auth/change-password', { token: s.token, body: { currentPassword: temp, newPassword: 'granite-owl-sings-softly' } })).status).toBe(204);
    expect((await call(t.base, 'GET', '/api/probe/viewer', { token: s.token })).status).toBe(200);
    expect((await login(t.base, 'locky', 'granite-owl-sings-softly')).body['user']).toMatchObject({ mustChangePassword: false });
  });

  it('user management: validation, conflicts, last admin, role change ends sessions', async () => {
    const me = await call(t.base, 'GET', '/api/auth/me', { token: admin });
    const adminId = me.body['id'] as string;
    expect(me.body).toMatchObject({ username: 'admin', role: 'admin', authProvider: 'local' });
    expect((await call(t.base, 'PATCH', `/api/users/${adminId}`, { token: admin, body: { role: 'viewer' } })).status).toBe(409);
    expect((await call(t.base, 'PATCH', `/api/users/${adminId}`, { token: admin, body: { isActive: false } })).status).toBe(409);
    expect((await call(t.base, 'DELETE', `/api/users/${adminId}`, { token: admin })).status).toBe(400);
    expect((await call(t.base, 'POST', '/api/users', { token: admin, body: { username: 'weak', role: 'viewer', password: 'short' } })).status).toBe(400);
    expect((await call(t.base, 'POST', '/api/users', { token: admin, body: { username: 'x', role: 'superuser' } })).status).toBe(400);
    expect((await call(t.base, 'POST', '/api/users', { token: admin, body: { username: 'vera', role: 'viewer' } })).status).toBe(409);
    expect((await call(t.base, 'GET', '/api/users/not-a-uuid', { token: admin })).status).toBe(400);
    const gen = await call(t.base, 'POST', '/api/users', { token: admin, body: { username: 'gina', role: 'operator', email: 'gina@example.org' } });
    expect(gen.status).toBe(201);
    expect(gen.body).toMatchObject({ username: 'gina', role: 'operator', mustChangePassword: true, temporaryPassword: expect.any(String) });
    expect(JSON.stringify(gen.body)).not.toMatch(/passwordHash|\$2[aby]\$/);

    const g = await login(t.base, 'gina', gen.body['temporaryPassword'] as string);
    const patched = await call(t.base, 'PATCH', `/api/users/${gen.body['id']}`, { token: admin, body: { role: 'viewer', fullName: 'Gina G' } });
    expect(patched.body).toMatchObject({ role: 'viewer', fullName: 'Gina G' });
    expect((await call(t.base, 'GET', '/api/auth/me', { token: g.token })).status).toBe(401);

    const second = await createUser(t.base, admin, 'adele', 'admin');
    expect((await call(t.base, 'PATCH', `/api/users/${adminId}`, { token: admin, body: { role: 'operator' } })).status).toBe(200);
    const a2 = (await login(t.base, 'adele', second.password)).token;
    expect((await call(t.base, 'PATCH', `/api/users/${adminId}`, { token: a2, body: { role: 'admin' } })).status).toBe(200);
    admin = (await login(t.base, 'admin', ADMIN_PW)).token;
    expect((await call(t.base, 'DELETE', `/api/users/${second.id}`, { token: admin })).status).toBe(204);
    const list = await call<Array<{ username: string }>>(t.base, 'GET', '/api/users', { token: admin });
    expect(list.body.map((u) => u.username)).toEqual(expect.arrayContaining(['admin', 'gina', 'vera']));
    expect(list.body.map((u) => u.username)).not.toContain('adele');
  });

  it('websocket: handshake needs a token, events check roles, logout disconnects', async () => {
    const refused = io(`${t.base}/probe`, { transports: ['websocket'], reconnection: false });
    await expect(new Promise((res) => refused.on('connect_error', (e) => res(e.message)))).resolves.toBe('unauthorized');
    refused.close();

    await createUser(t.base, admin, 'wendy', 'viewer');
    const v = await login(t.base, 'wendy', USER_PW);
    const socket: ClientSocket = io(`${t.base}/probe`, { transports: ['websocket'], reconnection: false, auth: { token: v.token } });
    await new Promise<void>((res, rej) => {
      socket.on('connect', () => res());
      socket.on('connect_error', rej);
    });
    await expect(socket.timeout(5000).emitWithAck('ping', {})).resolves.toBe('pong');
    const exception = new Promise((res) => socket.once('exception', res));
    socket.emit('admin_ping', {});
    await expect(withTimeout(exception, 'exception event')).resolves.toMatchObject({ message: 'Requires role: admin' });
    const disconnected = new Promise((res) => socket.on('disconnect', res));
    expect((await call(t.base, 'POST', '/api/auth/logout', { token: v.token })).status).toBe(204);
    await expect(withTimeout(disconnected, 'disconnect after logout')).resolves.toBe('io server disconnect');
    socket.close();
  });
});

describe('auth: inactivity timeout (server-side)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startApp({ AUTH_INACTIVITY_TIMEOUT_S: '2' })));
  afterAll(() => t?.close());

  it('activity keeps the session alive; idle longer than the timeout -> 401, refresh refused, socket dropped', async () => {
    const s = await login(t.base, 'admin', ADMIN_PW);
    const socket = io(`${t.base}/probe`, { transports: ['websocket'], reconnection: false, auth: { token: s.token } });
    await new Promise<void>((res, rej) => {
      socket.on('connect', () => res());
      socket.on('connect_error', rej);
    });
    const dropped = new Promise((res) => socket.on('disconnect', res));
    for (let i = 0; i < 6; i++) {
      expect((await call(t.base, 'GET', '/api/probe/viewer', { token: s.token })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
    }
    await new Promise((r) => setTimeout(r, 3500));
    const r = await call(t.base, 'GET', '/api/probe/viewer', { token: s.token });
    expect(r).toMatchObject({ status: 401, body: { statusCode: 401, message: 'Session expired after inactivity' } });
    const rr = await refresh(t.base, s.cookie);
    expect(rr).toMatchObject({ status: 401, body: { message: 'Session expired after inactivity' } });
    await expect(dropped).resolves.toBe('io server disconnect');
    socket.close();
  });
});

describe('auth: trusted proxy headers', () => {
  const headers = (user: string, groups: string) => ({ 'x-forwarded-user': user, 'x-forwarded-groups': groups, 'x-forwarded-email': `${user}@example.org` });

  it('accepted from a trusted peer (JIT user, mapped role)', async () => {
    const t = await startApp({ AUTH_PROXY_ENABLED: 'true', AUTH_PROXY_TRUSTED_CIDRS: '127.0.0.0/8,::1', OIDC_OPERATOR_GROUPS: 'control-room', OIDC_ADMIN_GROUPS: 'cs-admins' });
    try {
      expect((await call(t.base, 'GET', '/api/probe/operator', { headers: headers('Carol', 'staff,control-room') })).status).toBe(200);
      expect((await call(t.base, 'GET', '/api/probe/admin', { headers: headers('Carol', 'staff,control-room') })).status).toBe(403);
      expect((await call(t.base, 'GET', '/api/probe/viewer', { headers: headers('mallory', 'staff') })).status).toBe(403); // default deny
      const admin = (await login(t.base, 'admin', ADMIN_PW)).token;
      const users = await call<Array<{ username: string; role: string; authProvider: string; email: string }>>(t.base, 'GET', '/api/users', { token: admin });
      expect(users.body.find((u) => u.username === 'carol')).toMatchObject({ role: 'operator', authProvider: 'proxy', email: 'Carol@example.org' });
      // the SPA gets a normal session from the proxy identity
      const r = await call(t.base, 'POST', '/api/auth/refresh', { headers: { ...headers('Carol', 'control-room'), 'x-csrf': '1' } });
      expect(r).toMatchObject({ status: 200, body: { user: { username: 'carol', role: 'operator' } } });
    } finally {
      await t.close();
    }
  });

  it('ignored and logged from an untrusted peer', async () => {
    const t = await startApp({ AUTH_PROXY_ENABLED: 'true', AUTH_PROXY_TRUSTED_CIDRS: '10.0.0.0/8', OIDC_ADMIN_GROUPS: 'cs-admins' });
    try {
      const r = await call(t.base, 'GET', '/api/probe/admin', { headers: headers('root', 'cs-admins') });
      expect(r.status).toBe(401);
      const logs = await t.app.get(SystemLogRepository).query({ action: 'auth.proxy_untrusted' });
      expect(logs.total).toBe(1);
      expect(logs.items[0].message).toMatch(/untrusted peer .*127\.0\.0\.1/);
      const admin = (await login(t.base, 'admin', ADMIN_PW)).token;
      const users = await call<Array<{ username: string }>>(t.base, 'GET', '/api/users', { token: admin });
      expect(users.body.map((u) => u.username)).toEqual(['admin']);
    } finally {
      await t.close();
    }
  });
});

describe('auth: startup refuses undeclared handlers', () => {
  it('lists the handler and does not start', async () => {
    await expect(startApp({}, { controllers: [UndeclaredController] })).rejects.toThrow(/UndeclaredController\.oops \(GET \/bad\)/);
  });
});

describe('auth: OpenID Connect against a real provider (oidc-provider, code + PKCE)', () => {
  let idp: OidcProviderProcess;
  let t: TestApp;

  beforeAll(async () => {
    const [idpPort, apiPort] = [await freePort(), await freePort()];
    const redirectUri = `http://127.0.0.1:${apiPort}/api/auth/oidc/callback`;
    idp = await startOidcProvider({
      port: idpPort,
      clientId: 'crowdsafe',
      clientSecret: 'crowdsafe-test-secret-0123456789',
      redirectUri,
      accounts: {
        alice: { name: 'Alice Ops', email: 'alice@example.org', groups: ['staff', 'cs-ops'] },
        bob: { name: 'Bob Boss', email: 'bob@example.org', groups: ['cs-admins'] },
        eve: { name: 'Eve', email: 'eve@example.org', groups: ['staff'] },
      },
    });
    t = await startApp(
      {
        OIDC_ISSUER_URL: idp.issuer,
        OIDC_CLIENT_ID: 'crowdsafe',
        OIDC_CLIENT_SECRET: 'crowdsafe-test-secret-0123456789',
        OIDC_REDIRECT_URI: redirectUri,
        OIDC_NAME: 'Test IdP',
        OIDC_ADMIN_GROUPS: 'cs-admins',
        OIDC_OPERATOR_GROUPS: 'cs-ops',
        OIDC_DEFAULT_ROLE: 'deny',
      },
      { port: apiPort },
    );
  });
  afterAll(async () => {
    await t?.close();
    await idp?.stop();
  });

  const ssoLogin = async (user: string) => {
    const done = (l: URL) => l.origin === t.base && l.pathname === '/';
    return driveOidcLogin(`${t.base}/api/auth/oidc/login`, user, done);
  };

  it('providers advertises SSO', async () => {
    expect((await call(t.base, 'GET', '/api/auth/providers')).body).toEqual({ local: true, oidc: { enabled: true, name: 'Test IdP' } });
  });

  it.each([
    ['alice', 'operator'],
    ['bob', 'admin'],
  ])('%s signs in, is created just in time with role %s, then refreshes to an access token', async (user, role) => {
    const { location, jar } = await ssoLogin(user);
    expect(location.search).toBe('?sso=1');
    const cookie = `cs_refresh=${jar.get(t.base, 'cs_refresh')}`;
    const r = await refresh(t.base, cookie);
    expect(r).toMatchObject({ status: 200, body: { user: { username: user, role } } });
    const me = await call(t.base, 'GET', '/api/auth/me', { token: r.body['accessToken'] as string });
    expect(me.body).toMatchObject({ username: user, role, authProvider: 'oidc', email: `${user}@example.org` });
    expect((await call(t.base, 'GET', '/api/probe/operator', { token: r.body['accessToken'] as string })).status).toBe(200);
  });

  it('a second login reuses the account; a user without a mapped group is refused', async () => {
    await ssoLogin('alice');
    const admin = (await login(t.base, 'admin', ADMIN_PW)).token;
    const users = await call<Array<{ username: string }>>(t.base, 'GET', '/api/users', { token: admin });
    expect(users.body.filter((u) => u.username === 'alice')).toHaveLength(1);
    const { location, jar } = await ssoLogin('eve');
    expect(location.searchParams.get('sso_error')).toMatch(/No CrowdSafe role/);
    expect(jar.get(t.base, 'cs_refresh')).toBeUndefined();
  });

  it('a callback without the state cookie is refused', async () => {
    const r = await call(t.base, 'GET', '/api/auth/oidc/callback?code=abc&state=def');
    expect(r.status).toBe(302);
    expect(r.headers.get('location')).toMatch(/sso_error=/);
  });
});
