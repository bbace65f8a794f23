import { Logger } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import Redis from 'ioredis';
import { redactUrl } from '@crowdsafe/server-core';
import { secs } from './memory-throttler.storage';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * One atomic round trip per request: a fixed window counter (INCR + PEXPIRE on the first hit) and a block key set
 * when the limit is exceeded. Returns {hits, windowPttl, blocked(0|1), blockPttl}.
 */
const INCREMENT_SCRIPT = `
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl > 0 then
  local hits = tonumber(redis.call('GET', KEYS[1]) or '0')
  return {hits, redis.call('PTTL', KEYS[1]), 1, blockTtl}
end
local hits = redis.call('INCR', KEYS[1])
local pttl = redis.call('PTTL', KEYS[1])
if hits == 1 or pttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  pttl = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, pttl, 1, tonumber(ARGV[3])}
end
return {hits, pttl, 0, 0}
`;

type RedisWithScript = Redis & {
  csThrottle(key: string, blockKey: string, ttl: number, limit: number, block: number): Promise<[number, number, number, number]>;
};

/**
 * Rate-limit counters shared by every api replica (distributed mode). Keys: `<QUEUE_PREFIX>:rl:<name>:<tracker>`,
 * all with a TTL. When Redis is unreachable the request is allowed (fail open) and a warning is logged at most once
 * per 30 s: an outage of the limiter must not take the api down on the night.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: RedisWithScript;
  private lastWarn = 0;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    const redis = new Redis(url, {
      // Connects on the first request; no socket is opened by merely building the module.
      lazyConnect: true,
      connectTimeout: 5000,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      retryStrategy: (times) => Math.min(times * 200, 2000),
      disconnectTimeout: 200,
    });
    redis.on('error', (e: Error) => this.warn(`Redis for rate limits at ${redactUrl(url)}: ${redactUrl(e.message)}`));
    redis.defineCommand('csThrottle', { numberOfKeys: 2, lua: INCREMENT_SCRIPT });
    this.redis = redis as RedisWithScript;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const k = `${this.prefix}:rl:${throttlerName}:${key}`;
    try {
      const [hits, pttl, blocked, blockPttl] = await this.redis.csThrottle(k, `${k}:blocked`, ttl, limit, blockDuration);
      return { totalHits: hits, timeToExpire: secs(pttl), isBlocked: blocked === 1, timeToBlockExpire: secs(blockPttl) };
    } catch (e) {
      this.warn(`rate limit check failed, request allowed: ${redactUrl((e as Error).message)}`);
      return { totalHits: 0, timeToExpire: secs(ttl), isBlocked: false, timeToBlockExpire: 0 };
    }
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  private warn(message: string): void {
    const now = Date.now();
    if (now - this.lastWarn < 30_000) return;
    this.lastWarn = now;
    this.logger.warn(message);
  }
}
