import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainChain, EndpointNode, Finding } from '../../lib/model/chain';
import {
  buildGraph,
  edgeAriaLabel,
  groupId,
  layoutGraph,
  nodeAriaLabel,
  resolveNodeId,
  serviceContaining,
  truncateMiddle,
  type ChainLayout,
} from './layout';

// Real analyses of samples/cluster (chainboard check --from samples/cluster --now 2026-11-26T09:30:00Z --json).
const fixtures = JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', 'sample-domains.json'), 'utf8')) as Record<string, DomainChain>;
const domain = (host: string): DomainChain => structuredClone(fixtures[host] as DomainChain);

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

/** A Service with `n` endpoints, `notReady` of them not ready and `terminating` terminating. */
function withManyEndpoints(n: number, notReady: number, terminating: number): DomainChain {
  const d = domain('app.my-client.junovy.com');
  const route = d.routes[0]!;
  const s = route.service!;
  const template = s.endpoints[0]!;
  const endpoints: EndpointNode[] = [];
  for (let i = 0; i < n; i++) {
    const address = `10.42.9.${i + 1}`;
    const ready = i >= notReady + terminating;
    const term = i >= notReady && i < notReady + terminating;
    const podName = `my-app-x-${i}`;
    endpoints.push({
      ...template,
      id: `Endpoint/my-app-big/${address}`,
      slice: 'my-app-big',
      addresses: [address],
      ready,
      serving: ready || term,
      terminating: term,
      health: ready ? 'healthy' : 'degraded',
      pod: { ...template.pod!, id: `Pod/${podName}`, name: podName, ready },
    });
  }
  s.endpoints = endpoints;
  s.counts = { ready: n - notReady - terminating, notReady, terminating, total: n };
  return d;
}

test('every node and finding of a broken domain uses the ids of Finding.link', () => {
  const d = domain('checkout.acme.junovy.com');
  const g = buildGraph(d);
  const ids = g.nodes.map((n) => n.id);
  assert.deepEqual(ids, [
    'Domain/checkout.acme.junovy.com',
    'DNS/checkout.acme.junovy.com',
    'TLS/checkout.acme.junovy.com',
    'Route/checkout/0/0',
    'Service/checkout',
    'Endpoint/checkout-ckmvq/10.42.2.15',
    'Pod/checkout-q8x4sv2bzk-r7fpn',
    'Endpoint/checkout-ckmvq/10.42.3.16',
    'Pod/checkout-q8x4sv2bzk-zrghq',
  ]);
  for (const f of d.findings) {
    assert.equal(f.link.type, 'node');
    if (f.link.type === 'node') assert.ok(ids.includes(f.link.id), `${f.code} points at ${f.link.id}`);
  }
  assert.deepEqual(g.unplaced, []);
});

test('the node a critical finding names is marked critical, its pods warning, info marks nothing', () => {
  const g = buildGraph(domain('checkout.acme.junovy.com'));
  const marks = Object.fromEntries(g.nodes.filter((n) => n.mark).map((n) => [n.id, n.mark]));
  assert.deepEqual(marks, {
    'Service/checkout': 'critical',
    'Pod/checkout-q8x4sv2bzk-r7fpn': 'warning',
    'Pod/checkout-q8x4sv2bzk-zrghq': 'warning',
  });
  const tls = g.nodes.find((n) => n.id === 'TLS/checkout.acme.junovy.com')!;
  assert.equal(tls.mark, undefined);
  assert.deepEqual(tls.findings.map((f) => f.code), ['tls.managed-by-resolver']);
});

