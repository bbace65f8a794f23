import { expect, test } from '@playwright/test';
import { ADMIN, expectAccessible, screenshot } from '../support/console';

/**
 * Login against the auth API contract: a wrong password is refused with the server's message, the right one opens
 * the dashboard, the session survives a reload (silent refresh from the httpOnly cookie), and sign-out returns to
 * the login page and protects the console again.
 */
test('login, session survives reload, logout', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('heading', { name: 'Sign in to CrowdSafe' })).toBeVisible();
  await expectAccessible(page, testInfo, 'login');
  await screenshot(page, testInfo, 'login');

  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill('definitely-not-the-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('login-error')).toContainText(/invalid username or password/i);

  await page.getByLabel('Username').fill(ADMIN.username);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByTestId('login-submit').click();
  await expect(page.getByTestId('app-header')).toBeVisible();
  await expect(page.getByTestId('user-role')).toHaveText('admin');
  await expect(page.getByTestId('nav-users')).toBeVisible();

  // The access token is only in memory: a reload must restore it through POST /api/auth/refresh (cookie).
  const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/auth/refresh') && r.status() === 200);
  await page.reload();
  await refreshed;
  await expect(page.getByTestId('app-header')).toBeVisible();
  await expect(page).not.toHaveURL(/\/login/);

  await page.getByTestId('user-menu').click();
  await page.getByTestId('logout').click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  expect(errors).toEqual([]);
});
