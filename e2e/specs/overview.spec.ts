/**
 * The overview: every client environment with its health counts, worst first; filters that live in the
 * URL; a straight path from an environment to its broken domain's broken link.
 */
import { expect, test } from '@playwright/test';
import type { OverviewResponse } from '../../lib/api/types';
import { OverviewPage } from '../pages/overview-page';
import { holdStill } from '../support/demo';

// The client environments of samples/cluster, which the demo cluster serves too.
const SAMPLE_ENVIRONMENTS = ['hst-acme', 'hst-bakery-bros', 'hst-globex', 'hst-initech', 'hst-my-client', 'hst-northwind', 'hst-umbrella'];

test.describe('the overview', () => {
  test('lists every client environment with its health counts, worst first', async ({ page, request }) => {
    const overview = new OverviewPage(page);
    await overview.goto();
    await expect(page.getByRole('banner')).toContainText('Chainboard');
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect(page.getByRole('main')).toBeVisible();

    const names = await overview.names();
    expect(names).toEqual(expect.arrayContaining(SAMPLE_ENVIRONMENTS));
    expect(names.every((n) => n.startsWith('hst-'))).toBe(true);
    expect(names, 'system namespaces are not client environments').not.toContain('kube-system');

    // The page shows what the API says: polled until the page's next refresh, with the demo's
    // timeline held still so the two can agree.
    await holdStill(() =>
      expect
      .poll(async () => {
        const api = (await (await request.get('/api/v1/overview?limit=1000')).json()) as OverviewResponse;
        const mismatches: string[] = [];
        const shownOrder = await overview.names();
        if (shownOrder.join() !== api.namespaces.map((n) => n.name).join()) mismatches.push(`order ${shownOrder.join()}`);
        for (const ns of api.namespaces) {
          const shown = await overview.counts(ns.name);
          if (JSON.stringify(shown) !== JSON.stringify({ down: ns.counts.down, unknown: ns.counts.unknown, degraded: ns.counts.degraded, healthy: ns.counts.healthy })) {
            mismatches.push(`${ns.name}: shows ${JSON.stringify(shown)}, API ${JSON.stringify(ns.counts)}`);
          }
          await expect(overview.health(ns.name)).toContainText(ns.health, { ignoreCase: true });
        }
        return mismatches;
      }, { timeout: 20_000 })
      .toEqual([]),
    );

    // Worst first: hst-northwind has only down domains in the sample.
    await expect(overview.health('hst-northwind')).toContainText('Down');
    await expect(overview.health('hst-my-client')).toContainText('Healthy');
    expect(names.indexOf('hst-northwind')).toBeLessThan(names.indexOf('hst-my-client'));
  });

  test('filters by text and health, and the filtered view is a link', async ({ page }) => {
    const overview = new OverviewPage(page);
    await overview.goto();
    await overview.search.fill('checkout');
    await expect(page).toHaveURL(/[?&]q=checkout\b/);
    await expect.poll(() => overview.names()).toEqual(['hst-acme']);
    await expect(overview.resultLine).toHaveText(/Showing 1–1 of 1 environment/);

    // The link reproduces the view.
    await page.reload();
    await expect(overview.search).toHaveValue('checkout');
    await expect.poll(() => overview.names()).toEqual(['hst-acme']);

    await overview.search.fill('');
    await overview.healthFilter.selectOption('healthy');
    await expect(page).toHaveURL(/[?&]health=healthy\b/);
    // The list is replaced when the filtered answer arrives: poll until every row shown is healthy
    // (checking the rows once could read the previous, unfiltered list).
    await expect
      .poll(async () => {
        const names = await overview.names();
        const healths = await Promise.all(names.map((n) => overview.health(n).textContent()));
        return names.length > 0 && healths.every((h) => h?.includes('Healthy'));
      })
      .toBe(true);

    await overview.goto('?q=no-such-environment');
    await expect(overview.resultLine).toHaveText('No environment matches the filter.');
  });

  test('leads from an environment straight to its broken link', async ({ page }) => {
    const overview = new OverviewPage(page);
    await overview.goto();
    await overview.worstDomain('hst-northwind', 'blog.northwind.junovy.com').click();
    await expect(page).toHaveURL(/\/d\/blog\.northwind\.junovy\.com\?focus=Service\/blog$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('blog.northwind.junovy.com');
    await expect(page.getByRole('button', { name: /^Service blog,.*missing/, pressed: true })).toBeVisible();
  });
});
