import { checkDestination } from './recipient-validation';

const P256 = 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM';
const sub = (o: object) => JSON.stringify(o);

describe('checkDestination', () => {
  it.each([
    ['email', '', 'destination must not be empty'],
    ['email', 'x'.repeat(5000), 'at most 4096'],
    ['email', 'no-at-sign', 'email address'],
    ['email', 'a@b', 'email address'],
    ['email', 'a b@example.org', 'email address'],
    ['sms', '07700900123', 'E.164'],
    ['sms', '+0123456789', 'E.164'],
    ['sms', '+1234567', 'E.164'],
    ['sms', '+1234567890123456', 'E.164'],
    ['webhook', 'example.org/hook', 'absolute http(s) URL'],
    ['webhook', 'ftp://example.org', 'http or https'],
    ['push', '[]', 'JSON object'],
    ['push', sub({ endpoint: 'http://p.example.org', keys: { p256dh: P256, auth: 'tBHItJI5svbpez7KI4CCXg' } }), 'destination.endpoint must use https'],
    ['push', sub({ endpoint: 'https://p.example.org' }), 'destination.keys must be an object'],
    ['push', sub({ endpoint: 'https://p.example.org', keys: { p256dh: 'a!b', auth: 'tBHItJI5svbpez7KI4CCXg' } }), 'destination.keys.p256dh'],
    ['push', sub({ endpoint: 'https://p.example.org', keys: { p256dh: P256 } }), 'destination.keys.auth'],
  ] as const)('rejects %s %j', (channel, value, message) => {
    const r = checkDestination(channel, value);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toContain(message);
  });

  it.each([
    ['email', ' Ops.Team+alerts@Example.ORG ', 'Ops.Team+alerts@example.org'],
    ['sms', '+44 7700 900123', '+447700900123'],
    ['sms', '+1 (415) 555-0100', '+14155550100'],
    ['webhook', 'https://hooks.example.org/a?b=1', 'https://hooks.example.org/a?b=1'],
    ['webhook', 'http://10.0.0.5:8080/x', 'http://10.0.0.5:8080/x'],
    [
      'push',
      sub({ endpoint: 'https://fcm.googleapis.com/fcm/send/abc', expirationTime: null, keys: { auth: 'tBHItJI5svbpez7KI4CCXg', p256dh: P256 } }),
      sub({ endpoint: 'https://fcm.googleapis.com/fcm/send/abc', keys: { p256dh: P256, auth: 'tBHItJI5svbpez7KI4CCXg' } }),
    ],
  ] as const)('accepts and normalises %s %j', (channel, value, normalised) => {
    expect(checkDestination(channel, value)).toEqual({ ok: true, value: normalised });
  });

  it('rejects non-strings', () => {
    expect(checkDestination('email', 42)).toEqual({ ok: false, error: 'destination must be a string' });
  });
});
