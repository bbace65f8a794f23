import { expect, test } from '@playwright/test';
import { apiHeaders, screenshot, signIn } from '../support/console';

/**
 * An alert arriving live, sounding and being acknowledged. The alert is produced by the real server: a camera whose
 * RTSP source cannot be reached goes offline/error, and after ALERT_OFFLINE_GRACE_S (set it low in e2e/run.mjs,
 * e.g. 2) the alert engine raises `camera_offline` (WARNING), broadcast as an `alert` event.
 */
test('an alert sounds, flashes and is acknowledged', async ({ page, request }, testInfo) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, '/');

  // Browsers only allow sound after a gesture: the UI says so until the first click.
  const audio = page.getByTestId('alarm-audio');
  await expect(audio).toHaveAttribute('data-state', 'locked');
  await expect(page.getByTestId('enable-sound')).toHaveText(/Click to enable sound/);
  await page.getByTestId('enable-sound').click();
  await expect(audio).toHaveAttribute('data-state', /ready|playing/);
  const tonesBefore = Number(await audio.getAttribute('data-tones'));

  const headers = await apiHeaders(request);
  const created = await request.post('/api/cameras', {
    headers,
    data: { name: `E2E unreachable ${Date.now()}`, sourceType: 'rtsp', sourceUrl: 'rtsp://127.0.0.1:9/e2e-unreachable' },
  });
  expect(created.status(), await created.text()).toBe(201);
  const cameraId = ((await created.json()) as { id: string }).id;

  try {
    const item = page.locator(`[data-testid="alert-item"][data-status="open"][data-camera-id="${cameraId}"]`);
    await expect(item.first()).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId('alarm-banner')).toHaveAttribute('data-level', /WARNING|CRITICAL/);
    await expect.poll(async () => Number(await audio.getAttribute('data-tones')), { timeout: 10_000 }).toBeGreaterThan(tonesBefore);
    await expect(page.getByTestId('alert-count')).not.toHaveText('0');
    await screenshot(page, testInfo, 'alarms');

    await item.first().getByTestId('alert-ack').click();
    const acked = page.locator(`[data-testid="alert-item"][data-status="acknowledged"][data-camera-id="${cameraId}"]`);
    await expect(acked.first()).toBeVisible({ timeout: 15_000 });
  } finally {
    await request.delete(`/api/cameras/${cameraId}`, { headers });
  }
  expect(errors).toEqual([]);
});
