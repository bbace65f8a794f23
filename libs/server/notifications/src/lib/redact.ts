import { redactUrl, type DeliveryChannel } from '@crowdsafe/server-core';

/** "o***@example.com" */
export function redactEmail(address: string): string {
  const a = address.trim();
  if (!a) return '';
  const at = a.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${a[0]}***${a.slice(at)}`;
}

/** "+44******789": the country prefix and the last three digits survive. */
export function redactPhone(number: string): string {
  const n = number.trim().replace(/[\s().-]/g, '');
  if (!n) return '';
  if (n.length < 8) return `${'*'.repeat(Math.max(n.length - 2, 1))}${n.slice(-2)}`;
  return `${n.slice(0, 3)}${'*'.repeat(n.length - 6)}${n.slice(-3)}`;
}

/** Scheme and host only: "https://hooks.example.com/***" (path, query and credentials may carry tokens). */
export function redactWebhookUrl(url: string): string {
  if (!url.trim()) return '';
  try {
    const u = new URL(url.trim());
    return `${u.protocol}//${u.host}/***`;
  } catch {
    return '(invalid URL)';
  }
}

/** The push service host of a subscription: "push:fcm.googleapis.com/***". */
export function redactPushSubscription(subscription: string): string {
  if (!subscription.trim()) return '';
  try {
    const parsed = JSON.parse(subscription) as { endpoint?: unknown };
    if (typeof parsed.endpoint !== 'string') return 'push:(invalid subscription)';
    return `push:${new URL(parsed.endpoint).host}/***`;
  } catch {
    return 'push:(invalid subscription)';
  }
}

/** The form of a destination that may appear in logs, outcomes and API responses. */
export function redactDestination(channel: DeliveryChannel, destination: string): string {
  switch (channel) {
    case 'email':
      return redactEmail(destination);
    case 'sms':
      return redactPhone(destination);
    case 'webhook':
      return redactWebhookUrl(destination);
    case 'push':
      return redactPushSubscription(destination);
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An error message fit for a log: the destination (and its obvious variants) replaced by its redacted form,
 * every secret replaced by ***, URL credentials removed, one line, at most `max` characters.
 */
export function scrubMessage(message: string, channel: DeliveryChannel, destination: string, secrets: readonly string[] = [], max = 500): string {
  let out = message.replace(/\s+/g, ' ').trim();
  const variants = new Set<string>();
  const d = destination.trim();
  if (d) variants.add(d);
  if (channel === 'sms' && d.startsWith('+')) variants.add(d.slice(1));
  if (channel === 'push') {
    try {
      const endpoint = (JSON.parse(d) as { endpoint?: unknown }).endpoint;
      if (typeof endpoint === 'string' && endpoint) variants.add(endpoint);
    } catch {
      /* not JSON: the literal is enough */
    }
  }
  const redacted = redactDestination(channel, destination);
  for (const v of [...variants].sort((a, b) => b.length - a.length)) out = out.replace(new RegExp(escapeRe(v), 'gi'), redacted);
  for (const s of secrets) if (s && s.length >= 4) out = out.replace(new RegExp(escapeRe(s), 'g'), '***');
  out = redactUrl(out);
  return out.length > max ? `${out.slice(0, max - 1)}…` : out;
}
