// Traefik Middlewares watched through the same watch caches as every other kind, against the demo
// Kubernetes API server (which serves traefik.io/v1alpha1 middlewares), and what the analysis makes of an
// Ingress's router.middlewares annotation as they come and go.
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

const HOST = 'api.acme.example.com';
const NS = 'hst-acme';

async function harness(withMiddlewares: boolean, forbid = false): Promise<{ demo: DemoServer; source: LiveSource; store: AnalysisStore }> {
  const demo = await startDemoServer({ dumpPath: FIXTURE_DUMP });
  cleanups.push(() => demo.close());
  if (forbid) demo.forbid({ kind: 'Middleware' });
  demo.patch('Ingress', NS, 'api', { metadata: { annotations: { 'traefik.ingress.kubernetes.io/router.middlewares': 'hst-acme-auth@kubernetescrd' } } });
  const { source, store, stop } = await watchDemo(demo, { withMiddlewares });
  cleanups.push(stop);
  return { demo, source, store };
}

const domain = (store: AnalysisStore) => store.getResult().result?.domains.find((d) => d.host === HOST);
const codes = (store: AnalysisStore) => (domain(store)?.findings ?? []).map((f) => f.code).filter((c) => c.startsWith('traefik.'));

describe('Traefik Middlewares from the cluster', () => {
  it('a named Middleware that does not exist is traefik.middleware-missing until it is created, then healthy', async () => {
    const { demo, source, store } = await harness(true);
    assert.equal(source.kinds().find((k) => k.kind === 'Middleware')?.state, 'synced');
    assert.deepEqual(codes(store), ['traefik.middleware-missing']);
    assert.deepEqual(domain(store)?.traefik?.routers[0]?.middlewares, [{ name: 'hst-acme-auth@kubernetescrd', state: 'missing' }]);
    demo.apply({ apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'auth', namespace: NS }, spec: { basicAuth: { secret: 'auth-users' } } });
    await waitFor('the Middleware to be seen', () => codes(store).length === 0, { timeoutMs: 20_000 });
    assert.deepEqual(domain(store)?.traefik?.routers[0]?.middlewares, [{ name: 'hst-acme-auth@kubernetescrd', state: 'ok' }]);
    demo.remove('Middleware', NS, 'auth');
    await waitFor('the deletion to be seen', () => codes(store).includes('traefik.middleware-missing'), { timeoutMs: 20_000 });
  });

  it('without the Middleware watch the reference is not checked, never healthy and never missing', async () => {
    const { store } = await harness(false);
    assert.deepEqual(codes(store), []);
    const t = domain(store)?.traefik;
    assert.equal(t?.health, 'not-checked');
    assert.deepEqual(t?.check, { state: 'not-checked', reasons: ['api-off', 'middlewares-off'] });
    assert.deepEqual(t?.routers[0]?.middlewares, [{ name: 'hst-acme-auth@kubernetescrd', state: 'not-checked' }]);
  });

  it('Middlewares Chainboard may not list are a forbidden gap, and the reference is not checked', async () => {
    const { source, store } = await harness(true, true);
    assert.equal(source.kinds().find((k) => k.kind === 'Middleware')?.state, 'forbidden');
    assert.ok(source.gaps().some((g) => g.kind === 'Middleware' && g.reason === 'forbidden'));
    assert.deepEqual(codes(store), []);
    assert.deepEqual(domain(store)?.traefik?.routers[0]?.middlewares, [{ name: 'hst-acme-auth@kubernetescrd', state: 'not-checked' }]);
  });
});
