import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import type { AuthUser } from '@crowdsafe/server-core';
import { SystemLogRepository, type UserRecord } from '@crowdsafe/server-database';
import { UserSessionRevoker } from '@crowdsafe/server-users';
import { type RevokeReason, type SessionInfo, type SessionStore, SessionStoreUnavailableError } from './session-store';

export const SESSION_STORE = Symbol('SESSION_STORE');
export const JWT_ISSUER = 'crowdsafe';
export const JWT_AUDIENCE = 'crowdsafe-api';

/** Claims of an access token. */
export interface AccessClaims {
  sub: string;
  sid: string;
  username: string;
  role: string;
  typ: 'access';
  exp?: number;
}

export interface IssuedTokens {
  accessToken: string;
  /** `<sid>.<secret>`; only sha256(secret) is stored. */
  refreshToken: string;
  expiresIn: number;
  sessionId: string;
}

/** The principal of an authenticated request plus what the guard needs beyond AuthUser. */
export interface AuthenticatedSession extends AuthUser {
  mustChangePassword: boolean;
  provider: string;
}

const hashSecret = (s: string) => createHash('sha256').update(s).digest('base64url');
const REFRESH_FORMAT = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{43})$/;

const MESSAGES: Record<string, string> = {
  idle: 'Session expired after inactivity',
  expired: 'Session expired; sign in again',
  logout: 'Session ended (signed out)',
  reuse: 'Session revoked: a refresh token was reused',
  'password changed': 'Session ended: the password was changed; sign in again',
};
/** The 503 body message while the session store (Redis) cannot be reached. */
export const SESSION_STORE_UNAVAILABLE = 'Session store unavailable';

export const revokedMessage = (reason: RevokeReason) => MESSAGES[reason] ?? 'Session revoked; sign in again';

type RevocationListener = (sessionIds: string[]) => void;

/**
 * Sessions: login issues an access token (JWT, AUTH_ACCESS_TOKEN_TTL_S) bound to a session and a refresh token
 * (rotated on every use, reuse revokes the session); every authenticated request checks the session is live and
 * records activity, so logout, admin changes and AUTH_INACTIVITY_TIMEOUT_S take effect immediately.
 */
@Injectable()
export class SessionService extends UserSessionRevoker implements OnModuleDestroy {
  private readonly logger = new Logger('Auth');
  private readonly listeners = new Set<RevocationListener>();

