// Test helpers (excluded from the build) for medium specs that use the real Redis.
import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';

export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** A QUEUE_PREFIX no other test run uses. */
export function uniquePrefix(label: string): string {
  return `cs-test-${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Delete every key under `${prefix}:` (SCAN, not KEYS). Returns how many were deleted. */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
