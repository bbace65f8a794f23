import { HttpContext, HttpContextToken } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import { Api, type AuthProvidersDto, type MeDto, type SessionUserDto, type TokenResponseDto, changePassword, getAuthProviders, getMe, login, logout, refreshSession } from '../../generated';
import { type AuthProviders, type SessionUser, type TokenResponse } from '../auth/auth.models';

/**
 * Marks a request the auth interceptor must leave alone: no Bearer token added by it, no refresh-and-retry on 401
 * (login, refresh and providers decide about the session themselves).
 */
export const SKIP_AUTH = new HttpContextToken<boolean>(() => false);

/**
 * Per-request options of a SKIP_AUTH call, applied by the auth interceptor (the generated client cannot set them):
 * `withCredentials` sends the httpOnly refresh cookie; `bearer` is an explicit token (logout while the session's
 * token is being cleared).
 */
export const AUTH_REQUEST_OPTIONS = new HttpContextToken<{ withCredentials?: boolean; bearer?: string | null }>(() => ({}));

const skip = (options: { withCredentials?: boolean; bearer?: string | null } = {}): HttpContext =>
  new HttpContext().set(SKIP_AUTH, true).set(AUTH_REQUEST_OPTIONS, options);

/**
 * Auth REST facade over the generated client (contract: POST /api/auth/login|refresh|logout|change-password,
 * GET /api/auth/me|providers); errors are `ApiError` (apiErrorInterceptor).
 */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly api = inject(Api);

  login(username: string, password: string): Observable<TokenResponse> {
    return this.api.invoke(login, { body: { username, password } }, skip({ withCredentials: true })).pipe(map(normaliseToken));
  }

  /** Uses the httpOnly `cs_refresh` cookie; `X-CSRF: 1` is the custom header a cross-site form cannot send. */
  refresh(): Observable<TokenResponse> {
    return this.api.invoke(refreshSession, { 'X-CSRF': '1' }, skip({ withCredentials: true })).pipe(map(normaliseToken));
  }

  /** `token` is sent explicitly: logout must work even while the interceptor's token is being cleared. */
  logout(token: string | null): Observable<void> {
    return this.api.invoke(logout, {}, skip({ withCredentials: true, bearer: token })).pipe(map(() => undefined));
  }

  me(): Observable<SessionUser> {
    return this.api.invoke(getMe).pipe(map(normaliseUser));
  }

  changePassword(currentPassword: string, newPassword: string): Observable<void> {
    return this.api.invoke(changePassword, { body: { currentPassword, newPassword } }).pipe(map(() => undefined));
  }

  providers(): Observable<AuthProviders> {
    return this.api.invoke(getAuthProviders, {}, skip()).pipe(
      map((p: Partial<AuthProvidersDto> | null) => ({
        local: (p?.local as boolean | undefined) !== false,
        oidc: {
          enabled: p?.oidc?.enabled === true,
          name: typeof p?.oidc?.name === 'string' && p.oidc.name ? p.oidc.name : null,
        },
      })),
    );
  }
}

function normaliseUser(u: SessionUser | MeDto | SessionUserDto): SessionUser {
  return {
    id: String(u.id),
    username: String(u.username),
    fullName: u.fullName ?? null,
    email: u.email ?? null,
    role: u.role,
    mustChangePassword: u.mustChangePassword === true,
    authProvider: ('authProvider' in u ? u.authProvider : null) ?? null,
  };
}

function normaliseToken(t: TokenResponse | TokenResponseDto): TokenResponse {
  if (!t || typeof t.accessToken !== 'string' || !t.accessToken || !t.user) {
    throw new Error('The server sent an invalid sign-in response');
  }
  return { ...t, tokenType: 'Bearer', expiresIn: Number(t.expiresIn) || 0, user: normaliseUser(t.user) };
}
