import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from '../support/console';

/** Settings → Alert policy: trigger thresholds and the level × channel routing are saved, validated and kept. */
test('alert policy: thresholds and routing round-trip; a bad threshold is refused with its field', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));

  await signIn(page, '/settings');
  await page.getByTestId('tab-policy').click();
  const early = page.getByTestId('ap-earlyWarningS');
  await expect(early).toHaveValue('30', { timeout: 20_000 });
  await expect(page.getByTestId('rt-CRITICAL-sms')).toBeChecked();
  await expectAccessible(page, testInfo, 'settings-alert-policy');

  await early.fill('45');
  await page.getByTestId('rt-CRITICAL-sms').uncheck();
  await page.getByTestId('rt-WARNING-sms').check();
  await page.getByTestId('save-alert-policy').click();
  await expect(page.getByText('Alert policy saved')).toBeVisible();

  await page.reload();
  await page.getByTestId('tab-policy').click();
  await expect(page.getByTestId('ap-earlyWarningS')).toHaveValue('45', { timeout: 20_000 });
  await expect(page.getByTestId('rt-CRITICAL-sms')).not.toBeChecked();
  await expect(page.getByTestId('rt-WARNING-sms')).toBeChecked();

  // CRITICAL surge below the WARNING one: the server names the field, nothing is saved.
  await page.getByTestId('ap-surgeCritical').fill('0.1');
  await page.getByTestId('save-alert-policy').click();
  await expect(page.getByRole('alert').filter({ hasText: 'alerts.thresholds.surgeCritical: must be above surge' })).toBeVisible();
  await screenshot(page, testInfo, 'settings-alert-policy');
  expect(errors, 'uncaught page errors').toEqual([]);
});
