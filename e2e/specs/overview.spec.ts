/**
 * The overview: every client environment with its health counts, worst first; filters that live in the
 * URL; a straight path from an environment to its broken domain's broken link.
 */
import { expect, test } from '@playwright/test';
import type { DomainsResponse, OverviewResponse } from '../../lib/api/types';
import { OverviewPage } from '../pages/overview-page';
import { holdStill } from '../support/demo';
import { publishScreenshot } from '../support/env';

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

  test('a search for a host shows that host in its environment, and Enter opens it', async ({ page }) => {
    const overview = new OverviewPage(page);
    await overview.goto('?q=www.acme.junovy.com');
    await expect.poll(() => overview.names()).toEqual(['hst-acme']);
    await expect(overview.matchingDomains('hst-acme')).toHaveText([/www\.acme\.junovy\.com/]);
    await overview.search.press('Enter');
    await expect(page).toHaveURL(/\/d\/www\.acme\.junovy\.com$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('www.acme.junovy.com');
  });
});

const domains = (n: number) => `${n} domain${n === 1 ? '' : 's'}`;

test.describe('the domain view', () => {
  test('finds a domain as it is typed, and Enter opens it', async ({ page }) => {
    const overview = new OverviewPage(page);
    await overview.goto();
    await overview.view('Domains').click();
    await expect(page).toHaveURL(/[?&]view=domains\b/);
    await expect(overview.heading).toHaveText('Domains');
    await overview.search.fill('www.acme');
    await expect(page).toHaveURL(/[?&]q=www\.acme\b/);
    await expect.poll(() => overview.hosts()).toEqual(['www.acme.junovy.com']);
    await expect(overview.resultLine).toHaveText(/^Showing 1–1 of 1 domain\b/);
    await overview.search.press('Enter');
    await expect(page).toHaveURL(/\/d\/www\.acme\.junovy\.com$/);
    await expect(page.getByRole('heading', { level: 1 })).toContainText('www.acme.junovy.com');

    // Several matches: Enter only filters, it opens nothing.
    await overview.goto('?view=domains');
    await overview.search.fill('acme');
    await overview.search.press('Enter');
    await expect.poll(async () => (await overview.hosts()).length).toBeGreaterThan(1);
    await expect(page).toHaveURL(/\/\?view=domains&q=acme$/);
  });

  test('the health filter counts domains, not environments, and filters them', async ({ page, request }) => {
    const overview = new OverviewPage(page);
    await overview.goto('?view=domains');
    // The sample has 9 degraded domains and no degraded environment: the counts are the domains'.
    await holdStill(async () => {
      const api = (await (await request.get('/api/v1/domains?limit=1000')).json()) as DomainsResponse;
      const overviewApi = (await (await request.get('/api/v1/overview?limit=1000')).json()) as OverviewResponse;
      expect(api.counts.degraded).toBeGreaterThan(overviewApi.totals.namespaceHealth.degraded);
      const c = api.counts;
      // Polled: the page's data may be one demo step behind the API until its next refresh.
      await expect
        .poll(() => overview.healthChoices(), { timeout: 20_000 })
        .toEqual({
          '': `All (${domains(c.down + c.unknown + c.degraded + c.healthy)})`,
          down: `Down (${domains(c.down)})`,
          unknown: `Unknown (${domains(c.unknown)})`,
          degraded: `Degraded (${domains(c.degraded)})`,
          healthy: `Healthy (${domains(c.healthy)})`,
        });
      await overview.healthFilter.selectOption('degraded');
      await expect(page).toHaveURL(/[?&]health=degraded\b/);
      await expect
        .poll(async () => {
          const healths = Object.values(await overview.domainHealths());
          return [healths.length, healths.every((h) => h === 'Degraded')];
        })
        .toEqual([api.counts.degraded, true]);
    });
  });

  test('the URL keeps view, search, health and order through a reload', async ({ page, request }) => {
    const overview = new OverviewPage(page);
    await overview.goto('?view=domains');
    await overview.search.fill('junovy');
    await overview.sort.selectOption('environment');
    await overview.healthFilter.selectOption('down');
    await expect(page).toHaveURL(/\/\?view=domains&q=junovy&health=down&sort=environment$/);
    await expect.poll(async () => (await overview.hosts()).length).toBeGreaterThan(0);

    await page.reload();
    await expect(overview.heading).toHaveText('Domains');
    await expect(overview.search).toHaveValue('junovy');
    await expect(overview.sort).toHaveValue('environment');
    await expect(overview.healthFilter).toHaveValue('down');
    // The demo's timeline moves: compare with the API until a refresh of the page and the API agree.
    await expect
      .poll(async () => {
        const api = (await (await request.get('/api/v1/domains?q=junovy&health=down&sort=environment&limit=1000')).json()) as DomainsResponse;
        return api.domains.length > 0 && (await overview.hosts()).join() === api.domains.map((d) => d.host).join();
      })
      .toBe(true);

    // The first paint is the view the URL names, before any script runs.
    const html = await (await request.get('/?view=domains&q=checkout')).text();
    expect(html).toContain('href="/c/default/d/checkout.acme.junovy.com');
    expect(html).not.toContain('href="/c/default/d/www.acme.junovy.com');
  });

  test('`/` focuses the search, except while typing in a field', async ({ page }) => {
    const overview = new OverviewPage(page);
    await overview.goto('?view=domains');
    await expect(page.getByText(/^Updated \d+ s ago/).first()).toBeVisible();
    await overview.sort.focus();
    await overview.heading.click();
    await page.keyboard.press('/');
    await expect(overview.search).toBeFocused();
    await expect(overview.search).toHaveValue('');
    await page.keyboard.type('acme/');
    await expect(overview.search).toHaveValue('acme/');
  });

  test('screenshot of the domain view', async ({ page }, testInfo) => {
    const overview = new OverviewPage(page);
    await overview.goto('?view=domains&q=acme');
    await expect(page.getByText(/^Updated \d+ s ago/).first()).toBeVisible();
    const path = testInfo.outputPath('overview-domains.png');
    await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
    await testInfo.attach('overview-domains.png', { path, contentType: 'image/png' });
    publishScreenshot(path, 'overview-domains.png');
  });
});

test.describe('the domain view before its script runs', () => {
  test.use({ javaScriptEnabled: false });

  test('renders the view the URL names, and its search form filters and opens a single match', async ({ page }) => {
    const overview = new OverviewPage(page);
    await overview.goto('?view=domains&health=degraded&sort=name');
    await expect(overview.heading).toHaveText('Domains');
    await expect(overview.healthFilter).toHaveValue('degraded');
    await expect(overview.sort).toHaveValue('name');
    const hosts = await overview.hosts();
    expect(hosts.length).toBeGreaterThan(0);
    expect(hosts).toEqual([...hosts].sort());

    // Many domains match: Enter filters.
    await overview.search.fill('junovy');
    await overview.search.press('Enter');
    await expect(page).toHaveURL(/\/\?view=domains&q=junovy&health=degraded&sort=name$/);
    expect((await overview.hosts()).every((h) => h.includes('junovy'))).toBe(true);

    await overview.healthFilter.selectOption('');
    await overview.search.fill('www.acme.junovy.com');
    await overview.search.press('Enter');
    await expect(page).toHaveURL(/\/d\/www\.acme\.junovy\.com$/);
  });
});
