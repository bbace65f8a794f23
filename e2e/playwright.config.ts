import { defineConfig } from '@playwright/test';

/**
 * Browser e2e against a running CrowdSafe api that serves the built web app (dist/web/browser) at `/`.
 *   E2E_BASE_URL   default http://127.0.0.1:3000
 *   CHROMIUM_PATH  default /usr/bin/chromium (system Chromium; Playwright's own browsers are not downloaded)
 * Run: npx playwright test -c e2e/playwright.config.ts
 */
export default defineConfig({
  testDir: 'tests',
  testMatch: '**/*.e2e.ts',
  outputDir: 'artifacts/results',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list'], ['json', { outputFile: 'artifacts/report.json' }]],
  use: {
    baseURL: process.env.E2E_BASE_URL ?? 'http://127.0.0.1:3000',
    headless: true,
    viewport: { width: 1280, height: 900 },
    screenshot: 'on',
    trace: 'retain-on-failure',
    serviceWorkers: 'block',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
