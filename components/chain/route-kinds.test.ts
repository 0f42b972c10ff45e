import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from '../../lib/chain/__fixtures__/load';
import type { Snapshot } from '../../lib/model/snapshot';
import { buildGraph } from './index';
import { layoutGraph } from './layout';
import { dnsText, nodeAriaLabel } from './labels';

const HOST = 'app.my-client.junovy.com';
const graphOf = (fixture: string, edit?: (s: Snapshot) => void) => buildGraph(run(fixture, {}, edit).domains[0]!);

test('an HTTPRoute domain draws domain -> Gateway listener -> HTTPRoute -> Service, under columns that name the kinds', () => {
  const g = graphOf('httproute');
  const listeners = g.nodes.filter((n) => n.kind === 'gateway');
  assert.deepEqual(
    listeners.map((n) => [n.id, n.kindLabel, n.name, n.detail, n.health, n.layer]),
    [
      ['Gateway/gateway/public/web', 'Gateway listener', 'public/web', 'HTTP 8000 · Programmed · 1 route', 'healthy', 1],
      ['Gateway/gateway/public/websecure', 'Gateway listener', 'public/websecure', 'HTTPS 8443 · Programmed · 1 route', 'healthy', 1],
    ],
  );
  const route = g.nodes.find((n) => n.kind === 'route')!;
  assert.deepEqual([route.kindLabel, route.layer, route.detail], ['HTTPRoute', 2, 'HTTPRoute my-app · Prefix']);
  assert.equal(g.nodes.find((n) => n.kind === 'service')!.layer, 3);
  for (const l of listeners) {
    assert.ok(g.edges.some((e) => e.from === `Domain/${HOST}` && e.to === l.id && e.kind === 'chain'));
    assert.ok(g.edges.some((e) => e.from === l.id && e.to === route.id && e.kind === 'chain'));
  }
  assert.deepEqual(g.columns, ['Domain', 'Gateway listener', 'HTTPRoute', 'Service', 'Endpoints', 'Pods']);
  assert.deepEqual(layoutGraph(g).columns.map((c) => c.title), ['Domain', 'Gateway listener', 'HTTPRoute', 'Service', 'Endpoints', 'Pods']);
});

test("a listener its controller has not programmed is the broken node, with its finding; the route is not marked", () => {
  const g = graphOf('httproute', (s) => {
    s.gateways![0]!.status!.listeners!.find((l) => l.name === 'websecure')!.conditions = [{ type: 'Programmed', status: 'False', reason: 'Invalid', message: 'certificate gw-tls not found' }];
  });
  const l = g.nodes.find((n) => n.id === 'Gateway/gateway/public/websecure')!;
  assert.deepEqual([l.mark, l.health, l.detail, l.findings.map((f) => f.code)], ['critical', 'down', 'HTTPS 8443 · not Programmed (Invalid)', ['gateway.listener-not-programmed']]);
  assert.match(nodeAriaLabel(l), /broken link \(critical\): gateway\.listener-not-programmed/);
  assert.equal(g.nodes.find((n) => n.id === 'Gateway/gateway/public/web')!.mark, undefined, 'the other listener is fine');
  assert.equal(g.nodes.find((n) => n.kind === 'route')!.mark, undefined);
});

test('a Gateway that does not exist is drawn as a missing node carrying gateway.parent-missing', () => {
  const g = graphOf('httproute', (s) => {
    s.httpRoutes![0]!.spec!.parentRefs![0]!.name = 'private';
    delete s.httpRoutes![0]!.status;
  });
  const n = g.nodes.find((x) => x.kind === 'gateway')!;
  assert.deepEqual([n.id, n.missing, n.name, n.detail, n.mark, n.findings.map((f) => f.code)], ['Gateway/gateway/private', true, 'gateway/private', 'does not exist', 'critical', ['gateway.parent-missing']]);
});

test("a route the Gateway does not accept carries its finding on the HTTPRoute node", () => {
  const g = graphOf('httproute', (s) => {
    const cs = s.httpRoutes![0]!.status!.parents![0]!.conditions!;
    cs.splice(cs.findIndex((c) => c.type === 'Accepted'), 1, { type: 'Accepted', status: 'False', reason: 'NotAllowedByListeners' });
  });
  const route = g.nodes.find((n) => n.kind === 'route')!;
  assert.deepEqual([route.mark, route.findings.map((f) => f.code)], ['critical', ['gateway.route-not-accepted']]);
  assert.ok(g.nodes.filter((n) => n.kind === 'gateway').every((n) => !n.mark));
});

