import { expect, test } from '@playwright/test';
import { apiHeaders, expectAccessible, screenshot, signIn } from '../support/console';

/**
 * A viewer does not see admin pages: no Users/System in the navigation, the
 * guard refuses /users and /system, settings are read-only, cameras have no add/delete. Needs the auth API.
 */
test('a viewer does not see admin pages', async ({ page, request }, testInfo) => {
  const headers = await apiHeaders(request);
  const username = `viewer.${Date.now().toString(36)}`;
  const password = `Viewer-${Date.now()}-pass!`;
  const created = await request.post('/api/users', { headers, data: { username, password, role: 'viewer' } });
  expect(created.status(), await created.text()).toBe(201);

  await signIn(page, '/', { username, password });
  // Freshly created users with a given password may still have to change it first.
  if (page.url().includes('change-password')) throw new Error('viewer was asked to change the password first');
  const nav = page.getByRole('navigation');
  await expect(nav.getByRole('link', { name: 'Cameras' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'System' })).toHaveCount(0);

  await page.goto('/users');
  await expect(page.getByTestId('forbidden')).toBeVisible();
  await page.goto('/system');
  await expect(page.getByTestId('forbidden')).toBeVisible();

  await page.goto('/settings');
  await expect(page.getByText('you are seeing them read-only')).toBeVisible();
  await expect(page.getByTestId('save-general')).toHaveCount(0);
  await expect(page.getByTestId('tab-system')).toHaveCount(0);

  await page.goto('/cameras');
  await expect(page.getByTestId('camera-table').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('add-camera')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Delete / })).toHaveCount(0);
  await screenshot(page, testInfo, 'viewer-cameras');
  await expectAccessible(page, testInfo, 'viewer-cameras');

  // The API refuses what the console hides.
  const login = await request.post('/api/auth/login', { data: { username, password } });
  expect(login.status()).toBe(200);
  const token = ((await login.json()) as { accessToken: string }).accessToken;
  const res = await request.get('/api/users', { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status()).toBe(403);
});
