// The Gateway API watched through the same watch caches as every other kind, against the demo
// Kubernetes API server (which serves gateway.networking.k8s.io, or answers 404 as a cluster without
// its CRDs does), and the chains the analysis builds from HTTPRoutes as they come and go.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { FIXTURE_DUMP } from '../../demo/testing';
import { waitFor } from '../testing/net';
import type { LiveSource, LiveSourceOptions } from './live';
import { syncInfo, type AnalysisStore } from './store';
import { watchDemo } from './testing';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const NS = 'hst-acme';
const HOST = 'gate.acme.example.com';
const GROUP = 'gateway.networking.k8s.io';

const accepted = [{ type: 'Accepted', status: 'True', reason: 'Accepted', lastTransitionTime: '2025-06-01T00:00:00Z' }];
const programmed = [...accepted, { type: 'Programmed', status: 'True', reason: 'Programmed', lastTransitionTime: '2025-06-01T00:00:00Z' }];
const gatewayClass = { apiVersion: `${GROUP}/v1`, kind: 'GatewayClass', metadata: { name: 'traefik' }, spec: { controllerName: 'traefik.io/gateway-controller' }, status: { conditions: accepted } };
const gateway = {
  apiVersion: `${GROUP}/v1`,
  kind: 'Gateway',
  metadata: { name: 'public', namespace: 'gateway' },
  spec: { gatewayClassName: 'traefik', listeners: [{ name: 'web', port: 8000, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } }] },
  status: { conditions: programmed, listeners: [{ name: 'web', attachedRoutes: 1, conditions: programmed }] },
};
const httpRoute = (service: string) => ({
  apiVersion: `${GROUP}/v1`,
  kind: 'HTTPRoute',
  metadata: { name: 'gate', namespace: NS },
  spec: { parentRefs: [{ name: 'public', namespace: 'gateway' }], hostnames: [HOST], rules: [{ backendRefs: [{ name: service, port: 80 }] }] },
  status: { parents: [{ parentRef: { name: 'public', namespace: 'gateway' }, controllerName: 'traefik.io/gateway-controller', conditions: [...accepted, { type: 'ResolvedRefs', status: 'True', reason: 'ResolvedRefs', lastTransitionTime: '2025-06-01T00:00:00Z' }] }] },
});

async function harness(
  withGatewayApi: LiveSourceOptions['withGatewayApi'],
  o: { forbid?: boolean; uninstalled?: boolean; namespaces?: string[] } = {},
): Promise<{ demo: DemoServer; source: LiveSource; store: AnalysisStore }> {
  const demo = await startDemoServer({ dumpPath: FIXTURE_DUMP, ...(o.uninstalled ? { uninstalledGroups: [GROUP] } : {}) });
  cleanups.push(() => demo.close());
  if (o.forbid) demo.forbid({ kind: 'HTTPRoute' });
  const { source, store, stop } = await watchDemo(demo, { withGatewayApi, namespaces: o.namespaces });
  cleanups.push(stop);
  return { demo, source, store };
}

