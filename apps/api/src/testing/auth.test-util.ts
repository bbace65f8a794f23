// How medium/e2e tests authenticate against the real api (see README "Authentication and roles").
//
//   child-process api:  runTs('apps/api/src/main.ts', { ...env, ...TEST_AUTH_ENV })
//                       const token = await loginAs(base)                       // the initial admin
//                       const op = await createUserWithRole(base, token, 'operator')  // { username, password, token }
//                       fetch(url, { headers: authHeaders(token) });  io(url, { auth: { token } })
//   in-process Nest app: const token = await issueToken(app, 'viewer')          // no HTTP, no bcrypt
import { randomBytes } from 'node:crypto';
import type { INestApplicationContext } from '@nestjs/common';
import type { UserRole } from '@crowdsafe/contracts';
import { SessionService } from '@crowdsafe/server-auth';
import { UserAccountsService } from '@crowdsafe/server-users';

export const TEST_ADMIN = { username: 'admin', password: 'harbour-lights-at-dusk-t42' } as const;
export const TEST_USER_PASSWORD = 'copper-lantern-drifts-north-9';

/** Env for an api started by a test: a known initial admin, cheap bcrypt, a fixed JWT secret. */
export const TEST_AUTH_ENV: Record<string, string> = {
  INITIAL_ADMIN_USERNAME: TEST_ADMIN.username,
  INITIAL_ADMIN_PASSWORD: TEST_ADMIN.password,
  AUTH_BCRYPT_COST: '4',
  JWT_SECRET: 'test-jwt-secret-0123456789abcdefghijklmnopqrstuvwxyz',
};

export const authHeaders = (token: string, extra: Record<string, string> = {}): Record<string, string> => ({ authorization: `Bearer ${token}`, ...extra });

/** POST /api/auth/login; returns the access token. */
export async function loginAs(base: string, username: string = TEST_ADMIN.username, password: string = TEST_ADMIN.password): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const body = (await res.json()) as { accessToken?: string; message?: unknown };
  if (res.status !== 200 || !body.accessToken) throw new Error(`login ${username} failed: ${res.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

/** Creates a user with `role` through the admin API and logs it in. */
export async function createUserWithRole(base: string, adminToken: string, role: UserRole, username = `${role}-${randomBytes(3).toString('hex')}`): Promise<{ username: string; password: string; token: string }> {
  const res = await fetch(`${base}/api/users`, {
    method: 'POST',
    headers: authHeaders(adminToken, { 'content-type': 'application/json' }),
    body: JSON.stringify({ username, role, password: TEST_USER_PASSWORD }),
  });
  if (res.status !== 201) throw new Error(`create ${role} user failed: ${res.status} ${await res.text()}`);
  return { username, password: TEST_USER_PASSWORD, token: await loginAs(base, username, TEST_USER_PASSWORD) };
}

/**
 * A token for an app running in this process (AuthModule registered): creates (or reuses) `<role>-test` and issues a
 * session directly (no HTTP, no bcrypt).
 */
export async function issueToken(app: INestApplicationContext, role: UserRole): Promise<string> {
  const accounts = app.get(UserAccountsService, { strict: false });
  const username = `${role}-test`;
  const user = (await accounts.findByUsername(username)) ?? (await accounts.create({ username, role, password: TEST_USER_PASSWORD })).user;
  return (await app.get(SessionService, { strict: false }).issue(user)).accessToken;
}
