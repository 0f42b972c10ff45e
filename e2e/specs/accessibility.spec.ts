/**
 * An automated accessibility audit (axe-core, WCAG 2.1 A and AA rules) of the three pages, in light and
 * dark mode: the overview, an environment, a broken domain with a node's details open, an unknown domain's
 * 404 and the sign-in page. It complements the hand-written checks in the
 * other specs (roles, names, keyboard): axe catches what those do not look for (contrast, landmarks,
 * duplicate ids, missing labels on form controls).
 *
 * Every violation fails the test, whatever its impact, and the message lists rule, impact, and the
 * offending elements, so a regression says what to fix.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { DomainPage } from '../pages/domain-page';
import { NamespacePage } from '../pages/namespace-page';
import { OverviewPage } from '../pages/overview-page';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/**
 * The one exception, and only for the diagram's nodes: "label in name" (WCAG 2.5.3) wants a control's
 * visible text inside its accessible name. A node shows its name shortened in the middle
 * (`checkout-q…bzk-r7fpn`) and its accessible name is the full name with health and findings
 * (`Pod checkout-q8x4sv2bzk-r7fpn, CrashLoopBackOff · 8 restarts, degraded, broken link ...`), which is
 * what a screen reader user needs and what the other specs find nodes by. Everywhere else the rule runs.
 */
const LABEL_IN_NAME = 'label-content-name-mismatch';

function describeViolations(violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations']): string[] {
  return violations.map(
    (v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join('; ') ?? ''}`).join('\n')}`,
  );
}

async function audit(page: Page, opts: { live?: boolean } = {}): Promise<void> {
  // Wait for settled, client-refreshed data: the audit looks at what users look at.
  if (opts.live !== false) await expect(page.getByText(/^Updated \d+ s ago/).first()).toBeVisible();
  const results = await new AxeBuilder({ page }).withTags(WCAG).disableRules([LABEL_IN_NAME]).analyze();
  expect(describeViolations(results.violations), `axe violations on ${page.url()}`).toEqual([]);
  const labelInName = await new AxeBuilder({ page }).withRules([LABEL_IN_NAME]).exclude('.chain-node').analyze();
  expect(describeViolations(labelInName.violations), `label-in-name violations on ${page.url()}`).toEqual([]);
  // The audit ran on a real page, not an empty one.
  expect(results.passes.length).toBeGreaterThan(10);
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`accessibility, ${scheme}`, () => {
    test.use({ colorScheme: scheme });

    test(`overview (${scheme})`, async ({ page }) => {
      await new OverviewPage(page).goto();
      await audit(page);
    });

    test(`overview, domain view (${scheme})`, async ({ page }) => {
      await new OverviewPage(page).goto('?view=domains');
      await audit(page);
    });

    test(`environment (${scheme})`, async ({ page }) => {
      await new NamespacePage(page).goto('hst-acme');
      await audit(page);
    });

    test(`broken domain with details open (${scheme})`, async ({ page }) => {
      const domain = new DomainPage(page);
      await domain.goto('checkout.acme.junovy.com', 'Pod/checkout-q8x4sv2bzk-r7fpn');
      await expect(domain.detailsTitle()).toHaveText('checkout-q8x4sv2bzk-r7fpn');
      await audit(page);
    });

    test(`unknown domain (${scheme})`, async ({ page }) => {
      const res = await page.goto('/d/no-such-host.example.com');
      expect(res?.status()).toBe(404);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await audit(page, { live: false });
    });

    test(`sign-in page (${scheme})`, async ({ page }) => {
      await page.goto('/login');
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await audit(page, { live: false });
    });
  });
}
