import type { UserRole } from '@crowdsafe/contracts';

/** What a session (one login = one refresh-token family) carries besides its bookkeeping. */
export interface SessionInfo {
  userId: string;
  username: string;
  role: UserRole;
  mustChangePassword: boolean;
  /** 'local', 'oidc', 'proxy'. */
  provider: string;
}

/** Why a session ended: 'logout', 'reuse' (an old refresh token came back), 'idle', 'expired', 'evicted', 'admin'... */
export type RevokeReason = string;

export type CheckResult = { status: 'ok'; session: SessionInfo } | { status: 'revoked'; reason: RevokeReason } | { status: 'missing' };
export type RotateResult = CheckResult | { status: 'reuse'; userId: string };

/**
 * Server-side session state: revocation, inactivity and refresh-token rotation with reuse detection. Refresh
 * tokens are only ever stored as hashes. Implementations: Redis (distributed; shared by every api replica) and an
 * in-process bounded map (embedded). All time values are epoch milliseconds.
 */
export interface SessionStore {
  /** Stores a new session; returns the ids of older sessions of the same user revoked to respect `perUserCap`. */
  create(sid: string, info: SessionInfo, tokenHash: string, now: number, expiresAt: number, perUserCap: number): Promise<string[]>;
  /** Validates a session; an idle one (now - last activity > idleMs) is revoked ('idle'). `touch` records activity. */
  check(sid: string, now: number, idleMs: number, touch: boolean): Promise<CheckResult>;
  /**
   * Exchanges the current refresh token (by hash) for a new one. A hash that is not the current one means an
   * already-rotated token was replayed: the whole session is revoked ('reuse').
   */
  rotate(sid: string, presentedHash: string, newHash: string, now: number, idleMs: number, newExpiresAt: number): Promise<RotateResult>;
  /** Updates role / flags of a live session (no-op when gone). */
  update(sid: string, patch: Partial<Pick<SessionInfo, 'role' | 'mustChangePassword' | 'username'>>): Promise<void>;
  revoke(sid: string, reason: RevokeReason): Promise<void>;
  /** Revokes every session of the user (but `exceptSid`, when given); returns the revoked ids. */
  revokeUser(userId: string, reason: RevokeReason, exceptSid?: string): Promise<string[]>;
  /** Sets must-change-password on every live session of the user. */
  setUserFlag(userId: string, mustChangePassword: boolean): Promise<void>;
  close(): Promise<void>;
}

/**
 * The store cannot be reached (Redis down, refusing connections, loading): the request cannot be authenticated
 * either way, so the API answers 503 "Session store unavailable" instead of a 500 or a false 401.
 */
export class SessionStoreUnavailableError extends Error {
  constructor(override readonly cause?: unknown) {
    super(`Session store unavailable${cause instanceof Error ? `: ${cause.message}` : ''}`);
    this.name = 'SessionStoreUnavailableError';
  }
}
