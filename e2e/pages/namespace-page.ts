/**
 * Page object of `/ns/{namespace}`: one client environment.
 */
import type { Locator, Page } from '@playwright/test';

export class NamespacePage {
  readonly heading: Locator;
  readonly domains: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.domains = page.getByRole('region', { name: /^Domains/ });
  }

  async goto(namespace: string) {
    const response = await this.page.goto(`/ns/${encodeURIComponent(namespace)}`);
    await this.heading.waitFor();
    return response;
  }

  section(name: RegExp | string): Locator {
    return this.page.getByRole('region', { name });
  }

  domainLink(host: string): Locator {
    return this.domains.getByRole('link', { name: host, exact: true });
  }
}
