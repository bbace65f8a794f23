// Redis (the distributed session store) going away under a running api: the real AuthModule on a small Nest app
// (SQLite in a temp dir) talks to the real Redis through a TCP relay this test can cut and restore. While Redis is
// unreachable, authenticated requests and logins answer 503 "Session store unavailable" (not 500, not a false
// 401), public routes keep working, the outage is logged once, and everything recovers when Redis is back.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Controller, Get, type LoggerService, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import Redis from 'ioredis';
import { AppConfigModule, loadConfig } from '@crowdsafe/server-config';
import { Public, ViewerAccess } from '@crowdsafe/server-core';
import { DatabaseModule } from '@crowdsafe/server-database';
import { AuthModule } from '../auth.module';

jest.setTimeout(120_000);

const REDIS = new URL(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
const ADMIN_PW = 'harbour-lights-at-dusk-42';

@Controller('probe')
class ProbeController {
  @Public() @Get('public') pub() { return { ok: true }; }
  @ViewerAccess() @Get('viewer') viewer() { return { ok: true }; }
}

/** A TCP relay to the real Redis that can be cut (listener closed, every connection destroyed) and restored. */
class Relay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(Number(REDIS.port || 6379), REDIS.hostname);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((res, rej) => server.once('error', rej).listen(this.port, '127.0.0.1', () => res()));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((res) => (server ? server.close(() => res()) : res()));
  }
}

/** Collects what the app logs (the one place the outage is reported). */
class CapturingLogger implements LoggerService {
  readonly errors: string[] = [];
  readonly logs: string[] = [];
  log(message: unknown): void {
    this.logs.push(String(message));
  }
  error(message: unknown): void {
    this.errors.push(String(message));
  }
  warn(): void {
    // not under test
  }
}

/** One request helper per spec: authentication is the `token` option. */
async function call(base: string, method: string, path: string, o: { token?: string; body?: unknown } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(o.token ? { authorization: `Bearer ${o.token}` } : {}), ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: o.body !== undefined ? JSON.stringify(o.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function until(what: string, ok: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('auth: the Redis session store going away (real Redis behind a relay)', () => {
  const relay = new Relay();
  const logger = new CapturingLogger();
  const prefix = `cs-test-outage-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(join(tmpdir(), 'cs-auth-outage-'));
  let app: NestExpressApplication;
  let base: string;

  beforeAll(async () => {
    await relay.up();
    const config = loadConfig(
      {
        DATA_DIR: dir,
        AUTH_BCRYPT_COST: '4',
        INITIAL_ADMIN_USERNAME: 'admin',
        INITIAL_ADMIN_PASSWORD: ADMIN_PW,
        REDIS_URL: `redis://127.0.0.1:${relay.port}`,
        QUEUE_PREFIX: prefix,
      },
      dir,
    );
    @Module({
      imports: [AppConfigModule.forRoot(config), DatabaseModule.forRoot(config), AuthModule.forRoot(config)],
      controllers: [ProbeController],
    })
    class TestModule {}
    app = await NestFactory.create<NestExpressApplication>(TestModule, { logger, abortOnError: false });
    app.setGlobalPrefix('api');
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await relay.up().catch(() => undefined);
    await app?.close();
    await relay.down();
    const redis = new Redis(REDIS.toString(), { maxRetriesPerRequest: 1 });
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    rmSync(dir, { recursive: true, force: true });
  });

  const outageLogs = () => logger.errors.filter((m) => m.startsWith('session store unavailable'));
  const recoveryLogs = () => logger.logs.filter((m) => m.startsWith('session store available again'));

  it('503 "Session store unavailable" while Redis is unreachable, logged once per outage, recovered when it is back', async () => {
    const login = await call(base, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PW } });
    expect(login.status).toBe(200);
    const token = login.body['accessToken'] as string;
    expect((await call(base, 'GET', '/api/probe/viewer', { token })).status).toBe(200);
    expect(outageLogs()).toEqual([]);

    for (let outage = 1; outage <= 2; outage++) {
      await relay.down();
      for (let i = 0; i < 3; i++) {
        const r = await call(base, 'GET', '/api/probe/viewer', { token });
        expect(r).toEqual({ status: 503, body: { statusCode: 503, message: 'Session store unavailable', error: 'Service Unavailable' } });
      }
      await expect(call(base, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PW } })).resolves.toMatchObject({
        status: 503,
        body: { statusCode: 503, message: 'Session store unavailable' },
      });
      // No crash: the process still serves what needs no session.
      expect(await call(base, 'GET', '/api/probe/public')).toEqual({ status: 200, body: { ok: true } });
      expect(outageLogs()).toHaveLength(outage);
      expect(outageLogs()[outage - 1]).toMatch(new RegExp(`^session store unavailable \\(Redis redis://127\\.0\\.0\\.1:${relay.port}\\): .+; authenticated requests answer 503`));

      await relay.up();
      await until('the session store is back', async () => (await call(base, 'GET', '/api/probe/viewer', { token })).status === 200);
      expect(recoveryLogs()).toHaveLength(outage);
      expect(outageLogs()).toHaveLength(outage);
    }
    // The session survived the outages (it lives in Redis): the same token still works, a new login too.
    expect((await call(base, 'GET', '/api/probe/viewer', { token })).status).toBe(200);
    expect((await call(base, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PW } })).status).toBe(200);
  });
});
