import type { CheckResult, RevokeReason, RotateResult, SessionInfo, SessionStore } from './session-store';

interface Entry {
  info: SessionInfo;
  current: string;
  last: number;
  expiresAt: number;
  revoked: RevokeReason | null;
}

/**
 * Embedded-mode session store: one process, bounded to `maxSessions` entries (expired and revoked ones are dropped
 * first, then the oldest), so a flood of logins cannot grow memory. Sessions do not survive a restart.
 */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Entry>();
  private readonly byUser = new Map<string, Set<string>>();

  constructor(private readonly maxSessions: number) {}

  get size(): number {
    return this.sessions.size;
  }

  async create(sid: string, info: SessionInfo, tokenHash: string, now: number, expiresAt: number, perUserCap: number): Promise<string[]> {
    if (this.sessions.size >= this.maxSessions) this.evict(now);
    this.sessions.set(sid, { info: { ...info }, current: tokenHash, last: now, expiresAt, revoked: null });
    const ids = this.byUser.get(info.userId) ?? new Set<string>();
    ids.add(sid);
    this.byUser.set(info.userId, ids);
    const live = [...ids].filter((id) => {
      const e = this.sessions.get(id);
      if (!e || e.revoked || e.expiresAt < now) {
        ids.delete(id);
        return false;
      }
      return true;
    });
    const evicted = live.slice(0, Math.max(0, live.length - perUserCap));
    for (const id of evicted) {
      this.mark(id, 'evicted');
      ids.delete(id);
    }
    return evicted;
  }

  async check(sid: string, now: number, idleMs: number, touch: boolean): Promise<CheckResult> {
    const e = this.live(sid, now, idleMs);
    if (!('info' in e)) return e;
    if (touch) e.last = now;
    return { status: 'ok', session: { ...e.info } };
  }

  async rotate(sid: string, presentedHash: string, newHash: string, now: number, idleMs: number, newExpiresAt: number): Promise<RotateResult> {
    const e = this.live(sid, now, idleMs);
    if (!('info' in e)) return e;
    if (e.current !== presentedHash) {
      e.revoked = 'reuse';
      return { status: 'reuse', userId: e.info.userId };
    }
    e.current = newHash;
    e.last = now;
    e.expiresAt = newExpiresAt;
    return { status: 'ok', session: { ...e.info } };
  }

  async update(sid: string, patch: Partial<Pick<SessionInfo, 'role' | 'mustChangePassword' | 'username'>>): Promise<void> {
    const e = this.sessions.get(sid);
    if (e) Object.assign(e.info, patch);
  }

  async revoke(sid: string, reason: RevokeReason): Promise<void> {
    this.mark(sid, reason);
  }

  async revokeUser(userId: string, reason: RevokeReason, exceptSid?: string): Promise<string[]> {
    const ids = [...(this.byUser.get(userId) ?? [])].filter((id) => id !== exceptSid);
    for (const id of ids) this.mark(id, reason);
    const kept = this.byUser.get(userId);
    if (exceptSid && kept?.has(exceptSid)) {
      for (const id of ids) kept.delete(id);
    } else this.byUser.delete(userId);
    return ids;
  }

  async setUserFlag(userId: string, mustChangePassword: boolean): Promise<void> {
    for (const id of this.byUser.get(userId) ?? []) {
      const e = this.sessions.get(id);
      if (e) e.info.mustChangePassword = mustChangePassword;
    }
  }

  async close(): Promise<void> {
    this.sessions.clear();
    this.byUser.clear();
  }

  private live(sid: string, now: number, idleMs: number): Entry | { status: 'revoked'; reason: RevokeReason } | { status: 'missing' } {
    const e = this.sessions.get(sid);
    if (!e) return { status: 'missing' };
    if (e.revoked) return { status: 'revoked', reason: e.revoked };
    if (now > e.expiresAt) return { status: 'revoked', reason: (e.revoked = 'expired') };
    if (now - e.last > idleMs) return { status: 'revoked', reason: (e.revoked = 'idle') };
    return e;
  }

  private mark(sid: string, reason: RevokeReason): void {
    const e = this.sessions.get(sid);
    if (e && !e.revoked) e.revoked = reason;
  }

  /** Makes room: drops expired/revoked sessions, then the oldest (Map order = creation order) down to 90 %. */
  private evict(now: number): void {
    const drop = (sid: string, e: Entry) => {
      this.sessions.delete(sid);
      const ids = this.byUser.get(e.info.userId);
      ids?.delete(sid);
      if (ids && !ids.size) this.byUser.delete(e.info.userId);
    };
    for (const [sid, e] of this.sessions) if (e.revoked || e.expiresAt < now) drop(sid, e);
    const target = Math.floor(this.maxSessions * 0.9);
    for (const [sid, e] of this.sessions) {
      if (this.sessions.size <= target) break;
      drop(sid, e);
    }
  }
}
