import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from '../support/console';

/** Settings: a change survives a reload; risk weights get a hint before the server is asked. */
test('settings change round-trips and risk hints show inline', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const siteName = `Venue ${Date.now().toString(36)}`;

  await signIn(page, '/settings');
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  const site = page.getByTestId('site-name');
  await expect(site).toBeVisible({ timeout: 20_000 });
  await screenshot(page, testInfo, 'settings');
  await expectAccessible(page, testInfo, 'settings');

  await site.fill(siteName);
  await page.getByTestId('save-general').click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('site-name')).toHaveValue(siteName, { timeout: 20_000 });

  // Cooldown round trip.
  await page.getByTestId('tab-sound').click();
  await page.getByTestId('cooldown').fill('45');
  await page.getByTestId('save-alerts').click();
  await expect(page.getByText('Settings saved')).toBeVisible();
  await page.reload();
  await page.getByTestId('tab-sound').click();
  await expect(page.getByTestId('cooldown')).toHaveValue('45');
  await screenshot(page, testInfo, 'settings-sound');

  // Risk: weights that do not sum to 1 are refused with the reason, inline.
  await page.getByTestId('tab-risk').click();
  const density = page.getByTestId('weight-density');
  await expect(density).toBeVisible({ timeout: 20_000 });
  await density.fill('0.9');
  await page.getByTestId('save-risk').click();
  await expect(page.getByTestId('risk-errors')).toContainText('weights must sum to 1');
  await screenshot(page, testInfo, 'settings-risk');
  await expectAccessible(page, testInfo, 'settings-risk');

  await page.getByTestId('tab-alerts').click();
  await expect(page.getByTestId('add-recipient')).toBeVisible();
  await screenshot(page, testInfo, 'settings-alerts');
  expect(errors, 'uncaught page errors').toEqual([]);
});
