/**
 * A TLS or DNS link nothing verified reads "not checked" with its reason, in grey and dashed, in the
 * diagram, the details panel and the JSON API alike; never "healthy". A wildcard host names no single
 * domain to dial or resolve, so the demo's `*.preview.acme.junovy.com` is never probed, whether probes
 * are on (the live demo) or off (the sample dump).
 */
import { expect, test } from '@playwright/test';
import { DomainPage } from '../pages/domain-page';
import { SOURCE, publishScreenshot } from '../support/env';

const WILDCARD = '*.preview.acme.junovy.com';

test('a wildcard host: its TLS and DNS read not checked, with the reason, in the diagram, the panels and the API', async ({ page, request }, testInfo) => {
  const domain = new DomainPage(page);
  await domain.goto(WILDCARD);
  const tls = domain.diagram.getByRole('button', { name: /^TLS .*, not checked/ });
  const dns = domain.diagram.getByRole('button', { name: /^DNS .*, not checked/ });
  await expect(tls).toHaveCount(1);
  await expect(dns).toHaveCount(1);
  await expect(domain.diagram.getByRole('button', { name: /^(TLS|DNS) .*, healthy/ })).toHaveCount(0);
  await expect(tls).toContainText('not checked (wildcard host)');
  // No finding, but the banner claims only what was checked.
  await expect(domain.summary).toContainText('Every checked link is healthy; TLS, DNS and HTTP not checked (wildcard host)');
  await expect(page.getByRole('list', { name: 'Legend', exact: true })).toContainText('not checked');

  await tls.click();
  await expect(domain.details).toContainText('not checked (wildcard host)');
  await expect(domain.details).toContainText('A wildcard host names no single domain to dial or resolve.');
  const shot = testInfo.outputPath('domain-not-checked.png');
  await page.screenshot({ path: shot });
  publishScreenshot(shot, 'domain-not-checked.png');

  const res = await request.get(`/api/v1/domains/${encodeURIComponent(WILDCARD)}`);
  expect(res.status()).toBe(200);
  const body = (await res.json()) as { domain?: Record<string, unknown> } & Record<string, unknown>;
  const d = (body.domain ?? body) as { tls: { check: unknown; health: string }; dns: { check: unknown; health: string } };
  expect(d.tls.health).toBe('not-checked');
  expect(d.dns.health).toBe('not-checked');
  expect(d.tls.check).toEqual({ state: 'not-checked', reasons: expect.arrayContaining(['wildcard-host']) });
});

test('a domain the probes reached says how it was checked, and one they could not says why not', async ({ page }) => {
  const domain = new DomainPage(page);
  await domain.goto('secure.certlab.junovy.com');
  const tls = domain.diagram.getByRole('button', { name: /^TLS / });
  await tls.click();
  if (SOURCE === 'demo') {
    // The live demo probes its own loopback TLS endpoint and DNS server.
    await expect(domain.details).toContainText('checked by a TLS handshake');
    await expect(tls).not.toHaveAccessibleName(/not checked/);
  } else {
    // The sample dump is analysed with probes off: nothing was dialled.
    await expect(domain.details).toContainText('not checked (probes off)');
    await expect(tls).toHaveAccessibleName(/not checked/);
  }
});