describe('the Gateway API from the cluster', () => {
  it('GatewayClasses, Gateways, HTTPRoutes and ReferenceGrants are listed, watched and slimmed like any other kind', async () => {
    const { demo, source } = await harness(true);
    for (const kind of ['GatewayClass', 'Gateway', 'HTTPRoute', 'ReferenceGrant']) assert.equal(source.kinds().find((k) => k.kind === kind)?.state, 'synced', kind);
    assert.deepEqual(source.snapshot().httpRoutes, []);
    demo.apply([gatewayClass, gateway, httpRoute('api')]);
    await waitFor('the objects to be seen', () => (source.snapshot().httpRoutes ?? []).length === 1 && (source.snapshot().gateways ?? []).length === 1, { timeoutMs: 20_000 });
    const s = source.snapshot();
    assert.deepEqual(s.httpRoutes![0]!.spec?.rules, [{ backendRefs: [{ name: 'api', port: 80 }] }]);
    assert.equal(s.gateways![0]!.metadata.namespace, 'gateway');
    assert.equal(s.gatewayClasses![0]!.spec?.controllerName, 'traefik.io/gateway-controller');
    demo.remove('HTTPRoute', NS, 'gate');
    await waitFor('the deletion to be seen', () => (source.snapshot().httpRoutes ?? []).length === 0, { timeoutMs: 20_000 });
  });

  it("make a domain whose chain runs from the HTTPRoute, through the shared Gateway's listener, to the Service's Pods, and whose broken backend is seen as it changes", async () => {
    const { demo, store } = await harness(true);
    const domain = () => store.getResult().result?.domains.find((d) => d.host === HOST);
    demo.apply([gatewayClass, gateway, httpRoute('api')]);
    await waitFor('the HTTPRoute domain', () => domain()?.routes[0]?.gateway?.listeners.length === 1, { timeoutMs: 20_000 });
    const route = domain()!.routes[0]!;
    assert.deepEqual([route.kind, route.ingress, route.path, route.gateway, route.service?.name, route.service?.port?.port], ['HTTPRoute', 'gate', '/', { name: 'gateway/public', listeners: ['web (HTTP 8000)'] }, 'api', 80]);
    assert.ok((route.service?.endpoints.length ?? 0) > 0, 'the Service has endpoints');
    assert.deepEqual(domain()!.findings.filter((f) => f.code.startsWith('gateway.')), []);
    demo.apply(httpRoute('api-v2'));
    await waitFor('the missing backend', () => domain()?.findings.some((f) => f.code === 'gateway.backend-missing') === true, { timeoutMs: 20_000 });
    assert.equal(domain()!.health, 'down');
    // A change of the shared Gateway reaches the namespace of the route.
    demo.apply(httpRoute('api'));
    demo.apply({ ...gateway, status: { ...gateway.status, listeners: [{ name: 'web', attachedRoutes: 0, conditions: [{ type: 'Programmed', status: 'False', reason: 'Invalid', lastTransitionTime: '2025-06-01T00:00:00Z' }] }] } });
    await waitFor('the listener not programmed', () => domain()?.findings.some((f) => f.code === 'gateway.listener-not-programmed') === true, { timeoutMs: 20_000 });
    assert.deepEqual(domain()!.findings.find((f) => f.code === 'gateway.listener-not-programmed')?.object, { kind: 'Gateway', namespace: 'gateway', name: 'public' });
  });

  it('are not read without the option: the snapshot says so rather than holding none', async () => {
    const { source } = await harness(false);
    assert.equal(source.reads('HTTPRoute'), false);
    assert.equal(source.snapshot().httpRoutes, undefined);
    assert.equal(source.snapshot().gateways, undefined);
  });

  it('HTTPRoutes Chainboard may not list are a forbidden gap', async () => {
    const { source } = await harness(true, { forbid: true });
    assert.equal(source.kinds().find((k) => k.kind === 'HTTPRoute')?.state, 'forbidden');
    assert.ok(source.gaps().some((g) => g.kind === 'HTTPRoute' && g.reason === 'forbidden'));
  });

  it('on a cluster without the Gateway API CRDs the kinds read not-installed: not a gap, not an outage, and the analysis goes ahead', async () => {
    const { source, store } = await harness(true, { uninstalled: true });
    for (const kind of ['GatewayClass', 'Gateway', 'HTTPRoute', 'ReferenceGrant']) assert.equal(source.kinds().find((k) => k.kind === kind)?.state, 'not-installed', kind);
    assert.equal(source.settled(), true);
    assert.deepEqual(source.gaps(), []);
    assert.deepEqual(source.snapshot().httpRoutes, []);
    assert.ok((store.getResult().result?.domains.length ?? 0) > 0, 'the Ingress domains are analysed');
    assert.equal(syncInfo(store.getResult()).kinds.find((k) => k.kind === 'HTTPRoute')?.state, 'not-installed');
  });

  it("in namespace-list mode, Gateways of the configured shared namespace are read beside the listed namespaces'", async () => {
    const { demo, source } = await harness({ gatewayNamespaces: ['gateway'] }, { namespaces: [NS] });
    demo.apply([gatewayClass, gateway, httpRoute('api')]);
    await waitFor('the shared Gateway', () => (source.snapshot().gateways ?? []).length === 1, { timeoutMs: 20_000 });
    assert.deepEqual(
      source.kinds().filter((k) => k.kind === 'Gateway').map((k) => k.namespace),
      ['gateway', NS],
    );
    assert.deepEqual(
      source.kinds().filter((k) => k.kind === 'HTTPRoute').map((k) => k.namespace),
      [NS],
    );
  });
});
