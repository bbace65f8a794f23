import { expect, test } from '@playwright/test';
import { apiHeaders, screenshot, signIn } from '../support/console';

/**
 * Settings that change the console, hot: the site name (header and page title) and the default theme apply as soon
 * as Settings saved them, without a reload; the time-zone list comes from the browser (Intl) and includes UTC.
 */
test('a setting changed in Settings visibly changes the console', async ({ page, request }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const headers = await apiHeaders(request);
  const before = ((await (await request.get('/api/settings', { headers })).json()) as { categories: { category: string; values: Record<string, unknown> }[] }).categories.find((c) => c.category === 'general')?.values ?? {};
  const siteName = `North Stand ${Date.now().toString(36)}`;

  await signIn(page, '/settings');
  await expect(page.getByTestId('site-name')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('header-site-name')).toHaveText(String(before['siteName'] ?? 'CrowdSafe'));
  // Time zones: the browser's IANA list, UTC always present.
  const zones = page.getByTestId('time-zone').locator('option');
  expect(await zones.count()).toBeGreaterThan(100);
  await expect(page.getByTestId('time-zone').locator('option[value="UTC"]')).toHaveCount(1);
  await expect(page.getByTestId('time-zone').locator('option[value="Europe/London"]')).toHaveCount(1);

  try {
    await page.getByTestId('site-name').fill(siteName);
    await page.getByTestId('time-zone').selectOption('Asia/Tokyo');
    await page.locator('#theme-light').check();
    await page.getByTestId('save-general').click();
    await expect(page.getByText('Settings saved')).toBeVisible();
    // No reload: the header, the title, the clock's zone and the theme follow at once.
    await expect(page.getByTestId('header-site-name')).toHaveText(siteName);
    await expect(page).toHaveTitle(siteName);
    await expect(page.getByTestId('clock-zone')).toHaveText(/GMT\+9|JST/);
    await expect(page.locator('html')).toHaveAttribute('data-bs-theme', 'light');
    await screenshot(page, testInfo, 'settings-site-name');

    await page.locator('#theme-dark').check();
    await page.getByTestId('save-general').click();
    await expect(page.locator('html')).toHaveAttribute('data-bs-theme', 'dark');

    // Another tab signed in later sees the stored values from the start.
    const other = await page.context().newPage();
    await other.goto('/');
    await expect(other.getByTestId('header-site-name')).toHaveText(siteName, { timeout: 30_000 });
    await other.close();
  } finally {
    for (const [key, value] of Object.entries(before).filter(([k]) => ['siteName', 'timeZone', 'theme'].includes(k))) {
      const r = await request.put(`/api/settings/general/${key}`, { headers, data: { value } });
      expect(r.status(), await r.text()).toBe(200);
    }
  }
  expect(errors).toEqual([]);
});
