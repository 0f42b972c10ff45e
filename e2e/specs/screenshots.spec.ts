/**
 * Screenshots of the three pages in light and dark mode, and the domain page at phone width: saved as
 * test artifacts and copied to docs/screenshots/ for the README.
 */
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { publishScreenshot } from '../support/env';
import { DomainPage } from '../pages/domain-page';
import { NamespacePage } from '../pages/namespace-page';
import { OverviewPage } from '../pages/overview-page';

async function shoot(page: Page, name: string, testInfo: TestInfo, fullPage = true) {
  // Wait until the first client refresh has answered, so the picture shows settled data.
  await expect(page.getByText(/^Updated \d+ s ago/).first()).toBeVisible();
  const path = testInfo.outputPath(name);
  await page.screenshot({ path, fullPage, animations: 'disabled', caret: 'hide' });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  publishScreenshot(path, name);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`screenshots, ${scheme}`, () => {
    test.use({ colorScheme: scheme });

    test(`overview (${scheme})`, async ({ page }, testInfo) => {
      await new OverviewPage(page).goto();
      await shoot(page, `overview-${scheme}.png`, testInfo);
    });

    test(`environment (${scheme})`, async ({ page }, testInfo) => {
      await new NamespacePage(page).goto('hst-acme');
      await shoot(page, `namespace-${scheme}.png`, testInfo);
    });

    test(`domain (${scheme})`, async ({ page }, testInfo) => {
      const domain = new DomainPage(page);
      await domain.goto('checkout.acme.junovy.com', 'Pod/checkout-q8x4sv2bzk-r7fpn');
      await expect(domain.detailsTitle()).toHaveText('checkout-q8x4sv2bzk-r7fpn');
      await shoot(page, `domain-${scheme}.png`, testInfo);
    });
  });
}

test.describe('screenshots, phone width', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('domain at 390 px', async ({ page }, testInfo) => {
    const domain = new DomainPage(page);
    await domain.goto('checkout.acme.junovy.com', 'Service/checkout');
    await expect(domain.selectedNode()).toBeVisible();
    // Nothing but the diagram's own scroller may be wider than the phone.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'the page scrolls sideways').toBeLessThanOrEqual(0);
    // The first screen is what a phone shows: the verdict, the broken link and the start of the chain.
    await shoot(page, 'domain-mobile.png', testInfo, false);
  });
});
