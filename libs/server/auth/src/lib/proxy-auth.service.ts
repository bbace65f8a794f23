import { ForbiddenException, Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import type { AuthUser } from '@crowdsafe/server-core';
import { SystemLogRepository } from '@crowdsafe/server-database';
import { trustedProxyMatcher } from '@crowdsafe/server-security';
import { UserAccountsService } from '@crowdsafe/server-users';
import { groupsOf, mapRole, sanitizeUsername } from './role-mapping';

type Headers = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const CACHE_MS = 30_000;
const CACHE_MAX = 1000;

/**
 * Trusted reverse-proxy authentication (AUTH_PROXY_ENABLED): the proxy (oauth2-proxy, Authelia, an SSO gateway)
 * authenticates and passes the user in headers. They are believed only when the DIRECT peer address is in
 * AUTH_PROXY_TRUSTED_CIDRS; from anywhere else they are ignored (the request is then treated as unauthenticated)
 * and the attempt is logged. Users are created just in time; the groups header maps to a role like OIDC groups.
 */
@Injectable()
export class ProxyAuthService {
  private readonly logger = new Logger('Auth');
  private readonly trusted: ((address: string | undefined) => boolean) | null;
  private readonly cache = new Map<string, { user: AuthUser; at: number }>();
  private readonly warned = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UserAccountsService,
    private readonly logs: SystemLogRepository,
  ) {
    this.trusted = config.auth.proxy ? trustedProxyMatcher(config.auth.proxy.trustedCidrs) : null;
  }

  get enabled(): boolean {
    return this.trusted !== null;
  }

  /**
   * The proxy-authenticated user, or null when the mode is off / the header is absent / the peer is not trusted.
   * Throws 403 when a trusted proxy names a user that has no role or is disabled.
   */
  async resolve(headers: Headers, peer: string | undefined): Promise<AuthUser | null> {
    const p = this.config.auth.proxy;
    if (!p || !this.trusted) return null;
    const rawUser = first(headers[p.userHeader])?.trim();
    if (!rawUser) return null;
    if (!this.trusted(peer)) {
      this.warnUntrusted(peer, rawUser);
      return null;
    }
    const username = sanitizeUsername(rawUser);
    if (!username || rawUser.length > 255) throw new ForbiddenException(`${p.userHeader} is not a usable username`);
    const email = first(headers[p.emailHeader])?.trim() || null;
    const groups = groupsOf(first(headers[p.groupsHeader]) ?? '');
    const key = `${rawUser}\n${email}\n${groups.join(',')}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.user;
    const role = mapRole(groups, this.config.auth.roleMapping);
    if (!role) throw new ForbiddenException('Your groups grant no CrowdSafe role');
    const user = await this.users.upsertExternal('proxy', rawUser, {
      username,
      email: email && /^[^\s@]{1,64}@[^\s@]{1,190}$/.test(email) ? email : null,
      fullName: null,
      role,
    });
    if (!user.isActive) throw new ForbiddenException('Account disabled');
    const auth: AuthUser = { id: user.id, username: user.username, role: user.role, sessionId: null };
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { user: auth, at: Date.now() });
    return auth;
  }

  private warnUntrusted(peer: string | undefined, user: string): void {
    const key = peer ?? 'unknown';
    const last = this.warned.get(key) ?? 0;
    if (Date.now() - last < 60_000) return;
    if (this.warned.size >= 1000) this.warned.clear();
    this.warned.set(key, Date.now());
    const msg = `Ignored proxy authentication header from untrusted peer ${key} (not in AUTH_PROXY_TRUSTED_CIDRS)`;
    this.logger.warn(msg);
    void this.logs
      .write({ level: 'warn', category: 'auth', action: 'auth.proxy_untrusted', message: msg, ip: peer ?? null, details: { claimedUser: user.slice(0, 64) } })
      .catch(() => undefined);
  }
}
