import type Redis from 'ioredis';

/** Redis time in ms, inside a script (one clock for every node: no skew between hosts). */
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS: nodes zset. ARGV: node, ttlMs. Registers the node, drops nodes silent for ttlMs, returns the live ones. */
const HEARTBEAT = `${NOW}
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 10)
return redis.call('ZRANGE', KEYS[1], 0, -1)`;

/** KEYS: lease, fence counter. ARGV: node, ttlMs. A free lease is taken with the next fencing token (else 0). */
const ACQUIRE = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. token, 'PX', tonumber(ARGV[2]))
return token`;

/** KEYS: lease. ARGV: holder value, ttlMs. Extends the lease only while it is still ours. */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
return 0`;

/** KEYS: lease. ARGV: holder value. Gives the lease up only if it is still ours. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Camera leases on Redis: one key per camera naming its owner and a fencing token (a per-camera counter that only
 * grows), with a TTL the owner renews. A node that stops renewing (killed, stalled, cut off) loses its cameras when
 * the TTL runs out; the token lets writers refuse a former owner's late writes. Node liveness is a sorted set of
 * heartbeats in Redis time.
 */
export class CameraLeases {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly nodeId: string,
    readonly ttlMs: number,
  ) {}

  /** Heartbeat; the live nodes (this one included), sorted. */
  async heartbeat(): Promise<string[]> {
    return (await this.redis.eval(HEARTBEAT, 1, this.key('nodes'), this.nodeId, this.ttlMs)) as string[];
  }

  /** Leaves the node set at once (graceful shutdown), so the others take over without waiting for the TTL. */
  async leave(): Promise<void> {
    await this.redis.zrem(this.key('nodes'), this.nodeId);
  }

  /** Takes a free lease: its fencing token, or null when another node holds it. */
  async acquire(cameraId: string): Promise<number | null> {
    const token = Number(await this.redis.eval(ACQUIRE, 2, this.key(`lease:${cameraId}`), this.key(`fence:${cameraId}`), this.nodeId, this.ttlMs));
    return token > 0 ? token : null;
  }

  /** False when the lease is no longer ours (expired and taken, or gone). */
  async renew(cameraId: string, token: number): Promise<boolean> {
    return Number(await this.redis.eval(RENEW, 1, this.key(`lease:${cameraId}`), `${this.nodeId}|${token}`, this.ttlMs)) === 1;
  }

  async release(cameraId: string, token: number): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(`lease:${cameraId}`), `${this.nodeId}|${token}`);
  }

  /** Who holds a camera now (monitoring, tests): node id and token, or null. */
  async holder(cameraId: string): Promise<{ nodeId: string; token: number } | null> {
    const v = await this.redis.get(this.key(`lease:${cameraId}`));
    if (!v) return null;
    const at = v.lastIndexOf('|');
    return { nodeId: v.slice(0, at), token: Number(v.slice(at + 1)) };
  }

  private key(k: string): string {
    return `${this.prefix}:cameras:${k}`;
  }
}
