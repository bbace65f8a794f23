import { dirname, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { signIn } from '../support/console';

/**
 * The live page against the real api playing the sample video: a live integer count, frames that keep arriving
 * (data-frame-seq advances) with boxes drawn, a live count that changes (people move in and out of the sample video), and
 * an age that is not stale.
 */
test('live page shows a live count and annotated video', async ({ page }, testInfo) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));

  // Auth is on: sign in through the login page (the console asks for it), then the dashboard shows.
  await signIn(page, '/');
  await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();

  const count = page.getByTestId('live-count');
  const frame = page.getByTestId('live-frame');
  const age = page.getByTestId('live-age');
  await expect(count).toHaveText(/^\s*\d+\s*$/, { timeout: 30_000 });

  // Sample the page until the video advanced 3 times with boxes and the live count changed at least once.
  const samples: { t: number; seq: number | null; boxes: number; count: string }[] = [];
  const started = Date.now();
  let seqAdvances = 0;
  let countChanges = 0;
  let advancedWithBoxes = false;
  let lastSeq: number | null = null;
  let lastCount: string | null = null;
  while (Date.now() - started < 45_000) {
    const s = await page.evaluate(() => {
      const c = document.querySelector('[data-testid="live-frame"]');
      const seq = c?.getAttribute('data-frame-seq');
      return {
        seq: seq == null ? null : Number(seq),
        boxes: Number(c?.getAttribute('data-boxes') ?? 0),
        count: (document.querySelector('[data-testid="live-count"]')?.textContent ?? '').trim(),
      };
    });
    samples.push({ t: Date.now() - started, ...s });
    if (s.seq !== null && lastSeq !== null && s.seq > lastSeq) {
      seqAdvances++;
      if (s.boxes > 0) advancedWithBoxes = true;
    }
    if (s.seq !== null) lastSeq = s.seq;
    if (/^\d+$/.test(s.count)) {
      if (lastCount !== null && s.count !== lastCount) countChanges++;
      lastCount = s.count;
    }
    if (seqAdvances >= 3 && countChanges >= 1 && advancedWithBoxes) break;
    await page.waitForTimeout(200);
  }
  await testInfo.attach('samples.json', { body: JSON.stringify(samples, null, 1), contentType: 'application/json' });

  expect(seqAdvances, 'data-frame-seq advances').toBeGreaterThanOrEqual(3);
  expect(countChanges, 'the live count changed').toBeGreaterThanOrEqual(1);
  expect(advancedWithBoxes, 'frames with boxes drawn kept arriving').toBe(true);
  await expect(frame).toHaveAttribute('data-frame-seq', /^\d+$/);

  await expect(count).toHaveText(/^\s*\d+\s*$/);
  await expect(age).not.toHaveClass(/(^|\s)stale(\s|$)/);
  await expect(age).not.toContainText('stale');
  await expect(age).toHaveText(/\d s ago$/);

  const shot = resolve(dirname(testInfo.project.outputDir), 'live.png');
  await page.screenshot({ path: shot, fullPage: true });
  await testInfo.attach('live.png', { path: shot, contentType: 'image/png' });
  expect(pageErrors, 'uncaught page errors').toEqual([]);
});
