import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { AppConfig } from '@crowdsafe/server-config';

/** Name of the refresh cookie (the one cookie that carries authentication; see /work auth contract). */
export const REFRESH_COOKIE = 'cs_refresh';
/** Cookie-authenticated requests must carry this header with value '1' (a cross-site form cannot send it). */
export const CSRF_HEADER = 'x-csrf';
/** State-changing requests that never authenticate by cookie even when one is present. */
export const CSRF_EXEMPT_PATHS: readonly string[] = ['/api/auth/login'];

type Directives = Record<string, string[]>;

/**
 * The Content-Security-Policy for one response. The console (Angular, built without inline scripts) gets
 * `script-src 'self'` and per-response style nonces (Angular reads `ngCspNonce` on the root element for the
 * component <style> elements it injects); style attributes stay allowed (`style-src-attr`), since Angular templates
 * and chart libraries set them. Swagger UI (/api/docs) needs inline styles. No CDN anywhere.
 */
export function cspDirectives(nonce: string, host: string | undefined, docs = false): Directives {
  const ws = host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? [`ws://${host}`, `wss://${host}`] : [];
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'object-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': docs ? ["'self'", "'unsafe-inline'"] : ["'self'", `'nonce-${nonce}'`],
    'style-src-attr': ["'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...ws],
    'media-src': ["'self'", 'blob:'],
    'worker-src': ["'self'", 'blob:'],
    'manifest-src': ["'self'"],
  };
}

export function cspHeader(directives: Directives): string {
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(' ')}`)
    .join('; ');
}

const NONCE_SLOT = '\u0000cs-nonce\u0000';

/**
 * index.html of the console prepared once: the returned function gives it with a response's nonce on the root
 * element and on any inline <style>/<script> (a join, no per-response scan of the page).
 */
export function spaIndexRenderer(html: string): (nonce: string) => string {
  const parts = html
    .replace(/<(style|script)(?![^>]*\bnonce=)(?=[\s>])/gi, `<$1 nonce="${NONCE_SLOT}"`)
    .replace(/<cs-root(?![^>]*ngCspNonce)/i, `<cs-root ngCspNonce="${NONCE_SLOT}"`)
    .split(NONCE_SLOT);
  return (nonce) => parts.join(nonce);
}

/** index.html of the console with this response's nonce on the root element and on any inline <style>/<script>. */
export function renderSpaIndex(html: string, nonce: string): string {
  return spaIndexRenderer(html)(nonce);
}

/** The per-response CSP nonce (set by applyHttpSecurity). */
export function cspNonce(res: Response): string {
  return String(res.locals['cspNonce'] ?? '');
}

const HAS_REFRESH_COOKIE = new RegExp(`(?:^|;\\s*)${REFRESH_COOKIE}=`);

function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const u = new URL(value);
    return u.origin;
  } catch {
    return 'invalid';
  }
}

/**
 * CSRF for cookie-authenticated requests: a state-changing request that carries the refresh cookie and no
 * Authorization header must send `X-CSRF: 1`, and its Origin (or Referer) — when present — must be this server's
 * own origin or one of CORS_ORIGINS. Bearer-authenticated requests cannot be forged cross-site and pass.
 */
export function csrfCheck(req: Request, allowedOrigins: readonly string[]): string | null {
  if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return null;
  if (CSRF_EXEMPT_PATHS.includes(req.path.replace(/\/+$/, ''))) return null;
  if (!HAS_REFRESH_COOKIE.test(req.headers.cookie ?? '')) return null;
  if (req.headers.authorization) return null;
  if (req.headers[CSRF_HEADER] !== '1') return `CSRF check failed: cookie-authenticated requests need the header X-CSRF: 1`;
  const origin = originOf(req.headers.origin) ?? originOf(req.headers.referer);
  if (origin) {
    const own = `${req.protocol}://${req.get('host') ?? ''}`;
    if (origin !== own && !allowedOrigins.includes(origin)) return `CSRF check failed: cross-site origin ${origin.slice(0, 100)}`;
  }
  return null;
}

function sendJsonError(res: Response, status: number, message: string): void {
  if (res.headersSent) return;
  res.status(status).type('application/json').send(JSON.stringify({ statusCode: status, message }));
}

/**
 * Express-level protections, installed by createApp before anything else is mounted:
 * trust proxy (TRUSTED_PROXIES), helmet headers with the CSP above, the CSRF check, and JSON errors for bodies the
 * parsers refuse (bad JSON → 400, too large → 413, never an HTML page or a 500).
 */
export function applyHttpSecurity(app: INestApplication, config: AppConfig): void {
  const express = app.getHttpAdapter().getInstance() as {
    set(name: string, value: unknown): void;
    use(...handlers: unknown[]): void;
  };
  const proxies = config.security.trustedProxies;
  express.set('trust proxy', proxies.length ? proxies : false);

  express.use((req: Request, res: Response, next: NextFunction) => {
    res.locals['cspNonce'] = randomBytes(16).toString('base64');
    next();
  });
  express.use(
    helmet({
      // Set per response below (nonce, host-specific ws: sources).
      contentSecurityPolicy: false,
      crossOriginEmbedderPolicy: false,
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: { maxAge: 15_552_000, includeSubDomains: true },
    }),
  );
  express.use((req: Request, res: Response, next: NextFunction) => {
    const docs = req.path.startsWith('/api/docs');
    res.setHeader('Content-Security-Policy', cspHeader(cspDirectives(cspNonce(res), req.get('host'), docs)));
    next();
  });
  // API answers carry tokens, temporary passwords, tickets and live state: no shared or browser cache keeps them
  // (login, refresh, me, reset-password...). A handler that may be cached says so itself (it overrides this).
  express.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith('/api/') && !req.path.startsWith('/api/docs')) {
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('Pragma', 'no-cache');
    }
    next();
  });
  express.use((req: Request, res: Response, next: NextFunction) => {
    const problem = csrfCheck(req, config.web.corsOrigins);
    if (problem) return sendJsonError(res, 403, problem);
    next();
  });
}

/** Error middleware for the body parsers (mount right after them). */
export function bodyParserErrorHandler() {
  return (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const e = err as { type?: string; status?: number; statusCode?: number; limit?: number };
    const status = e.status ?? e.statusCode;
    if (!status || status < 400 || status >= 500) return next(err);
    const message =
      e.type === 'entity.parse.failed'
        ? 'Malformed JSON body'
        : e.type === 'entity.too.large'
          ? `Request body too large (limit ${e.limit ?? '?'} bytes)`
          : e.type === 'encoding.unsupported' || e.type === 'charset.unsupported'
            ? 'Unsupported body encoding'
            : 'Bad request body';
    sendJsonError(res, status, message);
  };
}
