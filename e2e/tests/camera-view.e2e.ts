import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from '../support/console';

/** The camera view: live video with overlay toggles, metrics overlay, pause/resume, snapshot download, zoom. */
test('camera view toggles overlays, pauses, snapshots and zooms', async ({ page }, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, '/');
  await page.getByTestId('tile-open').first().click();
  await expect(page).toHaveURL(/\/cameras\/[^/]+\/live$/);

  const video = page.getByTestId('camera-view-frame');
  await expect(video).toHaveAttribute('data-frame-seq', /^\d+$/, { timeout: 45_000 });
  await expect(page.getByTestId('view-count')).toHaveText(/^\s*\d+\s*$/, { timeout: 30_000 });

  // Overlays: each toggle is reflected in what the canvas draws on the next frames.
  for (const key of ['ids', 'heatmap', 'flow'] as const) {
    await page.getByTestId(`toggle-${key}`).click();
    await expect(page.getByTestId(`toggle-${key}`)).toHaveAttribute('aria-pressed', 'true');
    await expect(video).toHaveAttribute('data-overlays', new RegExp(`\\b${key}\\b`), { timeout: 10_000 });
  }
  await page.getByTestId('toggle-boxes').click();
  await expect(video).not.toHaveAttribute('data-overlays', /\bboxes\b/, { timeout: 10_000 });
  await expect(video).toHaveAttribute('data-boxes', '0');
  await page.getByTestId('toggle-boxes').click();
  await expect(video).toHaveAttribute('data-overlays', /\bboxes\b/, { timeout: 10_000 });
  await page.getByTestId('toggle-metrics').click();
  await expect(page.getByTestId('metrics-overlay')).toHaveCount(0);
  await page.getByTestId('toggle-metrics').click();
  await expect(page.getByTestId('metrics-overlay')).toBeVisible();

  // Pause freezes the picture; resume continues.
  await page.getByTestId('pause').click();
  const frozen = await video.getAttribute('data-frame-seq');
  await page.waitForTimeout(1500);
  await expect(video).toHaveAttribute('data-frame-seq', frozen ?? '');
  await expect(page.getByTestId('live-frame-stale')).toHaveText('Paused');
  await page.getByTestId('pause').click();
  await expect.poll(async () => Number(await video.getAttribute('data-frame-seq')), { timeout: 15_000 }).toBeGreaterThan(Number(frozen));

  // Snapshot downloads a PNG.
  const download = page.waitForEvent('download');
  await page.getByTestId('snapshot-png').click();
  expect((await download).suggestedFilename()).toMatch(/\.png$/);

  // Record buttons (recordings.e2e.ts records and plays a clip).
  await expect(page.getByTestId('record-30')).toBeEnabled();

  await page.getByTestId('zoom-in').click();
  await expect(page.getByTestId('zoom-level')).toHaveText('1.5×');

  await expectAccessible(page, testInfo, 'camera-view');
  await screenshot(page, testInfo, 'camera-view');
  expect(errors).toEqual([]);
});
