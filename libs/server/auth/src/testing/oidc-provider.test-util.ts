// Starts the real oidc-provider fixture in a child process and drives a browser-like login with plain HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface OidcProviderProcess {
  issuer: string;
  stop(): Promise<void>;
  output(): string;
}

export async function startOidcProvider(opts: {
  port: number;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  accounts: Record<string, Record<string, unknown>>;
  claimsInUserinfoOnly?: boolean;
}): Promise<OidcProviderProcess> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-provider.fixture.mjs')], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(opts.port),
      CLIENT_ID: opts.clientId,
      CLIENT_SECRET: opts.clientSecret,
      REDIRECT_URI: opts.redirectUri,
      ACCOUNTS: JSON.stringify(opts.accounts),
      CLAIMS_IN_USERINFO_ONLY: opts.claimsInUserinfoOnly ? '1' : '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 20_000;
  while (!/oidc-provider ready/.test(out)) {
    if (child.exitCode !== null) throw new Error(`oidc-provider exited: ${out}`);
    if (Date.now() > deadline) throw new Error(`oidc-provider did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    issuer: `http://127.0.0.1:${opts.port}`,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Cookie jar per origin, enough for the provider's and the api's cookies. */
export class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  store(url: string, res: Response): void {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.jars.set(origin, jar);
  }

  header(url: string): string {
    return [...(this.jars.get(new URL(url).origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).origin)?.get(name);
  }
}

/**
 * Follows redirects from `startUrl`, submitting the provider's dev login form (as `login`) and consent form, until
 * a redirect leaves for a URL that `isDone` accepts; returns that final Location and the jar.
 */
export async function driveOidcLogin(startUrl: string, login: string, isDone: (location: URL) => boolean, jar = new CookieJar()): Promise<{ location: URL; jar: CookieJar }> {
  let url = startUrl;
  let init: RequestInit = {};
  for (let step = 0; step < 30; step++) {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header(url) } });
    jar.store(url, res);
    if (res.status >= 300 && res.status < 400) {
      const location = new URL(res.headers.get('location') ?? '', url);
      if (isDone(location)) return { location, jar };
      url = location.toString();
      init = {};
      continue;
    }
    const html = await res.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(html);
    if (res.status !== 200 || !form) throw new Error(`unexpected response ${res.status} at ${url}: ${html.slice(0, 500)}`);
    const fields = new URLSearchParams();
    for (const m of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) fields.set(m[1], m[2]);
    if (fields.get('prompt') === 'login') {
      fields.set('login', login);
      fields.set('password', 'any-password');
    }
    url = new URL(form[1].replace(/&amp;/g, '&'), url).toString();
    init = { method: 'POST', body: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error('OIDC login did not finish in 30 steps');
}
