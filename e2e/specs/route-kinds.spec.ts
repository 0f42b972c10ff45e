/**
 * Every route kind in the one chain diagram, against the demo cluster: a Gateway API HTTPRoute drawn
 * behind its Gateway's listeners (hst-gatelab), a Traefik IngressRoute (hst-routelab), and cert-manager's
 * request chain behind a stuck certificate (hst-certlab). Node kinds and column titles are read from the
 * drawing, the broken parts by their accessible names (never by colour).
 */
import { expect, test, type Locator } from '@playwright/test';
import { DomainPage } from '../pages/domain-page';
import { DemoCluster, type KubeObject } from '../support/demo';
import { publishScreenshot, SOURCE } from '../support/env';

const SHOP = 'shop.gatelab.junovy.com';
const API = 'api.gatelab.junovy.com';
const PARTNER = 'partner.gatelab.junovy.com';
const ROUTELAB_API = 'api.routelab.junovy.com';
const ROUTELAB_SHOP = 'shop.routelab.junovy.com';
const CHALLENGE = 'challenge.certlab.junovy.com';
const GATEWAY_PATH = '/apis/gateway.networking.k8s.io/v1/namespaces/gateway/gateways/public';

test.skip(SOURCE !== 'demo', 'needs the demo cluster with its hst-gatelab, hst-routelab and hst-certlab environments');

/** The column titles the diagram prints above its columns, in order. */
const columnTitles = (domain: DomainPage) => domain.diagram.locator('g[aria-hidden="true"] > text');

async function shoot(page: DomainPage['page'], testInfo: import('@playwright/test').TestInfo, name: string, target?: Locator) {
  const shot = testInfo.outputPath(name);
  await (target ?? page).screenshot({ path: shot, animations: 'disabled', caret: 'hide' });
  await testInfo.attach(name, { path: shot, contentType: 'image/png' });
  publishScreenshot(shot, name);
}

test.describe('an HTTPRoute domain', () => {
  test('is drawn domain -> Gateway listener -> HTTPRoute -> Service -> endpoints -> Pods, with columns that say so', async ({ page }, testInfo) => {
    const domain = new DomainPage(page);
    await domain.goto(SHOP);
    await expect(columnTitles(domain)).toHaveText(['DOMAIN', 'GATEWAY LISTENER', 'HTTPROUTE', 'SERVICE', 'ENDPOINTS', 'PODS']);
    const listener = domain.node('Gateway listener', 'public/websecure');
    await expect(listener).toHaveAccessibleName(/^Gateway listener public\/websecure, HTTPS 8443 · Programmed · \d+ routes?, healthy$/);
    await expect(listener).toHaveAttribute('data-node-id', 'Gateway/gateway/public/websecure');
    await expect(domain.node('HTTPRoute', '/')).toHaveAccessibleName(/^HTTPRoute \/, HTTPRoute shop · Prefix, healthy$/);
    await expect(domain.node('Service', 'web')).toBeVisible();
    await expect(domain.diagram.locator('[data-kind="pod"]')).toHaveCount(2);
    await expect(domain.brokenNodes('critical')).toHaveCount(0);
    // The DNS node says the host should point at the Gateway, not at an Ingress.
    const dns = domain.diagram.locator('[data-kind="dns"]');
    await expect(dns).toHaveAccessibleName(/Gateway/);
    await expect(dns).not.toHaveAccessibleName(/Ingress/);
    await shoot(page, testInfo, 'route-kind-httproute.png', domain.diagram);
  });

  test('whose backend is missing shows the broken edge, and the bare 500 a request gets on the HTTPRoute node', async ({ page }, testInfo) => {
    const domain = new DomainPage(page);
    await domain.goto(API);
    await expect(domain.brokenEdges()).toHaveAccessibleName(/^Link from HTTPRoute \/ to Service api, .*broken link \(critical\): gateway\.backend-missing/);
    await expect(domain.node('Service (missing)', 'api').or(domain.node('Service', 'api'))).toHaveAccessibleName(/missing/);
    // Traefik's bare 500 for the service it cannot resolve, once the probe has been there.
    await expect(async () => {
      await domain.goto(API);
      await expect(domain.node('HTTPRoute', '/')).toHaveAccessibleName(/broken link \(critical\): .*http\.backend-unresolved/, { timeout: 2_000 });
    }).toPass({ timeout: 45_000 });
    await domain.node('HTTPRoute', '/').click();
    await expect(domain.details.getByRole('article', { name: /finding http\.backend-unresolved$/ })).toContainText('bare 500');
    await shoot(page, testInfo, 'route-kind-httproute-broken.png', domain.diagram);
  });

  test('whose backend no ReferenceGrant permits marks the HTTPRoute node with its finding', async ({ page }) => {
    const domain = new DomainPage(page);
    await domain.goto(PARTNER);
    await expect(domain.node('HTTPRoute', '/')).toHaveAccessibleName(/broken link \(critical\): gateway\.backend-not-granted/);
    await expect(domain.node('Gateway listener', 'public/websecure')).not.toHaveAccessibleName(/broken link/);
  });

  test('behind a listener its controller has not programmed shows the listener as the broken node, with its evidence', async ({ page }) => {
    const demo = await DemoCluster.connect();
    const original = await demo.get(GATEWAY_PATH);
    const status = structuredClone(original.status) as { listeners: { name: string; conditions: Record<string, unknown>[] }[] };
    for (const l of status.listeners) {
      if (l.name !== 'websecure') continue;
      l.conditions = l.conditions.map((c) =>
        c.type === 'Programmed' ? { ...c, status: 'False', reason: 'Invalid', message: 'certificate reference gatelab-wildcard-tls is invalid' } : c,
      );
    }
    try {
      await demo.patch('Gateway', 'gateway', 'public', { status } as unknown as Record<string, unknown>);
      const domain = new DomainPage(page);
      const listener = domain.node('Gateway listener', 'public/websecure');
      await expect(async () => {
        await domain.goto(SHOP);
        await expect(listener).toHaveAccessibleName(/not Programmed \(Invalid\).*broken link \(critical\): gateway\.listener-not-programmed$/, { timeout: 2_000 });
      }).toPass({ timeout: 30_000 });
      await expect(domain.node('HTTPRoute', '/')).not.toHaveAccessibleName(/broken link/);
      await listener.click();
      await expect(domain.detailsTitle()).toHaveText('public/websecure');
      await expect(domain.details.getByRole('article', { name: /finding gateway\.listener-not-programmed$/ })).toContainText('certificate reference gatelab-wildcard-tls is invalid');
    } finally {
      await demo.patch('Gateway', 'gateway', 'public', { status: (original as KubeObject).status } as Record<string, unknown>);
    }
  });
});

