import { computeSignature, signWebhook, verifyWebhookSignature } from './webhook-signature';

const SECRET = 'test-secret-0123456789';
const BODY = '{"id":"d_1","type":"alert.opened"}';
const T = 1_800_000_000;
const good = signWebhook(SECRET, BODY, T);

describe('webhook signature', () => {
  it('signs "<t>.<body>" with HMAC-SHA256 as t=<unix>,v1=<hex>', () => {
    expect(good).toBe(`t=${T},v1=${computeSignature(SECRET, T, BODY)}`);
    expect(good).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it.each<{ name: string; header: string | undefined; body?: string; secret?: string; nowS?: number; ok: boolean; reason?: string }>([
    { name: 'no header', header: undefined, ok: false, reason: 'missing signature header' },
    { name: 'empty secret', header: good, secret: '', ok: false, reason: 'no secret configured' },
    { name: 'valid', header: good, ok: true },
    { name: 'valid with extra spaces and a second (rotated) v1', header: `t=${T}, v1=${'0'.repeat(64)}, v1=${computeSignature(SECRET, T, BODY)}`, ok: true },
    { name: 'tampered body', header: good, body: BODY.replace('opened', 'all_clear'), ok: false, reason: 'signature mismatch' },
    { name: 'wrong secret', header: good, secret: 'another-secret-123456', ok: false, reason: 'signature mismatch' },
    { name: 'timestamp changed', header: good.replace(`t=${T}`, `t=${T + 1}`), ok: false, reason: 'signature mismatch' },
    { name: 'too old (replay)', header: good, nowS: T + 301, ok: false, reason: 'timestamp outside tolerance' },
    { name: 'from the future', header: good, nowS: T - 301, ok: false, reason: 'timestamp outside tolerance' },
    { name: 'malformed', header: 'sha256=abc', ok: false, reason: 'malformed signature header' },
    { name: 'short hex', header: `t=${T},v1=abcd`, ok: false, reason: 'malformed signature header' },
  ])('$name', ({ header, body, secret, nowS, ok, reason }) => {
    const r = verifyWebhookSignature(header, body ?? BODY, secret ?? SECRET, { nowS: nowS ?? T + 10 });
    expect(r.ok).toBe(ok);
    if (!r.ok) expect(r.reason).toBe(reason);
  });

  it('accepts the raw body as a Buffer', () => {
    expect(verifyWebhookSignature(good, Buffer.from(BODY), SECRET, { nowS: T }).ok).toBe(true);
  });
});
