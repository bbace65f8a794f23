import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Entry {
  hits: number;
  expiresAt: number;
  blockedUntil: number;
}

/**
 * In-process fixed-window counters for the embedded mode (one api process). Bounded: at most `maxKeys` windows are
 * kept; expired ones are pruned first, then the oldest (a flood of distinct IPs cannot grow memory without bound).
 */
export class MemoryThrottlerStorage implements ThrottlerStorage {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly maxKeys = 50_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    let e = this.entries.get(key);
    if (e && e.expiresAt <= now && e.blockedUntil <= now) {
      this.entries.delete(key);
      e = undefined;
    }
    if (!e) {
      this.makeRoom(now);
      e = { hits: 0, expiresAt: now + ttl, blockedUntil: 0 };
      this.entries.set(key, e);
    }
    if (e.blockedUntil > now) {
      return { totalHits: e.hits, timeToExpire: secs(e.expiresAt - now), isBlocked: true, timeToBlockExpire: secs(e.blockedUntil - now) };
    }
    if (e.expiresAt <= now) {
      e.hits = 0;
      e.expiresAt = now + ttl;
    }
    e.hits++;
    if (e.hits > limit) {
      e.blockedUntil = now + blockDuration;
      return { totalHits: e.hits, timeToExpire: secs(e.expiresAt - now), isBlocked: true, timeToBlockExpire: secs(blockDuration) };
    }
    return { totalHits: e.hits, timeToExpire: secs(e.expiresAt - now), isBlocked: false, timeToBlockExpire: 0 };
  }

  private makeRoom(now: number): void {
    if (this.entries.size < this.maxKeys) return;
    for (const [k, v] of this.entries) if (v.expiresAt <= now && v.blockedUntil <= now) this.entries.delete(k);
    while (this.entries.size >= this.maxKeys) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

/** Milliseconds → whole seconds, at least 1 while something remains (what Retry-After carries). */
export function secs(ms: number): number {
  return ms <= 0 ? 0 : Math.max(1, Math.ceil(ms / 1000));
}
