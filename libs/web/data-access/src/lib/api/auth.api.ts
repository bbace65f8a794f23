import { HttpClient, HttpContext, HttpContextToken, HttpHeaders } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { type Observable, map } from 'rxjs';
import { AUTH_PATHS, type AuthProviders, type SessionUser, type TokenResponse } from '../auth/auth.models';

/**
 * Marks a request the auth interceptor must leave alone: no Bearer token added by it, no refresh-and-retry on 401
 * (login, refresh and providers decide about the session themselves).
 */
export const SKIP_AUTH = new HttpContextToken<boolean>(() => false);

const skip = (): HttpContext => new HttpContext().set(SKIP_AUTH, true);

/**
 * Auth REST facade (contract: POST /api/auth/login|refresh|logout|change-password, GET /api/auth/me|providers).
 * Written against the documented contract with HttpClient because the endpoints are not in the committed OpenAPI
 * spec yet; errors are `ApiError` (apiErrorInterceptor).
 */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  login(username: string, password: string): Observable<TokenResponse> {
    return this.http
      .post<TokenResponse>(AUTH_PATHS.login, { username, password }, { withCredentials: true, context: skip() })
      .pipe(map(normaliseToken));
  }

  /** Uses the httpOnly `cs_refresh` cookie; `X-CSRF: 1` is the custom header a cross-site form cannot send. */
  refresh(): Observable<TokenResponse> {
    return this.http
      .post<TokenResponse>(AUTH_PATHS.refresh, {}, {
        withCredentials: true,
        context: skip(),
        headers: new HttpHeaders({ 'X-CSRF': '1' }),
      })
      .pipe(map(normaliseToken));
  }

  /** `token` is sent explicitly: logout must work even while the interceptor's token is being cleared. */
  logout(token: string | null): Observable<void> {
    const headers = token ? new HttpHeaders({ Authorization: `Bearer ${token}` }) : undefined;
    return this.http
      .post(AUTH_PATHS.logout, {}, { withCredentials: true, context: skip(), headers, responseType: 'text' })
      .pipe(map(() => undefined));
  }

  me(): Observable<SessionUser> {
    return this.http.get<SessionUser>(AUTH_PATHS.me).pipe(map(normaliseUser));
  }

  changePassword(currentPassword: string, newPassword: string): Observable<void> {
    return this.http
      .post(AUTH_PATHS.changePassword, { currentPassword, newPassword }, { responseType: 'text' })
      .pipe(map(() => undefined));
  }

  providers(): Observable<AuthProviders> {
    return this.http.get<Partial<AuthProviders>>(AUTH_PATHS.providers, { context: skip() }).pipe(
      map((p) => ({
        local: p?.local !== false,
        oidc: {
          enabled: p?.oidc?.enabled === true,
          name: typeof p?.oidc?.name === 'string' && p.oidc.name ? p.oidc.name : null,
        },
      })),
    );
  }
}

function normaliseUser(u: SessionUser): SessionUser {
  return {
    id: String(u.id),
    username: String(u.username),
    fullName: u.fullName ?? null,
    email: u.email ?? null,
    role: u.role,
    mustChangePassword: u.mustChangePassword === true,
    authProvider: u.authProvider ?? null,
  };
}

function normaliseToken(t: TokenResponse): TokenResponse {
  if (!t || typeof t.accessToken !== 'string' || !t.accessToken || !t.user) {
    throw new Error('The server sent an invalid sign-in response');
  }
  return { ...t, tokenType: 'Bearer', expiresIn: Number(t.expiresIn) || 0, user: normaliseUser(t.user) };
}
