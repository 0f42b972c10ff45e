/**
 * What the e2e run is pointed at, as playwright.config.ts decided it: the live demo cluster
 * (scripts/demo.mjs) or the bundled sample dump.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

// Playwright loads specs as CommonJS: __dirname, not import.meta.
export const ROOT = join(__dirname, '..', '..');

/** `demo`: a live cluster whose objects change; `dump`: samples/cluster, fixed for the whole run. */
export const SOURCE = (process.env.E2E_SOURCE ?? 'dump') as 'demo' | 'dump';

/** Copies a test artifact to docs/screenshots/ for the README. */
export function publishScreenshot(file: string, name: string): void {
  // Only on request (`UPDATE_SCREENSHOTS=1 npm run test:e2e`): a plain test run, CI's included, leaves
  // the committed README pictures alone; the run's own pictures are in the test artifacts.
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  const dir = join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  copyFileSync(file, join(dir, name));
}
