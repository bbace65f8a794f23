import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { RedisSessionStore } from './redis-session-store';
import { sessionStoreScenarios } from './session-store.scenarios.test-util';

jest.setTimeout(30_000);

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('RedisSessionStore (real Redis)', () => {
  const prefix = `cs-test-auth-${randomUUID()}:`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  sessionStoreScenarios(() => new RedisSessionStore(redis, prefix, false));

  it('keys expire with the session and only hashes of refresh tokens are stored', async () => {
    const store = new RedisSessionStore(redis, prefix, false);
    const sid = randomUUID();
    const now = Date.now();
    await store.create(sid, { userId: randomUUID(), username: 'bob', role: 'viewer', mustChangePassword: false, provider: 'local' }, 'hash-1', now, now + 60_000, 5);
    const ttl = await redis.pttl(`${prefix}s:${sid}`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await redis.hget(`${prefix}s:${sid}`, 'cur')).toBe('hash-1');
  });
});
