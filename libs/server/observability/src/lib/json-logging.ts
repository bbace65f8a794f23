import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { LoggerOptions } from 'pino';
import { redactUrl } from '@crowdsafe/server-core';

/** Nest log level names -> pino levels (LOG_LEVEL). */
const PINO_LEVEL: Record<'debug' | 'info' | 'warn' | 'error', string> = { debug: 'debug', info: 'info', warn: 'warn', error: 'error' };

/** Bearer/Basic credentials, JWT-shaped strings, URL userinfo: removed from every log string. */
export function scrubSecrets(text: string): string {
  return redactUrl(text)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [REDACTED]')
    .replace(/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, '[REDACTED_JWT]');
}

/** Query values are dropped from logged URLs (live tickets, OIDC codes and states travel there). */
export function loggableUrl(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  if (q < 0) return scrubSecrets(url);
  const keys = url
    .slice(q + 1)
    .split('&')
    .map((kv) => kv.split('=')[0])
    .filter(Boolean)
    .slice(0, 20);
  return `${scrubSecrets(url.slice(0, q))}?${keys.map((k) => `${k}=[REDACTED]`).join('&')}`;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Paths that are polled (health checks, Prometheus): their request lines are not logged. */
const QUIET = new Set(['/api/health', '/metrics']);

/** Serialized secrets by field name anywhere in a logged object (pino's redact, on top of scrubbing strings). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.secret',
  '*.sourceUrl',
];

/** pino options shared by the api (through nestjs-pino) and the worker. */
export function pinoOptions(level: 'debug' | 'info' | 'warn' | 'error', name: string): LoggerOptions {
  return {
    name,
    level: PINO_LEVEL[level],
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    hooks: {
      // Every string argument (the message and its interpolations) is scrubbed before it is written.
      logMethod(args, method) {
        const clean = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as typeof args;
        method.apply(this, clean);
      },
    },
  };
}

/**
 * nestjs-pino parameters for the api with LOG_FORMAT=json: one JSON object per line; every request gets a request
 * id (a valid incoming X-Request-Id, else a UUID; echoed in the response header) carried by every line logged while
 * it is handled; request lines without query values, headers reduced to a few safe ones; camera ids appear as
 * `cameraId` when a route has one.
 */
export function nestPinoParams(level: 'debug' | 'info' | 'warn' | 'error'): Params {
  return {
    pinoHttp: {
      ...pinoOptions(level, 'crowdsafe-api'),
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req: IncomingMessage) => QUIET.has((req.url ?? '').split('?')[0] ?? '') },
      customProps: (req: IncomingMessage) => {
        const m = /\/api\/(?:cameras|metrics|analytics\/heatmap)\/([0-9a-f-]{36})/i.exec(req.url ?? '');
        return m ? { cameraId: m[1] } : {};
      },
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string; headers?: Record<string, unknown>; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: loggableUrl(req.url),
          userAgent: typeof req.headers?.['user-agent'] === 'string' ? (req.headers['user-agent'] as string).slice(0, 200) : undefined,
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