test.describe('an IngressRoute domain', () => {
  test('draws IngressRoute nodes under an IngressRoute column, its missing Service broken', async ({ page }, testInfo) => {
    const domain = new DomainPage(page);
    await domain.goto(ROUTELAB_SHOP);
    await expect(columnTitles(domain)).toHaveText(['DOMAIN', 'INGRESSROUTE', 'SERVICE', 'ENDPOINTS', 'PODS']);
    await expect(domain.node('IngressRoute', '/')).toHaveAccessibleName(/^IngressRoute \/, IngressRoute shop · Prefix/);
    await expect(domain.diagram.locator('[data-kind="gateway"]')).toHaveCount(0);

    await domain.goto(ROUTELAB_API);
    await expect(columnTitles(domain).nth(1)).toHaveText('INGRESSROUTE');
    await expect(domain.node('IngressRoute', '/v1')).toBeVisible();
    await expect(domain.diagram.getByRole('button', { name: /^Service api-v2,.*missing/ })).toBeVisible();
    await shoot(page, testInfo, 'route-kind-ingressroute.png', domain.diagram);
  });
});

test.describe('a certificate stuck in its ACME chain', () => {
  test("draws cert-manager's request chain below TLS, the stuck step marked with its reason", async ({ page }, testInfo) => {
    const domain = new DomainPage(page);
    await domain.goto(CHALLENGE);
    await expect(domain.diagram.getByText('CERTIFICATE REQUEST CHAIN (CERT-MANAGER)')).toBeVisible();
    for (const kind of ['Certificate', 'CertificateRequest', 'Order', 'Challenge']) {
      await expect(domain.diagram.locator(`[data-kind="acme"]`).filter({ has: page.locator('title', { hasText: new RegExp(`^${kind} `) }) }).first()).toBeVisible();
    }
    const stuck = domain.diagram.locator('[data-stuck="true"][data-kind="acme"]');
    await expect(stuck).toHaveCount(1);
    await expect(stuck).toHaveAccessibleName(/^Challenge \S+, stuck: HTTP-01 pending, .*the certificate is stuck here: .*wrong status code '\d{3}'/);
    await expect(stuck).toHaveAccessibleName(/broken link \((critical|warning)\): acme\.challenge-pending/);
    // The steps before it are not the broken link.
    await expect(domain.diagram.locator('[data-kind="acme"][data-broken]')).toHaveCount(1);
    await stuck.click();
    await expect(domain.details.getByRole('article', { name: /finding acme\.challenge-pending$/ })).toBeVisible();
    await shoot(page, testInfo, 'route-kind-acme.png', domain.diagram);
  });
});
