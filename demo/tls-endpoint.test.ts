import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { probeHttp } from '../lib/probe/http';
import { loadRawObjects } from './load';
import type { KubeObject } from './resources';
import { startTlsEndpoint, traefikAnswer, type TlsEndpoint } from './tls-endpoint';

const ROOT = join(__dirname, '..');
const { objects: all } = loadRawObjects([join(ROOT, 'samples/cluster'), join(ROOT, 'demo/extra')]);
let objects: KubeObject[] = all;
const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

describe("the demo endpoint answers HTTP as Traefik would for the cluster's objects", () => {
  let endpoint: TlsEndpoint;
  before(async () => {
    endpoint = await startTlsEndpoint({ hosts: { 'app.my-client.junovy.com': 'valid' }, objects: byKind });
  });
  after(() => endpoint.stop());

  const check = (host: string, path = '/') =>
    probeHttp({
      host,
      address: '127.0.0.1',
      port: endpoint.port,
      check: { path, route: { namespace: 'x', ingress: 'x', path } },
      resolveHost: () => undefined,
      timeoutMs: 10_000,
    });

  test("a healthy route is the backend's 200, an unknown host Traefik's own 404", async () => {
    const ok = await check('app.my-client.junovy.com');
    assert.deepEqual(ok.status === 'ok' && [ok.statusCode, ok.from], [200, 'backend']);
    const none = await check('nobody.junovy.com');
    assert.deepEqual(none.status === 'ok' && [none.statusCode, none.from, none.controller], [404, 'controller', 'not-found']);
  });

  test('no ready endpoint is 503, endpoints without the target port 502: both from the controller', async () => {
    const unavailable = await check('checkout.acme.junovy.com');
    assert.deepEqual(unavailable.status === 'ok' && [unavailable.statusCode, unavailable.controller], [503, 'unavailable']);
    const bad = await check('api.northwind.junovy.com');
    assert.deepEqual(bad.status === 'ok' && [bad.statusCode, bad.controller], [502, 'bad-gateway']);
  });

  test('the answer follows the objects as they change', async () => {
    const before = traefikAnswer(byKind, 'checkout.acme.junovy.com', '/');
    assert.equal(before.status, 503);
    objects = all.map((o) =>
      o.kind === 'EndpointSlice' && o.metadata.namespace === 'hst-acme'
        ? { ...o, endpoints: ((o as { endpoints?: object[] }).endpoints ?? []).map((ep) => ({ ...ep, conditions: { ready: true } })) }
        : o,
    );
    try {
      const healed = await check('checkout.acme.junovy.com');
      assert.deepEqual(healed.status === 'ok' && [healed.statusCode, healed.from], [200, 'backend']);
    } finally {
      objects = all;
    }
  });

  test("an IngressRoute is routed as Traefik routes it: its backend's 200, or Traefik's 404 when its Service is missing", async () => {
    const ok = await check('shop.routelab.junovy.com');
    assert.deepEqual(ok.status === 'ok' && [ok.statusCode, ok.from], [200, 'backend']);
    // The api route matches PathPrefix(`/v1`) only: `/` is no route of it.
    assert.equal(traefikAnswer(byKind, 'api.routelab.junovy.com', '/').status, 404);
    const missing = await check('api.routelab.junovy.com', '/v1');
    assert.deepEqual(missing.status === 'ok' && [missing.statusCode, missing.controller], [404, 'not-found']);
  });

  test("an HTTPRoute whose backend Service is missing gets Traefik's bare 500, which the probe records bare; a healthy one the backend's 200", async () => {
    const bare = await check('api.gatelab.junovy.com');
    assert.deepEqual(bare.status === 'ok' && [bare.statusCode, bare.from, bare.controller, bare.bare], [500, 'controller', 'internal-error', true]);
    const ok = await check('shop.gatelab.junovy.com');
    assert.deepEqual(ok.status === 'ok' && [ok.statusCode, ok.from, ok.bare], [200, 'backend', undefined]);
  });

  test("every sample environment's routes come out in more than one HTTP state", () => {
    const states = new Set<number>();
    for (const ing of byKind('Ingress') as { spec?: { rules?: { host?: string; http?: { paths?: { path?: string }[] } }[] } }[]) {
      for (const r of ing.spec?.rules ?? []) for (const p of r.http?.paths ?? []) if (r.host) states.add(traefikAnswer(byKind, r.host, p.path || '/').status);
    }
    assert.deepEqual([...states].sort(), [200, 404, 502, 503]);
  });
});
