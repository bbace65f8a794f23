// Walks EVERY route and gateway event registered in the real api (discovered from the running Nest app, not a hand
// list) and checks the access rules: no token -> 401 (socket: connect_error 'unauthorized'), each role gets exactly
// its declared permissions (403 'Requires role: ...' otherwise, never 401/403 when allowed), and no handler lacks
// a declaration.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { io } from 'socket.io-client';
import { USER_ROLES, type UserRole } from '@crowdsafe/contracts';
import { AccessDeclarationCheck, type HttpHandlerInfo, isDeclared, type WsHandlerInfo } from '@crowdsafe/server-auth';
import { loadConfig } from '@crowdsafe/server-config';
import { createApp } from './app/bootstrap';
import { issueToken, TEST_AUTH_ENV } from './testing/auth.test-util';
import { MODEL } from './testing/processes.test-util';

jest.setTimeout(300_000);

const FAKE_ID = '00000000-0000-4000-8000-000000000000';

describe('access control over every route and gateway event', () => {
  let app: NestExpressApplication;
  let base: string;
  let dir: string;
  let http: HttpHandlerInfo[];
  let ws: WsHandlerInfo[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cs-access-'));
    const config = loadConfig(
      { ...TEST_AUTH_ENV, DATA_DIR: dir, MODEL_PATH: MODEL, SAMPLE_CAMERA: 'false', CAMERAS_ENABLED: 'false', RATE_LIMIT_ENABLED: 'false', LOG_LEVEL: 'error', NODE_ENV: 'test' },
      dir,
    );
    app = await createApp(config, { logger: false });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    const handlers = app.get(AccessDeclarationCheck, { strict: false }).handlers();
    http = handlers.filter((h): h is HttpHandlerInfo => h.kind === 'http');
    ws = handlers.filter((h): h is WsHandlerInfo => h.kind === 'ws');
  });
  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // One request helper: the token option is the only auth difference.
  async function request(h: HttpHandlerInfo, token?: string): Promise<{ status: number; message: string }> {
    const path = h.path.replace(/:[A-Za-z0-9_]+/g, FAKE_ID).replace(/\*[A-Za-z0-9_]*/g, 'x');
    const withBody = ['POST', 'PUT', 'PATCH'].includes(h.method);
    const res = await fetch(`${base}/api/${path}`, {
      method: h.method === 'ALL' ? 'GET' : h.method,
      redirect: 'manual',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(withBody ? { 'content-type': 'application/json' } : {}) },
      body: withBody ? '{}' : undefined,
    });
    const text = await res.text();
    let message = '';
    try {
      message = String((JSON.parse(text) as { message?: unknown }).message ?? '');
    } catch {
      /* not JSON */
    }
    return { status: res.status, message };
  }

  it('discovers the app\'s routes and events, and every one carries an access declaration', () => {
    expect(http.length).toBeGreaterThan(10);
    expect(http.map((h) => `${h.method} /${h.path}`)).toEqual(expect.arrayContaining(['GET /health', 'GET /cameras', 'POST /auth/login', 'GET /users']));
    expect(ws.map((h) => h.event)).toEqual(expect.arrayContaining(['subscribe', 'watch_frames']));
    const undeclared = [...http, ...ws].filter((h) => !isDeclared(h.declaration)).map((h) => h.name);
    expect(undeclared).toEqual([]);
  });

  it('HTTP: unauthenticated -> 401 on every non-public route; each role exactly its permissions', async () => {
    const problems: string[] = [];
    for (const h of http) {
      const label = `${h.method} /api/${h.path} (${h.name})`;
      const anon = await request(h);
      if (h.declaration.public) {
        // A public handler may answer 401 itself (bad credentials, no refresh cookie), never the guard's refusals.
        if ((anon.status === 401 && anon.message === 'Authentication required') || (anon.status === 403 && anon.message.startsWith('Requires role'))) {
          problems.push(`${label}: public but refused by the guard (${anon.status} ${anon.message})`);
        }
      } else if (anon.status !== 401) problems.push(`${label}: ${anon.status} without a token, expected 401`);
      if (h.declaration.public) continue;
      for (const role of USER_ROLES) {
        const token = await issueToken(app, role); // fresh session per request: logout-like routes can't affect the next
        const r = await request(h, token);
        const allowed = (h.declaration.roles ?? []).includes(role);
        const denied = r.status === 403 && r.message.startsWith('Requires role');
        if (allowed && (r.status === 401 || denied)) problems.push(`${label}: ${role} is allowed but got ${r.status} ${r.message}`);
        if (!allowed && !denied) problems.push(`${label}: ${role} is not allowed but got ${r.status} ${r.message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('WebSocket: no token -> connect_error unauthorized; each event allows exactly its roles', async () => {
    const problems: string[] = [];
    for (const namespace of new Set(ws.map((h) => h.namespace))) {
      const s = io(`${base}${namespace}`, { transports: ['websocket'], reconnection: false });
      const err = await new Promise<string>((res) => {
        s.on('connect_error', (e) => res(e.message));
        s.on('connect', () => res('connected'));
      });
      s.close();
      if (err !== 'unauthorized') problems.push(`${namespace}: connect without a token -> ${err}`);
    }
    for (const role of USER_ROLES as UserRole[]) {
      const byNs = new Map<string, WsHandlerInfo[]>();
      for (const h of ws) byNs.set(h.namespace, [...(byNs.get(h.namespace) ?? []), h]);
      for (const [namespace, handlers] of byNs) {
        const socket = io(`${base}${namespace}`, { transports: ['websocket'], reconnection: false, auth: { token: await issueToken(app, role) } });
        await new Promise<void>((res, rej) => {
          socket.on('connect', () => res());
          socket.on('connect_error', rej);
        });
        for (const h of handlers) {
          const outcome = await new Promise<string>((res) => {
            const timer = setTimeout(() => res('no reply'), 1500);
            socket.once('exception', (e: { message?: string }) => {
              clearTimeout(timer);
              res(`exception: ${e?.message ?? ''}`);
            });
            socket.emit(h.event, { cameraId: FAKE_ID, enabled: false }, () => {
              clearTimeout(timer);
              res('ack');
            });
          });
          socket.off('exception');
          const allowed = (h.declaration.roles ?? []).includes(role) || h.declaration.public;
          const denied = outcome.startsWith('exception: Requires role');
          if (allowed && (denied || outcome === 'exception: unauthorized')) problems.push(`${namespace} ${h.event}: ${role} allowed but ${outcome}`);
          if (!allowed && !denied) problems.push(`${namespace} ${h.event}: ${role} not allowed but ${outcome}`);
        }
        socket.close();
      }
    }
    expect(problems).toEqual([]);
  });
});
