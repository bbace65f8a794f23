import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { type ActivatedRouteSnapshot, Router, type RouterStateSnapshot, UrlTree, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { apiErrorInterceptor } from '../api/api-error.interceptor';
import { ApiError } from '../api/api-error';
import { provideApiClient } from '../api/provide-api';
import { authGuard, guestGuard, roleGuard, signedInGuard } from './auth.guards';
import { authInterceptor } from './auth.interceptor';
import type { SessionUser, TokenResponse } from './auth.models';
import { AuthService } from './auth.service';

const user = (over: Partial<SessionUser> = {}): SessionUser => ({
  id: 'u1',
  username: 'ops',
  fullName: null,
  email: null,
  role: 'operator',
  mustChangePassword: false,
  authProvider: null,
  ...over,
});
const token = (accessToken: string, u = user()): TokenResponse => ({ accessToken, tokenType: 'Bearer', expiresIn: 900, user: u });

describe('auth (interceptor, service, guards)', () => {
  let http: HttpClient;
  let ctrl: HttpTestingController;
  let auth: AuthService;
  let router: Router;

  beforeEach(() => {
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor, apiErrorInterceptor])),
        provideHttpClientTesting(),
        provideApiClient(),
      ],
    });
    http = TestBed.inject(HttpClient);
    ctrl = TestBed.inject(HttpTestingController);
    auth = TestBed.inject(AuthService);
    router = TestBed.inject(Router);
    jest.spyOn(router, 'navigate').mockResolvedValue(true);
  });
  afterEach(() => {
    ctrl.verify();
    jest.useRealTimers();
  });

  /** Signs in through the real login call (the refresh timer is fake so nothing fires later). */
  async function signIn(accessToken = 'tok-1', u = user()): Promise<void> {
    const done = firstValueFrom(auth.login('ops', 'pw'));
    const req = ctrl.expectOne('/api/auth/login');
    expect(req.request.withCredentials).toBe(true);
    expect(req.request.headers.has('Authorization')).toBe(false);
    req.flush(token(accessToken, u));
    await done;
  }

  describe('interceptor', () => {
    it('adds no token while signed out, and none to another origin', () => {
      http.get('/api/cameras').subscribe();
      expect(ctrl.expectOne('/api/cameras').request.headers.has('Authorization')).toBe(false);
      http.get('https://elsewhere.example/api/x').subscribe();
      expect(ctrl.expectOne('https://elsewhere.example/api/x').request.headers.has('Authorization')).toBe(false);
    });

    it.each([
      ['GET', false],
      ['HEAD', false],
      ['POST', true],
      ['PATCH', true],
      ['DELETE', true],
    ])('%s carries the Bearer token; X-CSRF only on unsafe methods (%p)', async (method, csrf) => {
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
      await signIn('tok-A');
      http.request(method, '/api/cameras').subscribe();
      const req = ctrl.expectOne('/api/cameras');
      expect(req.request.headers.get('Authorization')).toBe('Bearer tok-A');
      expect(req.request.headers.get('X-CSRF')).toBe(csrf ? '1' : null);
      req.flush({});
    });

    it('never sends the token to a non-/api path of the same origin', async () => {
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
      await signIn();
      http.get('/assets/x.json').subscribe();
      expect(ctrl.expectOne('/assets/x.json').request.headers.has('Authorization')).toBe(false);
    });

    it('on 401 refreshes once for concurrent requests and retries both with the new token', async () => {
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
      await signIn('old');
      const results: unknown[] = [];
      http.get('/api/a').subscribe((r) => results.push(r));
      http.get('/api/b').subscribe((r) => results.push(r));
      ctrl.expectOne('/api/a').flush({}, { status: 401, statusText: 'Unauthorized' });
      ctrl.expectOne('/api/b').flush({}, { status: 401, statusText: 'Unauthorized' });
      const refresh = ctrl.match('/api/auth/refresh');
      expect(refresh).toHaveLength(1);
      expect(refresh[0].request.headers.get('X-CSRF')).toBe('1');
      refresh[0].flush(token('new'));
      const retries = [ctrl.expectOne('/api/a'), ctrl.expectOne('/api/b')];
      for (const r of retries) expect(r.request.headers.get('Authorization')).toBe('Bearer new');
      retries[0].flush({ a: 1 });
      retries[1].flush({ b: 2 });
      expect(results).toEqual([{ a: 1 }, { b: 2 }]);
      expect(auth.token()).toBe('new');
    });

    it('a refused refresh ends the session and sends the user to /login', async () => {
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
      await signIn('old');
      let error: unknown;
      http.get('/api/a').subscribe({ error: (e: unknown) => (error = e) });
      ctrl.expectOne('/api/a').flush({}, { status: 401, statusText: 'Unauthorized' });
      ctrl.expectOne('/api/auth/refresh').flush({ message: 'Session expired after inactivity' }, { status: 401, statusText: 'Unauthorized' });
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(401);
      expect(auth.status()).toBe('anonymous');
      expect(auth.token()).toBeNull();
      expect(auth.endReason()).toBe('Session expired after inactivity');
      expect(router.navigate).toHaveBeenCalledWith(['/login'], expect.anything());
    });

    it('a retry that is still 401 ends the session', async () => {
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
      await signIn('old');
      http.get('/api/a').subscribe({ error: () => undefined });
      ctrl.expectOne('/api/a').flush({}, { status: 401, statusText: 'Unauthorized' });
      ctrl.expectOne('/api/auth/refresh').flush(token('new'));
      ctrl.expectOne('/api/a').flush({ message: 'revoked' }, { status: 401, statusText: 'Unauthorized' });
      expect(auth.status()).toBe('anonymous');
      expect(auth.endReason()).toBe('revoked');
    });

    it('a network failure during refresh keeps the session (the caller may retry)', async () => {
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
      await signIn('old');
      http.get('/api/a').subscribe({ error: () => undefined });
      ctrl.expectOne('/api/a').flush({}, { status: 401, statusText: 'Unauthorized' });
      ctrl.expectOne('/api/auth/refresh').error(new ProgressEvent('error'), { status: 0 });
      expect(auth.status()).toBe('authenticated');
      expect(auth.token()).toBe('old');
    });

    it('non-401 errors pass through as ApiError without a refresh', async () => {
      let error: unknown;
      http.get('/api/a').subscribe({ error: (e: unknown) => (error = e) });
      ctrl.expectOne('/api/a').flush({ message: ['name must be a string'], error: 'Bad Request' }, { status: 400, statusText: 'Bad Request' });
      expect(error).toMatchObject({ status: 400, message: 'name must be a string', code: 'Bad Request' });
      ctrl.expectNone('/api/auth/refresh');
    });
  });

  describe('service', () => {
    it('refreshes shortly before the token expires (80 % of expiresIn)', async () => {
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
      await signIn('t1');
      jest.advanceTimersByTime(900_000 * 0.8 - 10);
      ctrl.expectNone('/api/auth/refresh');
      jest.advanceTimersByTime(20);
      ctrl.expectOne('/api/auth/refresh').flush(token('t2'));
      expect(auth.token()).toBe('t2');
    });

    it('a server without an auth API (404) runs open', async () => {
      const ok = auth.restore();
      ctrl.expectOne('/api/auth/refresh').flush({}, { status: 404, statusText: 'Not Found' });
      expect(await ok).toBe(true);
      expect(auth.status()).toBe('open');
      expect(auth.isAdmin()).toBe(true);
    });

    it('logout revokes with the explicit token and clears the session', async () => {
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
      await signIn('t1');
      const done = firstValueFrom(auth.logout());
      const req = ctrl.expectOne('/api/auth/logout');
      expect(req.request.headers.get('Authorization')).toBe('Bearer t1');
      req.flush({});
      await done;
      expect(auth.isLoggedIn()).toBe(false);
      expect(router.navigate).toHaveBeenCalledWith(['/login']);
    });

    it('rejects an invalid sign-in response', async () => {
      const done = firstValueFrom(auth.login('a', 'b'));
      ctrl.expectOne('/api/auth/login').flush({ accessToken: '' });
      await expect(done).rejects.toThrow();
    });
  });

  describe('guards', () => {
    const state = (url: string) => ({ url }) as RouterStateSnapshot;
    const route = (roles?: string[]) => ({ data: roles ? { roles } : {} }) as unknown as ActivatedRouteSnapshot;
    const run = (guard: typeof authGuard, r = route(), s = state('/cameras')) =>
      TestBed.runInInjectionContext(() => guard(r, s)) as Promise<boolean | UrlTree>;
    const url = (v: boolean | UrlTree) => (v instanceof UrlTree ? router.serializeUrl(v) : v);

    it('authGuard: no session → /login with the return URL (none for /)', async () => {
      const p = run(authGuard);
      ctrl.expectOne('/api/auth/refresh').flush({}, { status: 401, statusText: 'Unauthorized' });
      expect(url(await p)).toBe('/login?returnUrl=%2Fcameras');
      expect(url(await run(authGuard, route(), state('/')))).toBe('/login');
    });

    it('authGuard: a restored session passes; mustChangePassword goes to /change-password', async () => {
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
      const p = run(authGuard);
      ctrl.expectOne('/api/auth/refresh').flush(token('t', user({ mustChangePassword: true })));
      expect(url(await p)).toBe('/change-password');
    });

    it.each([
      ['viewer', ['admin'], '/forbidden?from=%2Fcameras'],
      ['operator', ['admin', 'operator'], true],
      ['viewer', undefined, true],
      ['admin', ['admin'], true],
    ] as const)('roleGuard: %s on a route for %p → %p', async (role, roles, expected) => {
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
      await signIn('t', user({ role }));
      expect(url(await run(roleGuard, route(roles ? [...roles] : undefined)))).toBe(expected);
    });

    it('roleGuard: signed out → /login', async () => {
      const p = run(roleGuard, route(['admin']));
      ctrl.expectOne('/api/auth/refresh').flush({}, { status: 401, statusText: 'Unauthorized' });
      expect(url(await p)).toBe('/login?returnUrl=%2Fcameras');
    });

    it('guestGuard and signedInGuard', async () => {
      const p = run(guestGuard);
      ctrl.expectOne('/api/auth/refresh').flush({}, { status: 401, statusText: 'Unauthorized' });
      expect(await p).toBe(true);
      expect(url(await run(signedInGuard))).toBe('/login');
      jest.useFakeTimers({ doNotFake: ['queueMicrotask', 'nextTick'] });
      await signIn();
      expect(url(await run(guestGuard))).toBe('/');
      expect(await run(signedInGuard)).toBe(true);
    });
  });
});
