/**
 * Live updates: a change made in the demo cluster appears on an open page without a reload.
 * Needs the demo cluster (scripts/demo.ts, which playwright.config.ts starts when it exists).
 */
import { expect, test } from '@playwright/test';
import { DomainPage } from '../pages/domain-page';
import { DemoCluster, type KubeObject } from '../support/demo';
import { SOURCE } from '../support/env';

const HOST = 'docs.northwind.junovy.com';
const INGRESS = '/apis/networking.k8s.io/v1/namespaces/hst-northwind/ingresses/docs';

type Rules = { host?: string; http?: { paths?: { backend?: { service?: { name?: string; port?: { number?: number } } } }[] } }[];

/** The Ingress rules with every backend port of Service docs set to `port`. */
function withPort(rules: Rules, port: number): Rules {
  return rules.map((r) => ({
    ...r,
    http: {
      ...r.http,
      paths: (r.http?.paths ?? []).map((p) =>
        p.backend?.service?.name === 'docs' ? { ...p, backend: { ...p.backend, service: { ...p.backend.service, port: { number: port } } } } : p,
      ),
    },
  }));
}

test.describe('live updates', () => {
  test.skip(SOURCE !== 'demo', 'needs the live demo cluster (scripts/demo.ts); the sample dump never changes');

  test('a change made in the demo cluster appears without a reload', async ({ page }) => {
    const demo = await DemoCluster.connect();
    const ingress = await demo.get(INGRESS);
    const rules = (ingress.spec?.rules ?? []) as Rules;
    try {
      const domain = new DomainPage(page);
      await domain.goto(HOST);
      // The sample's fault: the Ingress asks Service docs for port 8080, which it does not expose.
      await expect(domain.brokenEdges()).toHaveAccessibleName(/Link from Ingress route \S+ to Service docs, .*ingress\.backend-port-missing/);
      await expect(domain.finding('ingress.backend-port-missing')).toBeVisible();
      // A marker that a reload would wipe out.
      await page.evaluate(() => ((window as unknown as { __sameDocument?: boolean }).__sameDocument = true));

      // The fix, applied to the cluster the way `kubectl patch` would.
      await demo.patch('Ingress', 'hst-northwind', 'docs', { spec: { rules: withPort(rules, 80) } });

      // The next refresh shows the repaired link: no broken edge, the Service resolves port 80.
      await expect(domain.brokenEdges()).toHaveCount(0, { timeout: 20_000 });
      await expect(domain.finding('ingress.backend-port-missing')).toHaveCount(0);
      await expect(domain.node('Service', 'docs')).toHaveAccessibleName(/^Service docs, :80 → /);
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
      await expect(page.getByText(/^Updated \d+ s ago/)).toBeVisible();
    } finally {
      // Put the fault back, so the demo (and a rerun against a reused server) stays as it was.
      await demo.patch('Ingress', 'hst-northwind', 'docs', { spec: { rules } });
      await demo.dispose();
    }
  });

  test('a Service that gains many endpoints collapses them to groups with counts, and expands on demand', async ({ page }) => {
    const demo = await DemoCluster.connect();
    // Twelve more ready endpoints for the healthy storefront of www.acme.junovy.com.
    const slice: KubeObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'storefront-e2e-extra', namespace: 'hst-acme', labels: { 'kubernetes.io/service-name': 'storefront' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: Array.from({ length: 12 }, (_, i) => ({ addresses: [`10.42.250.${i + 1}`], conditions: { ready: true, serving: true, terminating: false } })),
    };
    try {
      const domain = new DomainPage(page);
      await domain.goto('www.acme.junovy.com');
      await expect(domain.node('Service', 'storefront')).toBeVisible();
      await demo.apply(slice);

      const group = domain.diagram.getByRole('button', { name: /^Endpoints 12 endpoints ready, / });
      await expect(group, 'the twelve endpoints without a Pod collapse to one counts node').toBeVisible({ timeout: 20_000 });
      await expect(group).toHaveAttribute('aria-expanded', 'false');
      await expect(domain.diagram.getByRole('button', { name: /^Endpoint 10\.42\.250\./ })).toHaveCount(0);

      await group.click();
      await expect(domain.diagram.getByRole('button', { name: /^Endpoint 10\.42\.250\./ })).toHaveCount(12);
      await expect(page).toHaveURL(/\?focus=Service\/storefront$/);
      await domain.details.getByRole('button', { name: 'Collapse endpoints to counts' }).click();
      await expect(group).toBeVisible();
    } finally {
      await demo.delete('EndpointSlice', 'hst-acme', 'storefront-e2e-extra');
      await demo.dispose();
    }
  });
});

test.describe('an unreachable API server', () => {
  test.skip(SOURCE !== 'demo', 'needs the live demo cluster (scripts/demo.ts)');

  test('keeps the last good data under a "stale since" banner, then recovers without a reload', async ({ page }) => {
    const demo = await DemoCluster.connect();
    try {
      const domain = new DomainPage(page);
      await domain.goto('checkout.acme.junovy.com');
      await expect(domain.finding('service.no-ready-endpoints')).toBeVisible();
      await page.evaluate(() => ((window as unknown as { __sameDocument?: boolean }).__sameDocument = true));

      await demo.outage(12);
      // While the API server is away the page says so, and still shows what it last knew.
      await expect(page.getByText(/^Stale since /)).toBeVisible({ timeout: 20_000 });
      await expect(domain.finding('service.no-ready-endpoints')).toBeVisible();
      // It comes back by itself: the watches reconnect and the banner goes.
      await expect(page.getByText(/^Stale since /)).toHaveCount(0, { timeout: 45_000 });
      await expect(domain.finding('service.no-ready-endpoints')).toBeVisible();
      expect(await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    } finally {
      await demo.dispose();
    }
  });
});
