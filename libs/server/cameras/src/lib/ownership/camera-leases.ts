import type Redis from 'ioredis';

/** Redis time in ms, inside a script (one clock for every node: no skew between hosts). */
const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS: nodes zset. ARGV: node, ttlMs. Registers the node, drops nodes silent for ttlMs; returns Redis now and the
 * live nodes with their last heartbeat ([now, node, beat, node, beat, ...]).
 */
const HEARTBEAT = `${NOW}
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 10)
local out = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
table.insert(out, 1, tostring(now))
return out`;

/**
 * KEYS: lease, fence counter. ARGV: node, ttlMs. A free lease is taken with the next fencing token (> 0); a held one
 * answers minus its remaining time in ms (<= 0), so the caller can come back the moment it expires.
 */
const ACQUIRE = `if redis.call('EXISTS', KEYS[1]) == 1 then return -math.max(0, redis.call('PTTL', KEYS[1])) end
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
/** The live nodes (sorted, this one included) and how long until the first other node's heartbeat expires. */
export interface Heartbeat {
  nodes: string[];
  /** ms until the earliest other node drops out of the set if it does not beat again (null: no other node). */
  nextExpiryMs: number | null;
}

/** A lease taken (its fencing token) or held by another node for `heldMs` more. */
export type Acquired = { token: number } | { heldMs: number };

export class CameraLeases {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly nodeId: string,
    readonly ttlMs: number,
  ) {}

  /** Heartbeat: the live nodes and when the first other one would expire (see heartbeatOf). */
  async heartbeat(): Promise<Heartbeat> {
    return heartbeatOf((await this.redis.eval(HEARTBEAT, 1, this.key('nodes'), this.nodeId, this.ttlMs)) as string[], this.nodeId, this.ttlMs);
  }

  /** Leaves the node set at once (graceful shutdown), so the others take over without waiting for the TTL. */
  async leave(): Promise<void> {
    await this.redis.zrem(this.key('nodes'), this.nodeId);
  }

  /** Takes a free lease (its fencing token), or says how long another node still holds it. */
  async acquire(cameraId: string): Promise<Acquired> {
    const r = Number(await this.redis.eval(ACQUIRE, 2, this.key(`lease:${cameraId}`), this.key(`fence:${cameraId}`), this.nodeId, this.ttlMs));
    return r > 0 ? { token: r } : { heldMs: -r };
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

/** Parses the HEARTBEAT reply ([now, node, beat, ...]): the live nodes sorted, and the first other node's expiry. */
export function heartbeatOf(reply: readonly string[], self: string, ttlMs: number): Heartbeat {
  if (!Array.isArray(reply) || reply.length % 2 !== 1) throw new Error(`heartbeat reply: expected [now, node, beat, ...], got ${JSON.stringify(reply)}`);
  const now = Number(reply[0]);
  const nodes: string[] = [];
  let nextExpiryMs: number | null = null;
  for (let i = 1; i < reply.length; i += 2) {
    const node = reply[i] as string;
    nodes.push(node);
    if (node === self) continue;
    const left = Math.max(0, Number(reply[i + 1]) + ttlMs - now);
    if (nextExpiryMs === null || left < nextExpiryMs) nextExpiryMs = left;
  }
  return { nodes: nodes.sort(), nextExpiryMs };
}
