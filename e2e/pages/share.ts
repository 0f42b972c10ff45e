/**
 * Page objects of sharing: the Share button on a domain page, and the redacted page a share link opens.
 */
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';

/** The Share button and its link box, on `/d/{host}`. */
export class ShareButton {
  readonly button: Locator;
  readonly lifetime: Locator;

  constructor(readonly page: Page) {
    this.button = page.getByRole('button', { name: 'Share with client' });
    this.lifetime = page.getByLabel('Link valid for');
  }

  /** The box holding the link made for `host`. */
  linkBox(host: string): Locator {
    return this.page.getByRole('textbox', { name: `Share link for ${host}` });
  }

  /** Make a link (optionally choosing its lifetime: '1d', '7d', '30d') and return it. */
  async createLink(host: string, lifetime?: '1d' | '7d' | '30d'): Promise<string> {
    if (lifetime) await this.lifetime.selectOption(lifetime);
    await this.button.click();
    const box = this.linkBox(host);
    // host.cluster.expiry.mac (a link names the cluster it shows)
    await expect(box).toHaveValue(/\/share\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.\d+\.[A-Za-z0-9_-]+$/);
    return box.inputValue();
  }
}

/** The page a share link opens, `/share/{token}`. */
export class SharedDomainPage {
  readonly heading: Locator;
  /** "Updated 3 s ago": how fresh the view is. */
  readonly updated: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.updated = page.getByText(/^Updated \d+ s ago/);
  }

  /** Every link of the page that leads somewhere else than a place on the page itself. */
  async outboundLinks(): Promise<string[]> {
    const hrefs = await this.page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    return hrefs.filter((h) => !h.startsWith('#'));
  }

  async open(url: string) {
    return this.page.goto(url);
  }

  /** The health pill next to the host, e.g. "Down". */
  health(word: 'Healthy' | 'Degraded' | 'Down' | 'Unknown'): Locator {
    return this.page.locator('header').getByText(word, { exact: true }).first();
  }

  /** A problem listed on the page, by its title (e.g. "No ready endpoints"). */
  problem(title: string): Locator {
    return this.page.getByRole('region', { name: /Problems/ }).getByText(title, { exact: true });
  }
}

/**
 * Every Pod IP, endpoint address and node name of a domain, and every name of an object of its chain
 * (Ingress, Service, EndpointSlice, Pod, owner, Secret, namespace, Ingress class, cert resolver), read
 * from the dashboard's JSON API with the engineer's access: what the shared page must never show.
 */
export async function internalsOf(request: APIRequestContext, host: string): Promise<{ addresses: string[]; names: string[] }> {
  const res = await request.get(`/api/v1/domains/${encodeURIComponent(host)}`);
  expect(res.ok()).toBeTruthy();
  const addresses = new Set<string>();
  const names = new Set<string>();
  const walk = (v: unknown, key?: string) => {
    if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => walk(x, k));
    else if (typeof v === 'string' && v) {
      if (['podIP', 'addresses'].includes(key ?? '')) addresses.add(v);
      if (['nodeName', 'namespace', 'namespaces', 'ingress', 'ingressClass', 'slice', 'secretName', 'resolver', 'issuer'].includes(key ?? '')) names.add(v);
      // Node ids are `Kind/name[/more]` (`Service/checkout`, `Endpoint/checkout-ckmvq/10.42.2.15`).
      // A finding's id (`code:namespace/Kind/name#port`) names the same objects as the node ids do.
      if (['id', 'from', 'to', 'owner'].includes(key ?? '') && !v.includes(':')) for (const part of v.split('/').slice(1)) if (!/^\d+$/.test(part)) names.add(part);
    }
  };
  walk(await res.json());
  names.delete(host);
  return { addresses: [...addresses], names: [...names] };
}

/**
 * Does `text` contain `name` as a whole name? `checkout` in `Service checkout` or `"checkout"`, not in
 * the shared host `checkout.acme.junovy.com` nor in `checkouts`.
 */
export function containsName(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\w.-])${escaped}(?![\\w-]|\\.\\w)`).test(text);
}
