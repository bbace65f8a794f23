import { ConfigError, loadConfig } from './config';

const SID = `AC${'0'.repeat(32)}`;

describe('notifications config', () => {
  it.each<{ name: string; env: Record<string, string>; channels: Record<string, boolean> }>([
    { name: 'empty environment: every channel off', env: {}, channels: { email: false, sms: false, push: false, webhook: false } },
    { name: 'SMTP_URL + SMTP_FROM: email on', env: { SMTP_URL: 'smtp://u:p@mail:587', SMTP_FROM: 'a@b.c' }, channels: { email: true, sms: false, push: false, webhook: false } },
    { name: 'Twilio with a messaging service', env: { TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: 't', TWILIO_MESSAGING_SERVICE_SID: `MG${'1'.repeat(32)}` }, channels: { email: false, sms: true, push: false, webhook: false } },
    { name: 'webhook secret', env: { WEBHOOK_SECRET: 'x'.repeat(32) }, channels: { email: false, sms: false, push: false, webhook: true } },
  ])('$name', ({ env, channels }) => {
    const n = loadConfig(env, '/x').notifications;
    expect({ email: !!n.email, sms: !!n.sms, push: !!n.push, webhook: !!n.webhook }).toEqual(channels);
    expect(n).toMatchObject({ attempts: 5, backoffMs: 2000, sendTimeoutMs: 10000, breaker: { failureThreshold: 5, cooldownMs: 30000 } });
  });

  it.each([
    { name: 'SMTP without SMTP_FROM', env: { SMTP_HOST: 'mail.example.com' }, names: ['SMTP_FROM'] },
    { name: 'Twilio SID without token and sender', env: { TWILIO_ACCOUNT_SID: SID }, names: ['TWILIO_AUTH_TOKEN', 'TWILIO_FROM'] },
    { name: 'bad Twilio SID', env: { TWILIO_ACCOUNT_SID: 'XX123' }, names: ['TWILIO_ACCOUNT_SID'] },
    { name: 'half a VAPID key pair', env: { VAPID_PUBLIC_KEY: 'B'.repeat(87) }, names: ['VAPID_PRIVATE_KEY', 'VAPID_SUBJECT'] },
    { name: 'short webhook secret', env: { WEBHOOK_SECRET: 'short' }, names: ['WEBHOOK_SECRET'] },
    { name: 'not an SMTP URL', env: { SMTP_URL: 'http://mail' }, names: ['SMTP_URL'] },
    { name: 'backoff cap below base', env: { NOTIFY_BACKOFF_MS: '5000', NOTIFY_BACKOFF_MAX_MS: '1000' }, names: ['NOTIFY_BACKOFF_MAX_MS'] },
    { name: 'zero attempts', env: { NOTIFY_ATTEMPTS: '0' }, names: ['NOTIFY_ATTEMPTS'] },
  ])('rejects $name, naming the variables', ({ env, names }) => {
    let error: unknown;
    try {
      loadConfig(env, '/x');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const n of names) expect((error as ConfigError).message).toContain(n);
  });
});
