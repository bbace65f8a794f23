import { expect, test } from '@playwright/test';
import { apiHeaders, screenshot, signIn } from '../support/console';

/**
 * Alert handling past acknowledge: a real alert (the sample camera's capacity set far below what its video shows,
 * as in alarms.e2e.ts) is opened from the dashboard's feed in its detail view (snapshot fetched with the session,
 * timeline, metrics around the trigger, channels, the clip slot), resolved there with notes, and listed with its
 * notes in the camera's incident history.
 */
test('an alert is resolved with notes from its detail view', async ({ page, request }, testInfo) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const headers = await apiHeaders(request);
  await signIn(page, '/');

  const cameras = (await (await request.get('/api/cameras', { headers })).json()) as { id: string; capacity: number | null; isActive: boolean }[];
  const sample = cameras.find((c) => c.isActive);
  if (!sample) throw new Error('no active camera (the sample camera) to raise an alert on');
  const patched = await request.patch(`/api/cameras/${sample.id}`, { headers, data: { capacity: 1 } });
  expect(patched.status(), await patched.text()).toBe(200);
  const notes = `Opened gate 3 and redirected the flow (${Date.now().toString(36)})`;
  let alertId: string | null = null;
  try {
    const item = page.locator(`[data-testid="alert-item"][data-status="open"][data-camera-id="${sample.id}"]`).first();
    await expect(item).toBeVisible({ timeout: 60_000 });
    alertId = await item.getAttribute('data-alert-id');
    await item.getByTestId('alert-details').click();

    const detail = page.getByTestId('alert-detail');
    await expect(detail).toHaveAttribute('data-alert-id', alertId as string, { timeout: 20_000 });
    await expect(page.getByTestId('alert-timeline').locator('li[data-kind="opened"]')).toBeVisible();
    await expect(page.getByTestId('alert-channels')).toContainText('dashboard');
    await expect(page.getByTestId('alert-clip')).toBeVisible();
    await expect(page.getByTestId('alert-metrics')).not.toContainText('Loading', { timeout: 20_000 });
    // The snapshot is fetched with the Bearer token into a blob: URL (a plain <img src> to the API would get 401).
    const snap = page.getByTestId('alert-snapshot').or(page.getByTestId('alert-snapshot-missing'));
    await expect(snap).toBeVisible({ timeout: 20_000 });
    const api = (await (await request.get(`/api/alerts/${alertId}`, { headers })).json()) as { hasSnapshot: boolean };
    if (api.hasSnapshot) {
      await expect(page.getByTestId('alert-snapshot')).toHaveAttribute('src', /^blob:/);
      await expect.poll(() => page.getByTestId('alert-snapshot').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    }
    await screenshot(page, testInfo, 'alert-detail');

    await page.getByTestId('alert-notes-input').fill(notes);
    await page.getByTestId('alert-resolve').click();
    await expect(detail).toHaveAttribute('data-status', 'resolved', { timeout: 15_000 });
    await expect(page.getByTestId('alert-notes')).toHaveText(notes);
    await expect(page.getByTestId('alert-timeline').locator('li[data-kind="resolved"]')).toContainText(notes);
    await expect(page.getByTestId('alert-actions')).toHaveCount(0);

    const stored = (await (await request.get(`/api/alerts/${alertId}`, { headers })).json()) as { status: string; notes: string | null; resolvedBy: string | null };
    expect(stored).toMatchObject({ status: 'resolved', notes });
    expect(stored.resolvedBy).not.toBeNull();

    // The camera's incident history lists it with the notes.
    await page.getByTestId('camera-incidents-link').click();
    const row = page.locator(`[data-testid="incident-row"][data-alert-id="${alertId}"]`);
    await expect(row).toBeVisible({ timeout: 20_000 });
    await expect(row).toHaveAttribute('data-status', 'resolved');
    await expect(row).toContainText(notes);
    await screenshot(page, testInfo, 'incidents');
  } finally {
    const restored = await request.patch(`/api/cameras/${sample.id}`, { headers, data: { capacity: sample.capacity } });
    expect(restored.status(), await restored.text()).toBe(200);
    if (alertId) await request.post(`/api/alerts/${alertId}/resolve`, { headers, data: {} });
  }
  expect(errors).toEqual([]);
});
