import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from '../support/console';

/** Analytics: the sample camera writes a metrics row per second while the test runs; the charts show them. */
test('analytics charts render data from the sample camera', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, '/analytics');
  await expect(page.getByRole('heading', { name: 'Analytics', level: 1 })).toBeVisible();

  const count = page.getByTestId('chart-count');
  await expect(count).toBeVisible();
  // Rows accumulate every second: reload the 1 h range until the count chart has points.
  await expect
    .poll(
      async () => {
        await page.getByRole('button', { name: '1 h', exact: true }).click();
        await page.waitForTimeout(1000);
        return Number((await count.getAttribute('data-points')) ?? 0);
      },
      { timeout: 60_000, intervals: [2000] },
    )
    .toBeGreaterThan(2);
  await expect(count.locator('canvas')).toBeVisible();
  await expect(page.getByTestId('stat-avg-count')).toHaveText(/^\s*\d+(\.\d)?\s*$/);
  await expect(page.getByTestId('stat-cards')).toContainText('Uptime');
  await expect(page.getByTestId('busy-hours')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('compare-chart')).toBeVisible({ timeout: 20_000 });

  // The other ranges load too.
  for (const r of ['6 h', '24 h', '7 d']) {
    await page.getByRole('button', { name: r, exact: true }).click();
    await expect(page.getByRole('button', { name: r, exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect.poll(async () => Number((await count.getAttribute('data-points')) ?? 0), { timeout: 20_000 }).toBeGreaterThan(0);
  }
  await screenshot(page, testInfo, 'analytics');
  await expectAccessible(page, testInfo, 'analytics');
  expect(errors, 'uncaught page errors').toEqual([]);
});
