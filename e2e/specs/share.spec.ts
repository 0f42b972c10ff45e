/**
 * Share -> open the link in a fresh browser context (no cookies, no session) -> a page of its own shows
 * that one domain, names nothing of the cluster (in its HTML and in its JSON), links nowhere else, and
 * keeps itself current. Needs CHAINBOARD_SHARE_SECRET in the web server's env.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { containsName, internalsOf, ShareButton, SharedDomainPage } from '../pages/share';
import { DemoCluster } from '../support/demo';
import { publishScreenshot, SOURCE } from '../support/env';

const HOST = 'checkout.acme.junovy.com';

test.describe('sharing a domain with a client', () => {
  test('a link made with Share opens without a session and shows the domain redacted', async ({ page, browser, request }) => {
    const internals = await internalsOf(request, HOST);
    expect(internals.addresses.length, 'the domain has Pod IPs to hide').toBeGreaterThan(0);
    // The names the old page showed ("Service checkout", "Secret checkout-tls") are among those searched for.
    expect(internals.names).toEqual(expect.arrayContaining(['checkout', 'checkout-tls', 'hst-acme']));

    await page.goto(`/d/${HOST}`);
    const link = await new ShareButton(page).createLink(HOST, '1d');
    // The link's id, what CHAINBOARD_SHARE_REVOKED takes to withdraw it: the first 16 characters of its MAC.
    const token = decodeURIComponent(link.split('/share/')[1] ?? '');
    await expect(page.getByText(/^Link id /)).toContainText(`Link id ${token.split('.').at(-1)!.slice(0, 16)}`);

    // Another machine: a fresh context shares no cookies or storage with the engineer's.
    const client = await browser.newContext();
    try {
      const shared = new SharedDomainPage(await client.newPage());
      const response = await shared.open(link);
      expect(response?.status()).toBe(200);
      await expect(shared.heading).toHaveText(HOST);
      await expect(shared.health('Down')).toBeVisible();
      await expect(shared.problem('No ready endpoints')).toBeVisible();
      expect(response?.headers()['referrer-policy']).toBe('no-referrer');

      // A page of its own: no navigation, no link into the dashboard.
      await expect(shared.page.getByRole('navigation')).toHaveCount(0);
      expect(await shared.outboundLinks()).toEqual([]);
      await expect(shared.page.getByText('Environments', { exact: true })).toHaveCount(0);

      // Nothing of the cluster, neither in the page as served and rendered nor in its JSON.
      const json = await client.request.get(new URL(`/api/v1/share/${token}`, link).toString());
      expect(json.status()).toBe(200);
      for (const [what, text] of [
        ['the HTML as served', (await response!.text()).split(HOST).join(' ')],
        ['the page as rendered', (await shared.page.content()).split(HOST).join(' ')],
        ['the JSON', (await json.text()).split(HOST).join(' ')],
      ] as const) {
        for (const a of internals.addresses) expect(text, `${what} shows ${a}`).not.toContain(a);
        for (const n of internals.names) expect(containsName(text, n), `${what} names ${n}`).toBe(false);
        expect(text, what).not.toContain('kubectl');
      }
      expect(await client.cookies()).toEqual([]);
    } finally {
      await client.close();
    }
  });

  test('the Share controls stay compact: the link made does not stretch the buttons beside them', async ({ page }) => {
    await page.goto(`/d/${HOST}`);
    const copyLink = page.getByRole('button', { name: /^Copy link/ });
    const before = (await copyLink.boundingBox())!;
    await new ShareButton(page).createLink(HOST);
    const after = (await copyLink.boundingBox())!;
    // The link box, its notes and the Copy button below did stretch "Copy link" to 130 px tall.
    expect(after.height).toBeLessThanOrEqual(before.height + 1);
    const path = test.info().outputPath('share-controls.png');
    await page.locator('[data-slot="domain-actions"]').screenshot({ path, animations: 'disabled', caret: 'hide' });
    publishScreenshot(path, 'share-controls.png');
  });

  test('the shared page keeps itself current through the link\'s own read endpoint', async ({ page, browser }) => {
    test.skip(SOURCE !== 'demo', 'needs the live demo cluster; the sample dump never changes');
    // docs.northwind asks Service docs for port 8080, which it does not expose; port 80 fixes it.
    const host = 'docs.northwind.junovy.com';
    const ingressPath = '/apis/networking.k8s.io/v1/namespaces/hst-northwind/ingresses/docs';
    const demo = await DemoCluster.connect();
    const ingress = await demo.get(ingressPath);
    type Rules = { http?: { paths?: { backend?: { service?: { name?: string; port?: { number?: number } } } }[] } }[];
    const rules = (ingress.spec?.rules ?? []) as Rules;
    const withPort = (port: number): Rules =>
      rules.map((r) => ({
        ...r,
        http: { ...r.http, paths: (r.http?.paths ?? []).map((p) => (p.backend?.service?.name === 'docs' ? { ...p, backend: { service: { ...p.backend.service, port: { number: port } } } } : p)) },
      }));
    await page.goto(`/d/${host}`);
    const link = await new ShareButton(page).createLink(host);
    const client = await browser.newContext();
    try {
      const shared = new SharedDomainPage(await client.newPage());
      await shared.open(link);
      await expect(shared.problem('Backend port missing')).toBeVisible();
      await expect(shared.updated).toBeVisible();
      // A marker that a reload would wipe out.
      await shared.page.evaluate(() => ((window as unknown as { __sameDocument?: boolean }).__sameDocument = true));
      const polled = shared.page.waitForResponse((r) => new URL(r.url()).pathname.startsWith('/api/v1/share/') && r.status() === 200);

      await demo.patch('Ingress', 'hst-northwind', 'docs', { spec: { rules: withPort(80) } });

      await polled;
      await expect(shared.problem('Backend port missing')).toHaveCount(0, { timeout: 20_000 });
      expect(await shared.page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      const path = test.info().outputPath('share-page.png');
      await shared.page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
      publishScreenshot(path, 'share-page.png');
    } finally {
      await demo.patch('Ingress', 'hst-northwind', 'docs', { spec: { rules } });
      await demo.dispose();
      await client.close();
    }
  });

  test('the shared page passes the WCAG 2.1 AA audit in light and dark mode', async ({ page, browser }) => {
    await page.goto(`/d/${HOST}`);
    const link = await new ShareButton(page).createLink(HOST);
    for (const colorScheme of ['light', 'dark'] as const) {
      const client = await browser.newContext({ colorScheme });
      try {
        const shared = new SharedDomainPage(await client.newPage());
        await shared.open(link);
        await expect(shared.updated).toBeVisible();
        const results = await new AxeBuilder({ page: shared.page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), colorScheme).toEqual([]);
        expect(results.passes.length).toBeGreaterThan(10);
      } finally {
        await client.close();
      }
    }
  });

  test('a tampered link gets a 403 page that names no domain', async ({ page, browser }) => {
    await page.goto(`/d/${HOST}`);
    const link = await new ShareButton(page).createLink(HOST);
    const [head, cluster, expiry, sig] = new URL(link).pathname.replace('/share/', '').split('.');
    const otherHost = Buffer.from('www.acme.junovy.com').toString('base64url');
    const otherCluster = Buffer.from('elsewhere').toString('base64url');

    const client = await browser.newContext();
    try {
      const shared = new SharedDomainPage(await client.newPage());
      const tamperedLinks = [
        `/share/${otherHost}.${cluster}.${expiry}.${sig}`,
        `/share/${head}.${otherCluster}.${expiry}.${sig}`,
        `/share/${head}.${cluster}.${Number(expiry) + 86400}.${sig}`,
        `/share/${head}.${expiry}.${sig}`,
        '/share/not-a-token',
      ];
      for (const tampered of tamperedLinks) {
        const response = await shared.open(new URL(tampered, link).toString());
        expect(response?.status(), tampered).toBe(403);
        await expect(shared.heading).toHaveText('This share link does not work');
        expect(await shared.page.content()).not.toContain('acme.junovy.com');
      }
    } finally {
      await client.close();
    }
  });

  test('the signed badge of a link is public and shows the health', async ({ page, browser }) => {
    await page.goto(`/d/${HOST}`);
    const link = await new ShareButton(page).createLink(HOST);
    const client = await browser.newContext();
    try {
      const res = await client.request.get(`${link.replace('/share/', '/api/v1/share/')}/badge.svg`);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toBe('image/svg+xml; charset=utf-8');
      // The reason is the worst finding; on the live demo a probe finding may outrank the Service's, so only the health is pinned.
      await expect.poll(async () => res.text()).toContain(`<title>${HOST}: down`);
    } finally {
      await client.close();
    }
  });
});
