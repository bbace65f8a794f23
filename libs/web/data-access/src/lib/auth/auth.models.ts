import type { UserRole } from '@crowdsafe/contracts';

/** The signed-in user as the auth API returns it (login/refresh `user`, GET /api/auth/me). */
export interface SessionUser {
  id: string;
  username: string;
  fullName: string | null;
  email: string | null;
  role: UserRole;
  mustChangePassword: boolean;
  authProvider?: string | null;
}

/** POST /api/auth/login and /api/auth/refresh. */
export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds. */
  expiresIn: number;
  user: SessionUser;
}

/** GET /api/auth/providers. */
export interface AuthProviders {
  local: boolean;
  oidc: { enabled: boolean; name: string | null };
}

/**
 * `unknown`: not checked yet (before the first refresh attempt); `anonymous`: no session; `authenticated`: a
 * token is held; `open`: the server has no auth API at all (404), every request is answered without a token.
 */
export type SessionStatus = 'unknown' | 'anonymous' | 'authenticated' | 'open';

/** Paths of the auth API (the contract in the repository notes). */
export const AUTH_PATHS = {
  login: '/api/auth/login',
  refresh: '/api/auth/refresh',
  logout: '/api/auth/logout',
  me: '/api/auth/me',
  changePassword: '/api/auth/change-password',
  providers: '/api/auth/providers',
  oidcLogin: '/api/auth/oidc/login',
} as const;