test('an edge finding to a Service that does not exist marks that edge and draws the Service as missing', () => {
  const g = buildGraph(domain('blog.northwind.junovy.com'));
  const svc = g.nodes.find((n) => n.id === 'Service/blog')!;
  assert.equal(svc.missing, true);
  assert.equal(svc.health, 'down');
  assert.equal(svc.detail, 'missing (port 80)');
  const edge = g.edges.find((e) => e.id === 'Route/blog/0/0->Service/blog')!;
  assert.equal(edge.mark, 'critical');
  assert.deepEqual(edge.findings.map((f) => f.code), ['ingress.backend-service-missing']);
  assert.equal(svc.mark, undefined, 'the edge is the broken link, not the node');
});

test('a finding about an Ingress marks the routes of that Ingress', () => {
  const g = buildGraph(domain('m.northwind.junovy.com'));
  const route = g.nodes.find((n) => n.kind === 'route')!;
  assert.equal(route.mark, 'critical');
  assert.deepEqual(route.findings.map((f) => f.code), ['ingress.class-missing']);
  assert.equal(resolveNodeId(g, 'Ingress/mobile'), route.id);
});

test('Pods the selector matches without an endpoint hang off the Service in the Pod column', () => {
  const g = buildGraph(domain('reports.bakery-bros.junovy.com'));
  const pods = g.nodes.filter((n) => n.kind === 'pod');
  assert.equal(pods.length, 2);
  for (const p of pods) {
    assert.equal(p.layer, 4);
    assert.match(p.detail, /no endpoint/);
    const e = g.edges.find((x) => x.to === p.id)!;
    assert.equal(e.kind, 'no-endpoint');
    assert.equal(e.from, 'Service/reports');
    assert.equal(p.mark, 'warning');
  }
});

test('a resource backend ends the chain at the route', () => {
  const g = buildGraph(domain('static.globex.junovy.com'));
  assert.deepEqual(g.nodes.filter((n) => n.layer > 1), []);
  assert.equal(g.nodes.find((n) => n.kind === 'route')!.mark, 'warning');
});

test('an ExternalName Service says where it points', () => {
  const g = buildGraph(domain('legacy.initech.junovy.com'));
  assert.equal(g.nodes.find((n) => n.kind === 'service')!.detail, 'ExternalName legacy-app.initech-onprem.example.com');
});

test('a Service with more than 8 endpoints collapses to counts, and expands on demand', () => {
  const d = withManyEndpoints(12, 2, 1);
  const g = buildGraph(d);
  const sid = 'Service/my-app';
  assert.deepEqual(g.collapsed, [sid]);
  assert.deepEqual(g.collapsible, [sid]);
  const group = g.nodes.find((n) => n.kind === 'endpoint-group')!;
  assert.equal(group.id, groupId(sid));
  assert.equal(group.name, '9 of 12 ready');
  assert.equal(group.detail, '2 not ready · 1 terminating');
  assert.equal(group.health, 'degraded');
  assert.equal(g.nodes.filter((n) => n.kind === 'endpoint' || n.kind === 'pod').length, 0);

  const open = buildGraph(d, { expanded: new Set([sid]) });
  assert.deepEqual(open.collapsed, []);
  assert.deepEqual(open.collapsible, [sid]);
  assert.equal(open.nodes.filter((n) => n.kind === 'endpoint').length, 12);
  assert.equal(open.nodes.filter((n) => n.kind === 'pod').length, 12);
});

test('findings and focus ids inside a collapsed Service resolve to its counts node', () => {
  const d = withManyEndpoints(10, 1, 0);
  const finding: Finding = {
    code: 'pod.crash-loop',
    severity: 'warning',
    link: { type: 'node', id: 'Pod/my-app-x-0' },
    object: { kind: 'Pod', namespace: 'hst-my-client', name: 'my-app-x-0' },
    message: 'crash',
    hint: 'kubectl logs',
  };
  d.findings.push(finding);
  const g = buildGraph(d);
  const group = g.nodes.find((n) => n.kind === 'endpoint-group')!;
  assert.equal(group.mark, 'warning');
  assert.deepEqual(group.findings, [finding]);
  assert.equal(resolveNodeId(g, 'Pod/my-app-x-0'), group.id);
  assert.equal(resolveNodeId(g, 'Endpoint/my-app-big/10.42.9.3'), group.id);
  assert.equal(serviceContaining(d, 'Pod/my-app-x-0'), 'Service/my-app');
  assert.equal(serviceContaining(d, 'Pod/nowhere'), undefined);
  const open = buildGraph(d, { expanded: new Set(['Service/my-app']) });
  assert.equal(resolveNodeId(open, 'Pod/my-app-x-0'), 'Pod/my-app-x-0');
  assert.equal(resolveNodeId(open, group.id), 'Service/my-app', 'a stale counts-node focus shows the Service');
});

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

