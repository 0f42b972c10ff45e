import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domain, withManyEndpoints } from './__fixtures__/domains';
import { buildGraph } from './index';
import { layoutGraph, type ChainLayout } from './layout';

function overlaps(layout: ChainLayout): string[] {
  const out: string[] = [];
  for (const a of layout.nodes) {
    for (const b of layout.nodes) {
      if (a.id >= b.id) continue;
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      if (!apart) out.push(`${a.id} / ${b.id}`);
    }
  }
  return out;
}

test('a Service two routes reach is drawn once with an edge from each route', () => {
  const d = domain('shop.acme.junovy.com');
  const second = d.routes[1]!;
  second.service = structuredClone(d.routes[0]!.service);
  const g = buildGraph(d);
  const services = g.nodes.filter((n) => n.kind === 'service');
  assert.deepEqual(services.map((s) => s.id), ['Service/shop']);
  assert.deepEqual(
    g.edges.filter((e) => e.to === 'Service/shop').map((e) => e.from),
    ['Route/shop/0/0', 'Route/shop-legacy/0/0'],
  );
  const layout = layoutGraph(g);
  assert.equal(layout.edges.filter((e) => e.to === 'Service/shop').length, 2);
  assert.deepEqual(overlaps(layout), []);
});

test('the layout runs left to right by column, with DNS above and TLS below the domain', () => {
  const layout = layoutGraph(buildGraph(domain('checkout.acme.junovy.com')));
  const at = (id: string) => layout.nodes.find((n) => n.id === id)!;
  const dom = at('Domain/checkout.acme.junovy.com');
  const dns = at('DNS/checkout.acme.junovy.com');
  const tls = at('TLS/checkout.acme.junovy.com');
  assert.equal(dns.x, dom.x);
  assert.equal(tls.x, dom.x);
  assert.ok(dns.y < dom.y && dom.y < tls.y);
  const xs = ['Route/checkout/0/0', 'Service/checkout', 'Endpoint/checkout-ckmvq/10.42.2.15', 'Pod/checkout-q8x4sv2bzk-r7fpn'].map((id) => at(id).x);
  assert.ok(dom.x < xs[0]! && xs.every((x, i) => i === 0 || x > xs[i - 1]!), `columns increase: ${xs.join(', ')}`);
  // An endpoint sits on the row of its Pod, and the Service is centred on its two endpoints.
  assert.equal(at('Endpoint/checkout-ckmvq/10.42.2.15').y, at('Pod/checkout-q8x4sv2bzk-r7fpn').y);
  const e1 = at('Endpoint/checkout-ckmvq/10.42.2.15');
  const e2 = at('Endpoint/checkout-ckmvq/10.42.3.16');
  assert.equal(at('Service/checkout').y, (e1.y + e2.y) / 2);
  assert.deepEqual(overlaps(layout), []);
  assert.deepEqual(layout.columns.map((c) => c.title), ['Domain', 'Ingress route', 'Service', 'Endpoints', 'Pods']);
  for (const n of layout.nodes) {
    assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.width <= layout.width && n.y + n.height <= layout.height, `${n.id} inside the drawing`);
  }
  for (const e of layout.edges) assert.match(e.path, /^M[\d.,-]+C/, `${e.id} is a curve`);
});

test('a large expanded Service lays out without overlaps and the drawing grows to fit', () => {
  const d = withManyEndpoints(30, 3, 2);
  const small = layoutGraph(buildGraph(d));
  const big = layoutGraph(buildGraph(d, { expanded: new Set(['Service/my-app']) }));
  assert.deepEqual(overlaps(big), []);
  assert.ok(big.height > small.height * 5);
  assert.equal(big.nodes.length, 3 + 1 + 1 + 30 + 30);
});

test('the same data lays out to the same coordinates (no jump on refresh)', () => {
  const a = layoutGraph(buildGraph(domain('reports.bakery-bros.junovy.com')));
  const b = layoutGraph(buildGraph(domain('reports.bakery-bros.junovy.com')));
  assert.deepEqual(
    a.nodes.map((n) => [n.id, n.x, n.y]),
    b.nodes.map((n) => [n.id, n.x, n.y]),
  );
  assert.deepEqual(a.edges.map((e) => e.path), b.edges.map((e) => e.path));
});
