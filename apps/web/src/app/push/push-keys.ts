/** The VAPID public key (base64url, as the server sends it) as the applicationServerKey bytes. */
export function vapidKeyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const s = base64url.trim().replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length === 0) throw new Error('the server sent an invalid VAPID public key');
  const bin = atob(s + '='.repeat((4 - (s.length % 4)) % 4));
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  // An uncompressed P-256 point: 65 bytes starting with 0x04.
  if (out.length !== 65 || out[0] !== 4) throw new Error('the server sent an invalid VAPID public key (not a P-256 point)');
  return out;
}

/** "Chrome on Linux" from a user agent (the recipient's label in Settings › Alert channels). */
export function deviceLabel(ua: string): string {
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : 'Browser';
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Windows/.test(ua) ? 'Windows' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} on ${os}` : browser;
}

/** Why subscribing failed, in words an operator can act on. */
export function subscribeErrorText(e: unknown): string {
  const name = (e as { name?: string } | null)?.name ?? '';
  const msg = (e as { message?: string } | null)?.message ?? String(e);
  if (name === 'NotAllowedError') return 'Notifications are blocked for this site: allow them in the browser’s site settings.';
  if (name === 'TimeoutError') return `Subscribing timed out: ${msg}.`;
  if (name === 'AbortError' || /push service/i.test(msg)) return `The browser's push service could not be reached (${msg}).`;
  if (name === 'InvalidStateError') return 'The browser refused the subscription (an older one with another key exists); try again.';
  return msg || 'Subscribing failed';
}

/** `p`, or a rejection with `message` (name TimeoutError) after `ms`: browser push steps can hang without a push service. */
export function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(Object.assign(new Error(message), { name: 'TimeoutError' })), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}