test('accessible names carry kind, name, health and the broken mark with its codes', () => {
  const g = buildGraph(domain('checkout.acme.junovy.com'));
  const svc = g.nodes.find((n) => n.id === 'Service/checkout')!;
  assert.equal(nodeAriaLabel(svc), 'Service checkout, :80 → http, down, broken link (critical): service.no-ready-endpoints');
  const blog = buildGraph(domain('blog.northwind.junovy.com'));
  const e = blog.edges.find((x) => x.mark)!;
  const byId = new Map(blog.nodes.map((n) => [n.id, n]));
  assert.equal(
    edgeAriaLabel(e, byId.get(e.from), byId.get(e.to)),
    'Link from Ingress route blog to Service blog, down, broken link (critical): ingress.backend-service-missing',
  );
});

test('the TLS and DNS nodes say where the certificate comes from and what the record points at', () => {
  const g = buildGraph(domain('checkout.acme.junovy.com'));
  const tls = g.nodes.find((n) => n.kind === 'tls')!;
  const dns = g.nodes.find((n) => n.kind === 'dns')!;
  assert.deepEqual([tls.name, tls.detail], ['resolver letsencrypt', 'certificate not probed']);
  assert.deepEqual([dns.name, dns.detail], ['external-dns record', '→ 127.0.0.1 (not resolved)']);

  const d = domain('checkout.acme.junovy.com');
  d.tls = { ...d.tls, source: { type: 'secret', secretName: 'billing-tls' }, secretCertificate: { subject: 'CN=x', issuer: 'CN=ca', sans: ['x'], notBefore: '2025-10-31T00:00:00.000Z', notAfter: '2026-10-31T23:59:59.000Z', serialNumber: '01', fingerprint256: 'AA', selfSigned: false } };
  d.dns = { ...d.dns, probe: { status: 'nxdomain', host: d.host, checkedAt: '2026-11-26T09:30:00Z' } };
  const g2 = buildGraph(d);
  const tls2 = g2.nodes.find((n) => n.kind === 'tls')!;
  const dns2 = g2.nodes.find((n) => n.kind === 'dns')!;
  assert.deepEqual([tls2.name, tls2.detail], ['Secret billing-tls', 'until 2026-10-31']);
  const later = buildGraph(d, { now: '2026-11-26T09:30:00Z' }).nodes.find((n) => n.kind === 'tls')!;
  assert.equal(later.detail, 'expired 2026-10-31');
  const earlier = buildGraph(d, { now: '2025-01-01T00:00:00Z' }).nodes.find((n) => n.kind === 'tls')!;
  assert.equal(earlier.detail, 'not valid before 2025-10-31');
  assert.deepEqual([dns2.name, dns2.detail], ['external-dns record', 'nxdomain']);
});

test('long generated names keep their telling ends when shortened', () => {
  assert.equal(truncateMiddle('checkout-q8x4sv2bzk-r7fpn', 25), 'checkout-q8x4sv2bzk-r7fpn');
  assert.equal(truncateMiddle('checkout-q8x4sv2bzk-r7fpn', 15), 'checkou…k-r7fpn');
  assert.equal(truncateMiddle('abcdefghij', 5), 'ab…ij');
  assert.equal(truncateMiddle('abcdefghij', 6), 'abc…ij');
});
