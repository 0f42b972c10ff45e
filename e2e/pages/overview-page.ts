/**
 * Page object of `/`: every client environment with its health counts, the filters and paging.
 */
import type { Locator, Page } from '@playwright/test';

export type HealthWord = 'down' | 'unknown' | 'degraded' | 'healthy';

export class OverviewPage {
  readonly heading: Locator;
  readonly search: Locator;
  readonly healthFilter: Locator;
  readonly list: Locator;
  readonly resultLine: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Client environments' });
    this.search = page.getByRole('searchbox', { name: 'Environment or domain' });
    this.healthFilter = page.getByRole('combobox', { name: 'Health' });
    this.list = page.getByRole('list', { name: 'Environments' });
    this.resultLine = page.getByText(/^Showing \d+–\d+ of \d+ environments?|^No environment matches/);
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