test('the DNS node of a Gateway-routed domain names the Gateway as what it should point at', () => {
  const d = run('httproute', {}).domains[0]!;
  // As a DNS probe that resolved the host would leave it.
  d.dns = { ...d.dns, check: { state: 'checked', by: 'probe' }, probe: { status: 'ok', host: HOST, checkedAt: '2026-01-01T00:00:00Z', a: ['203.0.113.10'], aaaa: [], cname: [] } as never, health: 'healthy' };
  assert.equal(buildGraph(d).nodes.find((n) => n.kind === 'dns')!.detail, 'Gateway at 203.0.113.10');
  assert.equal(dnsText(d.dns).detail, 'Ingress at 203.0.113.10', 'an Ingress domain says Ingress');
});

test('an IngressRoute domain draws IngressRoute nodes under an IngressRoute column, without a Gateway column', () => {
  const g = graphOf('ingressroute');
  const routes = g.nodes.filter((n) => n.kind === 'route');
  assert.ok(routes.length > 0);
  assert.ok(routes.every((r) => r.kindLabel === 'IngressRoute' && r.layer === 1 && r.detail.startsWith('IngressRoute ')));
  assert.deepEqual(g.columns.slice(0, 3), ['Domain', 'IngressRoute', 'Service']);
  assert.equal(g.nodes.filter((n) => n.kind === 'gateway').length, 0);
});

test('an Ingress domain keeps its columns: Domain, Ingress route, Service, Endpoints, Pods', () => {
  assert.deepEqual(graphOf('seed').columns, ['Domain', 'Ingress route', 'Service', 'Endpoints', 'Pods']);
});

test("a certificate stuck at its HTTP-01 challenge draws cert-manager's request chain below TLS, the challenge marked with its finding", () => {
  const g = graphOf('acme-http01-stuck');
  const steps = g.nodes.filter((n) => n.kind === 'acme');
  assert.deepEqual(
    steps.map((n) => [n.kindLabel, n.layer, n.data.kind === 'acme' && n.data.stuck]),
    [
      ['Certificate', 0, false],
      ['CertificateRequest', 1, false],
      ['Order', 2, false],
      ['Challenge', 3, true],
    ],
  );
  const challenge = steps[3]!;
  assert.equal(challenge.detail, 'stuck: HTTP-01 pending');
  assert.deepEqual([challenge.mark, challenge.findings.map((f) => f.code)], ['warning', ['acme.challenge-pending']]);
  assert.match(nodeAriaLabel(challenge), /the certificate is stuck here: Waiting for HTTP-01 challenge propagation: wrong status code '404'/);
  // The TLS node keeps the finding too: the certificate is the broken link of the domain.
  assert.ok(g.nodes.find((n) => n.kind === 'tls')!.findings.some((f) => f.code === 'acme.challenge-pending'));
  assert.deepEqual(
    g.edges.filter((e) => e.kind === 'step' || e.to.startsWith('ACME/')).map((e) => [e.from.split('/')[0] === 'TLS' ? 'TLS' : e.from.split('/')[2], e.to.split('/')[2], e.kind]),
    [
      ['TLS', 'Certificate', 'attach'],
      ['Certificate', 'CertificateRequest', 'step'],
      ['CertificateRequest', 'Order', 'step'],
      ['Order', 'Challenge', 'step'],
    ],
  );
  // Laid out as a band below everything else, one column per step, with its own title.
  const layout = layoutGraph(g);
  const at = (id: string) => layout.nodes.find((n) => n.id === id)!;
  const others = layout.nodes.filter((n) => n.kind !== 'acme');
  const top = Math.min(...steps.map((s) => at(s.id).y));
  assert.ok(others.every((n) => n.y + n.height < top), 'the band is below the chain');
  assert.deepEqual(steps.map((s) => at(s.id).x), [0, 1, 2, 3].map((i) => at(`Domain/${HOST}`).x + i * 244));
  assert.equal(layout.bands.length, 1);
  assert.equal(layout.columns.length, 5, 'the chain columns are titled as before');
});

test('a finished chain draws no steps', () => {
  const g = graphOf('acme-http01-stuck', (s) => {
    s.challenges![0]!.status = { state: 'valid', presented: false, processing: false };
    s.orders![0]!.status = { state: 'valid' };
    const r = s.certificateRequests!.find((x) => x.metadata.name === 'my-app-tls-2')!;
    r.status!.conditions = [{ type: 'Ready', status: 'True', reason: 'Issued' }];
    s.certificates![0]!.status!.conditions = s.certificates![0]!.status!.conditions!.filter((c) => c.type !== 'Issuing');
  });
  assert.equal(g.nodes.filter((n) => n.kind === 'acme').length, 0);
  assert.equal(layoutGraph(g).bands.length, 0);
});
