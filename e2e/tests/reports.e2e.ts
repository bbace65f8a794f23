import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from '../support/console';

/** Reports (#16): an admin generates a custom-range report in each format, sees it progress to done, downloads it. */
test('reports: generate PDF and Excel with a progress bar, then download', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, '/reports');
  await expect(page.getByRole('heading', { name: 'Reports', level: 1 })).toBeVisible();
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  for (const [format, ext] of [['pdf', '.pdf'], ['xlsx', '.xlsx']] as const) {
    await page.getByTestId('report-type').selectOption('custom');
    await page.getByTestId('report-format').selectOption(format);
    await page.getByTestId('report-from').fill(local(new Date(Date.now() - 3_600_000)));
    await page.getByTestId('report-to').fill(local(new Date(Date.now() + 60_000)));
    await page.getByTestId('report-generate').click();
    const row = page.locator('tr[data-testid^="report-row-"]').first();
    await expect(row).toContainText(format, { ignoreCase: true });
    // Queued/running rows show a progress bar until the job is done.
    await expect(row.getByRole('button', { name: 'Download' })).toBeVisible({ timeout: 120_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: 'Download' }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`\\${ext}$`));
    const path = await download.path();
    expect(path).toBeTruthy();
  }
  await expect(page.getByTestId('report-error')).toHaveCount(0);
  await screenshot(page, testInfo, 'reports');
  await expectAccessible(page, testInfo, 'reports');
  expect(errors).toEqual([]);
});
