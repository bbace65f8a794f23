import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { apiHeaders, screenshot, signIn } from '../support/console';

/**
 * Early warning before CRITICAL on a rising scenario, seen in the browser. The product's own pieces only: a file
 * camera (a clone of the sample camera, POST /api/cameras/:id/clone) on a clip made from the sample video in which a black panel slides off the picture, so
 * the detected crowd, and with the hall's calibration its density, rises steadily; risk settings
 * (PUT /api/settings/risk/thresholds) that score on density alone, scaled to the sample camera's own density. The
 * dashboard's alert feed must list the camera's early_warning alert ("CRITICAL expected in … s") before its
 * CRITICAL one.
 */
const FRAME = { width: 1280, height: 720 };
const RISE_S = 45;

/** The rising clip in the media dir (git-ignored): the sample looped, a black panel sliding right over RISE_S s. */
function risingClip(): string {
  const root = join(__dirname, '..', '..');
  const out = join(root, 'media', 'e2e-rising.mp4');
  if (existsSync(out)) return out;
  mkdirSync(join(root, 'media'), { recursive: true });
  const src = process.env.SAMPLE_VIDEO ? process.env.SAMPLE_VIDEO : join(root, 'media', 'sample.mp4');
  execFileSync('ffmpeg', [
    '-v', 'error', '-y', '-stream_loop', '-1', '-i', src,
    '-f', 'lavfi', '-i', `color=c=black:s=${FRAME.width}x${FRAME.height}:r=25`,
    '-filter_complex', `[0:v]scale=${FRAME.width}:${FRAME.height}[v];[v][1:v]overlay=x='W*min(1,t/${RISE_S})':y=0:eval=frame:shortest=1[o]`,
    '-map', '[o]', '-t', String(RISE_S + 20), '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', out,
  ]);
  return out;
}

test('an early-warning alert appears before CRITICAL on a rising scenario', async ({ page, request }, testInfo) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const headers = await apiHeaders(request);
  const clip = risingClip();

  // The density of the full picture: the sample camera runs on the same video with the hall's calibration.
  const cameras = (await (await request.get('/api/cameras', { headers })).json()) as { id: string; name: string; isActive: boolean }[];
  // The harness's sample camera (the hall calibration); other specs may have added cameras of their own.
  const sample = cameras.find((c) => c.isActive && c.name === 'Sample camera') ?? cameras.find((c) => c.isActive);
  if (!sample) throw new Error('no active camera (the sample camera) to measure the crowd on');
  const others = cameras.filter((c) => c.isActive && c.id !== sample.id);
  let full = 0;
  await expect
    .poll(async () => {
      const res = await request.get(`/api/metrics/${sample.id}/current`, { headers });
      const m = res.ok() ? ((await res.json()) as { density?: number | null } | null) : null;
      full = Math.max(full, m?.density ?? 0);
      return full;
    }, { timeout: 90_000 })
    .toBeGreaterThan(0);

  const riskBefore = ((await (await request.get('/api/settings/risk/thresholds', { headers })).json()) as { value: unknown }).value;
  // Density alone; score 100 at 80 % of the full picture's density, CRITICAL (60) at about half of it.
  const risk = {
    defaults: {
      weights: { density: 1, surge: 0, velocity: 0, pressure: 0, counterFlow: 0 },
      thresholds: { caution: 15, warning: 35, critical: 60 },
      references: { density: 0.8 * full },
      hysteresis: { riseDwellS: 2, fallDwellS: 10, margin: 5 },
    },
  };
  let cameraId: string | null = null;
  try {
    // Only the rising camera runs meanwhile (the others would share the 2-core detector with it).
    for (const c of [sample, ...others]) expect((await request.patch(`/api/cameras/${c.id}`, { headers, data: { isActive: false } })).status()).toBe(200);
    const put = await request.put('/api/settings/risk/thresholds', { headers, data: risk });
    expect(put.status(), await put.text()).toBe(200);
    await signIn(page, '/');
    // A copy of the sample camera (its calibration and zones) on the rising clip.
    const created = await request.post(`/api/cameras/${sample.id}/clone`, { headers, data: { name: 'Rising crowd', sourceType: 'file', sourceUrl: clip, isActive: true } });
    expect(created.status(), await created.text()).toBe(201);
    cameraId = ((await created.json()) as { id: string }).id;

    const items = page.locator(`[data-testid="alert-item"][data-camera-id="${cameraId}"]`);
    const early = items.filter({ hasText: 'CRITICAL expected in' });
    const critical = items.and(page.locator('[data-level="CRITICAL"]'));
    await expect(early.first()).toBeVisible({ timeout: 150_000 });
    // Shown while the camera is not CRITICAL yet.
    await expect(critical).toHaveCount(0);
    await screenshot(page, testInfo, 'early-warning');
    await expect(critical.first()).toBeVisible({ timeout: 120_000 });
    await screenshot(page, testInfo, 'early-warning-then-critical');

    // The stored order agrees: the early_warning alert opened first.
    const list = (await (await request.get(`/api/alerts?cameraId=${cameraId}&limit=50`, { headers })).json()) as { items: { condition: string; level: string; createdAt: string }[] };
    const ew = list.items.find((a) => a.condition === 'early_warning');
    const crit = list.items.find((a) => a.level === 'CRITICAL' && a.condition !== 'early_warning');
    if (!ew || !crit) throw new Error(`stored alerts lack the early_warning or the CRITICAL one: ${JSON.stringify(list.items)}`);
    expect(Date.parse(ew.createdAt)).toBeLessThan(Date.parse(crit.createdAt));
  } finally {
    if (cameraId) await request.delete(`/api/cameras/${cameraId}`, { headers });
    await request.put('/api/settings/risk/thresholds', { headers, data: riskBefore });
    for (const c of [sample, ...others]) await request.patch(`/api/cameras/${c.id}`, { headers, data: { isActive: true } });
  }
  expect(errors).toEqual([]);
});
