import { Injectable, computed, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { UserRole } from '@crowdsafe/contracts';
import { type Observable, catchError, finalize, firstValueFrom, map, of, shareReplay, tap, throwError } from 'rxjs';
import { toApiError } from '../api/api-error';
import { AuthApi } from '../api/auth.api';
import type { SessionStatus, SessionUser, TokenResponse } from './auth.models';

/** Refresh this long before the access token expires (bounded below so short tokens still work). */
const REFRESH_EARLY_FRACTION = 0.2;
const MIN_REFRESH_DELAY_MS = 5_000;
/** setTimeout's limit (~24.8 days); longer delays fire immediately. */
const MAX_TIMER_MS = 2_147_000_000;

/** The user shown when the server runs without an auth API (open mode). */
const OPEN_MODE_USER: SessionUser = {
  id: 'open',
  username: 'open-access',
  fullName: 'Open access (authentication not enabled)',
  email: null,
  role: 'admin',
  mustChangePassword: false,
  authProvider: null,
};

/**
 * The console's session. The access token lives only in memory (a signal); the refresh token is the server's
 * httpOnly `cs_refresh` cookie, so a page reload restores the session with one silent refresh (`restore()`).
 *
 * - `refresh()` is shared: concurrent 401s and the socket's `unauthorized` wait for ONE refresh call (the server
 *   rotates the cookie and treats reuse of a rotated token as theft).
 * - A timer refreshes shortly before `expiresIn`, so the live socket always has a valid token.
 * - Losing the session (refresh refused, logout) clears the token and goes to /login with the current URL kept.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly api = inject(AuthApi);
  private readonly router = inject(Router);

  private readonly _token = signal<string | null>(null);
  private readonly _user = signal<SessionUser | null>(null);
  private readonly _status = signal<SessionStatus>('unknown');
  /** Why the last session ended (shown on the login page), e.g. "Session expired after inactivity". */
  private readonly _endReason = signal<string | null>(null);

  readonly token = this._token.asReadonly();
  readonly user = this._user.asReadonly();
  readonly status = this._status.asReadonly();
  readonly endReason = this._endReason.asReadonly();
  readonly isLoggedIn = computed(() => this._status() === 'authenticated' || this._status() === 'open');
  readonly role = computed((): UserRole | null => this._user()?.role ?? null);
  readonly isAdmin = computed(() => this.role() === 'admin');
  readonly canOperate = computed(() => this.role() === 'admin' || this.role() === 'operator');

  private refreshing: Observable<string> | null = null;
  private restoring: Promise<boolean> | null = null;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  hasRole(...roles: readonly UserRole[]): boolean {
    const r = this.role();
    return r !== null && roles.includes(r);
  }

  /**
   * Resolves once the session state is known: the first call tries a silent refresh (cookie). Safe to call from
   * every guard; only the first one talks to the server.
   */
  restore(): Promise<boolean> {
    if (this._status() !== 'unknown') return Promise.resolve(this.isLoggedIn());
    this.restoring ??= firstValueFrom(
      this.refresh().pipe(
        map(() => true),
        catchError(() => of(this.isLoggedIn())),
      ),
    ).finally(() => (this.restoring = null));
    return this.restoring;
  }

  login(username: string, password: string): Observable<SessionUser> {
    return this.api.login(username, password).pipe(
      catchError((err: unknown) => {
        // No auth API on this server: run open (the server answers without a token anyway).
        if (toApiError(err).status === 404) {
          this.enterOpenMode();
          return of(null);
        }
        return throwError(() => toApiError(err));
      }),
      map((res) => {
        if (res) this.accept(res);
        this._endReason.set(null);
        return this._user() as SessionUser;
      }),
    );
  }

  /**
   * One shared refresh. Emits the new access token; on failure the session is over (status `anonymous`) and the
   * error is an `ApiError`.
   */
  refresh(): Observable<string> {
    if (this._status() === 'open') return of('');
    this.refreshing ??= this.api.refresh().pipe(
      tap((res) => this.accept(res)),
      map((res) => res.accessToken),
      catchError((err: unknown) => {
        const e = toApiError(err);
        if (e.status === 404 && this._status() === 'unknown') {
          this.enterOpenMode();
          return of('');
        }
        // A network failure while we hold a token is not a lost session: keep it and let the caller retry.
        if (e.isNetwork && this._token()) return throwError(() => e);
        this.clear(this._status() === 'authenticated' ? e.message : null);
        return throwError(() => e);
      }),
      finalize(() => (this.refreshing = null)),
      shareReplay({ bufferSize: 1, refCount: false }),
    );
    return this.refreshing;
  }

  /** Revokes the session on the server (best effort) and goes to /login. */
  logout(): Observable<void> {
    const token = this._token();
    const wasOpen = this._status() === 'open';
    return this.api.logout(token).pipe(
      catchError(() => of(undefined)),
      tap(() => {
        this.clear(null);
        if (wasOpen) this._status.set('unknown');
        void this.router.navigate(['/login']);
      }),
    );
  }

  changePassword(currentPassword: string, newPassword: string): Observable<void> {
    return this.api.changePassword(currentPassword, newPassword).pipe(
      tap(() => {
        const u = this._user();
        if (u) this._user.set({ ...u, mustChangePassword: false });
      }),
    );
  }

  /** Called by the interceptor when a request failed with 401 and no refresh could save it. */
  sessionLost(reason: string | null): void {
    this.clear(reason ?? 'Your session ended; please sign in again');
    const url = this.router.url;
    void this.router.navigate(['/login'], {
      queryParams: url && !url.startsWith('/login') && url !== '/' ? { returnUrl: url } : {},
    });
  }

  // --- internals -----------------------------------------------------------------------------------------------

  private accept(res: TokenResponse): void {
    this._token.set(res.accessToken);
    this._user.set(res.user);
    this._status.set('authenticated');
    this.scheduleRefresh(res.expiresIn);
  }

  private enterOpenMode(): void {
    this._token.set(null);
    this._user.set(OPEN_MODE_USER);
    this._status.set('open');
  }

  private clear(reason: string | null): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    this._token.set(null);
    this._user.set(null);
    this._status.set('anonymous');
    this._endReason.set(reason);
  }

  private scheduleRefresh(expiresInS: number): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    if (!(expiresInS > 0)) return;
    const ms = Math.max(MIN_REFRESH_DELAY_MS, expiresInS * 1000 * (1 - REFRESH_EARLY_FRACTION));
    if (ms > MAX_TIMER_MS) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      this.refresh().subscribe({ error: () => this.sessionLost('Your session expired; please sign in again') });
    }, ms);
  }
}
