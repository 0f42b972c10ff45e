import assert from 'node:assert/strict';
import { test } from 'node:test';
import { briefs, context, f, node, NS, POD, ref } from '../__fixtures__/load';
import { ServiceChains } from './endpoints';

function chainOf(fixture: string, edit?: Parameters<typeof context>[1]) {
  const ctx = context(fixture, edit);
  const svc = ctx.services.get('my-app')!;
  const chains = new ServiceChains(ctx);
  return { chains, svc, port: svc.spec!.ports![0]! };
}

test('a Service port has the endpoints of the slices serving that port, each with its Pod', () => {
  const { chains, svc, port } = chainOf('seed');
  const c = chains.get(svc, port);
  assert.deepStrictEqual(c.slices, ['my-app-ptm2c']);
  assert.deepStrictEqual(c.findings, []);
  assert.deepStrictEqual(
    c.node.endpoints.map((e) => [e.id, e.port, e.targetRef, e.pod?.name, e.health]),
    [
      ['Endpoint/my-app-ptm2c/10.42.75.201', 8080, { kind: 'Pod', namespace: NS, name: POD[0] }, POD[0], 'healthy'],
      ['Endpoint/my-app-ptm2c/10.42.75.8', 8080, { kind: 'Pod', namespace: NS, name: POD[1] }, POD[1], 'healthy'],
    ],
  );
  assert.deepStrictEqual([c.node.counts, c.node.podsWithoutEndpoint, c.node.health], [{ ready: 2, notReady: 0, terminating: 0, total: 2 }, [], 'healthy']);
});

test('a Service port is built once, however many routes reach it', () => {
  const { chains, svc, port } = chainOf('seed');
  assert.equal(chains.get(svc, port), chains.get(svc, { ...port }));
  assert.notEqual(chains.get(svc, port), chains.get(svc, undefined));
});

test('without a resolved port the Service stands alone: no endpoints, nothing judged', () => {
  const { chains, svc } = chainOf('seed');
  const c = chains.get(svc, undefined);
  assert.deepStrictEqual([c.node.endpoints, c.node.counts.total, c.node.port, c.findings, c.slices, c.node.health], [[], 0, undefined, [], [], 'healthy']);
  assert.deepStrictEqual(chains.pods.analysed(), []);
});

test('endpoints not ready make the Service port down, with the Service finding first and then each Pod\'s', () => {
  const { chains, svc, port } = chainOf('service-no-ready-endpoints');
  const c = chains.get(svc, port);
  assert.deepStrictEqual(briefs(c.findings), [
    f('service.no-ready-endpoints', 'critical', ref('Service', 'my-app'), node('Service/my-app')),
    f('pod.not-ready', 'warning', ref('Pod', POD[0]), node(`Pod/${POD[0]}`)),
    f('pod.not-ready', 'warning', ref('Pod', POD[1]), node(`Pod/${POD[1]}`)),
  ]);
  assert.deepStrictEqual([c.node.health, c.node.endpoints.map((e) => e.health)], ['down', ['degraded', 'degraded']]);
});

test('selected Pods without an endpoint are listed by name, and their findings are the Service port\'s', () => {
  const { chains, svc, port } = chainOf('pod-failed');
  const c = chains.get(svc, port);
  // Evicted hours ago with Ready replacements: a leftover, which does not lower the Pod's health.
  assert.deepStrictEqual(c.node.podsWithoutEndpoint.map((p) => [p.name, p.health]), [[POD[2], 'healthy']]);
  assert.deepStrictEqual(c.findings.map((x) => x.code), ['pod.failed']);
  assert.deepStrictEqual(chains.pods.analysed().map((p) => p.summary.name).sort(), [...POD].sort());
});

test('a gap in the chain below the Ingress makes the Service unknown', () => {
  const { chains, svc, port } = chainOf('seed', (s) => {
    s.gaps = [{ reason: 'not-synced', kind: 'Pod', message: 'waiting' }];
  });
  assert.equal(chains.get(svc, port).node.health, 'unknown');
  const ingressGap = chainOf('seed', (s) => {
    s.gaps = [{ reason: 'not-synced', kind: 'Ingress', message: 'waiting' }];
  });
  assert.equal(ingressGap.chains.get(ingressGap.svc, ingressGap.port).node.health, 'healthy');
});

test('an endpoint is healthy when ready or terminating, degraded otherwise, and its Pod can only make it worse', () => {
  const health = (fixture: string) => {
    const { chains, svc, port } = chainOf(fixture);
    return chains.get(svc, port).node.endpoints.map((e) => [e.ready, e.terminating, e.pod?.health, e.health]);
  };
  assert.deepStrictEqual(health('service-endpoints-terminating').filter(([, terminating]) => terminating), [[false, true, 'healthy', 'healthy']]);
  assert.deepStrictEqual(health('service-some-endpoints-not-ready').filter(([ready]) => !ready), [[false, false, 'degraded', 'degraded']]);
  assert.deepStrictEqual(health('pod-restarting').filter(([, , pod]) => pod === 'degraded'), [[true, false, 'degraded', 'degraded']]);
});
