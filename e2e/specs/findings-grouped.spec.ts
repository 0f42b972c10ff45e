/**
 * Identical findings read as one entry with a count and the objects, on the domain page, the
 * environment page and in the API, while the flat list keeps working for what needs one finding (a
 * Pod's own node in the diagram). The demo's checkout domain has two crash-looping Pods; a longer case
 * (7 Pods of one ReplicaSet, a host claimed by two Ingresses, two Ingresses without rules) is created
 * in the demo cluster for this spec and deleted after it.
 */
import { expect, test } from '@playwright/test';
import type { DomainResponse, NamespaceResponse } from '../../lib/api/types';
import { DomainPage } from '../pages/domain-page';
import { NamespacePage } from '../pages/namespace-page';
import { DemoCluster, type KubeObject } from '../support/demo';
import { publishScreenshot, SOURCE } from '../support/env';

const CHECKOUT = 'checkout.acme.junovy.com';
const CHECKOUT_PODS = ['checkout-q8x4sv2bzk-r7fpn', 'checkout-q8x4sv2bzk-zrghq'];

test('the two crash-looping Pods of checkout are one finding with both Pods, each still shown in the diagram', async ({ page, request }) => {
  const domain = new DomainPage(page);
  await domain.goto(CHECKOUT);
  const crash = domain.finding('pod.crash-loop');
  await expect(crash).toHaveCount(1);
  await expect(crash).toContainText('×2');
  await expect(crash).toContainText(/2 Pods: container checkout is in CrashLoopBackOff after \d+(–\d+)? restarts; last exit code 1 \(Error\)/);
  await expect(crash).toContainText(`kubectl -n hst-acme logs ${CHECKOUT_PODS[0]} -c checkout --previous`);
  // The severity heading still counts findings; the diagram still marks each Pod.
  await expect(domain.findings.getByRole('heading', { name: 'Warning (2)' })).toBeVisible();
  await expect(domain.brokenNodes('warning')).toHaveCount(2);

  // Each Pod of the group shows its own node.
  await crash.getByRole('button', { name: `Show Pod ${CHECKOUT_PODS[1]} in diagram` }).click();
  await expect(page).toHaveURL(new RegExp(`\\?focus=Pod/${CHECKOUT_PODS[1]}$`));
  await expect(domain.detailsTitle()).toHaveText(CHECKOUT_PODS[1]!);

  // The API: findingGroups beside the flat findings, whose members index the flat list.
  const api = (await (await request.get(`/api/v1/domains/${CHECKOUT}`)).json()) as DomainResponse;
  const group = api.domain.findingGroups.find((g) => g.code === 'pod.crash-loop');
  expect(group?.count).toBe(2);
  expect(group!.members.map((i) => api.domain.findings[i]!.object.name)).toEqual(CHECKOUT_PODS);
  expect(api.domain.findings.filter((f) => f.code === 'pod.crash-loop')).toHaveLength(2);
  expect(api.domain.findingGroups.reduce((n, g) => n + g.count, 0)).toBe(api.domain.findings.length);
});

const NS = 'hst-acme';
const HOST = 'grouped.acme.junovy.com';
const RS = 'grouped-6c8d9f7b5';
const PODS = Array.from({ length: 7 }, (_, i) => `${RS}-p${i}`);

function objects(): KubeObject[] {
  const ingress = (name: string, path: string): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name,
      namespace: NS,
      annotations: {
        'traefik.ingress.kubernetes.io/router.entrypoints': 'websecure',
        'traefik.ingress.kubernetes.io/router.tls.certresolver': 'letsencrypt',
      },
    },
    spec: {
      ingressClassName: 'traefik-external',
      tls: [{ hosts: [HOST], secretName: `${name}-tls` }],
      rules: [{ host: HOST, http: { paths: [{ path, pathType: 'Prefix', backend: { service: { name: 'grouped', port: { number: 80 } } } }] } }],
    },
    status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
  });
  const empty = (name: string): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: NS },
    spec: { ingressClassName: 'traefik-external' },
    status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
  });
  const pods: KubeObject[] = PODS.map((name, i) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: NS,
      labels: { app: 'grouped' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: RS, controller: true, uid: `uid-${RS}` }],
    },
    spec: { nodeName: 'worker-1', containers: [{ name: 'app', image: 'registry.junovy.com/acme/grouped:1.0.0', ports: [{ containerPort: 8080 }] }] },
    status: {
      phase: 'Running',
      podIP: `10.78.0.${i + 1}`,
      startTime: '2026-11-26T08:00:00Z',
      conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
      containerStatuses: [
        {
          name: 'app',
          ready: false,
          // Restart counts differ from Pod to Pod, as they do: the group gives their range.
          restartCount: 3 + i,
          image: 'registry.junovy.com/acme/grouped:1.0.0',
          state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s restarting failed container' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-11-26T09:00:00Z' } },
        },
      ],
    },
  }));
  return [
    ingress('grouped-web', '/'),
    ingress('grouped-api', '/api'),
    empty('grouped-empty-a'),
    empty('grouped-empty-b'),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'grouped', namespace: NS },
      spec: { type: 'ClusterIP', selector: { app: 'grouped' }, ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
    },
    ...pods,
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'grouped-abcde', namespace: NS, labels: { 'kubernetes.io/service-name': 'grouped' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: PODS.map((name, i) => ({
        addresses: [`10.78.0.${i + 1}`],
        conditions: { ready: false, serving: false, terminating: false },
        nodeName: 'worker-1',
        targetRef: { kind: 'Pod', namespace: NS, name },
      })),
    },
  ];
}

