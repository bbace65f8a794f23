// Behaviour every SessionStore must have; run against the in-process store (unit) and real Redis (medium).
import { randomUUID } from 'node:crypto';
import type { SessionInfo, SessionStore } from './session-store';

const HOUR = 3_600_000;
const IDLE = 30 * 60_000;

export function sessionStoreScenarios(make: () => SessionStore): void {
  let store: SessionStore;
  const info = (userId = randomUUID()): SessionInfo => ({ userId, username: 'alice', role: 'operator', mustChangePassword: false, provider: 'local' });
  beforeEach(() => (store = make()));
  afterEach(() => store.close());

  it('unknown session -> missing', async () => {
    await expect(store.check(randomUUID(), 0, IDLE, true)).resolves.toEqual({ status: 'missing' });
    await expect(store.rotate(randomUUID(), 'a', 'b', 0, IDLE, HOUR)).resolves.toEqual({ status: 'missing' });
  });

  it('create then check returns the session info', async () => {
    const sid = randomUUID();
    const i = info();
    await expect(store.create(sid, i, 'h1', 1000, 1000 + HOUR, 5)).resolves.toEqual([]);
    await expect(store.check(sid, 2000, IDLE, true)).resolves.toEqual({ status: 'ok', session: i });
  });

  it('rotation accepts the current token once; the replayed old one revokes the family', async () => {
    const sid = randomUUID();
    const i = info();
    await store.create(sid, i, 'h1', 1000, 1000 + HOUR, 5);
    await expect(store.rotate(sid, 'h1', 'h2', 2000, IDLE, 2000 + HOUR)).resolves.toEqual({ status: 'ok', session: i });
    await expect(store.rotate(sid, 'h2', 'h3', 3000, IDLE, 3000 + HOUR)).resolves.toMatchObject({ status: 'ok' });
    await expect(store.rotate(sid, 'h1', 'h4', 4000, IDLE, 4000 + HOUR)).resolves.toEqual({ status: 'reuse', userId: i.userId });
    // the legitimate holder of h3 is locked out too, and access tokens of the session stop working
    await expect(store.rotate(sid, 'h3', 'h5', 5000, IDLE, 5000 + HOUR)).resolves.toEqual({ status: 'revoked', reason: 'reuse' });
    await expect(store.check(sid, 5000, IDLE, true)).resolves.toEqual({ status: 'revoked', reason: 'reuse' });
  });

  it('inactivity: idle longer than the timeout -> revoked idle; activity keeps it alive', async () => {
    const sid = randomUUID();
    await store.create(sid, info(), 'h1', 0, 10 * HOUR, 5);
    await expect(store.check(sid, IDLE - 1, IDLE, true)).resolves.toMatchObject({ status: 'ok' });
    await expect(store.check(sid, 2 * IDLE - 2, IDLE, true)).resolves.toMatchObject({ status: 'ok' });
    await expect(store.check(sid, 3 * IDLE, IDLE, false)).resolves.toEqual({ status: 'revoked', reason: 'idle' });
    await expect(store.rotate(sid, 'h1', 'h2', 3 * IDLE, IDLE, 10 * HOUR)).resolves.toEqual({ status: 'revoked', reason: 'idle' });
  });

  it('a check without touch does not extend the session', async () => {
    const sid = randomUUID();
    await store.create(sid, info(), 'h1', 0, 10 * HOUR, 5);
    await store.check(sid, IDLE - 1, IDLE, false);
    await expect(store.check(sid, IDLE + 10, IDLE, false)).resolves.toEqual({ status: 'revoked', reason: 'idle' });
  });

  it('absolute expiry', async () => {
    const sid = randomUUID();
    await store.create(sid, info(), 'h1', 0, 1000, 5);
    await expect(store.check(sid, 1001, IDLE, true)).resolves.toEqual({ status: 'revoked', reason: 'expired' });
  });

  it('revoke (logout) and revokeUser', async () => {
    const a = randomUUID();
    const b = randomUUID();
    const c = randomUUID();
    const i = info();
    await store.create(a, i, 'h', 0, HOUR, 5);
    await store.create(b, i, 'h', 1, HOUR, 5);
    await store.create(c, info(), 'h', 2, HOUR, 5);
    await store.revoke(a, 'logout');
    await expect(store.check(a, 10, IDLE, true)).resolves.toEqual({ status: 'revoked', reason: 'logout' });
    await expect(store.check(b, 10, IDLE, true)).resolves.toMatchObject({ status: 'ok' });
    await expect(store.revokeUser(i.userId, 'admin')).resolves.toEqual(expect.arrayContaining([b]));
    await expect(store.check(b, 10, IDLE, true)).resolves.toEqual({ status: 'revoked', reason: 'admin' });
    await expect(store.check(c, 10, IDLE, true)).resolves.toMatchObject({ status: 'ok' });
  });

  it('revokeUser with an exception (password changed): every other session ends, that one goes on', async () => {
    const [keep, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const i = info();
    await store.create(keep, i, 'h', 0, HOUR, 5);
    await store.create(b, i, 'h', 1, HOUR, 5);
    await store.create(c, i, 'h', 2, HOUR, 5);
    const revoked = await store.revokeUser(i.userId, 'password changed', keep);
    expect([...revoked].sort()).toEqual([b, c].sort());
    await expect(store.check(keep, 10, IDLE, true)).resolves.toMatchObject({ status: 'ok' });
    await expect(store.check(b, 10, IDLE, true)).resolves.toEqual({ status: 'revoked', reason: 'password changed' });
    await expect(store.check(c, 10, IDLE, true)).resolves.toEqual({ status: 'revoked', reason: 'password changed' });
    // The kept session is still the user's: a later revokeUser (admin reset) ends it too.
    await expect(store.revokeUser(i.userId, 'admin')).resolves.toEqual([keep]);
    await expect(store.check(keep, 10, IDLE, true)).resolves.toEqual({ status: 'revoked', reason: 'admin' });
  });

  it('per-user cap revokes the oldest sessions', async () => {
    const i = info();
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    await store.create(ids[0], i, 'h', 0, HOUR, 2);
    await store.create(ids[1], i, 'h', 1, HOUR, 2);
    await expect(store.create(ids[2], i, 'h', 2, HOUR, 2)).resolves.toEqual([ids[0]]);
    await expect(store.check(ids[0], 3, IDLE, true)).resolves.toEqual({ status: 'revoked', reason: 'evicted' });
    await expect(store.check(ids[2], 3, IDLE, true)).resolves.toMatchObject({ status: 'ok' });
  });

  it('update and setUserFlag change what check returns', async () => {
    const sid = randomUUID();
    const i = info();
    await store.create(sid, i, 'h', 0, HOUR, 5);
    await store.update(sid, { role: 'viewer' });
    await store.setUserFlag(i.userId, true);
    await expect(store.check(sid, 1, IDLE, true)).resolves.toEqual({ status: 'ok', session: { ...i, role: 'viewer', mustChangePassword: true } });
    await store.update(randomUUID(), { role: 'admin' }); // unknown: no-op
  });
}
