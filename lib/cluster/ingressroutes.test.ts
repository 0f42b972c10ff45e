// Traefik IngressRoutes watched through the same watch caches as every other kind, against the demo
// Kubernetes API server (which serves traefik.io/v1alpha1 ingressroutes), and the chains the analysis
// builds from them as they come and go.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { startDemoServer, type DemoServer } from '../../demo/server';
import { FIXTURE_DUMP } from '../../demo/testing';
import { waitFor } from '../testing/net';
import type { LiveSource } from './live';
import type { AnalysisStore } from './store';
import { watchDemo } from './testing';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const NS = 'hst-acme';
const HOST = 'routes.acme.example.com';

const ingressRoute = (service: string) => ({
  apiVersion: 'traefik.io/v1alpha1',
  kind: 'IngressRoute',
  metadata: { name: 'routes', namespace: NS },
  spec: { entryPoints: ['websecure'], routes: [{ match: `Host(\`${HOST}\`) && PathPrefix(\`/\`)`, kind: 'Rule', services: [{ name: service, port: 80 }] }] },
});

async function harness(withIngressRoutes: boolean, forbid = false): Promise<{ demo: DemoServer; source: LiveSource; store: AnalysisStore }> {
  const demo = await startDemoServer({ dumpPath: FIXTURE_DUMP });
  cleanups.push(() => demo.close());
  if (forbid) demo.forbid({ kind: 'IngressRoute' });
  const { source, store, stop } = await watchDemo(demo, { withIngressRoutes });
  cleanups.push(stop);
  return { demo, source, store };
}

describe('Traefik IngressRoutes from the cluster', () => {
  it('are listed, watched and slimmed like any other kind', async () => {
    const { demo, source } = await harness(true);
    assert.equal(source.kinds().find((k) => k.kind === 'IngressRoute')?.state, 'synced');
    assert.deepEqual(source.snapshot().ingressRoutes, []);
    demo.apply(ingressRoute('api'));
    await waitFor('the IngressRoute to be seen', () => (source.snapshot().ingressRoutes ?? []).length === 1, { timeoutMs: 20_000 });
    const [ir] = source.snapshot().ingressRoutes!;
    assert.equal(ir?.metadata.name, 'routes');
    assert.deepEqual(ir?.spec?.routes?.[0]?.services, [{ name: 'api', port: 80 }]);
    demo.remove('IngressRoute', NS, 'routes');
    await waitFor('the deletion to be seen', () => (source.snapshot().ingressRoutes ?? []).length === 0, { timeoutMs: 20_000 });
  });

  it("make a domain whose chain runs through the IngressRoute to the Service's Pods, and whose broken backend is seen as it changes", async () => {
    const { demo, store } = await harness(true);
    const domain = () => store.getResult().result?.domains.find((d) => d.host === HOST);
    demo.apply(ingressRoute('api'));
    await waitFor('the IngressRoute domain', () => domain() !== undefined, { timeoutMs: 20_000 });
    const route = domain()!.routes[0]!;
    assert.deepEqual([route.kind, route.ingress, route.path, route.service?.name, route.service?.port?.port], ['IngressRoute', 'routes', '/', 'api', 80]);
    assert.ok((route.service?.endpoints.length ?? 0) > 0, 'the Service has endpoints');
    demo.apply(ingressRoute('api-v2'));
    await waitFor('the missing backend', () => domain()?.findings.some((f) => f.code === 'ingress.backend-service-missing') === true, { timeoutMs: 20_000 });
    assert.equal(domain()!.health, 'down');
    assert.deepEqual(domain()!.findings.find((f) => f.code === 'ingress.backend-service-missing')?.object, { kind: 'IngressRoute', namespace: NS, name: 'routes' });
  });

  it('are not read without the option: the snapshot says so rather than holding none', async () => {
    const { source } = await harness(false);
    assert.equal(source.reads('IngressRoute'), false);
    assert.equal(source.snapshot().ingressRoutes, undefined);
  });

  it('IngressRoutes Chainboard may not list are a forbidden gap', async () => {
    const { source } = await harness(true, true);
    assert.equal(source.kinds().find((k) => k.kind === 'IngressRoute')?.state, 'forbidden');
    assert.ok(source.gaps().some((g) => g.kind === 'IngressRoute' && g.reason === 'forbidden'));
  });
});
