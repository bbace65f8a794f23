// Fuzz: thousands of malformed requests against EVERY operation of the live OpenAPI document (/api/docs-json), on a
// real api process (embedded SQLite), unauthenticated and — when the auth routes exist — as the admin. Wrong types,
// huge strings, unknown and prototype-polluting fields, bad JSON, wrong content types, bad ids, odd methods and
// headers. Passes when no response is a 5xx (and no connection breaks), and no configured secret reaches the log.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MODEL, freePort, runTs, type RunningProcess } from './testing/processes.test-util';

jest.setTimeout(180_000);

const TARGET_REQUESTS = Number(process.env['FUZZ_REQUESTS'] ?? 5200);
const CONCURRENCY = 12;
const ADMIN = { username: 'fuzzadmin', password: 'Fuzz-Admin-Passphrase-2026!' };
const SECRETS = {
  SECRETS_KEY: Buffer.alloc(32, 0x3c).toString('base64'),
  JWT_SECRET: 'fuzz-jwt-secret-Kp2vX9-never-logged-0123456789abcdef',
  SMTP_PASS: 'fuzz-smtp-Pw-Lr8q-never-logged',
  INITIAL_ADMIN_PASSWORD: ADMIN.password,
};

type Schema = {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  minLength?: number;
  minimum?: number;
  minItems?: number;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
};
interface Operation {
  method: string;
  path: string;
  params: Array<{ name: string; in: string; schema?: Schema }>;
  body?: Schema;
}
interface FuzzRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  label: string;
}

/** Deterministic PRNG so a failure can be reproduced. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const BAD_IDS = [
  'x', '0', '-1', '1.5', '99999999999999999999999', randomUUID(), '00000000-0000-0000-0000-000000000000', "' OR '1'='1",
  '%00', '..%2F..%2Fetc%2Fpasswd', '%E0%A4%A', '%', '<script>alert(1)<%2Fscript>', 'a'.repeat(2000), 'null', 'undefined',
  '__proto__', 'constructor', '%F0%9F%92%A9', 'NaN', 'true', '[]', '{}', ' ', '%20',
];
const BAD_VALUES: unknown[] = [
  null, true, false, 0, -1, -1e308, 1e308, 3.5, 2 ** 53 + 1, '', ' ', 'x', 'x'.repeat(100_000), '\u0000', '💩'.repeat(1000),
  [], [1, 2, 3], Array.from({ length: 5000 }, (_, i) => i), {}, { a: { b: { c: { d: { e: { f: 1 } } } } } },
  { $gt: '' }, '2026-13-45T99:99:99Z', 'NaN', 'Infinity', '<img src=x onerror=alert(1)>', "'; DROP TABLE cameras; --",
  'rtsp://user:pw@[::1', 'http://169.254.169.254/latest/meta-data', 'file:///etc/passwd',
];
const BAD_QUERY = ['abc', '-1', '1e309', 'NaN', '', 'x'.repeat(5000), '2026-02-30', '%zz', '[object Object]', '0x10', '1,2,3'];

function deref(schema: Schema | undefined, components: Record<string, Schema>, depth = 0): Schema {
  if (!schema || depth > 8) return {};
  if (schema.$ref) return deref(components[schema.$ref.split('/').pop() ?? ''], components, depth + 1);
  const merged = schema.allOf?.map((s) => deref(s, components, depth + 1)).reduce<Schema>((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties } }), {});
  if (merged) return { ...schema, ...merged };
  if (schema.oneOf?.[0]) return deref(schema.oneOf[0], components, depth + 1);
  if (schema.anyOf?.[0]) return deref(schema.anyOf[0], components, depth + 1);
  return schema;
}

/** A plausible value for a schema (required properties only), the base every mutation starts from. */
function sample(schema: Schema | undefined, components: Record<string, Schema>, depth = 0): unknown {
  const s = deref(schema, components);
  if (depth > 6) return null;
  if (s.enum?.length) return s.enum[0];
  switch (s.type) {
    case 'string':
      return s.format === 'uuid' ? randomUUID() : s.format === 'date-time' ? new Date().toISOString() : 'f'.repeat(Math.max(1, s.minLength ?? 4));
    case 'number':
    case 'integer':
      return s.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sample(s.items, components, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (const k of s.required ?? []) out[k] = sample(s.properties?.[k], components, depth + 1);
      return out;
    }
  }
}

function operations(doc: { paths: Record<string, Record<string, { parameters?: Operation['params']; requestBody?: { content?: Record<string, { schema?: Schema }> } }>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      ops.push({ method: method.toUpperCase(), path, params: op.parameters ?? [], body: op.requestBody?.content?.['application/json']?.schema });
    }
  }
  return ops;
}

