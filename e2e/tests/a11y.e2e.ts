import { expect, test } from '@playwright/test';
import { expectAccessible, signIn } from '../support/console';

/** axe-core on the main console pages (no serious/critical WCAG 2.1 A/AA violations). */
test('main pages have no serious accessibility violations', async ({ page }, testInfo) => {
  await signIn(page, '/');
  await expect(page.getByTestId('camera-tile').first()).toBeVisible();
  await expectAccessible(page, testInfo, 'a11y-dashboard');

  await page.getByTestId('tile-open').first().click();
  await expect(page.getByTestId('camera-view-title')).toBeVisible();
  await expectAccessible(page, testInfo, 'a11y-camera-view');

  for (const path of ['/analytics', '/cameras', '/settings']) {
    await page.goto(path);
    await expect(page.getByTestId('app-header')).toBeVisible();
    await expectAccessible(page, testInfo, `a11y-${path.slice(1)}`);
  }
});
