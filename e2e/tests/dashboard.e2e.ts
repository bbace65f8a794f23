import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn, waitForLiveCount } from '../support/console';

/**
 * The dashboard against the real api playing the sample video: a live tile (video frames advancing, integer count,
 * fresh age), the metrics sidebar with trends, the alert panel, grid sizes (remembered across a reload), a11y.
 */
test('dashboard shows live cameras and switches grid sizes', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, '/');

  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();
  const tile = page.getByTestId('camera-tile').first();
  await expect(tile).toBeVisible();
  await waitForLiveCount(page);
  await expect(tile.getByTestId('tile-count')).toHaveText(/^\s*\d+\s*$/);
  await expect(tile.getByTestId('tile-age')).toHaveText(/s ago$/);
  await expect(tile.getByTestId('tile-age')).not.toContainText('stale');
  await expect(tile.getByTestId('tile-status')).toHaveAttribute('data-status', 'online');

  // Frames keep arriving on the selected tile's canvas.
  const frame = page.getByTestId('live-frame');
  await expect(frame).toHaveAttribute('data-frame-seq', /^\d+$/, { timeout: 30_000 });
  const seq1 = Number(await frame.getAttribute('data-frame-seq'));
  await expect.poll(async () => Number(await frame.getAttribute('data-frame-seq')), { timeout: 15_000 }).toBeGreaterThan(seq1);

  // Sidebar: live count with a fresh age and three trend charts.
  await expect(page.getByTestId('metrics-sidebar')).toBeVisible();
  await expect(page.getByTestId('live-age')).not.toContainText('stale');
  await expect(page.getByTestId('trends').locator('canvas')).toHaveCount(3);
  await expect(page.getByTestId('alert-panel')).toBeVisible();
  await expect(page.getByTestId('clock')).toHaveText(/^\s*\d\d:\d\d:\d\d\s*$/);

  // Grid sizes: 3×3 then 4×4, remembered after a reload.
  const grid = page.getByTestId('camera-grid');
  await page.getByTestId('grid-3').click();
  await expect(grid).toHaveAttribute('data-grid', '3');
  await expect(page.getByTestId('grid-3')).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('grid-4').click();
  await expect(grid).toHaveAttribute('data-grid', '4');
  await page.reload();
  await expect(page.getByTestId('camera-grid')).toHaveAttribute('data-grid', '4');
  await page.getByTestId('grid-2').click();
  await expect(page.getByTestId('camera-grid')).toHaveAttribute('data-grid', '2');
  await waitForLiveCount(page);

  // Theme toggle is remembered.
  const html = page.locator('html');
  const before = await html.getAttribute('data-bs-theme');
  await page.getByTestId('theme-toggle').click();
  await expect(html).not.toHaveAttribute('data-bs-theme', before ?? 'dark');
  await page.reload();
  await expect(html).not.toHaveAttribute('data-bs-theme', before ?? 'dark');
  await expectAccessible(page, testInfo, 'dashboard-light');
  await page.getByTestId('theme-toggle').click();
  await expect(html).toHaveAttribute('data-bs-theme', before ?? 'dark');

  await waitForLiveCount(page);
  await expectAccessible(page, testInfo, 'dashboard');
  await screenshot(page, testInfo, 'dashboard');

  // Double-click opens the camera view.
  await page.getByTestId('camera-tile').first().locator('canvas').dblclick();
  await expect(page).toHaveURL(/\/cameras\/[^/]+\/live$/);
  expect(errors).toEqual([]);
});