function requestsFor(op: Operation, components: Record<string, Schema>, random: () => number, count: number): FuzzRequest[] {
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const pathParams = op.params.filter((p) => p.in === 'path').map((p) => p.name);
  const queryParams = op.params.filter((p) => p.in === 'query');
  const fillPath = (id: () => string) => op.path.replace(/\{([^}]+)\}/g, () => id());
  const json = { 'content-type': 'application/json' };
  const base = op.body ? (sample(op.body, components) as Record<string, unknown>) : undefined;
  const bodyProps = Object.keys(deref(op.body, components).properties ?? {});
  const out: FuzzRequest[] = [];
  const gens: Array<() => FuzzRequest> = [
    // bad ids in every path parameter
    () => ({ method: op.method, url: fillPath(() => pick(BAD_IDS)), headers: json, body: base ? JSON.stringify(base) : undefined, label: 'bad id' }),
    // wrong query values, repeated and nested query params
    () => {
      const q = queryParams.length ? queryParams : [{ name: 'unknown' }];
      const parts = q.map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(pick(BAD_QUERY))}`);
      if (random() < 0.3) parts.push(`${q[0]?.name}=1&${q[0]?.name}=2`, `${q[0]?.name}[a][b]=1`);
      return { method: op.method, url: `${fillPath(() => randomUUID())}?${parts.join('&')}`, headers: {}, label: 'bad query' };
    },
    // a body property with a wrong type / size / shape
    () => {
      const body: Record<string, unknown> = { ...(base ?? {}) };
      const key = bodyProps.length ? pick(bodyProps) : 'x';
      body[key] = pick(BAD_VALUES);
      return { method: op.method, url: fillPath(() => randomUUID()), headers: json, body: JSON.stringify(body), label: `bad field ${key}` };
    },
    // unknown / prototype-polluting fields
    () => {
      const extra = pick(['{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"x":1}}}', '{"unknownField":1}', '{"role":"admin","id":"x"}']);
      const merged = JSON.stringify(base ?? {}).replace(/}$/, '') + (base && Object.keys(base).length ? ',' : '') + extra.slice(1);
      return { method: op.method, url: fillPath(() => randomUUID()), headers: json, body: merged, label: 'unknown fields' };
    },
    // malformed JSON and non-object JSON
    () => ({
      method: op.method,
      url: fillPath(() => randomUUID()),
      headers: json,
      body: pick(['{', '{"a":', 'nul', '[', '"str"', '123', 'null', '[]', '{"a":1}}', '\u0000', '{"a":"\\ud800"}', '{'.repeat(5000) + '}'.repeat(5000), '']),
      label: 'bad json',
    }),
    // wrong / odd content types and encodings
    () => ({
      method: op.method,
      url: fillPath(() => randomUUID()),
      headers: { 'content-type': pick(['text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/json; charset=bogus', 'application/json']), ...(random() < 0.3 ? { 'content-encoding': pick(['gzip', 'br', 'bogus']) } : {}) },
      body: pick(['a=1&b=2&__proto__[x]=1', '<xml/>', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--', JSON.stringify(base ?? {})]),
      label: 'content type',
    }),
    // odd methods on the path
    () => ({ method: pick(['PUT', 'PATCH', 'DELETE', 'POST', 'OPTIONS', 'HEAD', 'PROPFIND', 'PURGE', 'SEARCH', 'LOCK']), url: fillPath(() => pick(BAD_IDS)), headers: json, body: '{}', label: 'odd method' }),
    // odd headers
    () => ({
      method: op.method,
      url: fillPath(() => randomUUID()),
      headers: {
        ...json,
        ...pick<Record<string, string>>([
          { authorization: 'Bearer not.a.jwt' },
          { authorization: 'Bearer ' + 'x'.repeat(4000) },
          { authorization: 'Basic Zm9vOmJhcg==' },
          { authorization: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiIsInJvbGUiOiJhZG1pbiJ9.' },
          { cookie: 'cs_refresh=garbage', 'x-csrf': '1' },
          { 'x-forwarded-for': 'not-an-ip, ::::, 999.1.1.1' },
          { accept: 'application/xml' },
          { 'x-http-method-override': 'DELETE' },
          { 'x-csrf': '1', origin: 'https://evil.example', cookie: 'cs_refresh=x' },
        ]),
      },
      body: base ? JSON.stringify(base) : undefined,
      label: 'odd header',
    }),
  ];
  for (let i = 0; i < count; i++) {
    const g = gens[i % gens.length] as () => FuzzRequest;
    const r = g();
    if (pathParams.length === 0 && r.label === 'bad id') r.url = op.path;
    // GET/HEAD cannot carry a body in fetch.
    if (['GET', 'HEAD'].includes(r.method)) delete r.body;
    out.push(r);
  }
  return out;
}

describe('fuzz: malformed requests against every documented operation', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-fuzz-'));
  let api: RunningProcess;
  let base = '';

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = runTs('apps/api/src/main.ts', {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dir,
      MODEL_PATH: MODEL,
      SAMPLE_CAMERA: 'false',
      WEB_DIST: '',
      LOG_LEVEL: 'info',
      RATE_LIMIT_ENABLED: 'false',
      // Fuzzed logins hash a password each: keep bcrypt cheap here (the cost is not what this test is about).
      AUTH_BCRYPT_COST: '4',
      INITIAL_ADMIN_USERNAME: ADMIN.username,
      INITIAL_ADMIN_PASSWORD: ADMIN.password,
      SECRETS_KEY: SECRETS.SECRETS_KEY,
      JWT_SECRET: SECRETS.JWT_SECRET,
      SMTP_HOST: '127.0.0.1',
      SMTP_USER: 'mailer',
      SMTP_PASS: SECRETS.SMTP_PASS,
      SMTP_FROM: 'crowdsafe@example.test',
    });
    await api.waitFor(/CrowdSafe is running/, 90_000);
  });

  afterAll(async () => {
    await api?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`gets no 5xx from ${TARGET_REQUESTS}+ malformed requests, and no secret in the log`, async () => {
    const doc = (await (await fetch(`${base}/api/docs-json`)).json()) as Parameters<typeof operations>[0] & { components?: { schemas?: Record<string, Schema> } };
    const components = doc.components?.schemas ?? {};
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(5);

    // Authenticate as the admin when the auth routes exist, so the fuzz also reaches validation behind the guard.
    let token: string | undefined;
    if (doc.paths['/api/auth/login']) {
      const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) });
      expect(r.status).toBe(200);
      token = ((await r.json()) as { accessToken: string }).accessToken;
    }
    // Requests that would end the admin session are fuzzed unauthenticated only.
    const sessionEnding = (op: Operation) => /\/auth\/(logout|change-password)$|\/users\/\{[^}]+\}$/.test(op.path) && op.method !== 'GET';

    const random = rng(20261121);
    const perOp = Math.ceil(TARGET_REQUESTS / ops.length / (token ? 2 : 1));
    const jobs: Array<FuzzRequest & { auth: boolean; op: string }> = [];
    for (const op of ops) {
      const name = `${op.method} ${op.path}`;
      for (const r of requestsFor(op, components, random, perOp)) jobs.push({ ...r, auth: false, op: name });
      if (token && !sessionEnding(op)) for (const r of requestsFor(op, components, random, perOp)) jobs.push({ ...r, auth: true, op: name });
    }
    expect(jobs.length).toBeGreaterThanOrEqual(TARGET_REQUESTS * (token ? 0.9 : 1));

    const failures: string[] = [];
    const failedOps = new Map<string, number>();
    const slow: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const j = jobs[next++] as (typeof jobs)[number];
        const headers: Record<string, string> = { ...j.headers };
        if (j.auth && token && !headers['authorization']) headers['authorization'] = `Bearer ${token}`;
        const t0 = Date.now();
        try {
          const r = await fetch(`${base}${j.url}`, { method: j.method, headers, body: j.body, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
          await r.arrayBuffer();
          const ms = Date.now() - t0;
          if (ms > 1000) slow.push(`${ms} ms ${r.status} ${j.method} ${j.url.slice(0, 100)} [${j.label}]`);
          statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
          if (r.status >= 500) failedOps.set(`${r.status} ${j.op}`, (failedOps.get(`${r.status} ${j.op}`) ?? 0) + 1);
          if (r.status >= 500) failures.push(`${r.status} ${j.method} ${j.url.slice(0, 120)} [${j.label}${j.auth ? ', admin' : ''}] ${(j.body ?? '').slice(0, 120)}`);
        } catch (e) {
          failures.push(`ERR ${(e as Error).message} ${String((e as { cause?: Error }).cause?.message ?? '')} ${j.method} ${j.url.slice(0, 120)} [${j.label}]`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));

    if (slow.length) console.log(`slow requests (${slow.length}):\n${slow.slice(0, 30).join('\n')}`);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0) + failures.filter((f) => f.startsWith('ERR')).length;
    expect(total).toBe(jobs.length);
    // Operations that answered 5xx (with counts), then the first failing requests in full.
    expect(Object.fromEntries(failedOps)).toEqual({});
    expect(failures.slice(0, 25)).toEqual([]);
    // The fuzz reached request validation (not only 401/404 walls).
    expect(statuses.get(400) ?? 0).toBeGreaterThan(jobs.length * 0.1);
    // The api is still healthy afterwards.
    expect((await fetch(`${base}/api/health`)).status).toBe(200);

    await api.stop();
    const out = api.output();
    for (const [name, secret] of Object.entries(SECRETS)) expect({ name, found: out.includes(secret) }).toEqual({ name, found: false });
  });
});
