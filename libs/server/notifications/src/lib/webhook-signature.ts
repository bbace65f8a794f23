import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-CrowdSafe-Signature';
export const DELIVERY_HEADER = 'X-CrowdSafe-Delivery';
export const EVENT_HEADER = 'X-CrowdSafe-Event';
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Hex HMAC-SHA256 of "<timestamp>.<body>" under `secret`. */
export function computeSignature(secret: string, timestampS: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampS}.${body}`).digest('hex');
}

/** The X-CrowdSafe-Signature header value: "t=<unix seconds>,v1=<hex>". */
export function signWebhook(secret: string, body: string, timestampS: number): string {
  return `t=${timestampS},v1=${computeSignature(secret, timestampS, body)}`;
}

export type WebhookVerification = { ok: true; timestampS: number } | { ok: false; reason: string };

/**
 * For receivers: checks an X-CrowdSafe-Signature header against the raw request body (the exact bytes received,
 * before any JSON parsing) and the shared secret. Rejects a missing/malformed header, a timestamp more than
 * `toleranceS` (default 300) away from `nowS` (replay protection) and a wrong signature (constant-time compare).
 * Several v1= entries are accepted (secret rotation on the sender side).
 */
export function verifyWebhookSignature(
  header: string | null | undefined,
  rawBody: string | Buffer,
  secret: string,
  opts: { toleranceS?: number; nowS?: number } = {},
): WebhookVerification {
  if (!secret) return { ok: false, reason: 'no secret configured' };
  if (!header) return { ok: false, reason: 'missing signature header' };
  let t: number | null = null;
  const sigs: string[] = [];
  for (const part of header.split(',')) {
    const [k, v] = part.trim().split('=', 2);
    if (k === 't' && v && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && v && /^[0-9a-f]{64}$/i.test(v)) sigs.push(v.toLowerCase());
  }
  if (t === null || sigs.length === 0) return { ok: false, reason: 'malformed signature header' };
  const tolerance = opts.toleranceS ?? 300;
  const now = opts.nowS ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - t) > tolerance) return { ok: false, reason: 'timestamp outside tolerance' };
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const expected = Buffer.from(computeSignature(secret, t, body), 'hex');
  const match = sigs.some((s) => {
    const got = Buffer.from(s, 'hex');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
  return match ? { ok: true, timestampS: t } : { ok: false, reason: 'signature mismatch' };
}
