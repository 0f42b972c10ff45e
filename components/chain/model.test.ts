import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bigDomain, domain, withManyEndpoints } from './__fixtures__/domains';
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

test('a Service with more than 3 endpoints collapses to groups of Pods by owner and state, and expands on demand', () => {
  const d = withManyEndpoints(12, 2, 1);
  const g = buildGraph(d);
  const sid = 'Service/my-app';
  assert.deepEqual(g.collapsed, [sid]);
  assert.deepEqual(g.collapsible, [sid]);
  const groups = g.nodes.filter((n) => n.kind === 'endpoint-group');
  assert.deepEqual(
    groups.map((n) => [n.name, n.detail, n.health]),
    [
      ['3 Pods Running, not ready', 'ReplicaSet/my-app-lzbvbfn86z', 'degraded'],
      ['9 Pods Running', 'ReplicaSet/my-app-lzbvbfn86z', 'healthy'],
    ],
  );
  for (const n of groups) assert.ok(n.id.startsWith(`${groupId(sid)}/`), n.id);
  assert.equal(g.nodes.filter((n) => n.kind === 'endpoint' || n.kind === 'pod').length, 0);

  const open = buildGraph(d, { expanded: new Set([sid]) });
  assert.deepEqual(open.collapsed, []);
  assert.deepEqual(open.collapsible, [sid]);
  assert.equal(open.nodes.filter((n) => n.kind === 'endpoint').length, 12);
  assert.equal(open.nodes.filter((n) => n.kind === 'pod').length, 12);

  // Expanding one group shows its Pods and keeps the other group collapsed.
  const one = buildGraph(d, { expanded: new Set([groups[0]!.id]) });
  assert.deepEqual(one.nodes.filter((n) => n.kind === 'endpoint-group').map((n) => n.id), [groups[1]!.id]);
  assert.equal(one.nodes.filter((n) => n.kind === 'pod').length, 3);
});

test('the model holds no findings, and names the drawn nodes that stand for ids it does not draw', () => {
  const m = buildModel(withManyEndpoints(10, 1, 0));
  const group = groupId('Service/my-app');
  assert.equal(group, 'Service/my-app/endpoints');
  const [bad, good] = m.nodes.filter((n) => n.kind === 'endpoint-group').map((n) => n.id);
  assert.deepEqual(m.aliases.get('Ingress/my-app'), ['Route/my-app/0/0']);
  assert.deepEqual(m.aliases.get(group), [bad, good], 'the Service-wide group id stands for every group node');
  assert.deepEqual(m.aliases.get('Endpoint/my-app-big/10.42.9.1'), [bad]);
  assert.deepEqual(m.aliases.get('Pod/my-app-x-0'), [bad]);
  assert.deepEqual(m.aliases.get('Pod/my-app-x-9'), [good]);
  assert.equal(m.aliases.has('Service/my-app'), false, 'a drawn node needs no alias');
  for (const part of [...m.nodes, ...m.edges]) assert.ok(!('findings' in part) && !('mark' in part), `${part.id} carries no findings`);
  assert.ok(m.edges.some((e) => e.id === edgeId('Service/my-app', bad!)));
  assert.equal(edgeId('Route/blog/0/0', 'Service/blog'), 'Route/blog/0/0->Service/blog');
});

test('a domain of 10 routes and 200 Pods draws groups with counts, worst first, not one node per Pod', () => {
  const g = buildGraph(bigDomain(10, 200));
  assert.equal(g.nodes.filter((n) => n.kind === 'pod' || n.kind === 'endpoint').length, 0);
  const groups = g.nodes.filter((n) => n.kind === 'endpoint-group');
  assert.equal(groups.length, 40, 'four groups (owner x state) per Service');
  const svc0 = groups.filter((n) => n.data.kind === 'endpoint-group' && n.data.service.id === 'Service/svc-0');
  assert.deepEqual(
    svc0.map((n) => [n.name, n.detail, n.health]),
    [
      ['4 Pods CrashLoopBackOff', 'ReplicaSet/svc-0-5f7c9d8b6', 'down'],
      ['2 Pods ContainerCreating', 'ReplicaSet/svc-0-7d9f8b6c5', 'degraded'],
      ['2 Pods Terminating', 'ReplicaSet/svc-0-7d9f8b6c5', 'degraded'],
      ['12 Pods Running', 'ReplicaSet/svc-0-7d9f8b6c5', 'healthy'],
    ],
  );
  let total = 0;
  for (const n of groups) if (n.data.kind === 'endpoint-group') total += n.data.counts.total;
  assert.equal(total, 200, 'every Pod is counted in one group');
  const routes = g.nodes.filter((n) => n.kind === 'route');
  assert.deepEqual(routes.slice(0, 2).map((n) => [n.name, n.detail]), [
    ['/svc-0', 'Ingress platform · Prefix'],
    ['/svc-1', 'Ingress platform · Prefix'],
  ]);

  // Expanding a group shows exactly its Pods.
  const crash = svc0[0]!;
  const open = buildGraph(bigDomain(10, 200), { expanded: new Set([crash.id]) });
  const pods = open.nodes.filter((n) => n.kind === 'pod');
  assert.equal(pods.length, 4);
  for (const p of pods) assert.match(p.detail, /CrashLoopBackOff/);
});
