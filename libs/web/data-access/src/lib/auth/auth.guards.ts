import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import type { UserRole } from '@crowdsafe/contracts';
import { AuthService } from './auth.service';

/** Route data key listing the roles allowed on a route (also read by the navigation to hide links). */
export const ROUTE_ROLES = 'roles';

/**
 * Signed in (restoring the session from the refresh cookie on the first navigation), else /login?returnUrl=...;
 * a user who must change the password is sent to /change-password first.
 */
export const authGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  if (!(await auth.restore())) {
    return router.createUrlTree(['/login'], { queryParams: state.url && state.url !== '/' ? { returnUrl: state.url } : {} });
  }
  if (auth.user()?.mustChangePassword) return router.createUrlTree(['/change-password']);
  return true;
};

/** Refuses (→ /forbidden) a signed-in user whose role is not in the route's `data.roles`. */
export const roleGuard: CanActivateFn = async (route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  if (!(await auth.restore())) {
    return router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
  }
  const roles = route.data[ROUTE_ROLES] as readonly UserRole[] | undefined;
  if (!roles || roles.length === 0 || auth.hasRole(...roles)) return true;
  return router.createUrlTree(['/forbidden'], { queryParams: { from: state.url } });
};

/** The login page: an already signed-in user goes to the console. */
export const guestGuard: CanActivateFn = async () => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return (await auth.restore()) ? router.createUrlTree(['/']) : true;
};

/** Only a signed-in user may open the change-password screen. */
export const signedInGuard: CanActivateFn = async () => {
  const auth = inject(AuthService);
  const router = inject(Router);
  return (await auth.restore()) ? true : router.createUrlTree(['/login']);
};
