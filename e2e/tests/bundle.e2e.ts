import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { signIn } from '../support/console';

/**
 * The console runs in closed networks: the production build references no CDN or other host, and a signed-in
 * session (login page, dashboard with live video) makes requests to its own origin only. Load time against the
 * 2 s target is measured by `./crowdsafe bench web` (timings belong in benchmarks, not in tests).
 */
const dist = resolve(__dirname, '../../dist/web/browser');

// URLs that are identifiers, not fetches (XML namespaces, licence/source links in comments of bundled libraries).
const NOT_FETCHED = [/^http:\/\/www\.w3\.org\//, /^https?:\/\/(?:github\.com|angular\.dev|angular\.io|getbootstrap\.com|opensource\.org|mozilla\.org|developer\.mozilla\.org|tc39\.es|html\.spec\.whatwg\.org|feross\.org|jquery\.com|videojs\.(?:com|org)|www\.chartjs\.org|chartjs\.org|momentjs\.com|fb\.me|reactjs\.org|socket\.io|g\.co|goo\.gl|bit\.ly|www\.apache\.org|creativecommons\.org|lodash\.com|underscorejs\.org|npmjs\.com|www\.npmjs\.com|json-schema\.org|popper\.js\.org|floating-ui\.com)\b/];

test('the build loads nothing from other hosts', async ({ page, baseURL }) => {
  const files = readdirSync(dist).filter((f) => /\.(?:html|css)$/.test(f));
  expect(files.length).toBeGreaterThan(0);
  for (const f of files) {
    const text = readFileSync(join(dist, f), 'utf8');
    // Markup and styles: no src/href/url() pointing at an absolute http(s) or protocol-relative URL.
    const external = [...text.matchAll(/(?:src|href)\s*=\s*["']((?:https?:)?\/\/[^"']+)["']|url\(\s*["']?((?:https?:)?\/\/[^"')]+)/gi)]
      .map((m) => m[1] ?? m[2])
      .filter((u) => !NOT_FETCHED.some((re) => re.test(u)));
    expect(external, `${f} references other hosts`).toEqual([]);
  }

  const origin = new URL(baseURL ?? 'http://127.0.0.1:3000').origin;
  const foreign: string[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== origin && !u.origin.replace(/^ws/, 'http').startsWith(origin)) foreign.push(r.url());
  });
  await signIn(page, '/');
  await expect(page.getByTestId('live-count').first()).toHaveText(/^\s*\d+\s*$/, { timeout: 60_000 });
  await page.reload();
  await expect(page.getByTestId('app-header')).toBeVisible({ timeout: 30_000 });
  expect(foreign).toEqual([]);
});
