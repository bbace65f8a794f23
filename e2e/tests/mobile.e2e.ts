import { expect, test } from '@playwright/test';
import { screenshot, signIn, waitForLiveCount } from '../support/console';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true });

/** A 390×844 phone: one camera at a time, no horizontal scrolling, collapsible navigation, live count. */
test('dashboard on a phone', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, '/');
  await waitForLiveCount(page);
  await expect(page.getByTestId('camera-grid')).toBeVisible();
  await expect(page.getByTestId('grid-size')).toBeHidden();

  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, 'no horizontal scrolling').toBeLessThanOrEqual(1);

  // Navigation collapses behind the toggler.
  await expect(page.getByTestId('nav-analytics')).toBeHidden();
  await page.getByRole('button', { name: 'Toggle navigation' }).click();
  await expect(page.getByTestId('nav-analytics')).toBeVisible();
  await page.getByRole('button', { name: 'Toggle navigation' }).click();

  await screenshot(page, testInfo, 'mobile-dashboard');
  expect(errors).toEqual([]);
});
