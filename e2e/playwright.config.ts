/**
 * Playwright for the dashboard, in Debian's Chromium (/usr/bin/chromium: no browser download).
 *
 *   npx playwright test -c e2e/playwright.config.ts
 *
 * The web server is a production build of the current sources on 127.0.0.1:E2E_PORT (default 3217) serving
 * the live demo cluster (scripts/demo.ts `--prod`, its API server on E2E_PORT + 1), or the bundled
 * sample dump when the demo script is missing or E2E_SOURCE=dump. Locally a server already on that port
 * is reused (a second run does not rebuild); in CI (`CI=1`) it is always started fresh. Screenshots of
 * the pages land in the test output and in docs/screenshots/.
 */
import { defineConfig } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

// Playwright loads this file as CommonJS: __dirname, not import.meta (which would make it ESM).
const ROOT = join(__dirname, '..');
const PORT = Number(process.env.E2E_PORT ?? 3217);
const BASE_URL = `http://127.0.0.1:${PORT}`;
const API_PORT = PORT + 1;
const DEMO = process.env.E2E_SOURCE !== 'dump' && existsSync(join(ROOT, 'scripts', 'demo.ts'));

/** Read by the specs (e2e/support/env.ts, e2e/support/demo.ts) to know which cluster they run against. */
process.env.E2E_BASE_URL = BASE_URL;
process.env.E2E_SOURCE = DEMO ? 'demo' : 'dump';
if (DEMO) process.env.E2E_DEMO_API_URL = `http://127.0.0.1:${API_PORT}`;

export default defineConfig({
  testDir: './specs',
  outputDir: join(ROOT, 'test-results', 'e2e'),
  fullyParallel: false,
  // One worker: the live spec changes the demo cluster, and the machine's two cores are shared.
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['html', { outputFolder: join(ROOT, 'playwright-report'), open: 'never' }]],
  use: {
    baseURL: BASE_URL,
    viewport: { width: 1280, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [{ name: 'chromium' }],
  webServer: {
    // The demo rebuilds when the sources differ from those of the last build (scripts/demo-build.ts), so
    // it never serves an old build; the dump server has no such check and always builds first.
    command: DEMO
      ? `node --import tsx scripts/demo.ts --prod --port ${PORT} --api-port ${API_PORT}`
      : `npx next build && node bin/chainboard-server.mjs -H 127.0.0.1 -p ${PORT}`,
    cwd: ROOT,
    url: `${BASE_URL}/api/readyz`,
    reuseExistingServer: !process.env.CI,
    // A production build on two shared cores takes minutes.
    timeout: 900_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      NEXT_TELEMETRY_DISABLED: '1',
      ...(DEMO ? {} : { CHAINBOARD_DUMP: 'samples/cluster' }),
      // Sharing is on in the e2e run so its spec can make links; a fixed test-only secret.
      CHAINBOARD_SHARE_SECRET: process.env.CHAINBOARD_SHARE_SECRET ?? 'e2e-only-share-secret-not-for-production-0123456789',
    },
  },
});
