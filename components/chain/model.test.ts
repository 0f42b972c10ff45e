import { test } from 'node:test';
import assert from 'node:assert/strict';
import { domain, withManyEndpoints } from './__fixtures__/domains';
import { buildGraph } from './index';
import { buildModel, edgeId, groupId } from './model';

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

test('the model holds no findings, and names the drawn nodes that stand for ids it does not draw', () => {
  const m = buildModel(withManyEndpoints(10, 1, 0));
  const group = groupId('Service/my-app');
  assert.equal(group, 'Service/my-app/endpoints');
  assert.deepEqual(m.aliases.get('Ingress/my-app'), ['Route/my-app/0/0']);
  assert.deepEqual(m.aliases.get('Endpoint/my-app-big/10.42.9.1'), [group]);
  assert.deepEqual(m.aliases.get('Pod/my-app-x-9'), [group]);
  assert.equal(m.aliases.has('Service/my-app'), false, 'a drawn node needs no alias');
  for (const part of [...m.nodes, ...m.edges]) assert.ok(!('findings' in part) && !('mark' in part), `${part.id} carries no findings`);
  assert.ok(m.edges.some((e) => e.id === edgeId('Service/my-app', group)));
  assert.equal(edgeId('Route/blog/0/0', 'Service/blog'), 'Route/blog/0/0->Service/blog');
});
