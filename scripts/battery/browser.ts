/**
 * Debian's Chromium for the checks that must see what a reader sees: launched from /usr/bin/chromium
 * (Playwright never downloads a browser here) with the e2e suite's flags, and the page notice
 * (components/ui/error-notice.tsx) read from the rendered page.
 */
import { chromium, type Browser, type Page } from 'playwright-core';

/** No sandbox in containers, and nothing the browser fetches by itself. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Launches Chromium; it is closed when `signal` aborts, so a check that overruns leaves no browser behind. */
export async function launchChromium(signal: AbortSignal): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  signal.addEventListener('abort', () => void browser.close());
  return browser;
}

/** What a page's notice says its status is: the number above its `#error-title`, or 200 when it shows none. */
export type SaidStatus = number | 'notice without a status';

/**
 * The status the rendered page shows. A notice may be drawn after the document loads (a 404 from
 * `notFound()` is), so the page gets a moment to show one before "none" is concluded.
 */
export async function saidStatus(page: Page): Promise<SaidStatus> {
  await page.waitForSelector('#error-title', { timeout: 1500 }).catch(() => undefined);
  return page.evaluate(() => {
    const title = document.getElementById('error-title');
    if (!title) return 200;
    const text = title.previousElementSibling?.textContent?.trim() ?? '';
    return /^\d{3}$/.test(text) ? Number(text) : 'notice without a status';
  });
}
