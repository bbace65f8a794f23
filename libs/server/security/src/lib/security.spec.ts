import type { Request } from 'express';
import { auditEntry } from './audit/audit.middleware';
import { REDACTED, redactForAudit } from './audit/redact';
import { cspDirectives, cspHeader, csrfCheck, renderSpaIndex } from './http/http-security';
import { MemoryThrottlerStorage } from './throttle/memory-throttler.storage';
import { trustedProxyMatcher } from './trusted-proxies';

describe('MemoryThrottlerStorage', () => {
  it('counts within the window, blocks over the limit, resets after it', async () => {
    let now = 0;
    const s = new MemoryThrottlerStorage(100, () => now);
    const hits = [];
    for (let i = 0; i < 4; i++) hits.push(await s.increment('k', 60_000, 3, 60_000));
    expect(hits.map((h) => h.isBlocked)).toEqual([false, false, false, true]);
    expect(hits[3]?.timeToBlockExpire).toBe(60);
    now = 30_000;
    await expect(s.increment('k', 60_000, 3, 60_000)).resolves.toMatchObject({ isBlocked: true, timeToBlockExpire: 30 });
    now = 60_001;
    await expect(s.increment('k', 60_000, 3, 60_000)).resolves.toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('keys are independent', async () => {
    const s = new MemoryThrottlerStorage(100, () => 0);
    await s.increment('a', 1000, 1, 1000);
    await expect(s.increment('a', 1000, 1, 1000)).resolves.toMatchObject({ isBlocked: true });
    await expect(s.increment('b', 1000, 1, 1000)).resolves.toMatchObject({ isBlocked: false });
  });

  it('stays bounded under a flood of distinct keys', async () => {
    const s = new MemoryThrottlerStorage(50, () => 0);
    for (let i = 0; i < 500; i++) await s.increment(`ip${i}`, 60_000, 10, 60_000);
    expect(s.size).toBeLessThanOrEqual(50);
  });
});

describe('redactForAudit', () => {
  it.each([
    { name: 'empty object', input: {}, expected: {} },
    { name: 'null', input: null, expected: null },
    { name: 'password field', input: { username: 'a', password: 'hunter2' }, expected: { username: 'a', password: REDACTED } },
    {
      name: 'nested secrets and tokens',
      input: { a: { apiKey: 'k', token: 't', clientSecret: 's', newPassword: 'p' } },
      expected: { a: { apiKey: REDACTED, token: REDACTED, clientSecret: REDACTED, newPassword: REDACTED } },
    },
    { name: 'sourceUrl keeps host only', input: { sourceUrl: 'rtsp://admin:pw@cam1:554/s?token=x' }, expected: { sourceUrl: 'rtsp://***@cam1:554/s?…' } },
    { name: 'credentials in any string', input: { note: 'see http://u:p@h/x' }, expected: { note: 'see http://***@h/x' } },
  ])('$name', ({ input, expected }) => {
    expect(redactForAudit(input)).toEqual(expected);
  });

  it('bounds strings, arrays and depth', () => {
    const r = redactForAudit({ s: 'x'.repeat(5000), a: Array.from({ length: 100 }, (_, i) => i), d: { a: { b: { c: { d: { e: { f: 1 } } } } } } }) as Record<string, unknown>;
    expect(String(r['s']).length).toBeLessThan(600);
    expect((r['a'] as unknown[]).length).toBe(21);
    expect(JSON.stringify(r['d'])).toContain('…');
  });
});

describe('csrfCheck', () => {
  const req = (o: { method?: string; path?: string; headers?: Record<string, string> }) =>
    ({
      method: o.method ?? 'POST',
      path: o.path ?? '/api/auth/refresh',
      headers: o.headers ?? {},
      protocol: 'http',
      get: (h: string) => (h.toLowerCase() === 'host' ? 'app.example:3000' : undefined),
    }) as unknown as Request;
  it.each([
    { name: 'no cookie', r: req({}), ok: true },
    { name: 'GET with cookie', r: req({ method: 'GET', headers: { cookie: 'cs_refresh=x' } }), ok: true },
    { name: 'cookie without X-CSRF', r: req({ headers: { cookie: 'cs_refresh=x' } }), ok: false },
    { name: 'cookie with X-CSRF', r: req({ headers: { cookie: 'a=1; cs_refresh=x', 'x-csrf': '1' } }), ok: true },
    { name: 'cookie + X-CSRF, same origin', r: req({ headers: { cookie: 'cs_refresh=x', 'x-csrf': '1', origin: 'http://app.example:3000' } }), ok: true },
    { name: 'cookie + X-CSRF, allowed origin', r: req({ headers: { cookie: 'cs_refresh=x', 'x-csrf': '1', origin: 'http://localhost:4200' } }), ok: true },
    { name: 'cookie + X-CSRF, cross-site origin', r: req({ headers: { cookie: 'cs_refresh=x', 'x-csrf': '1', origin: 'https://evil.example' } }), ok: false },
    { name: 'cookie + X-CSRF, cross-site referer', r: req({ headers: { cookie: 'cs_refresh=x', 'x-csrf': '1', referer: 'https://evil.example/p' } }), ok: false },
    { name: 'Bearer request carrying the cookie', r: req({ path: '/api/auth/logout', headers: { cookie: 'cs_refresh=x', authorization: 'Bearer t' } }), ok: true },
    { name: 'login with a stale cookie', r: req({ path: '/api/auth/login', headers: { cookie: 'cs_refresh=x' } }), ok: true },
  ])('$name', ({ r, ok }) => {
    const problem = csrfCheck(r, ['http://localhost:4200']);
    if (ok) expect(problem).toBeNull();
    else expect(problem).toMatch(/^CSRF check failed/);
  });
});

describe('CSP', () => {
  it('is strict: self scripts only, nonce styles, no framing, ws for socket.io', () => {
    const h = cspHeader(cspDirectives('abc', 'host:3000'));
    expect(h).toContain("script-src 'self'");
    expect(h).toContain("style-src 'self' 'nonce-abc'");
    expect(h).toContain("frame-ancestors 'none'");
    expect(h).toContain("connect-src 'self' ws://host:3000 wss://host:3000");
    expect(h).not.toMatch(/script-src[^;]*unsafe/);
    expect(h).not.toMatch(/https?:\/\//);
  });

  it.each([
    { name: 'empty', html: '', out: '' },
    { name: 'root element', html: '<body><cs-root></cs-root></body>', out: '<body><cs-root ngCspNonce="N"></cs-root></body>' },
    { name: 'inline style and script', html: '<style>a{}</style><script>x</script>', out: '<style nonce="N">a{}</style><script nonce="N">x</script>' },
  ])('renderSpaIndex: $name', ({ html, out }) => {
    expect(renderSpaIndex(html, 'N')).toBe(out);
  });
});

describe('trustedProxyMatcher', () => {
  it.each([
    { name: 'empty list trusts nobody', list: [], addr: '127.0.0.1', ok: false },
    { name: 'loopback name', list: ['loopback'], addr: '::ffff:127.0.0.1', ok: true },
    { name: 'cidr hit', list: ['10.0.0.0/8'], addr: '10.2.3.4', ok: true },
    { name: 'cidr miss', list: ['10.0.0.0/8'], addr: '11.2.3.4', ok: false },
    { name: 'single ipv6', list: ['fd00::1'], addr: 'fd00::1', ok: true },
    { name: 'undefined address', list: ['loopback'], addr: undefined, ok: false },
  ])('$name', ({ list, addr, ok }) => {
    expect(trustedProxyMatcher(list)(addr)).toBe(ok);
  });
});

describe('auditEntry', () => {
  const base = { method: 'PATCH', path: '/api/cameras/abc', params: { id: 'abc' }, body: { name: 'x', sourceUrl: 'rtsp://u:p@h/s' }, ip: '1.2.3.4' };
  it.each([
    { name: 'GET is not audited', req: { ...base, method: 'GET' }, status: 200, expected: null },
    { name: 'login is left to the auth module', req: { ...base, method: 'POST', path: '/api/auth/login' }, status: 200, expected: null },
    { name: 'throttled requests are not audited', req: base, status: 429, expected: null },
    {
      name: 'PATCH with redacted body',
      req: { ...base, route: { path: '/api/cameras/:id' } },
      status: 200,
      expected: {
        category: 'audit',
        action: 'PATCH /api/cameras/:id',
        resourceType: 'cameras',
        resourceId: 'abc',
        ip: '1.2.3.4',
        details: { method: 'PATCH', route: '/api/cameras/:id', status: 200, body: { name: 'x', sourceUrl: 'rtsp://***@h/s' } },
      },
    },
    {
      name: 'denied request is a warning',
      req: { ...base, method: 'DELETE', body: {}, route: { path: '/api/cameras/:id' } },
      status: 403,
      expected: { level: 'warn', message: 'anonymous DELETE /api/cameras/abc → 403 (denied)' },
    },
  ])('$name', ({ req, status, expected }) => {
    const e = auditEntry(req as Parameters<typeof auditEntry>[0], status, {});
    if (expected === null) expect(e).toBeNull();
    else expect(e).toMatchObject(expected);
  });

  it('prefers before/after from the handler over the body', () => {
    const e = auditEntry({ ...base, route: { path: '/api/cameras/:id' } } as Parameters<typeof auditEntry>[0], 200, {
      action: 'camera.update',
      before: { name: 'a', password: 'p' },
      after: { name: 'b' },
    });
    expect(e?.action).toBe('camera.update');
    expect(e?.details).toMatchObject({ before: { name: 'a', password: REDACTED }, after: { name: 'b' } });
    expect(e?.details).not.toHaveProperty('body');
  });
});
