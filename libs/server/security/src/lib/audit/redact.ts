import { redactUrl } from '@crowdsafe/server-core';

/** Field names whose values are never written to a log or the audit trail. */
export const SECRET_FIELD = /pass(word|phrase)?$|^pwd$|secret|token|api[-_]?key|private[-_]?key|^key$|credential|authorization|cookie|signature|^sourceUrl$|^source_url$|^url$|^destination$/i;

export const REDACTED = '[REDACTED]';

export interface RedactLimits {
  maxDepth: number;
  maxKeys: number;
  maxArray: number;
  maxString: number;
}
const DEFAULT_LIMITS: RedactLimits = { maxDepth: 6, maxKeys: 50, maxArray: 20, maxString: 500 };

/**
 * A JSON-safe, size-bounded copy of `value` for the audit trail: secret-named fields replaced (URL-valued ones keep
 * their redacted form so the entry stays useful), credentials removed from any URL, long strings / arrays / objects
 * cut. Never throws.
 */
export function redactForAudit(value: unknown, limits: Partial<RedactLimits> = {}): unknown {
  const l = { ...DEFAULT_LIMITS, ...limits };
  const walk = (v: unknown, depth: number, key?: string): unknown => {
    if (key !== undefined && SECRET_FIELD.test(key)) {
      if (typeof v === 'string' && /^[a-z][a-z0-9+.-]{0,31}:\/\//i.test(v) && /url|destination/i.test(key)) return redactUrlFully(v.slice(0, 2048));
      return v === null || v === undefined ? v : REDACTED;
    }
    if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      const r = redactUrl(v.length > l.maxString ? v.slice(0, l.maxString) : v);
      return v.length > l.maxString ? `${r}…(${v.length} chars)` : r;
    }
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Date) return v.toISOString();
    if (Buffer.isBuffer(v)) return `<${v.length} bytes>`;
    if (typeof v !== 'object') return undefined;
    if (depth >= l.maxDepth) return '…';
    if (Array.isArray(v)) {
      const out = v.slice(0, l.maxArray).map((x) => walk(x, depth + 1));
      if (v.length > l.maxArray) out.push(`…(${v.length - l.maxArray} more)`);
      return out;
    }
    const out: Record<string, unknown> = {};
    const entries = Object.entries(v as Record<string, unknown>);
    for (const [k, x] of entries.slice(0, l.maxKeys)) out[k.slice(0, 64)] = walk(x, depth + 1, k);
    if (entries.length > l.maxKeys) out['…'] = `${entries.length - l.maxKeys} more keys`;
    return out;
  };
  try {
    return walk(value, 0);
  } catch {
    return '[unserializable]';
  }
}

/** scheme://host/path of a URL with credentials, query and fragment removed (they can carry tokens). */
export function redactUrlFully(url: string): string {
  try {
    const u = new URL(url);
    const auth = u.username || u.password ? '***@' : '';
    return `${u.protocol}//${auth}${u.host}${u.pathname}${u.search ? '?…' : ''}`;
  } catch {
    return redactUrl(url).replace(/\?[^]*$/, '?…');
  }
}