test.describe('a domain with seven crash-looping Pods and two Ingresses', () => {
  test.skip(SOURCE !== 'demo', 'needs the live demo cluster (scripts/demo.ts) to create the objects in');

  test('lists each fault once with the count, folds the long list of Pods, and groups the environment\'s findings too', async ({ page }, testInfo) => {
    test.setTimeout(120_000);
    const demo = await DemoCluster.connect();
    const all = objects();
    try {
      await demo.apply(...all);
      const domain = new DomainPage(page);
      await expect(async () => {
        await domain.goto(HOST);
        await expect(domain.finding('pod.crash-loop')).toBeVisible({ timeout: 2_000 });
      }).toPass({ timeout: 30_000 });

      const crash = domain.finding('pod.crash-loop');
      await expect(crash).toHaveCount(1);
      await expect(crash).toContainText('×7');
      await expect(crash).toContainText('7 Pods: container app is in CrashLoopBackOff after 3–9 restarts; last exit code 1 (Error)');
      // The worst (first) instance keeps its next command.
      await expect(crash).toContainText(`kubectl -n ${NS} logs ${PODS[0]} -c app --previous`);
      // Seven names are folded away behind the first three.
      const fold = crash.getByText(`7 Pods: ${PODS.slice(0, 3).join(', ')} and 4 more`);
      await expect(fold).toBeVisible();
      const buttons = crash.getByRole('button', { name: /^Show Pod grouped-6c8d9f7b5-p\d in diagram$/ });
      await expect(buttons.first()).toBeHidden();
      await fold.click();
      await expect(buttons).toHaveCount(7);
      await expect(buttons.last()).toBeVisible();
      // Each Pod shows its own node, whose finding is still the Pod's own.
      await buttons.last().click();
      await expect(page).toHaveURL(new RegExp(`\\?focus=Pod/${PODS[6]}$`));
      await expect(domain.details.getByRole('article', { name: 'Warning finding pod.crash-loop' })).toContainText(
        `Pod ${PODS[6]}: container app is in CrashLoopBackOff after 9 restarts`,
      );
      // Back to the list, opened, for the picture.
      await domain.goto(HOST);
      await crash.locator('summary').click();
      await expect(buttons).toHaveCount(7);

      // The host's TLS finding, once per Ingress, is one entry naming both Ingresses.
      const tls = domain.finding('tls.managed-by-resolver');
      await expect(tls).toHaveCount(1);
      await expect(tls).toContainText('×2');
      await expect(tls).toContainText('Secret {grouped-api-tls, grouped-web-tls} is not used');
      // Every member is about the host's one TLS node: no "first" to pick.
      await expect(tls.getByRole('button', { name: 'Show in diagram' })).toBeVisible();
      await expect(tls.getByRole('list', { name: '2 Ingresses' })).toContainText('grouped-web');
      await expect(tls.getByRole('list', { name: '2 Ingresses' })).toContainText('grouped-api');

      await domain.findings.scrollIntoViewIfNeeded();
      const shot = testInfo.outputPath('findings-grouped.png');
      await domain.findings.screenshot({ path: shot, animations: 'disabled', caret: 'hide' });
      await testInfo.attach('findings-grouped.png', { path: shot, contentType: 'image/png' });
      publishScreenshot(shot, 'findings-grouped.png');

      // The environment page: two Ingresses without rules are one finding outside any domain.
      const env = new NamespacePage(page);
      await env.goto(NS);
      const outside = env.section('Findings outside any domain');
      await expect(outside.getByText('ingress.no-rules')).toHaveCount(1);
      await expect(outside).toContainText('2 Ingresses have no rules and no default backend');
      await expect(outside.getByRole('list', { name: '2 Ingresses' })).toContainText('grouped-empty-a');
      await expect(outside.getByRole('list', { name: '2 Ingresses' })).toContainText('grouped-empty-b');
      const api = (await (await page.request.get(`/api/v1/namespaces/${NS}`)).json()) as NamespaceResponse;
      const noRules = api.namespace.findingGroups.find((g) => g.code === 'ingress.no-rules');
      expect(noRules?.count).toBe(2);
      expect(noRules!.objects.map((o) => o.name).sort()).toEqual(['grouped-empty-a', 'grouped-empty-b']);
    } finally {
      for (const o of all.reverse()) await demo.delete(o.kind as string, NS, o.metadata.name);
      await demo.dispose();
    }
  });
});
