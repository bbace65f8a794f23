import type { DeliveryChannel } from '@crowdsafe/server-core';
import { redactDestination, scrubMessage } from './redact';

describe('redactDestination', () => {
  it.each<{ channel: DeliveryChannel; destination: string; out: string }>([
    { channel: 'email', destination: '', out: '' },
    { channel: 'email', destination: 'ops@example.com', out: 'o***@example.com' },
    { channel: 'email', destination: 'not-an-address', out: '***' },
    { channel: 'sms', destination: '', out: '' },
    { channel: 'sms', destination: '+447700900789', out: '+44*******789' },
    { channel: 'sms', destination: '+44 7700 900789', out: '+44*******789' },
    { channel: 'sms', destination: '12345', out: '***45' },
    { channel: 'webhook', destination: '', out: '' },
    { channel: 'webhook', destination: 'https://user:pw@hooks.example.com/T0/B1/secret?x=1', out: 'https://hooks.example.com/***' },
    { channel: 'webhook', destination: 'not a url', out: '(invalid URL)' },
    { channel: 'push', destination: '', out: '' },
    { channel: 'push', destination: JSON.stringify({ endpoint: 'https://fcm.googleapis.com/fcm/send/abc123', keys: {} }), out: 'push:fcm.googleapis.com/***' },
    { channel: 'push', destination: '{oops', out: 'push:(invalid subscription)' },
  ])('$channel $destination → $out', ({ channel, destination, out }) => {
    expect(redactDestination(channel, destination)).toBe(out);
  });
});

describe('scrubMessage', () => {
  it.each<{ name: string; channel: DeliveryChannel; destination: string; message: string; secrets?: string[]; out: string }>([
    { name: 'empty', channel: 'email', destination: '', message: '', out: '' },
    { name: 'address in an SMTP reply', channel: 'email', destination: 'ops@example.com', message: '550 <OPS@example.com>: no such user', out: '550 <o***@example.com>: no such user' },
    { name: 'number without +', channel: 'sms', destination: '+447700900789', message: "The 'To' number 447700900789 is not valid", out: "The 'To' number +44*******789 is not valid" },
    { name: 'secret', channel: 'webhook', destination: 'https://h.example/x', message: 'auth token s3cr3t-token rejected', secrets: ['s3cr3t-token'], out: 'auth token *** rejected' },
    { name: 'URL credentials and newlines', channel: 'webhook', destination: 'https://h.example/x', message: 'connect\nsmtp://u:p@mail:25 failed', out: 'connect smtp://***@mail:25 failed' },
    {
      name: 'push endpoint',
      channel: 'push',
      destination: JSON.stringify({ endpoint: 'https://push.example/sub/1' }),
      message: 'Received unexpected response code from https://push.example/sub/1',
      out: 'Received unexpected response code from push:push.example/***',
    },
  ])('$name', ({ channel, destination, message, secrets, out }) => {
    expect(scrubMessage(message, channel, destination, secrets)).toBe(out);
  });

  it('clips long messages', () => {
    expect(scrubMessage('x'.repeat(1000), 'email', 'a@b.c', [], 100)).toHaveLength(100);
  });
});
