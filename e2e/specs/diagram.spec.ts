/**
 * The chain diagram of a domain the size of a real client environment: 10 routes and 200 Pods in several
 * owners and states, created in the demo cluster through its API for this spec and deleted after it, so
 * the other specs' counts stay as they were.
 */
import { expect, test } from '@playwright/test';
import { DomainPage } from '../pages/domain-page';
import { DemoCluster, type KubeObject } from '../support/demo';
import { SOURCE, publishScreenshot } from '../support/env';

const NS = 'hst-acme';
const HOST = 'big.acme.junovy.com';
const ROUTES = 10;
const PODS_PER_ROUTE = 20;

type Kind = 'ready' | 'crash' | 'not-ready' | 'terminating';
/** Of every 20 Pods of a Service: 12 ready, 4 crash-looping (an older ReplicaSet), 2 not ready, 2 terminating. */
const kindOf = (k: number): Kind => (k < 12 ? 'ready' : k < 16 ? 'crash' : k < 18 ? 'not-ready' : 'terminating');

function objects(): KubeObject[] {
  const out: KubeObject[] = [];
  out.push({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'big-platform', namespace: NS },
    spec: {
      ingressClassName: 'traefik-external',
      rules: [
        {
          host: HOST,
          http: {
            paths: Array.from({ length: ROUTES }, (_, r) => ({
              path: `/svc-${r}`,
              pathType: 'Prefix',
              backend: { service: { name: `big-svc-${r}`, port: { number: 80 } } },
            })),
          },
        },
      ],
    },
  });
  for (let r = 0; r < ROUTES; r++) {
    const app = `big-svc-${r}`;
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app, namespace: NS },
      spec: { type: 'ClusterIP', selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
    });
    const endpoints: unknown[] = [];
    for (let k = 0; k < PODS_PER_ROUTE; k++) {
      const kind = kindOf(k);
      const rs = `${app}-${kind === 'crash' ? '5f7c9d8b6' : '7d9f8b6c5'}`;
      const name = `${rs}-p${k}`;
      const ip = `10.77.${r}.${k + 1}`;
      const ready = kind === 'ready';
      out.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name,
          namespace: NS,
          labels: { app },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, controller: true, uid: `uid-${rs}` }],
          ...(kind === 'terminating' ? { deletionTimestamp: '2026-11-26T09:00:00Z' } : {}),
        },
        spec: { nodeName: 'worker-1', containers: [{ name: 'app', image: 'registry.junovy.com/acme/big:1.0.0' }] },
        status: {
          phase: 'Running',
          podIP: ip,
          startTime: '2026-11-26T08:00:00Z',
          conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
          containerStatuses: [
            {
              name: 'app',
              ready,
              restartCount: kind === 'crash' ? 7 : 0,
              image: 'registry.junovy.com/acme/big:1.0.0',
              state: kind === 'crash' ? { waiting: { reason: 'CrashLoopBackOff' } } : { running: { startedAt: '2026-11-26T08:00:05Z' } },
            },
          ],
        },
      });
      endpoints.push({
        addresses: [ip],
        conditions: { ready, serving: ready || kind === 'terminating', terminating: kind === 'terminating' },
        nodeName: 'worker-1',
        targetRef: { kind: 'Pod', namespace: NS, name },
      });
    }
    out.push({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: `${app}-abcde`, namespace: NS, labels: { 'kubernetes.io/service-name': app } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints,
    });
  }
  return out;
}

test.describe('a domain of 10 routes and 200 Pods', () => {
  test.skip(SOURCE !== 'demo', 'needs the live demo cluster (scripts/demo.ts) to create the objects in');

  test('groups its Pods by owner and state with counts, shows the domain in the first screen, and opens a group on demand', async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    const demo = await DemoCluster.connect();
    const all = objects();
    try {
      await demo.apply(...all);
      await page.setViewportSize({ width: 1280, height: 900 });
      const domain = new DomainPage(page);
      await expect(async () => {
        await domain.goto(HOST);
        await expect(domain.node('Domain', HOST)).toBeVisible({ timeout: 2_000 });
      }).toPass({ timeout: 30_000 });

      // Every route is named by its path first.
      for (let r = 0; r < ROUTES; r++) await expect(domain.node('Ingress route', `/svc-${r}`)).toBeVisible();
      // One counts node per owner and state, not one node per Pod.
      const crash = domain.diagram.getByRole('button', { name: /^Endpoints 4 Pods CrashLoopBackOff, ReplicaSet\/big-svc-\d+-5f7c9d8b6, / });
      await expect(crash).toHaveCount(ROUTES);
      await expect(domain.diagram.getByRole('button', { name: /^Endpoints 12 Pods Running, / })).toHaveCount(ROUTES);
      await expect(domain.diagram.getByRole('button', { name: /^Pod / })).toHaveCount(0);

      // The domain node is in the first screen, and prints its host whole.
      const box = await domain.node('Domain', HOST).boundingBox();
      expect(box, 'the domain node is laid out').not.toBeNull();
      expect(box!.y + box!.height, 'the domain node ends inside the first 900px').toBeLessThan(900);
      await expect(domain.diagram.locator(`[data-node-id="Domain/${HOST}"] > text`).nth(1)).toHaveText(HOST);
      // A group's count and state are printed whole, not cut in the middle.
      const crashId = 'Service/big-svc-0/endpoints/ReplicaSet:big-svc-0-5f7c9d8b6/CrashLoopBackOff';
      await expect(domain.diagram.locator(`[data-node-id="${crashId}"] > text`).nth(1)).toHaveText('4 Pods CrashLoopBackOff');
      await page.screenshot({ path: testInfo.outputPath('big-domain-1280.png') });
      publishScreenshot(testInfo.outputPath('big-domain-1280.png'), 'domain-grouped-pods.png');

      // Opening one group shows exactly its four crash-looping Pods, named with their telling suffix.
      await crash.first().click();
      await expect(domain.diagram.getByRole('button', { name: /^Pod big-svc-0-5f7c9d8b6-p1[2-5], CrashLoopBackOff/ })).toHaveCount(4);
      await expect(crash).toHaveCount(ROUTES - 1);
      await expect(domain.diagram.locator('[data-node-id="Pod/big-svc-0-5f7c9d8b6-p12"] > text').nth(1)).toHaveText(/-p12$/);

      // On a phone the domain is still the first thing of the diagram, and the host is not cut.
      await page.setViewportSize({ width: 390, height: 844 });
      await domain.goto(HOST);
      await domain.node('Domain', HOST).scrollIntoViewIfNeeded();
      await expect(domain.node('Domain', HOST)).toBeInViewport();
      await page.screenshot({ path: testInfo.outputPath('big-domain-390.png'), fullPage: false });
      await domain.diagram.screenshot({ path: testInfo.outputPath('big-domain-390-diagram.png') });
    } finally {
      for (const o of all.reverse()) await demo.delete(o.kind as string, NS, o.metadata.name);
      await demo.dispose();
    }
  });
});
