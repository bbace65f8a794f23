import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from '../support/console';

/** Users (E2, admin): create a user with a temporary password, reset it (shown once), view activity. */
test('admin creates a user and resets the password', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const username = `e2e.${Date.now().toString(36)}`;

  await signIn(page, '/users');
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await expect(page.getByTestId('users-table').locator('tbody tr').first()).toBeVisible();
  await screenshot(page, testInfo, 'users');
  await expectAccessible(page, testInfo, 'users');

  await page.getByTestId('add-user').click();
  const dialog = page.getByTestId('user-dialog');
  await expect(dialog).toBeVisible();
  await page.getByTestId('user-username').fill('bad name!');
  await page.getByTestId('user-save').click();
  await expect(dialog.getByText(/Username: 1–64/)).toBeVisible();
  await page.getByTestId('user-username').fill(username);
  await dialog.getByTestId('user-role').selectOption('operator');
  await page.getByTestId('user-save').click();

  // No password given: the temporary one is shown once.
  await expect(page.getByTestId('temporary-password')).toHaveText(/\S{8,}/);
  const first = (await page.getByTestId('temporary-password').textContent())?.trim();
  await page.getByTestId('temporary-password-dialog').getByRole('button', { name: 'Done' }).click();
  const row = page.locator(`tr[data-username="${username}"]`);
  await expect(row).toContainText('operator');
  await expect(row).toContainText('must change password');

  await row.getByTestId('reset-password').click();
  await page.getByTestId('confirm-reset').click();
  await expect(page.getByTestId('temporary-password')).toHaveText(/\S{8,}/);
  const second = (await page.getByTestId('temporary-password').textContent())?.trim();
  expect(second).not.toEqual(first);
  await screenshot(page, testInfo, 'users-temporary-password');
  await page.getByTestId('temporary-password-dialog').getByRole('button', { name: 'Done' }).click();

  await row.getByRole('button', { name: `Activity of ${username}` }).click();
  await expect(page.getByRole('dialog')).toContainText(`Activity: ${username}`);
  expect(errors, 'uncaught page errors').toEqual([]);
});

/** System (E2, admin): health with uptime and dependency status, pipeline stats, filtered logs. */
test('admin sees system health, stats and logs', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, '/system');
  await expect(page.getByRole('heading', { name: 'System', level: 1 })).toBeVisible();
  await expect(page.getByTestId('health-status')).toHaveText(/ok|degraded/, { timeout: 20_000 });
  await expect(page.getByTestId('uptime')).not.toHaveText('—');
  await expect(page.getByTestId('stats-table').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('logs-table')).toBeVisible();
  await page.getByLabel('Level').selectOption('info');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page.getByTestId('logs-table').locator('tbody tr').first()).toBeVisible();
  await screenshot(page, testInfo, 'system');
  await expectAccessible(page, testInfo, 'system');
  expect(errors, 'uncaught page errors').toEqual([]);
});
