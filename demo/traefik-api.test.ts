// The demo's Traefik API over the demo cluster's own objects (demo/extra/hst-edgelab.yaml), read by
// Chainboard's client from 127.0.0.1 and analysed with the Middlewares the demo API server serves: each
// hst-edgelab domain shows the Traefik state it is there for.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { analyze } from '../lib/chain';
import { loadDump } from '../lib/cluster/dump';
import { readTraefikView } from '../lib/traefik/client';
import { startDemoServer } from './server';
import { objectsOf, page, startTraefikApi, traefikApiData } from './traefik-api';

const ROOT = join(__dirname, '..');
const EDGELAB = join(ROOT, 'demo/extra/hst-edgelab.yaml');

test('routers are named and statused as Traefik does: a missing Middleware disables its router, with Traefik\'s error', async () => {
  const demo = await startDemoServer({ dumpPath: [join(ROOT, 'samples/cluster/00-cluster.yaml'), EDGELAB] });
  try {
    const data = traefikApiData(objectsOf((k) => demo.state.all(k)));
    const edgelab = data.routers.filter((r) => String(r.name).startsWith('hst-edgelab-'));
    assert.deepEqual(
      edgelab.map((r) => [r.name, r.status, r.error, r.using]),
      [
        ['hst-edgelab-admin-admin-edgelab-junovy-com@kubernetes', 'disabled', ['middleware "hst-edgelab-ip-allowlist@kubernetescrd" does not exist'], ['websecure']],
        ['hst-edgelab-blog-blog-edgelab-junovy-com@kubernetes', 'enabled', undefined, ['web']],
        ['hst-edgelab-shop-shop-edgelab-junovy-com@kubernetes', 'enabled', undefined, ['websecure']],
      ],
    );
    const svc = data.services.find((s) => s.name === 'hst-edgelab-web-http@kubernetes');
    assert.deepEqual(svc?.loadBalancer, { passHostHeader: true, servers: [{ url: 'http://10.42.8.11:8080' }, { url: 'http://10.42.8.12:8080' }] });
    assert.ok(data.middlewares.some((m) => m.name === 'hst-edgelab-basic-auth@kubernetescrd' && m.type === 'basicauth'));

    // A Service without ready endpoints: Traefik skips its paths, so they have no router at all.
    demo.patch('EndpointSlice', 'hst-edgelab', 'web-x7k2p', { endpoints: [] });
    const after = traefikApiData(objectsOf((k) => demo.state.all(k)));
    assert.equal(after.routers.filter((r) => String(r.name).startsWith('hst-edgelab-')).length, 0);
  } finally {
    await demo.close();
  }
});

test("pages as Traefik's API does: X-Next-Page, 1 on the last page, 400 past the end", () => {
  const items = [1, 2, 3, 4, 5];
  assert.deepEqual(page(items, new URLSearchParams('per_page=2')), { status: 200, items: [1, 2], next: 2 });
  assert.deepEqual(page(items, new URLSearchParams('per_page=2&page=3')), { status: 200, items: [5], next: 1 });
  assert.equal(page(items, new URLSearchParams('per_page=2&page=4')).status, 400);
  assert.deepEqual(page([], new URLSearchParams('')), { status: 200, items: [], next: 1 });
});

test('read through the client and analysed, hst-edgelab shows a missing Middleware, its disabled router and a router pinned to web', async () => {
  const demo = await startDemoServer({ dumpPath: [join(ROOT, 'samples/cluster/00-cluster.yaml'), EDGELAB] });
  const api = await startTraefikApi({ data: () => traefikApiData(objectsOf((k) => demo.state.all(k))) });
  try {
    const { snapshot } = loadDump([join(ROOT, 'samples/cluster/00-cluster.yaml'), EDGELAB]);
    snapshot.traefik = await readTraefikView({ api: api.url, timeoutMs: 10_000 });
    assert.equal(snapshot.traefik.error, undefined);
    const r = analyze(snapshot, { now: new Date('2026-11-21T00:00:00Z'), namespacePrefix: 'hst-edgelab' });
    const traefikCodes = Object.fromEntries(r.domains.map((d) => [d.host, d.findings.map((f) => f.code).filter((c) => c.startsWith('traefik.')).sort()]));
    assert.deepEqual(traefikCodes, {
      'admin.edgelab.junovy.com': ['traefik.middleware-missing', 'traefik.router-error'],
      'blog.edgelab.junovy.com': ['traefik.entrypoint-mismatch'],
      'shop.edgelab.junovy.com': [],
    });
    const shop = r.domains.find((d) => d.host === 'shop.edgelab.junovy.com')!;
    assert.deepEqual(shop.traefik?.routers, [
      {
        routeId: 'Route/shop/0/0',
        name: 'hst-edgelab-shop-shop-edgelab-junovy-com@kubernetes',
        status: 'enabled',
        entryPoints: ['websecure'],
        middlewares: [{ name: 'hst-edgelab-basic-auth@kubernetescrd', state: 'ok' }],
      },
    ]);
    assert.equal(shop.traefik?.health, 'healthy');
  } finally {
    await api.close();
    await demo.close();
  }
});
