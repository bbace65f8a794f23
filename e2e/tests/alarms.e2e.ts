import { expect, test } from '@playwright/test';
import { apiHeaders, screenshot, signIn } from '../support/console';

/**
 * An alert arriving live, sounding and being acknowledged. The alert is produced by the real server from the sample
 * camera's live metrics: its capacity is set (PATCH /api/cameras/:id) far below the people the sample video shows,
 * so the alert engine raises `capacity` (WARNING/CRITICAL), broadcast as an `alert` event. The capacity is restored
 * and the alert resolved afterwards.
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
  const cameras = await request.get('/api/cameras', { headers });
  expect(cameras.status(), await cameras.text()).toBe(200);
  const sample = ((await cameras.json()) as { id: string; capacity: number | null; isActive: boolean }[]).find((c) => c.isActive);
  if (!sample) throw new Error('no active camera (the sample camera) to raise an alert on');
  const { id: cameraId, capacity: capacityBefore } = sample;
  const patched = await request.patch(`/api/cameras/${cameraId}`, { headers, data: { capacity: 1 } });
  expect(patched.status(), await patched.text()).toBe(200);

  let alertId: string | null = null;
  try {
    const item = page.locator(`[data-testid="alert-item"][data-status="open"][data-camera-id="${cameraId}"]`);
    await expect(item.first()).toBeVisible({ timeout: 60_000 });
    alertId = await item.first().getAttribute('data-alert-id');
    await expect(page.getByTestId('alarm-banner')).toHaveAttribute('data-level', /WARNING|CRITICAL/);
    await expect.poll(async () => Number(await audio.getAttribute('data-tones')), { timeout: 10_000 }).toBeGreaterThan(tonesBefore);
    await expect(page.getByTestId('alert-count')).not.toHaveText('0');
    await screenshot(page, testInfo, 'alarms');

    await item.first().getByTestId('alert-ack').click();
    const acked = page.locator(`[data-testid="alert-item"][data-status="acknowledged"][data-camera-id="${cameraId}"]`);
    await expect(acked.first()).toBeVisible({ timeout: 15_000 });
  } finally {
    const restored = await request.patch(`/api/cameras/${cameraId}`, { headers, data: { capacity: capacityBefore } });
    expect(restored.status(), await restored.text()).toBe(200);
    if (alertId) await request.post(`/api/alerts/${alertId}/resolve`, { headers, data: {} });
  }
  expect(errors).toEqual([]);
});
