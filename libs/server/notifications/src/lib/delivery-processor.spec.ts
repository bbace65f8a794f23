import { destinationSha256Of, type DeliveryChannel, type DeliveryOutcome, type DeliveryOutcomeSink } from '@crowdsafe/server-core';
import { DeliveryProcessor } from './delivery-processor';
import { DELIVERY_CHANNELS, DeliveryError, type DeliveryJob, type NotificationChannel } from './delivery.types';

const SUB = JSON.stringify({ endpoint: 'https://push.example.org/sub/1', keys: { p256dh: 'B'.repeat(87), auth: 'a'.repeat(22) } });

function job(channel: DeliveryChannel, destination: string): DeliveryJob {
  return {
    deliveryId: 'd_1',
    channel,
    destination,
    enqueuedAt: 0,
    alert: {
      alertId: '00000000-0000-4000-8000-000000000001',
      event: 'opened',
      cameraId: 'c1',
      cameraName: 'Gate',
      cameraLocation: null,
      level: 'CRITICAL',
      condition: 'density',
      message: 'm',
      metrics: {},
      snapshotPath: null,
      consoleUrl: 'https://x/cameras/c1',
      triggeredAt: 0,
    },
  };
}

function processorWith(send: (() => Promise<void>) | null): { p: DeliveryProcessor; outcomes: DeliveryOutcome[] } {
  const outcomes: DeliveryOutcome[] = [];
  const sink: DeliveryOutcomeSink = { record: async (o) => void outcomes.push(o) };
  const channels = Object.fromEntries(
    DELIVERY_CHANNELS.map((name): [DeliveryChannel, NotificationChannel] => [name, { name, configured: send !== null, send: send ?? (async () => undefined) }]),
  ) as Record<DeliveryChannel, NotificationChannel>;
  const p = new DeliveryProcessor({ channels, breaker: { failureThreshold: 5, cooldownMs: 1000 }, sendTimeoutMs: 1000, secrets: [], logs: null, outcomes: () => sink, now: () => 1 });
  return { p, outcomes };
}

describe('DeliveryProcessor outcome: gone + destination hash', () => {
  it.each<{ name: string; send: (() => Promise<void>) | null; channel: DeliveryChannel; destination: string; attempt: number; expected: Partial<DeliveryOutcome> | null }>([
    { name: 'channel not configured: final, not gone', send: null, channel: 'push', destination: SUB, attempt: 1, expected: { ok: false, error: 'channel not configured', gone: undefined } },
    { name: 'delivered: ok, never gone', send: async () => undefined, channel: 'push', destination: SUB, attempt: 1, expected: { ok: true, error: null, gone: undefined } },
    {
      name: 'push subscription gone (410): gone',
      send: async () => Promise.reject(new DeliveryError('subscription gone (push service answered 410)', 'permanent', true)),
      channel: 'push',
      destination: SUB,
      attempt: 1,
      expected: { ok: false, gone: true, attempts: 1, error: 'subscription gone (push service answered 410)' },
    },
    {
      name: 'other permanent failure: not gone',
      send: async () => Promise.reject(new DeliveryError('webhook answered 400', 'permanent')),
      channel: 'webhook',
      destination: ' https://hooks.example.org/x ',
      attempt: 1,
      expected: { ok: false, gone: undefined, error: 'webhook answered 400' },
    },
    { name: 'transient failure before the last attempt: no outcome yet', send: async () => Promise.reject(new Error('ECONNRESET')), channel: 'sms', destination: '+447700900123', attempt: 1, expected: null },
    {
      name: 'transient failure on the last attempt: final, not gone',
      send: async () => Promise.reject(new Error('ECONNRESET')),
      channel: 'sms',
      destination: '+447700900123',
      attempt: 3,
      expected: { ok: false, gone: undefined, attempts: 3 },
    },
  ])('$name', async ({ send, channel, destination, attempt, expected }) => {
    const { p, outcomes } = processorWith(send);
    await p.attempt(job(channel, destination), attempt, 3);
    if (expected === null) {
      expect(outcomes).toEqual([]);
      return;
    }
    expect(outcomes).toHaveLength(1);
    const o = outcomes[0] as DeliveryOutcome;
    expect(o).toMatchObject({ channel, ...Object.fromEntries(Object.entries(expected).filter(([, v]) => v !== undefined)) });
    if (expected.gone === undefined) expect(o).not.toHaveProperty('gone');
    expect(o.destinationSha256).toBe(destinationSha256Of(destination));
    expect(o.destination).not.toContain(destination.trim()); // redacted
  });
});
