import { randomUUID } from 'node:crypto';
import { MemorySessionStore } from './memory-session-store';
import { sessionStoreScenarios } from './session-store.scenarios.test-util';

describe('MemorySessionStore', () => {
  sessionStoreScenarios(() => new MemorySessionStore(1000));

  it('stays within maxSessions, dropping revoked then oldest', async () => {
    const store = new MemorySessionStore(10);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const sid = randomUUID();
      ids.push(sid);
      await store.create(sid, { userId: randomUUID(), username: `u${i}`, role: 'viewer', mustChangePassword: false, provider: 'local' }, 'h', i, 1e9, 5);
      expect(store.size).toBeLessThanOrEqual(10);
    }
    await expect(store.check(ids[0], 30, 1e9, false)).resolves.toEqual({ status: 'missing' });
    await expect(store.check(ids[24], 30, 1e9, false)).resolves.toMatchObject({ status: 'ok' });
  });
});
