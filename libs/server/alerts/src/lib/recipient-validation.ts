// Pure validation of alert recipients' destinations per channel (errors name the field).
import type { RecipientChannel } from '@crowdsafe/server-database';

export const DESTINATION_MAX = 4096;
const EMAIL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;
const E164_RE = /^\+[1-9]\d{7,14}$/;
const B64URL_RE = /^[A-Za-z0-9_-]+={0,2}$/;

export type DestinationCheck = { ok: true; value: string } | { ok: false; error: string };

const bad = (error: string): DestinationCheck => ({ ok: false, error });

function httpUrl(v: string, field: string, httpsOnly: boolean): string | null {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return `${field} must be an absolute ${httpsOnly ? 'https' : 'http(s)'} URL`;
  }
  if (httpsOnly ? u.protocol !== 'https:' : u.protocol !== 'http:' && u.protocol !== 'https:') return `${field} must use ${httpsOnly ? 'https' : 'http or https'}`;
  if (!u.hostname) return `${field} must have a host`;
  return null;
}

/**
 * Checks and normalises a destination for its channel: email (RFC 5322-ish, <= 254 chars, lower-cased domain),
 * sms (E.164: + and 8-15 digits), webhook (http(s) URL), push (a PushSubscription JSON: { endpoint: https URL,
 * keys: { p256dh, auth } }, re-serialised canonically).
 */
export function checkDestination(channel: RecipientChannel, raw: unknown): DestinationCheck {
  if (typeof raw !== 'string') return bad('destination must be a string');
  const v = raw.trim();
  if (!v) return bad('destination must not be empty');
  if (v.length > DESTINATION_MAX) return bad(`destination must be at most ${DESTINATION_MAX} characters`);
  switch (channel) {
    case 'email': {
      if (v.length > 254 || !EMAIL_RE.test(v)) return bad(`destination must be an email address (got "${v.slice(0, 80)}")`);
      const at = v.lastIndexOf('@');
      return { ok: true, value: `${v.slice(0, at)}@${v.slice(at + 1).toLowerCase()}` };
    }
    case 'sms': {
      const compact = v.replace(/[\s().-]/g, '');
      if (!E164_RE.test(compact)) return bad('destination must be an E.164 phone number: + and 8-15 digits, e.g. +447700900123');
      return { ok: true, value: compact };
    }
    case 'webhook': {
      if (v.length > 2048) return bad('destination must be a URL of at most 2048 characters');
      const err = httpUrl(v, 'destination', false);
      return err ? bad(err) : { ok: true, value: v };
    }
    case 'push': {
      let sub: unknown;
      try {
        sub = JSON.parse(v);
      } catch {
        return bad('destination must be a PushSubscription JSON: {"endpoint":"https://...","keys":{"p256dh":"...","auth":"..."}}');
      }
      if (!sub || typeof sub !== 'object' || Array.isArray(sub)) return bad('destination must be a PushSubscription JSON object');
      const s = sub as { endpoint?: unknown; keys?: unknown; expirationTime?: unknown };
      if (typeof s.endpoint !== 'string' || s.endpoint.length > 2048) return bad('destination.endpoint must be an https URL');
      const err = httpUrl(s.endpoint, 'destination.endpoint', true);
      if (err) return bad(err);
      const keys = s.keys as { p256dh?: unknown; auth?: unknown } | null | undefined;
      if (!keys || typeof keys !== 'object') return bad('destination.keys must be an object with p256dh and auth');
      if (typeof keys.p256dh !== 'string' || keys.p256dh.length < 16 || keys.p256dh.length > 256 || !B64URL_RE.test(keys.p256dh))
        return bad('destination.keys.p256dh must be a base64url string (16-256 characters)');
      if (typeof keys.auth !== 'string' || keys.auth.length < 8 || keys.auth.length > 64 || !B64URL_RE.test(keys.auth))
        return bad('destination.keys.auth must be a base64url string (8-64 characters)');
      if (s.expirationTime !== undefined && s.expirationTime !== null && typeof s.expirationTime !== 'number')
        return bad('destination.expirationTime must be a number or null');
      return { ok: true, value: JSON.stringify({ endpoint: s.endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } }) };
    }
    default:
      return bad(`channel must be one of email, sms, push, webhook`);
  }
}
