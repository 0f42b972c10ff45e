import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bigDomain, domain, withManyEndpoints } from './__fixtures__/domains';
import { buildGraph } from './index';
import { edgeAriaLabel, nodeAriaLabel, nodeButtonLabel, nameFontSize, nodeCaption, routeText, truncateKeepSuffix, truncateMiddle, wrapHost } from './labels';

test('an ExternalName Service says where it points', () => {
  const g = buildGraph(domain('legacy.initech.junovy.com'));
  assert.equal(g.nodes.find((n) => n.kind === 'service')!.detail, 'ExternalName legacy-app.initech-onprem.example.com');
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
    'Link from Ingress route / to Service blog, down, broken link (critical): ingress.backend-service-missing',
  );
});

test('the TLS and DNS nodes say where the certificate comes from and what the record points at', () => {
  const g = buildGraph(domain('checkout.acme.junovy.com'));
  const tls = g.nodes.find((n) => n.kind === 'tls')!;
  const dns = g.nodes.find((n) => n.kind === 'dns')!;
  assert.deepEqual([tls.name, tls.detail], ['resolver letsencrypt', 'not checked (probes off)']);
  assert.deepEqual([dns.name, dns.detail], ['external-dns record', 'not checked (probes off)']);

  const d = domain('checkout.acme.junovy.com');
  d.tls = { ...d.tls, source: { type: 'secret', secretName: 'billing-tls' }, secretCertificate: { subject: 'CN=x', issuer: 'CN=ca', sans: ['x'], notBefore: '2025-10-31T00:00:00.000Z', notAfter: '2026-10-31T23:59:59.000Z', serialNumber: '01', fingerprint256: 'AA', selfSigned: false }, check: { state: 'checked', by: 'secret' } };
  d.dns = { ...d.dns, probe: { status: 'nxdomain', host: d.host, checkedAt: '2026-11-26T09:30:00Z' }, check: { state: 'checked', by: 'probe' } };
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

test('a Pod name shortened to fit keeps its ReplicaSet hash and its own suffix, so sibling Pods differ', () => {
  const a = truncateKeepSuffix('checkout-frontend-deployment-7d9f8b6c5-x2k4p', 20);
  const b = truncateKeepSuffix('checkout-frontend-deployment-7d9f8b6c5-q9zzt', 20);
  assert.equal(a, 'che…-7d9f8b6c5-x2k4p');
  assert.equal(a.length, 20);
  assert.notEqual(a, b);
  assert.equal(truncateKeepSuffix('short-pod', 20), 'short-pod');
  assert.equal(truncateKeepSuffix('averyveryveryverylongstatefulsetname-0', 20), 'averyveryveryvery…-0');
});

test('a Pod group prints its count and state whole, in a smaller font when long', () => {
  const g = buildGraph(bigDomain(10, 200));
  const crash = g.nodes.find((n) => n.kind === 'endpoint-group' && n.name.includes('CrashLoopBackOff'))!;
  assert.equal(nodeCaption(crash).name, '4 Pods CrashLoopBackOff');
  assert.equal(nameFontSize('checkout'), 12.5);
  assert.ok(nameFontSize('4 Pods CrashLoopBackOff') < 12.5);
  assert.equal(nameFontSize('x'.repeat(60)), 9.5);
});

test('the domain host wraps after dots and is never cut', () => {
  assert.deepEqual(wrapHost('checkout.acme-corporation.junovy.com', 22), ['checkout.', 'acme-corporation.', 'junovy.com']);
  assert.deepEqual(wrapHost('shop.acme.junovy.com', 22), ['shop.acme.junovy.com']);
  assert.equal(wrapHost('a-very-long-label-without-any-dots-at-all.com', 22).join(''), 'a-very-long-label-without-any-dots-at-all.com');
});

test('long generated names keep their telling ends when shortened', () => {
  assert.equal(truncateMiddle('checkout-q8x4sv2bzk-r7fpn', 25), 'checkout-q8x4sv2bzk-r7fpn');
  assert.equal(truncateMiddle('checkout-q8x4sv2bzk-r7fpn', 15), 'checkou…k-r7fpn');
  assert.equal(truncateMiddle('abcdefghij', 5), 'ab…ij');
  assert.equal(truncateMiddle('abcdefghij', 6), 'abc…ij');
});

test('a node box prints its kind in capitals, says when the object is missing, and shortens long names to fit', () => {
  const checkout = buildGraph(domain('checkout.acme.junovy.com'));
  const at = (id: string) => checkout.nodes.find((n) => n.id === id)!;
  assert.deepEqual(nodeCaption(at('Pod/checkout-q8x4sv2bzk-r7fpn')), { kind: 'POD', name: 'ch…-q8x4sv2bzk-r7fpn', detail: 'CrashLoopBackOff · 8 restarts' });
  assert.deepEqual(nodeCaption(at('Route/checkout/0/0')), { kind: 'INGRESS ROUTE', name: '/', detail: 'Ingress checkout · Prefix' });
  const blog = buildGraph(domain('blog.northwind.junovy.com')).nodes.find((n) => n.id === 'Service/blog')!;
  assert.deepEqual(nodeCaption(blog), { kind: 'SERVICE (MISSING)', name: 'blog', detail: 'missing (port 80)' });
});

test('the button of a Pod group says that it shows each endpoint, any other button is named as its node', () => {
  const g = buildGraph(withManyEndpoints(12, 2, 1));
  const group = g.nodes.find((n) => n.kind === 'endpoint-group')!;
  assert.equal(nodeButtonLabel(group), `${nodeAriaLabel(group)}. Show each endpoint`);
  for (const n of g.nodes.filter((x) => x.kind !== 'endpoint-group')) assert.equal(nodeButtonLabel(n), nodeAriaLabel(n));
});

test('a route node names the kind it comes from: an IngressRoute route never reads as an Ingress', () => {
  const base = { id: 'Route/shop/0/0', namespace: 'hst-a', ingress: 'shop', path: '/', pathType: 'Prefix', isDefaultBackend: false, backend: {}, health: 'healthy' as const };
  assert.deepEqual(routeText(base), { name: '/', detail: 'Ingress shop · Prefix' });
  assert.deepEqual(routeText({ ...base, kind: 'IngressRoute' }), { name: '/', detail: 'IngressRoute shop · Prefix' });
});

test("an HTTPRoute's route node names the kind and the Gateway listeners its host comes through, or that none takes it", () => {
  const base = { id: 'Route/HTTPRoute:shop/0/0', namespace: 'hst-a', ingress: 'shop', path: '/', pathType: 'Prefix', isDefaultBackend: false, backend: {}, health: 'healthy' as const };
  assert.deepEqual(routeText({ ...base, kind: 'HTTPRoute', gateway: { name: 'gateway/public', listeners: ['websecure (HTTPS 443)'] } }), {
    name: '/',
    detail: 'HTTPRoute shop · Prefix · via gateway/public websecure (HTTPS 443)',
  });
  assert.deepEqual(routeText({ ...base, kind: 'HTTPRoute', gateway: { name: 'gateway/public', listeners: [] } }), { name: '/', detail: 'HTTPRoute shop · Prefix · via gateway/public (no listener)' });
});
