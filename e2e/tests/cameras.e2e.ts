import { expect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn } from '../support/console';

/**
 * Cameras: the list, the five-step wizard adding a file camera from the media dir (the harness's sample video),
 * an API validation message shown on the source field, a zone drawn in the editor, the live view and count of the new
 * camera, and the calibration page showing the stored zone.
 */
test('adds a camera through the wizard, draws a zone and sees it live', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const name = `E2E wizard ${Date.now().toString(36)}`;

  await signIn(page, '/cameras');
  await expect(page.getByRole('heading', { name: 'Cameras', level: 1 })).toBeVisible();
  await expect(page.getByTestId('camera-table').locator('tbody tr').first()).toBeVisible();
  await screenshot(page, testInfo, 'cameras');
  await expectAccessible(page, testInfo, 'cameras');

  await page.getByTestId('add-camera').click();
  await expect(page.getByTestId('wizard-step')).toContainText('Basic info');
  // Client-side hint: a name is required.
  await page.getByTestId('wizard-next').click();
  await expect(page.getByText('Name is required')).toBeVisible();
  await page.getByTestId('field-name').fill(name);
  await page.getByLabel('Location').fill('E2E hall');
  await page.getByTestId('wizard-next').click();

  await expect(page.getByTestId('wizard-step')).toContainText('Connection');
  await page.getByText('Video file', { exact: true }).click();
  // A file outside the media dir: the API's message appears on the source field and nothing moves on.
  await page.getByTestId('field-source-url').fill('/etc/passwd');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('error-source-url')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('wizard-step')).toContainText('Connection');

  await page.getByTestId('field-source-url').fill('sample.mp4');
  await page.getByTestId('test-connection').click();
  const result = page.getByTestId('test-result');
  await expect(result).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
  await expect(page.getByTestId('test-codec')).not.toHaveText('unknown');
  await expect(page.getByTestId('test-resolution')).toHaveText(/\d+ × \d+/);
  await expect(page.getByTestId('test-snapshot')).toBeVisible();
  await screenshot(page, testInfo, 'camera-wizard-connection');
  await expectAccessible(page, testInfo, 'camera-wizard-connection');
  await page.getByTestId('wizard-next').click();

  // Calibration step: draw one zone (4 clicks on the snapshot, then "Finish shape").
  await expect(page.getByTestId('wizard-step')).toContainText('Calibration', { timeout: 30_000 });
  const svg = page.getByTestId('editor-svg');
  await expect(svg).toBeVisible();
  await page.getByTestId('tool-zone').click();
  const box = await svg.boundingBox();
  if (!box) throw new Error('editor has no box');
  for (const [fx, fy] of [[0.2, 0.2], [0.8, 0.2], [0.8, 0.8], [0.2, 0.8]]) {
    await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
  }
  await page.getByTestId('finish-shape').click();
  await expect(svg).toHaveAttribute('data-zones', '1');
  await expect(page.getByTestId('zone-count')).toHaveText('1');
  // Drag the first vertex: the zone keeps 4 vertices and moves.
  const handle = svg.locator('circle.handle').first();
  const hb = await handle.boundingBox();
  if (!hb) throw new Error('no vertex handle');
  await page.mouse.move(hb.x + hb.width / 2, hb.y + hb.height / 2);
  await page.mouse.down();
  await page.mouse.move(hb.x + hb.width / 2 + 20, hb.y + hb.height / 2 + 15, { steps: 4 });
  await page.mouse.up();
  await expect(svg).toHaveAttribute('data-zones', '1');
  await screenshot(page, testInfo, 'camera-wizard-calibration');
  await expectAccessible(page, testInfo, 'camera-wizard-calibration');
  await page.getByTestId('wizard-next').click();

  // Test step: the new camera runs; live frames and a live count arrive.
  await expect(page.getByTestId('wizard-step')).toContainText('Test', { timeout: 30_000 });
  await expect(page.getByTestId('wizard-count')).toHaveText(/^\s*\d+\s*$/, { timeout: 60_000 });
  await expect(page.getByTestId('wizard-count-age')).not.toHaveClass(/stale/);
  const frame = page.getByTestId('wizard-live-frame');
  await expect(frame).toHaveAttribute('data-frame-seq', /^\d+$/, { timeout: 30_000 });
  const seq = Number(await frame.getAttribute('data-frame-seq'));
  await expect.poll(async () => Number(await frame.getAttribute('data-frame-seq')), { timeout: 20_000 }).toBeGreaterThan(seq);
  await screenshot(page, testInfo, 'camera-wizard-test');
  await page.getByTestId('wizard-next').click();

  await expect(page.getByTestId('wizard-step')).toContainText('Confirm');
  await expect(page.getByText(name)).toBeVisible();
  await page.getByTestId('wizard-finish').click();

  // Back on the list: the new camera is there with a live count.
  await expect(page).toHaveURL(/\/cameras$/);
  const row = page.locator(`tr[data-camera-name="${name}"]`);
  await expect(row).toBeVisible();
  await expect(row.getByTestId('camera-count')).toHaveText(/^\s*\d+\s*$/, { timeout: 30_000 });

  // The calibration page shows the stored zone on a live snapshot.
  await row.getByRole('link', { name: `Calibrate and draw zones for ${name}` }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(name);
  await expect(page.getByTestId('editor-svg')).toHaveAttribute('data-zones', '1', { timeout: 20_000 });
  await screenshot(page, testInfo, 'camera-calibration');
  await expectAccessible(page, testInfo, 'camera-calibration');

  // The live view of the new camera (E1's camera view) shows its count.
  await page.goto('/cameras');
  await page.locator(`tr[data-camera-name="${name}"]`).getByRole('link', { name: `Live view of ${name}` }).click();
  await expect(page).toHaveURL(/\/cameras\/[0-9a-f-]+\/live/);
  expect(errors, 'uncaught page errors').toEqual([]);
});
