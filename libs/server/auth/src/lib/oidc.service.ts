import { ForbiddenException, Inject, Injectable, Logger, NotFoundException, ServiceUnavailableException, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { type BaseClient, custom, generators, Issuer } from 'openid-client';
import type { IncomingMessage } from 'node:http';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { redactUrl } from '@crowdsafe/server-core';
import type { UserRecord } from '@crowdsafe/server-database';
import { UserAccountsService } from '@crowdsafe/server-users';
import { claimAt, groupsOf, mapRole, sanitizeUsername } from './role-mapping';

export const OIDC_STATE_COOKIE = 'cs_oidc';
const STATE_AUDIENCE = 'crowdsafe-oidc-state';
const STATE_TTL_S = 600;

interface StateClaims {
  st: string;
  no: string;
  cv: string;
}

/**
 * OpenID Connect login (authorization code + PKCE S256, state and nonce) with openid-client. The IdP is discovered
 * lazily at the first login (a down IdP never blocks startup; a failed discovery is retried next time). The
 * verifier/state/nonce travel in a short-lived signed httpOnly cookie, so any api replica can finish the login.
 * Users are created just in time (auth_provider 'oidc', external_id = sub) with the role mapped from the configured
 * claim; the role is refreshed from the IdP at every login.
 */
@Injectable()
export class OidcService {
  private readonly logger = new Logger('Auth');
  private client: Promise<BaseClient> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly users: UserAccountsService,
    private readonly jwt: JwtService,
  ) {}

  get enabled(): boolean {
    return this.config.auth.oidc !== null;
  }

  get name(): string {
    return this.config.auth.oidc?.name ?? 'Single sign-on';
  }

  private getClient(): Promise<BaseClient> {
    const o = this.config.auth.oidc;
    if (!o) throw new NotFoundException('Single sign-on is not configured');
    this.client ??= (async () => {
      custom.setHttpOptionsDefaults({ timeout: 5000 });
      const issuer = await Issuer.discover(o.issuerUrl);
      return new issuer.Client({
        client_id: o.clientId,
        ...(o.clientSecret ? { client_secret: o.clientSecret } : { token_endpoint_auth_method: 'none' }),
        redirect_uris: [o.redirectUri],
        response_types: ['code'],
      });
    })().catch((err: Error) => {
      this.client = null;
      this.logger.error(`OIDC discovery at ${redactUrl(o.issuerUrl)} failed: ${err.message}`);
      throw new ServiceUnavailableException('The identity provider is unreachable; try again later');
    });
    return this.client;
  }

  /** The IdP authorization URL and the signed state cookie value to set. */
  async start(): Promise<{ url: string; stateCookie: string; maxAgeS: number }> {
    const client = await this.getClient();
    const o = this.config.auth.oidc as NonNullable<AppConfig['auth']['oidc']>;
    const state: StateClaims = { st: generators.state(), no: generators.nonce(), cv: generators.codeVerifier() };
    const url = client.authorizationUrl({
      scope: o.scopes,
      code_challenge: generators.codeChallenge(state.cv),
      code_challenge_method: 'S256',
      state: state.st,
      nonce: state.no,
    });
    const stateCookie = await this.jwt.signAsync({ ...state }, { expiresIn: STATE_TTL_S, audience: STATE_AUDIENCE, algorithm: 'HS256' });
    return { url, stateCookie, maxAgeS: STATE_TTL_S };
  }

  /** Completes the login from the callback request; returns the (just-in-time) user. */
  async finish(req: IncomingMessage, stateCookie: string | undefined): Promise<UserRecord> {
    const o = this.config.auth.oidc;
    if (!o) throw new NotFoundException('Single sign-on is not configured');
    if (!stateCookie) throw new UnauthorizedException('Sign-in session missing or expired; start again');
    let state: StateClaims;
    try {
      state = await this.jwt.verifyAsync<StateClaims>(stateCookie, { audience: STATE_AUDIENCE, algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException('Sign-in session missing or expired; start again');
    }
    const client = await this.getClient();
    const params = client.callbackParams(req);
    if (params.error) throw new UnauthorizedException(`The identity provider refused the sign-in: ${String(params.error_description ?? params.error).slice(0, 200)}`);
    let claims: Record<string, unknown>;
    let tokenSet;
    try {
      tokenSet = await client.callback(o.redirectUri, params, { state: state.st, nonce: state.no, code_verifier: state.cv });
      claims = { ...tokenSet.claims() };
    } catch (err) {
      this.logger.warn(`OIDC callback rejected: ${(err as Error).message}`);
      throw new UnauthorizedException('Sign-in could not be verified; start again');
    }
    if (claimAt(claims, o.roleClaim) === undefined && tokenSet.access_token) {
      try {
        claims = { ...(await client.userinfo(tokenSet)), ...claims };
      } catch (err) {
        this.logger.warn(`OIDC userinfo failed: ${(err as Error).message}`);
      }
    }
    const sub = typeof claims['sub'] === 'string' ? claims['sub'] : '';
    if (!sub) throw new UnauthorizedException('The identity provider returned no subject');
    const role = mapRole(groupsOf(claimAt(claims, o.roleClaim)), this.config.auth.roleMapping);
    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);
    const username = sanitizeUsername(str(claimAt(claims, o.usernameClaim)) ?? str(claims['email']) ?? sub);
    if (!role) throw new ForbiddenException(`No CrowdSafe role for ${username}: ask an administrator to add you to a CrowdSafe group`);
    const email = str(claims['email']);
    const user = await this.users.upsertExternal('oidc', sub.slice(0, 255), {
      username: username || sanitizeUsername(sub),
      email: email && email.length <= 255 ? email : null,
      fullName: str(claims['name'])?.slice(0, 128) ?? null,
      role,
    });
    if (!user.isActive) throw new ForbiddenException('Account disabled');
    return user;
  }
}