  constructor(
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    private readonly jwt: JwtService,
    private readonly logs: SystemLogRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  private get idleMs(): number {
    return this.config.auth.inactivityTimeoutS * 1000;
  }

  /** Called with session ids when sessions are revoked in this process (the socket layer disconnects them). */
  onRevoked(listener: RevocationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async issue(user: Pick<UserRecord, 'id' | 'username' | 'role' | 'mustChangePassword' | 'authProvider'>): Promise<IssuedTokens> {
    const sid = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const now = Date.now();
    const info: SessionInfo = { userId: user.id, username: user.username, role: user.role, mustChangePassword: user.mustChangePassword, provider: user.authProvider };
    const evicted = await this.stored(() => this.store.create(sid, info, hashSecret(secret), now, now + this.config.auth.refreshTokenTtlS * 1000, this.config.auth.sessionsPerUser));
    if (evicted.length) this.emit(evicted);
    return { ...(await this.sign(sid, info)), refreshToken: `${sid}.${secret}`, sessionId: sid };
  }

  /**
   * Rotates a refresh token. `loadUser` re-reads the account so a deactivated/deleted user cannot refresh and the
   * session picks up role changes. Throws 401 with the reason.
   */
  async refresh(refreshToken: string | undefined, loadUser: (id: string) => Promise<UserRecord | null>, ip?: string): Promise<IssuedTokens & { user: UserRecord }> {
    const m = REFRESH_FORMAT.exec(refreshToken ?? '');
    if (!m) throw new UnauthorizedException('No valid refresh token; sign in again');
    const [, sid, secret] = m;
    const next = randomBytes(32).toString('base64url');
    const now = Date.now();
    const r = await this.stored(() => this.store.rotate(sid, hashSecret(secret), hashSecret(next), now, this.idleMs, now + this.config.auth.refreshTokenTtlS * 1000));
    if (r.status === 'reuse') {
      this.emit([sid]);
      this.logger.warn(`refresh token reuse detected for session ${sid.slice(0, 8)}: session revoked`);
      await this.log({ level: 'warn', action: 'auth.refresh_reuse', message: 'Refresh token reuse detected; session revoked', userId: r.userId, ip });
      throw new UnauthorizedException(revokedMessage('reuse'));
    }
    if (r.status === 'missing') throw new UnauthorizedException('Session not found; sign in again');
    if (r.status === 'revoked') {
      if (r.reason === 'idle') this.emit([sid]);
      throw new UnauthorizedException(revokedMessage(r.reason));
    }
    const user = await loadUser(r.session.userId);
    if (!user || !user.isActive) {
      await this.stored(() => this.store.revoke(sid, 'admin'));
      this.emit([sid]);
      throw new UnauthorizedException('Account disabled or deleted');
    }
    const info: SessionInfo = { ...r.session, role: user.role, username: user.username, mustChangePassword: user.mustChangePassword };
    if (info.role !== r.session.role || info.mustChangePassword !== r.session.mustChangePassword || info.username !== r.session.username) {
      await this.stored(() => this.store.update(sid, { role: info.role, mustChangePassword: info.mustChangePassword, username: info.username }));
    }
    return { ...(await this.sign(sid, info)), refreshToken: `${sid}.${next}`, sessionId: sid, user };
  }

  /** Validates an access token's session (and records activity when `touch`). Throws 401 with the reason. */
  async authenticate(claims: AccessClaims, touch = true): Promise<AuthenticatedSession> {
    if (claims.typ !== 'access' || !claims.sid || !claims.sub) throw new UnauthorizedException('Invalid access token');
    const r = await this.stored(() => this.store.check(claims.sid, Date.now(), this.idleMs, touch));
    if (r.status === 'missing') throw new UnauthorizedException('Session not found; sign in again');
    if (r.status === 'revoked') {
      if (r.reason === 'idle') this.emit([claims.sid]);
      throw new UnauthorizedException(revokedMessage(r.reason));
    }
    const s = r.session;
    return { id: s.userId, username: s.username, role: s.role, sessionId: claims.sid, mustChangePassword: s.mustChangePassword, provider: s.provider };
  }

  /** Verifies an access token's signature, issuer/audience and expiry (not the session). */
  async verifyClaims(token: string): Promise<AccessClaims> {
    try {
      return await this.jwt.verifyAsync<AccessClaims>(token, { issuer: JWT_ISSUER, audience: JWT_AUDIENCE, algorithms: ['HS256'] });
    } catch (err) {
      throw new UnauthorizedException((err as Error).name === 'TokenExpiredError' ? 'Access token expired' : 'Invalid access token');
    }
  }

  /** Verifies an access token and its session. */
  async verifyAccessToken(token: string, touch = true): Promise<AuthenticatedSession> {
    return this.authenticate(await this.verifyClaims(token), touch);
  }

  /** True when the session exists and belongs to `userId` (does not record activity). */
  async ownedBy(sessionId: string, userId: string | undefined): Promise<boolean> {
    if (!userId) return false;
    const r = await this.stored(() => this.store.check(sessionId, Date.now(), this.idleMs, false));
    return r.status === 'ok' && r.session.userId === userId;
  }

  async revoke(sessionId: string, reason: RevokeReason): Promise<void> {
    await this.stored(() => this.store.revoke(sessionId, reason));
    this.emit([sessionId]);
  }

  /** Revokes every session of the user, but `exceptSid` (the caller's own, e.g. after changing their password). */
  async revokeUser(userId: string, reason: string, exceptSid?: string): Promise<void> {
    const ids = await this.stored(() => this.store.revokeUser(userId, reason, exceptSid));
    if (ids.length) this.emit(ids);
  }

  async setMustChangePassword(userId: string, value: boolean): Promise<void> {
    await this.stored(() => this.store.setUserFlag(userId, value));
  }

  async onModuleDestroy(): Promise<void> {
    await this.store.close();
  }

  private async sign(sid: string, info: SessionInfo): Promise<{ accessToken: string; expiresIn: number }> {
    const expiresIn = this.config.auth.accessTokenTtlS;
    const claims: AccessClaims = { sub: info.userId, sid, username: info.username, role: info.role, typ: 'access' };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn, issuer: JWT_ISSUER, audience: JWT_AUDIENCE, algorithm: 'HS256' });
    return { accessToken, expiresIn };
  }

  /** Runs a store operation; an unreachable store answers 503 (the store logs the outage once). */
  private async stored<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      if (err instanceof SessionStoreUnavailableError) throw new ServiceUnavailableException(SESSION_STORE_UNAVAILABLE);
      throw err;
    }
  }

  private emit(ids: string[]): void {
    for (const l of this.listeners) {
      try {
        l(ids);
      } catch {
        /* a listener failing must not break revocation */
      }
    }
  }

  private async log(entry: { level?: 'info' | 'warn'; action: string; message: string; userId?: string | null; ip?: string }): Promise<void> {
    await this.logs.write({ category: 'auth', ...entry }).catch((err: Error) => this.logger.warn(`system log write failed: ${err.message}`));
  }
}
