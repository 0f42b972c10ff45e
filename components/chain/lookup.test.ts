import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../../lib/model/chain';
import { domain, withManyEndpoints } from './__fixtures__/domains';
import { buildGraph } from './index';
import { resolveNodeId, serviceContaining, worseMark } from './lookup';

/** A finding of `severity` on `link`, the rest filled in. */
const findingOn = (severity: Finding['severity'], link: Finding['link']): Finding => ({
  id: `x:${severity}`,
  code: 'test.finding',
  severity,
  link,
  object: { kind: 'Pod', namespace: 'hst-my-client', name: 'x' },
  message: 'test',
  hint: 'kubectl get pods',
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

test('findings and focus ids inside a collapsed Service resolve to its counts node', () => {
  const d = withManyEndpoints(10, 1, 0);
  const finding: Finding = {
    id: 'pod.crash-loop:hst-my-client/Pod/my-app-x-0',
    code: 'pod.crash-loop',
    severity: 'warning',
    link: { type: 'node', id: 'Pod/my-app-x-0' },
    object: { kind: 'Pod', namespace: 'hst-my-client', name: 'my-app-x-0' },
    message: 'crash',
    hint: 'kubectl logs',
  };
  d.findings.push(finding);
  const g = buildGraph(d);
  const group = g.nodes.find((n) => n.data.kind === 'endpoint-group' && n.data.endpoints.some((e) => e.pod?.id === 'Pod/my-app-x-0'))!;
  assert.equal(group.mark, 'warning');
  assert.deepEqual(group.findings, [finding]);
  assert.equal(resolveNodeId(g, 'Pod/my-app-x-0'), group.id);
  assert.equal(resolveNodeId(g, 'Endpoint/my-app-big/10.42.9.1'), group.id);
  assert.equal(serviceContaining(d, 'Pod/my-app-x-0'), 'Service/my-app');
  assert.equal(serviceContaining(d, 'Pod/nowhere'), undefined);
  const open = buildGraph(d, { expanded: new Set(['Service/my-app']) });
  assert.equal(resolveNodeId(open, 'Pod/my-app-x-0'), 'Pod/my-app-x-0');
  assert.equal(resolveNodeId(open, group.id), 'Service/my-app', 'a stale counts-node focus shows the Service');
});

test('a warning never hides a critical mark, and an info finding marks nothing', () => {
  assert.equal(worseMark(undefined, 'info'), undefined);
  assert.equal(worseMark(undefined, 'warning'), 'warning');
  assert.equal(worseMark('warning', 'critical'), 'critical');
  assert.equal(worseMark('critical', 'warning'), 'critical');
  assert.equal(worseMark('warning', 'info'), 'warning');
});

test('a finding whose link names nothing drawn is listed as unplaced', () => {
  const d = domain('checkout.acme.junovy.com');
  const namespace = findingOn('warning', { type: 'node', id: 'Namespace/hst-acme' });
  const elsewhere = findingOn('critical', { type: 'edge', from: 'Route/gone/0/0', to: 'Service/gone' });
  d.findings.push(namespace, elsewhere);
  const g = buildGraph(d);
  assert.deepEqual(g.unplaced, [namespace, elsewhere]);
  assert.ok(g.nodes.every((n) => !n.findings.includes(namespace) && !n.findings.includes(elsewhere)));
});

test('an edge finding inside a collapsed Service marks its counts node', () => {
  const d = withManyEndpoints(10, 0, 0);
  const inside = findingOn('critical', { type: 'edge', from: 'Endpoint/my-app-big/10.42.9.2', to: 'Pod/my-app-x-1' });
  d.findings.push(inside);
  const g = buildGraph(d);
  const group = g.nodes.find((n) => n.kind === 'endpoint-group')!;
  assert.equal(group.mark, 'critical');
  assert.deepEqual(group.findings, [inside]);
  assert.deepEqual(g.unplaced, []);
  assert.ok(g.edges.every((e) => e.findings.length === 0));
});

test('focus ids that name nothing drawn resolve to nothing', () => {
  const g = buildGraph(domain('m.northwind.junovy.com'));
  for (const id of ['Ingress/elsewhere', 'Service/elsewhere/endpoints', 'Pod/nowhere', 'Namespace/hst-northwind', 'not an id']) {
    assert.equal(resolveNodeId(g, id), undefined, id);
  }
  assert.equal(serviceContaining(domain('static.globex.junovy.com'), 'Pod/nowhere'), undefined, 'a route without a Service holds nothing');
});
