import { BadRequestException } from '@nestjs/common';
import { ALERT_RECIPIENTS_MAX, type AlertRecipientRecord, type AlertRecipientRepository, type NewAlertRecipient } from '@crowdsafe/server-database';
import type { AlertsService } from './alerts.service';
import { PushSubscriptionsController } from './push-subscriptions.controller';

/** An in-memory alert_recipients table with the repository's methods the controller uses. */
class MemoryRecipients {
  rows: AlertRecipientRecord[] = [];
  private seq = 0;
  async list() {
    return [...this.rows];
  }
  async count() {
    return this.rows.length;
  }
  async create(input: NewAlertRecipient) {
    const now = new Date();
    const row = { id: `00000000-0000-4000-8000-${String(++this.seq).padStart(12, '0')}`, cameraId: null, minLevel: 'WARNING', isActive: true, createdAt: now, updatedAt: now, ...input } as AlertRecipientRecord;
    this.rows.push(row);
    return row;
  }
  async update(id: string, patch: Partial<NewAlertRecipient>) {
    const row = this.rows.find((r) => r.id === id);
    if (row) Object.assign(row, patch);
    return row ?? null;
  }
  async delete(id: string) {
    const n = this.rows.length;
    this.rows = this.rows.filter((r) => r.id !== id);
    return this.rows.length < n;
  }
}

const sub = (endpoint = 'https://fcm.googleapis.com/fcm/send/abc123', auth = 'k2GQv5oPoo3vuXn7BNrJGg') => ({
  endpoint,
  expirationTime: null,
  keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth },
});
const viewer = { id: 'u-1', username: 'ops-viewer', role: 'viewer' as const, sessionId: null };

describe('PushSubscriptionsController (self-service web push)', () => {
  let repo: MemoryRecipients;
  let invalidate: jest.Mock;
  let ctl: PushSubscriptionsController;
  beforeEach(() => {
    repo = new MemoryRecipients();
    invalidate = jest.fn();
    ctl = new PushSubscriptionsController(repo as unknown as AlertRecipientRepository, { invalidateRecipients: invalidate } as unknown as AlertsService);
  });

  it('nothing registered: status is not subscribed', async () => {
    expect(await ctl.status({ endpoint: sub().endpoint })).toEqual({ subscribed: false, recipientId: null, minLevel: null, active: false });
  });

  it("registers this browser's subscription as a push recipient named after the user, for all cameras", async () => {
    const st = await ctl.subscribe({ subscription: sub(), minLevel: 'CRITICAL', device: ' Chrome on Linux ' }, viewer);
    expect(st).toMatchObject({ subscribed: true, minLevel: 'CRITICAL', active: true });
    expect(repo.rows).toHaveLength(1);
    expect(repo.rows[0]).toMatchObject({ channel: 'push', name: 'Web push · ops-viewer · Chrome on Linux', cameraId: null, isActive: true, minLevel: 'CRITICAL' });
    expect(JSON.parse(repo.rows[0].destination)).toEqual({ endpoint: sub().endpoint, keys: sub().keys });
    expect(invalidate).toHaveBeenCalledTimes(1);
    expect(await ctl.status({ endpoint: sub().endpoint })).toMatchObject({ subscribed: true, recipientId: repo.rows[0].id });
  });

  it('subscribing again (new keys, or after the push service reported it gone) updates and reactivates the same row', async () => {
    await ctl.subscribe({ subscription: sub() }, viewer);
    repo.rows[0].isActive = false;
    const st = await ctl.subscribe({ subscription: sub(undefined, 'zzzzzzzzzzzzzzzzzzzzzz') }, undefined);
    expect(repo.rows).toHaveLength(1);
    expect(st).toMatchObject({ subscribed: true, active: true, minLevel: 'WARNING' });
    expect(repo.rows[0].name).toBe('Web push · open access');
    expect(repo.rows[0].destination).toContain('zzzzzzzzzzzzzzzzzzzzzz');
  });

  it.each([
    [{ endpoint: 'http://push.example/x', keys: sub().keys }, /subscription\.endpoint/],
    [{ endpoint: 'https://push.example/x' }, /subscription\.keys must be an object/],
    [{ endpoint: 'https://push.example/x', keys: { p256dh: 'short', auth: 'k2GQv5oPoo3vuXn7BNrJGg' } }, /subscription\.keys\.p256dh/],
    [{ endpoint: 'https://push.example/x', keys: { p256dh: sub().keys.p256dh, auth: 'bad auth!' } }, /subscription\.keys\.auth/],
  ])('refuses %p with a 400 naming the field', async (s, msg) => {
    const p = ctl.subscribe({ subscription: s as Record<string, unknown> }, viewer);
    await expect(p).rejects.toBeInstanceOf(BadRequestException);
    await expect(p).rejects.toThrow(msg);
    expect(repo.rows).toHaveLength(0);
  });

  it(`is bounded by the table's limit (${ALERT_RECIPIENTS_MAX})`, async () => {
    repo.count = async () => ALERT_RECIPIENTS_MAX;
    await expect(ctl.subscribe({ subscription: sub() }, viewer)).rejects.toThrow(`at most ${ALERT_RECIPIENTS_MAX} alert recipients`);
  });

  it('remove deletes only the row of that endpoint, and only push rows match', async () => {
    await ctl.subscribe({ subscription: sub() }, viewer);
    await ctl.subscribe({ subscription: sub('https://updates.push.services.mozilla.com/wpush/v2/other') }, viewer);
    await repo.create({ name: 'mail', channel: 'email', destination: JSON.stringify({ endpoint: sub().endpoint }) });
    expect(await ctl.remove({ endpoint: sub().endpoint })).toMatchObject({ subscribed: false });
    expect(repo.rows.map((r) => r.channel)).toEqual(['push', 'email']);
    expect(await ctl.remove({ endpoint: 'https://unknown.example/x' })).toMatchObject({ subscribed: false });
    expect(repo.rows).toHaveLength(2);
  });
});
