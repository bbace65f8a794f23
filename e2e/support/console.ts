import { dirname, resolve } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { type APIRequestContext, type Page, type TestInfo, expect } from '@playwright/test';

/**
 * Shared helpers of the console specs: sign-in through the login page, API tokens for test set-up,
 * screenshots under e2e/artifacts/screenshots/, and axe-core checks.
 *
 * Credentials: E2E_ADMIN_USERNAME / E2E_ADMIN_PASSWORD (set by e2e/run.mjs together with the api's
 * INITIAL_ADMIN_USERNAME / INITIAL_ADMIN_PASSWORD). While the server has no auth API the console runs in open mode
 * and no sign-in is needed.
 */
export const ADMIN = {
  username: process.env.E2E_ADMIN_USERNAME ?? 'admin',
  password: process.env.E2E_ADMIN_PASSWORD ?? '',
};

/** True when the server exposes the auth API (GET /api/auth/providers answers). */
export async function authEnabled(request: APIRequestContext): Promise<boolean> {
  const res = await request.get('/api/auth/providers');
  return res.status() !== 404;
}

/** Opens `path`; signs in through the login page when the console asks for it. Returns once the shell is shown. */
export async function signIn(page: Page, path = '/', who: { username: string; password: string } = ADMIN): Promise<void> {
  await page.goto(path);
  const form = page.getByTestId('login-form');
  const header = page.getByTestId('app-header');
  await expect(form.or(header)).toBeVisible({ timeout: 30_000 });
  if (await form.isVisible()) {
    await page.getByLabel('Username').fill(who.username);
    await page.getByLabel('Password').fill(who.password);
    await page.getByTestId('login-submit').click();
    await expect(header).toBeVisible({ timeout: 30_000 });
  }
}

/** Headers for direct API calls in test set-up (a fresh login; none needed in open mode). */
export async function apiHeaders(request: APIRequestContext): Promise<Record<string, string>> {
  if (!(await authEnabled(request))) return {};
  const res = await request.post('/api/auth/login', { data: { username: ADMIN.username, password: ADMIN.password } });
  expect(res.status(), await res.text()).toBe(200);
  const body = (await res.json()) as { accessToken: string };
  return { Authorization: `Bearer ${body.accessToken}` };
}

export function screenshotPath(testInfo: TestInfo, name: string): string {
  return resolve(dirname(testInfo.project.outputDir), 'screenshots', `${name}.png`);
}

export async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = screenshotPath(testInfo, name);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(`${name}.png`, { path, contentType: 'image/png' });
}

/** axe-core (WCAG 2 A/AA): no serious or critical violations. */
export async function expectAccessible(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  await testInfo.attach(`axe-${name}.json`, { body: JSON.stringify(results.violations, null, 1), contentType: 'application/json' });
  expect(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`),
    `serious/critical axe violations on ${name}`,
  ).toEqual([]);
}

/** The first camera tile showing a live integer count. */
export async function waitForLiveCount(page: Page): Promise<void> {
  await expect(page.getByTestId('live-count')).toHaveText(/^\s*\d+\s*$/, { timeout: 45_000 });
}
