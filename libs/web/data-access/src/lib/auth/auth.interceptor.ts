import { HttpErrorResponse, type HttpInterceptorFn, type HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { catchError, switchMap, throwError } from 'rxjs';
import { ApiError, toApiError } from '../api/api-error';
import { AUTH_REQUEST_OPTIONS, SKIP_AUTH } from '../api/auth.api';
import { AuthService } from './auth.service';

function statusOf(err: unknown): number {
  if (err instanceof ApiError || err instanceof HttpErrorResponse) return err.status;
  return 0;
}

/** Only same-origin `/api/...` calls carry the token (never leak it to another host). */
function isApiRequest(req: HttpRequest<unknown>): boolean {
  const origin = globalThis.location?.origin ?? 'http://localhost';
  try {
    const url = new URL(req.url, origin);
    return url.origin === origin && url.pathname.startsWith('/api/');
  } catch {
    return false;
  }
}

/**
 * Functional interceptor: adds `Authorization: Bearer <token>` to same-origin /api calls; on a 401 it refreshes the
 * session ONCE (shared with any concurrent 401s) and retries the request with the new token; when the refresh is
 * refused, or the retry is still 401, the session is over and the user is sent to /login.
 * Register it before `apiErrorInterceptor`.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  if (!isApiRequest(req)) return next(req);
  if (req.context.get(SKIP_AUTH)) {
    // The auth facade's own calls (login/refresh/logout/providers): credentials and an explicit token on request.
    const { withCredentials, bearer } = req.context.get(AUTH_REQUEST_OPTIONS);
    return next(req.clone({ ...(withCredentials ? { withCredentials: true } : {}), ...(bearer ? { setHeaders: { Authorization: `Bearer ${bearer}` } } : {}) }));
  }
  const auth = inject(AuthService);
  // Non-GET calls also carry `X-CSRF: 1` (a header a cross-site form cannot send): harmless with a Bearer token,
  // and required by the CSRF middleware when a request goes out without one while the refresh cookie exists.
  const unsafe = req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'OPTIONS';
  const withToken = (token: string | null) =>
    token || unsafe
      ? req.clone({ setHeaders: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(unsafe ? { 'X-CSRF': '1' } : {}) } })
      : req;

  return next(withToken(auth.token())).pipe(
    catchError((err: unknown) => {
      if (statusOf(err) !== 401 || auth.status() === 'open') return throwError(() => err);
      return auth.refresh().pipe(
        catchError((refreshErr: unknown) => {
          const e = toApiError(refreshErr);
          if (!e.isNetwork) auth.sessionLost(e.status === 401 ? e.message : null);
          return throwError(() => err);
        }),
        switchMap((token) =>
          next(withToken(token)).pipe(
            catchError((retryErr: unknown) => {
              if (statusOf(retryErr) === 401) auth.sessionLost(toApiError(retryErr).message);
              return throwError(() => retryErr);
            }),
          ),
        ),
      );
    }),
  );
};
