import { Body, Controller, ForbiddenException, Get, HttpCode, HttpException, Inject, Post, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCookieAuth,
  ApiFoundResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '@crowdsafe/server-config';
import { type AuthUser, ClientIp, CurrentUser, Public, ViewerAccess } from '@crowdsafe/server-core';
import { UserAccountsService } from '@crowdsafe/server-users';
import { AllowPendingPasswordChange } from './access.guard';
import { AuthProvidersDto, ChangePasswordDto, LoginDto, MeDto, toSessionUser, TokenResponseDto } from './auth.dto';
import { AccountLockedException, LoginService } from './login.service';
import { OIDC_STATE_COOKIE, OidcService } from './oidc.service';
import { ProxyAuthService } from './proxy-auth.service';
import { type IssuedTokens, SessionService } from './session/session.service';

export const REFRESH_COOKIE = 'cs_refresh';
const COOKIE_PATH = '/api/auth';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly login: LoginService,
    private readonly sessions: SessionService,
    private readonly users: UserAccountsService,
    private readonly oidc: OidcService,
    private readonly proxy: ProxyAuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ operationId: 'login', summary: 'Sign in; returns an access token and sets the httpOnly refresh cookie cs_refresh' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiUnauthorizedResponse({ description: 'Invalid username or password' })
  @ApiResponse({ status: 423, description: 'Account locked (Retry-After)' })
  async signIn(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response, @ClientIp() ip: string | undefined): Promise<TokenResponseDto> {
    let user;
    try {
      user = await this.login.verify(body.username, body.password, ip);
    } catch (err) {
      if (err instanceof AccountLockedException) res.setHeader('Retry-After', String(err.retryAfterS));
      throw err;
    }
    const tokens = await this.sessions.issue(user);
    this.setRefreshCookie(req, res, tokens.refreshToken);
    return this.tokenResponse(tokens, user);
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiHeader({ name: 'X-CSRF', required: true, description: "Must be '1' (a header a cross-site form cannot send)" })
  @ApiOperation({ operationId: 'refreshSession', summary: 'New access token from the refresh cookie (rotated; reuse of an old one revokes the session)' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiUnauthorizedResponse({ description: 'No/invalid/reused refresh token, or session expired after inactivity' })
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response, @ClientIp() ip: string | undefined): Promise<TokenResponseDto> {
    const token = this.refreshCookie(req);
    if (token || this.proxy.enabled) this.assertCsrf(req); // nothing to forge without a cookie or proxy identity
    if (!token && this.proxy.enabled) {
      // Trusted proxy mode: the proxy already authenticated the browser; start a session for the SPA.
      const viaProxy = await this.proxy.resolve(req.headers, req.socket.remoteAddress);
      const user = viaProxy ? await this.users.findById(viaProxy.id) : null;
      if (user) {
        const tokens = await this.sessions.issue(user);
        this.setRefreshCookie(req, res, tokens.refreshToken);
        return this.tokenResponse(tokens, user);
      }
    }
    try {
      const r = await this.sessions.refresh(token, (id) => this.users.findById(id), ip);
      this.setRefreshCookie(req, res, r.refreshToken);
      return this.tokenResponse(r, r.user);
    } catch (err) {
      if (err instanceof HttpException && err.getStatus() === 401) this.clearRefreshCookie(res);
      throw err;
    }
  }

  @ViewerAccess()
  @AllowPendingPasswordChange()
  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ operationId: 'logout', summary: 'End the session (access and refresh tokens stop working) and clear the cookie' })
  @ApiNoContentResponse()
  async logout(@CurrentUser() user: AuthUser | undefined, @Req() req: Request, @Res({ passthrough: true }) res: Response, @ClientIp() ip: string | undefined): Promise<void> {
    if (user?.sessionId) await this.sessions.revoke(user.sessionId, 'logout');
    const cookieSid = /^([0-9a-f-]{36})\./.exec(this.refreshCookie(req) ?? '')?.[1];
    if (cookieSid && cookieSid !== user?.sessionId) {
      // Only the caller's own session may be ended this way.
      const own = await this.sessions.ownedBy(cookieSid, user?.id);
      if (own) await this.sessions.revoke(cookieSid, 'logout');
    }
    this.clearRefreshCookie(res);
    if (user) await this.login.log('info', 'auth.logout', `${user.username} signed out`, user.id, ip);
  }

  @ViewerAccess()
  @AllowPendingPasswordChange()
  @Get('me')
  @ApiOperation({ operationId: 'getMe', summary: 'The signed-in user' })
  @ApiOkResponse({ type: MeDto })
  async me(@CurrentUser() user: AuthUser | undefined): Promise<MeDto> {
    const u = user ? await this.users.findById(user.id) : null;
    if (!u) throw new UnauthorizedException('Account no longer exists');
    return { ...toSessionUser(u), authProvider: u.authProvider };
  }

  @ViewerAccess()
  @AllowPendingPasswordChange()
  @Post('change-password')
  @HttpCode(204)
  @ApiOperation({ operationId: 'changePassword', summary: 'Change your own password (clears a forced change)' })
  @ApiNoContentResponse()
  @ApiBadRequestResponse({ description: 'Current password wrong or the new one violates the policy (message says which)' })
  async changePassword(@Body() body: ChangePasswordDto, @CurrentUser() user: AuthUser | undefined, @ClientIp() ip: string | undefined): Promise<void> {
    if (!user) throw new UnauthorizedException('Authentication required');
    await this.users.changePassword(user.id, body.currentPassword, body.newPassword);
    // Every other session (other browsers, a stolen token) ends with the old password; this one goes on.
    await this.sessions.revokeUser(user.id, 'password changed', user.sessionId ?? undefined);
    await this.sessions.setMustChangePassword(user.id, false);
    await this.login.log('info', 'auth.password_changed', `${user.username} changed their password`, user.id, ip);
  }

  @Public()
  @Get('providers')
  @ApiOperation({ operationId: 'getAuthProviders', summary: 'Sign-in methods offered on the login page' })
  @ApiOkResponse({ type: AuthProvidersDto })
  providers(): AuthProvidersDto {
    return { local: true, oidc: { enabled: this.oidc.enabled, name: this.oidc.name } };
  }

  @Public()
  @Get('oidc/login')
  @ApiOperation({ operationId: 'oidcLogin', summary: 'Redirect to the identity provider (authorization code + PKCE)' })
  @ApiFoundResponse({ description: 'Location: the IdP authorization endpoint' })
  async oidcLogin(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { url, stateCookie, maxAgeS } = await this.oidc.start();
    res.cookie(OIDC_STATE_COOKIE, stateCookie, { httpOnly: true, sameSite: 'lax', secure: this.secure(req), path: `${COOKIE_PATH}/oidc`, maxAge: maxAgeS * 1000 });
    res.redirect(302, url);
  }

  @Public()
  @Get('oidc/callback')
  @ApiOperation({ operationId: 'oidcCallback', summary: 'IdP callback: signs in, sets cs_refresh, redirects to /?sso=1 (or /?sso_error=...)' })
  @ApiFoundResponse({ description: 'Location: /?sso=1 on success, /?sso_error=<message> otherwise' })
  async oidcCallback(@Req() req: Request, @Res() res: Response, @ClientIp() ip: string | undefined, @Query('state') _state?: string): Promise<void> {
    res.clearCookie(OIDC_STATE_COOKIE, { path: `${COOKIE_PATH}/oidc` });
    try {
      const user = await this.oidc.finish(req, parseCookies(req.headers.cookie ?? '')[OIDC_STATE_COOKIE]);
      const tokens = await this.sessions.issue(user);
      this.setRefreshCookie(req, res, tokens.refreshToken);
      await this.login.log('info', 'auth.login', `${user.username} signed in through single sign-on`, user.id, ip);
      res.redirect(302, '/?sso=1');
    } catch (err) {
      const message = err instanceof HttpException ? String((err.getResponse() as { message?: unknown }).message ?? err.message) : 'Single sign-on failed';
      if (!(err instanceof HttpException)) throw err;
      await this.login.log('warn', 'auth.login_failed', `Single sign-on failed: ${message}`, null, ip);
      res.redirect(302, `/?sso_error=${encodeURIComponent(message.slice(0, 200))}`);
    }
  }

  private tokenResponse(t: IssuedTokens, user: Parameters<typeof toSessionUser>[0]): TokenResponseDto {
    return { accessToken: t.accessToken, tokenType: 'Bearer', expiresIn: t.expiresIn, user: toSessionUser(user) };
  }

  private refreshCookie(req: Request): string | undefined {
    return parseCookies(req.headers.cookie ?? '')[REFRESH_COOKIE];
  }

  private secure(req: Request): boolean {
    const mode = this.config.auth.cookieSecure;
    return mode === 'always' || (mode === 'auto' && req.secure);
  }

  private setRefreshCookie(req: Request, res: Response, token: string): void {
    res.cookie(REFRESH_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: this.secure(req), path: COOKIE_PATH, maxAge: this.config.auth.refreshTokenTtlS * 1000 });
  }

  private clearRefreshCookie(res: Response): void {
    res.clearCookie(REFRESH_COOKIE, { httpOnly: true, sameSite: 'strict', path: COOKIE_PATH });
  }

  /** The refresh cookie is sent automatically by browsers, so refresh requires a custom header and a same-origin Origin/Referer. */
  private assertCsrf(req: Request): void {
    if (req.headers['x-csrf'] !== '1') throw new ForbiddenException("Missing header X-CSRF: 1");
    const origin = req.headers.origin ?? (req.headers.referer ? safeOrigin(req.headers.referer) : undefined);
    if (!origin) return;
    const own = `${req.protocol}://${req.headers.host ?? ''}`;
    if (origin !== own && !this.config.web.corsOrigins.includes(origin)) throw new ForbiddenException('Cross-origin refresh refused');
  }
}

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return 'invalid';
  }
}

/** Minimal Cookie header parser (name=value pairs; values URL-decoded). */
export function parseCookies(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of header.slice(0, 16384).split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    if (!name || name in out) continue;
    let value = part.slice(i + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      out[name] = decodeURIComponent(value);
    } catch {
      out[name] = value;
    }
  }
  return out;
}
