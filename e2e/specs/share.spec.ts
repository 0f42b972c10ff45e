/**
 * Share -> open the link in a fresh browser context (no cookies, no session) -> the redacted page shows
 * that one domain and none of its internals. Needs CHAINBOARD_SHARE_SECRET in the web server's env.
 */
import { expect, test } from '@playwright/test';
import { internalsOf, ShareButton, SharedDomainPage } from '../pages/share';

const HOST = 'checkout.acme.junovy.com';

test.describe('sharing a domain with a client', () => {
  test('a link made with Share opens without a session and shows the domain redacted', async ({ page, browser, request }) => {
    const internals = await internalsOf(request, HOST);
    expect(internals.length, 'the domain has Pod IPs and node names to hide').toBeGreaterThan(0);

    await page.goto(`/d/${HOST}`);
    const link = await new ShareButton(page).createLink(HOST, '1d');
    // The link's id, what CHAINBOARD_SHARE_REVOKED takes to withdraw it: the first 16 characters of its MAC.
    const token = decodeURIComponent(link.split('/share/')[1] ?? '');
    await expect(page.getByText(/^Link id /)).toContainText(`Link id ${token.split('.')[2]!.slice(0, 16)}`);

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

      const html = await shared.page.content();
      for (const secret of internals) expect(html, `the page shows ${secret}`).not.toContain(secret);
      expect(html).not.toContain('kubectl');
      expect(await client.cookies()).toEqual([]);
    } finally {
      await client.close();
    }
  });

  test('a tampered link gets a 403 page that names no domain', async ({ page, browser }) => {
    await page.goto(`/d/${HOST}`);
    const link = await new ShareButton(page).createLink(HOST);
    const [head, expiry, sig] = new URL(link).pathname.replace('/share/', '').split('.');
    const otherHost = Buffer.from('www.acme.junovy.com').toString('base64url');

    const client = await browser.newContext();
    try {
      const shared = new SharedDomainPage(await client.newPage());
      for (const tampered of [`/share/${otherHost}.${expiry}.${sig}`, `/share/${head}.${Number(expiry) + 86400}.${sig}`, '/share/not-a-token']) {
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
