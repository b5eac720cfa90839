// Browser end-to-end tests (`npm run e2e`) on @playwright/test, against a running ksbfolio
// server (the backend serving frontend/dist). scripts/e2e.sh (`make test-e2e`) builds, starts
// the server on a fresh database, creates the admin, runs this, and cleans up.
//
// The browser is Debian's Chromium (/usr/bin/chromium, or KSBFOLIO_E2E_CHROMIUM): Playwright
// never downloads one (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 where packages are installed).
import { defineConfig } from '@playwright/test';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS } from './e2e/browser.mjs';

const url = process.env.KSBFOLIO_E2E_URL;
if (!url) {
  console.error(
    'KSBFOLIO_E2E_URL is not set: the end-to-end tests need a running ksbfolio server.\n' +
      'Run scripts/e2e.sh (make test-e2e), or start the backend (it serves frontend/dist) and run\n' +
      '  KSBFOLIO_E2E_URL=http://127.0.0.1:8080 KSBFOLIO_E2E_ADMIN_EMAIL=… KSBFOLIO_E2E_ADMIN_PASSWORD=… npm run e2e',
  );
  process.exit(2);
}
if (!process.env.KSBFOLIO_E2E_ADMIN_EMAIL || !process.env.KSBFOLIO_E2E_ADMIN_PASSWORD) {
  console.error('KSBFOLIO_E2E_ADMIN_EMAIL and KSBFOLIO_E2E_ADMIN_PASSWORD must name the seeded admin login.');
  process.exit(2);
}

export default defineConfig({
  testDir: './e2e',
  testMatch: '*.spec.mjs',
  // One server, one database, one story in order: no parallel workers, never a retry (a flake
  // is fixed, not retried).
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  // The story walks the whole portfolio; the performance test seeds 300 items first.
  timeout: 10 * 60_000,
  globalSetup: './e2e/global-setup.mjs',
  outputDir: `${ARTIFACTS}results`,
  // "list" while it runs; the last line is "N passed, N failed", alone, for CI to count.
  reporter: [['list'], ['./e2e/reporter.mjs']],
  use: {
    browserName: 'chromium',
    headless: true,
    baseURL: url,
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
  },
});
