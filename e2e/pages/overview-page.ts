/**
 * Page object of `/`: every client environment with its health counts, or every domain
 * (`?view=domains`), the filters, the order and paging.
 */
import type { Locator, Page } from '@playwright/test';

export type HealthWord = 'down' | 'unknown' | 'degraded' | 'healthy';

export class OverviewPage {
  readonly heading: Locator;
  readonly search: Locator;
  readonly healthFilter: Locator;
  readonly list: Locator;
  readonly resultLine: Locator;
  /** The domain view's list and order. */
  readonly domainList: Locator;
  readonly sort: Locator;
  readonly views: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: /^(Client environments|Domains)$/ });
    this.search = page.getByRole('searchbox', { name: /^(Environment or domain|Domain or environment)$/ });
    this.healthFilter = page.getByRole('combobox', { name: 'Health' });
    this.list = page.getByRole('list', { name: 'Environments' });
    this.resultLine = page.getByText(/^Showing \d+–\d+ of \d+ (environment|domain)s?|^No (environment|domain) matches/);
    this.domainList = page.getByRole('list', { name: 'Domains', exact: true });
    this.sort = page.getByRole('combobox', { name: 'Sort by' });
    this.views = page.getByRole('navigation', { name: 'Overview views' });
  }

  /** The link that switches to a view ("Environments", "Domains"). */
  view(name: 'Environments' | 'Domains'): Locator {
    return this.views.getByRole('link', { name, exact: true });
  }

  /** The hosts of the domain view, in the order shown. */
  async hosts(): Promise<string[]> {
    return this.domainList.getByRole('listitem').evaluateAll((items) => items.map((li) => li.querySelector('a')?.textContent?.trim() ?? ''));
  }

  /** The health word of each domain shown, by host. */
  async domainHealths(): Promise<Record<string, string>> {
    return this.domainList
      .getByRole('listitem')
      .evaluateAll((items) => Object.fromEntries(items.map((li) => [li.querySelector('a')?.textContent?.trim() ?? '', li.querySelector('span span')?.textContent?.trim() ?? ''])));
  }

  /** The health filter's choices as shown, e.g. `{ '': 'All (42 domains)', degraded: 'Degraded (12 domains)' }`. */
  async healthChoices(): Promise<Record<string, string>> {
    return this.healthFilter.locator('option').evaluateAll((os) => Object.fromEntries(os.map((o) => [(o as HTMLOptionElement).value, o.textContent?.trim() ?? ''])));
  }

  /** The domains an environment card shows because the search named them. */
  matchingDomains(name: string): Locator {
    return this.environment(name).getByRole('list', { name: `Matching domains of ${name}` }).getByRole('link');
  }

  async goto(query = '') {
    const response = await this.page.goto(`/${query}`);
    await this.heading.waitFor();
    return response;
  }

  /** The card of one environment (a list item labelled by its heading). */
  environment(name: string): Locator {
    return this.list.getByRole('listitem', { name, exact: true });
  }

  /** The environment names in the order shown. */
  async names(): Promise<string[]> {
    return this.list.getByRole('heading', { level: 2 }).evaluateAll((hs) => hs.map((h) => h.querySelector('a')?.textContent?.trim() ?? ''));
  }

  /** The domain counts of an environment as shown, e.g. `{ down: 1, unknown: 0, degraded: 2, healthy: 2 }`. */
  async counts(name: string): Promise<Record<HealthWord, number>> {
    const items = await this.environment(name).getByRole('list', { name: 'Domains by health' }).getByRole('listitem').allInnerTexts();
    const out: Record<HealthWord, number> = { down: 0, unknown: 0, degraded: 0, healthy: 0 };
    for (const text of items) {
      const m = /(\d+)\s+(down|unknown|degraded|healthy)/.exec(text);
      if (m) out[m[2] as HealthWord] = Number(m[1]);
    }
    return out;
  }

  /** The health word of an environment's badge ("Down", "Healthy", ...). */
  health(name: string): Locator {
    return this.environment(name).getByRole('heading', { level: 2 });
  }

  /** A link to one of the environment's worst domains. */
  worstDomain(name: string, host: string): Locator {
    return this.environment(name).getByRole('list', { name: `Worst domains of ${name}` }).getByRole('link', { name: new RegExp(host.replace(/[.*]/g, '\\$&')) });
  }
}
