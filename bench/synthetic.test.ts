// The benchmark's mixed synthetic cluster, analysed by the real engine: a fifth of its domains come out as
// HTTPRoute chains through the shared Gateway (healthy where nothing is broken, with the controller's
// verdict where the backend is missing), the rest as Ingress chains, and `--ingress-only`'s cluster has
// the same hosts and breakages without a single HTTPRoute.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../lib/chain';
import { addToSnapshot } from '../lib/cluster/dump';
import type { DomainChain } from '../lib/model/chain';
import { slimObject } from '../lib/model/slim';
import { emptySnapshot } from '../lib/model/snapshot';
import { gatewayRouted } from './cluster/domains';
import { SYNTHETIC_GATEWAY, SYNTHETIC_NOW, syntheticCluster, type K8sObject, type SyntheticOptions } from './synthetic';

const SIZE: SyntheticOptions = { namespaces: 12, domainsPerNamespace: 10, podsPerDomain: 3, brokenFraction: 0.3, seed: 2, events: 'realistic' };

function analysed(objects: K8sObject[]): DomainChain[] {
  const s = emptySnapshot();
  for (const o of objects) {
    const r = slimObject(o);
    assert.ok(r.ok, `${o.kind} ${(o.metadata as { name: string }).name}: ${r.ok ? '' : r.error}`);
    addToSnapshot(s, r.object);
  }
  return analyze(s, { now: SYNTHETIC_NOW }).domains;
}

const kinds = (objects: K8sObject[]) => objects.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.kind]: (acc[o.kind] ?? 0) + 1 }), {});

describe('the mixed synthetic cluster', () => {
  const mixed = syntheticCluster({ ...SIZE, gatewayEvery: 5 });
  const ingressOnly = syntheticCluster(SIZE);

  it('routes every fifth domain through an HTTPRoute of the one shared Gateway, whose status counts them', () => {
    const k = kinds(mixed);
    assert.equal(k.HTTPRoute, 24);
    assert.equal(k.Ingress, 96);
    assert.equal(k.GatewayClass, 1);
    assert.equal(k.Gateway, 1);
    const gw = mixed.find((o) => o.kind === 'Gateway')!;
    assert.deepEqual([(gw.metadata as { namespace: string }).namespace, (gw.metadata as { name: string }).name], [SYNTHETIC_GATEWAY.ns, SYNTHETIC_GATEWAY.name]);
    assert.equal((gw.status as { listeners: { attachedRoutes: number }[] }).listeners[0]!.attachedRoutes, 24);
  });

  it('is analysed into HTTPRoute chains for a fifth of the domains, healthy where nothing is broken', () => {
    const domains = analysed(mixed);
    assert.equal(domains.length, 120);
    const viaGateway = domains.filter(gatewayRouted);
    assert.equal(viaGateway.length, 24, 'a fifth of the domains are HTTPRoute chains');
    for (const d of viaGateway) {
      assert.ok(d.routes.every((r) => r.kind === 'HTTPRoute' && r.gateway?.name === `${SYNTHETIC_GATEWAY.ns}/${SYNTHETIC_GATEWAY.name}`), `${d.host}: every route is the HTTPRoute through the Gateway`);
      assert.ok(!d.findings.some((f) => f.code === 'gateway.status-pending'), `${d.host}: the controller's status is read`);
    }
    const healthyRoutes = viaGateway.filter((d) => d.health === 'healthy');
    assert.ok(healthyRoutes.length >= 12, `most HTTPRoute domains are healthy (${healthyRoutes.length} of 24)`);
    for (const d of healthyRoutes) assert.deepEqual(d.findings, [], `${d.host} has no findings`);
    // A missing Service behind an HTTPRoute is Chainboard's finding, with the controller's reason in it.
    const missing = viaGateway.flatMap((d) => d.findings.filter((f) => f.code === 'gateway.backend-missing'));
    const missingCount = mixed.filter((o) => o.kind === 'HTTPRoute' && (o.status as { parents: { conditions: { type: string; status: string }[] }[] }).parents[0]!.conditions.some((c) => c.type === 'ResolvedRefs' && c.status === 'False')).length;
    assert.ok(missingCount > 0, 'the seed breaks at least one HTTPRoute backend');
    assert.equal(missing.length, missingCount);
    assert.ok(missing.every((f) => /BackendNotFound/.test(f.message)), 'the controller agrees, and its reason is in the message');
  });

  it('has the same hosts and the same broken domains as the Ingress-only cluster (--ingress-only)', () => {
    const a = analysed(mixed);
    const b = analysed(ingressOnly);
    assert.equal(kinds(ingressOnly).HTTPRoute, undefined);
    assert.equal(b.filter(gatewayRouted).length, 0);
    assert.deepEqual(a.map((d) => d.host).sort(), b.map((d) => d.host).sort());
    const unhealthy = (ds: DomainChain[]) => ds.filter((d) => d.health !== 'healthy').map((d) => d.host).sort();
    assert.deepEqual(unhealthy(a), unhealthy(b));
  });

  it('numbers a second cluster\'s clients after the first\'s, so no host is served by both', () => {
    const second = syntheticCluster({ ...SIZE, gatewayEvery: 5, firstNamespace: 13 });
    const hosts = (os: K8sObject[]) => new Set(analysed(os).map((d) => d.host));
    const first = hosts(mixed);
    const other = hosts(second);
    assert.equal(other.size, 120);
    assert.ok([...other].every((h) => !first.has(h)));
    assert.ok(other.has('app-1.client-0013.example.com'));
  });
});
