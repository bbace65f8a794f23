import { expect, test } from '@playwright/test';
import { apiHeaders, screenshot, signIn } from '../support/console';

/**
 * Web push from the console in Chromium: with notifications allowed, "Turn on for this device" registers the
 * service worker (/push-sw.js, same origin: CSP worker-src 'self') and subscribes with the server's VAPID key
 * (e2e/run.mjs generates one). A real PushSubscription needs the browser's push service (Google's FCM for
 * Chromium): where it is reachable the subscription becomes a push recipient of the signed-in user; offline (this
 * project's machines) Chromium refuses with "push service error", which the console reports as such. The test
 * asserts the worker, the permission and the server key in both cases, and the registered recipient when the push
 * service answered (a test annotation says which case ran).
 */
// The suite blocks service workers by default (playwright.config.ts); this spec is about one.
test.use({ serviceWorkers: 'allow' });

test('a push subscription made in Chromium', async ({ page, context, request }, testInfo) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const headers = await apiHeaders(request);
  const key = (await (await request.get('/api/notifications/push/public-key', { headers })).json()) as { enabled: boolean; publicKey: string | null };
  expect(key.enabled).toBe(true);
  expect(key.publicKey).toMatch(/^[A-Za-z0-9_-]{80,100}$/);

  await context.grantPermissions(['notifications']);
  await signIn(page, '/settings');
  await page.getByTestId('tab-alerts').click();
  const card = page.getByTestId('push-card');
  await expect(card).toHaveAttribute('data-state', 'not-subscribed', { timeout: 20_000 });
  await page.getByTestId('push-subscribe').click();
  await expect(card.getByTestId('push-subscribed').or(card.getByTestId('push-error'))).toBeVisible({ timeout: 30_000 });

  // The service worker is registered at the console's root and active; notifications are allowed.
  const sw = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration('/');
    return { script: reg?.active?.scriptURL ?? null, scope: reg?.scope ?? null, permission: Notification.permission };
  });
  expect(sw.script).toMatch(/\/push-sw\.js$/);
  expect(sw.scope).toMatch(/\/$/);
  expect(sw.permission).toBe('granted');
  await screenshot(page, testInfo, 'push');

  if (await card.getByTestId('push-subscribed').isVisible()) {
    testInfo.annotations.push({ type: 'push', description: 'the push service answered: subscription registered' });
    const endpoint = await page.evaluate(async () => (await (await navigator.serviceWorker.getRegistration('/'))?.pushManager.getSubscription())?.endpoint ?? null);
    expect(endpoint).toMatch(/^https:\/\//);
    const recipients = (await (await request.get('/api/alert-recipients', { headers })).json()) as { channel: string; destination: string; isActive: boolean }[];
    expect(recipients.some((r) => r.channel === 'push' && r.isActive && r.destination.includes(endpoint as string))).toBe(true);
    await page.getByTestId('push-unsubscribe').click();
    await expect(card).toHaveAttribute('data-state', 'not-subscribed');
  } else {
    testInfo.annotations.push({ type: 'push', description: 'offline: Chromium could not reach its push service; tested up to worker + permission + key' });
    await expect(card.getByTestId('push-error')).toContainText(/push service/i);
    testInfo.annotations.push({ type: 'push-error', description: (await card.getByTestId('push-error').textContent()) ?? '' });
  }
  expect(errors).toEqual([]);
});
