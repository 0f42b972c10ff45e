import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bigDomain, domain, withManyEndpoints } from './__fixtures__/domains';
import { buildGraph } from './index';
import { DEFAULT_DIMS, HOST_LINE_HEIGHT, layoutGraph, type ChainLayout } from './layout';

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

test('a domain of 10 routes and 200 Pods: the domain is in the first screen, and the height follows the groups, not the Pods', () => {
  const l = layoutGraph(buildGraph(bigDomain(10, 200)));
  const d = l.nodes.find((n) => n.kind === 'domain')!;
  const firstRoute = l.nodes.find((n) => n.id === 'Route/platform/0/0')!;
  assert.deepEqual(overlaps(l), []);
  assert.equal(d.y, firstRoute.y, 'the domain is level with its first route');
  assert.ok(d.y + d.height < 300, `the domain ends at ${d.y + d.height}px, inside a 900px screen under the page header`);
  const rows = l.nodes.filter((n) => n.layer === 3).length;
  assert.equal(rows, 40);
  assert.ok(l.height <= 40 * (DEFAULT_DIMS.nodeHeight + DEFAULT_DIMS.rowGap) * 1.3, `height ${l.height}`);
  // Ten times the Pods in the same owners and states: not one pixel taller.
  assert.equal(layoutGraph(buildGraph(bigDomain(10, 2000))).height, l.height);
});

test('the domain node is as tall as its wrapped host needs, and TLS sits below it without overlap', () => {
  const l = layoutGraph(buildGraph(bigDomain(2, 8)));
  const d = l.nodes.find((n) => n.kind === 'domain')!;
  const tls = l.nodes.find((n) => n.kind === 'tls')!;
  assert.equal(d.height, DEFAULT_DIMS.nodeHeight + 2 * HOST_LINE_HEIGHT, 'checkout. / acme-corporation. / junovy.com: three lines');
  assert.ok(tls.y >= d.y + d.height + DEFAULT_DIMS.rowGap);
  assert.ok(l.height >= tls.y + tls.height);
});
