import type Redis from 'ioredis';
import type { UserRole } from '@crowdsafe/contracts';
import { type CheckResult, type RevokeReason, type RotateResult, type SessionInfo, type SessionStore, SessionStoreUnavailableError } from './session-store';

// Each operation is one Lua script, so check-and-touch and rotate-or-detect-reuse are atomic across api replicas.
// Session hash fields: uid un role mcp prov cur(last refresh hash) last(activity ms) exp(ms) rev(reason or '').
const LIVE = `
local h = redis.call('HMGET', KEYS[1], 'uid', 'un', 'role', 'mcp', 'prov', 'last', 'exp', 'rev', 'cur')
if not h[1] then return {'missing'} end
if h[8] and h[8] ~= '' then return {'revoked', h[8]} end
local now = tonumber(ARGV[1])
if now > tonumber(h[7]) then redis.call('HSET', KEYS[1], 'rev', 'expired') return {'revoked', 'expired'} end
if now - tonumber(h[6]) > tonumber(ARGV[2]) then redis.call('HSET', KEYS[1], 'rev', 'idle') return {'revoked', 'idle'} end
`;
const CHECK = `${LIVE}
if ARGV[3] == '1' then redis.call('HSET', KEYS[1], 'last', ARGV[1]) end
return {'ok', h[1], h[2], h[3], h[4], h[5]}`;
const ROTATE = `${LIVE}
if h[9] ~= ARGV[3] then redis.call('HSET', KEYS[1], 'rev', 'reuse') return {'reuse', h[1]} end
redis.call('HSET', KEYS[1], 'cur', ARGV[4], 'last', ARGV[1], 'exp', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return {'ok', h[1], h[2], h[3], h[4], h[5]}`;
const CREATE = `
redis.call('HSET', KEYS[1], 'uid', ARGV[2], 'un', ARGV[3], 'role', ARGV[4], 'mcp', ARGV[5], 'prov', ARGV[6], 'cur', ARGV[7], 'last', ARGV[8], 'exp', ARGV[9], 'rev', '')
redis.call('PEXPIRE', KEYS[1], ARGV[10])
redis.call('ZADD', KEYS[2], ARGV[8], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[10])
local ids = redis.call('ZRANGE', KEYS[2], 0, -1)
local live = {}
for _, id in ipairs(ids) do
  local r = redis.call('HGET', ARGV[12] .. id, 'rev')
  if (not r) or r ~= '' then redis.call('ZREM', KEYS[2], id) else table.insert(live, id) end
end
local evicted = {}
for i = 1, #live - tonumber(ARGV[11]) do
  redis.call('HSET', ARGV[12] .. live[i], 'rev', 'evicted')
  redis.call('ZREM', KEYS[2], live[i])
  table.insert(evicted, live[i])
end
return evicted`;
const REVOKE = `
if redis.call('HGET', KEYS[1], 'rev') == '' then redis.call('HSET', KEYS[1], 'rev', ARGV[1]) end
return 1`;
const REVOKE_USER = `
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
local revoked = {}
for _, id in ipairs(ids) do
  if id ~= ARGV[3] then
    if redis.call('HGET', ARGV[1] .. id, 'rev') == '' then redis.call('HSET', ARGV[1] .. id, 'rev', ARGV[2]) end
    redis.call('ZREM', KEYS[1], id)
    table.insert(revoked, id)
  end
end
if ARGV[3] == '' then redis.call('DEL', KEYS[1]) end
return revoked`;
const SET_USER_FLAG = `
local ids = redis.call('ZRANGE', KEYS[1], 0, -1)
for _, id in ipairs(ids) do
  if redis.call('EXISTS', ARGV[1] .. id) == 1 then redis.call('HSET', ARGV[1] .. id, 'mcp', ARGV[2]) end
end
return #ids`;
const UPDATE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1`;

type Reply = Array<string | null>;

/** Redis replies that mean "not available right now" rather than a bug in a script. */
const UNAVAILABLE_REPLY = /^(LOADING|MASTERDOWN|BUSY|READONLY|CLUSTERDOWN|TRYAGAIN|NOAUTH|WRONGPASS)\b/;

/**
 * True when a Redis command failed because the server cannot be reached or cannot serve now: connection errors,
 * ioredis's MaxRetriesPerRequestError / "Connection is closed", timeouts, and the replies above. A script error
 * (ReplyError with any other message) is a bug and stays a 500.
 */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err.name === 'ReplyError') return UNAVAILABLE_REPLY.test(err.message);
  return true;
}

/** Where the store reports an outage (once, when it starts) and the recovery (once, when it ends). */
export interface SessionStoreOutageLogger {
  error(message: string): void;
  log(message: string): void;
}

function toResult(r: Reply): RotateResult {
  switch (r[0]) {
    case 'ok':
      return {
        status: 'ok',
        session: { userId: r[1] as string, username: r[2] as string, role: r[3] as UserRole, mustChangePassword: r[4] === '1', provider: (r[5] as string) || 'local' },
      };
    case 'revoked':
      return { status: 'revoked', reason: r[1] as string };
    case 'reuse':
      return { status: 'reuse', userId: r[1] as string };
    default:
      return { status: 'missing' };
  }
}

/**
 * Distributed session store on Redis. Keys: `<prefix>s:<sid>` (hash, expires with the refresh token) and
 * `<prefix>u:<userId>` (sorted set of the user's session ids by creation). Single-instance Redis (the scripts touch
 * the user's session keys by name, which Redis Cluster would not allow across slots).
 */
export class RedisSessionStore implements SessionStore {
  /** In an outage (a command failed as unavailable, or the connection dropped) until Redis is ready again. */
  private down = false;

  constructor(
    private readonly redis: Redis,
    /** e.g. 'crowdsafe:auth:' */
    private readonly prefix: string,
    private readonly ownsConnection = true,
    private readonly outageLog?: SessionStoreOutageLogger,
    /** How the server is named in the outage log (a redacted URL). */
    private readonly label = 'Redis',
  ) {
    // With its own connection the store also follows the connection's events (which keeps ioredis from reporting an
    // unhandled 'error' on every failed reconnect); on a shared one, command failures and successes alone tell.
    if (ownsConnection) {
      redis.on('error', (err: Error) => this.markDown(err));
      redis.on('ready', () => this.markUp());
    }
  }

  /** Whether the store is in an outage now (for health checks and tests). */
  get unavailable(): boolean {
    return this.down;
  }

  /**
   * Runs one command. In a known outage, while the connection is not ready, fails at once instead of waiting for
   * ioredis's reconnect attempts (requests answer 503 quickly); failures that mean "unreachable" become
   * SessionStoreUnavailableError.
   */
  private async run<T>(op: () => Promise<T>): Promise<T> {
    if (this.down && this.redis.status !== 'ready') throw new SessionStoreUnavailableError(new Error(`connection is ${this.redis.status}`));
    try {
      const r = await op();
      this.markUp();
      return r;
    } catch (err) {
      if (!isRedisUnavailable(err)) throw err;
      this.markDown(err as Error);
      throw new SessionStoreUnavailableError(err);
    }
  }

  private markDown(err: Error): void {
    if (this.down) return;
    this.down = true;
    this.outageLog?.error(`session store unavailable (${this.label}): ${err.message}; authenticated requests answer 503 until it is back`);
  }

  private markUp(): void {
    if (!this.down) return;
    this.down = false;
    this.outageLog?.log(`session store available again (${this.label})`);
  }

  private s(sid: string): string {
    return `${this.prefix}s:${sid}`;
  }
  private u(userId: string): string {
    return `${this.prefix}u:${userId}`;
  }

  async create(sid: string, info: SessionInfo, tokenHash: string, now: number, expiresAt: number, perUserCap: number): Promise<string[]> {
    const ttl = Math.max(1, expiresAt - now);
    return (await this.run(() => this.redis.eval(
      CREATE, 2, this.s(sid), this.u(info.userId),
      sid, info.userId, info.username, info.role, info.mustChangePassword ? '1' : '0', info.provider, tokenHash,
      String(now), String(expiresAt), String(ttl), String(perUserCap), `${this.prefix}s:`,
    ))) as string[];
  }

  async check(sid: string, now: number, idleMs: number, touch: boolean): Promise<CheckResult> {
    const r = toResult((await this.run(() => this.redis.eval(CHECK, 1, this.s(sid), String(now), String(idleMs), touch ? '1' : '0'))) as Reply);
    return r.status === 'reuse' ? { status: 'revoked', reason: 'reuse' } : r;
  }

  async rotate(sid: string, presentedHash: string, newHash: string, now: number, idleMs: number, newExpiresAt: number): Promise<RotateResult> {
    const ttl = Math.max(1, newExpiresAt - now);
    return toResult((await this.run(() => this.redis.eval(ROTATE, 1, this.s(sid), String(now), String(idleMs), presentedHash, newHash, String(newExpiresAt), String(ttl)))) as Reply);
  }

  async update(sid: string, patch: Partial<Pick<SessionInfo, 'role' | 'mustChangePassword' | 'username'>>): Promise<void> {
    const args: string[] = [];
    if (patch.role !== undefined) args.push('role', patch.role);
    if (patch.username !== undefined) args.push('un', patch.username);
    if (patch.mustChangePassword !== undefined) args.push('mcp', patch.mustChangePassword ? '1' : '0');
    if (args.length) await this.run(() => this.redis.eval(UPDATE, 1, this.s(sid), ...args));
  }

  async revoke(sid: string, reason: RevokeReason): Promise<void> {
    await this.run(() => this.redis.eval(REVOKE, 1, this.s(sid), reason));
  }

  async revokeUser(userId: string, reason: RevokeReason, exceptSid?: string): Promise<string[]> {
    return (await this.run(() => this.redis.eval(REVOKE_USER, 1, this.u(userId), `${this.prefix}s:`, reason, exceptSid ?? ''))) as string[];
  }

  async setUserFlag(userId: string, mustChangePassword: boolean): Promise<void> {
    await this.run(() => this.redis.eval(SET_USER_FLAG, 1, this.u(userId), `${this.prefix}s:`, mustChangePassword ? '1' : '0'));
  }

  async close(): Promise<void> {
    if (this.ownsConnection) await this.redis.quit().catch(() => undefined);
  }
}
