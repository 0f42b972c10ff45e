// The chain index over the repository's sample cluster (samples/cluster, analysed at its README's
// reference time): which hosts each object of a chain is attributed to, including objects a rollout
// creates that the analysis has never seen.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../chain';
import { loadDump } from '../cluster/dump';
import { buildChainIndex, workloadOf } from './chain-index';

const result = analyze(loadDump(join(__dirname, '..', '..', 'samples', 'cluster')).snapshot, { now: new Date('2026-11-26T09:30:00Z') });
const index = buildChainIndex(result);

describe('chain index', () => {
  test('the Ingress, its backend Service, the EndpointSlice and the Pods of a chain point at its host', () => {
    const checkout = result.domains.find((d) => d.host === 'checkout.acme.junovy.com')!;
    const svc = checkout.routes[0]!.service!;
    assert.deepEqual(index.hosts('Ingress', 'hst-acme', 'checkout'), ['checkout.acme.junovy.com']);
    assert.deepEqual(index.hosts('Service', 'hst-acme', 'checkout'), ['checkout.acme.junovy.com']);
    assert.deepEqual(index.hosts('EndpointSlice', 'hst-acme', svc.endpoints[0]!.slice), ['checkout.acme.junovy.com']);
    assert.deepEqual(index.hosts('Pod', 'hst-acme', svc.endpoints[0]!.pod!.name), ['checkout.acme.junovy.com']);
    assert.deepEqual(index.hosts('Secret', 'hst-acme', 'checkout-tls'), ['checkout.acme.junovy.com']);
  });

  test('the same name in another namespace, or an object on no chain, has no hosts', () => {
    assert.deepEqual(index.hosts('Service', 'hst-globex', 'checkout'), []);
    assert.deepEqual(index.hosts('Service', 'hst-acme', 'no-such-service'), []);
    assert.deepEqual(index.hosts('Ingress', 'kube-system', 'checkout'), []);
  });

  test('a Pod of a new ReplicaSet is found by its workload, or by the chain Services selecting it', () => {
    assert.equal(workloadOf('ReplicaSet', 'checkout-q8x4sv2bzk'), 'checkout');
    assert.deepEqual(index.podHosts('hst-acme', 'checkout-newhash-abcde', undefined, { kind: 'ReplicaSet', name: 'checkout-newhash' }), ['checkout.acme.junovy.com']);
    assert.deepEqual(index.podHosts('hst-acme', 'anything', { app: 'checkout', extra: 'x' }), ['checkout.acme.junovy.com']);
    assert.deepEqual(index.podHosts('hst-acme', 'anything', { app: 'someone-else' }), []);
  });

  test('the Service a broken selector selects nothing with still owns its EndpointSlices by label', () => {
    assert.deepEqual(index.sliceHosts('hst-northwind', 'booking-new', 'booking'), ['booking.northwind.junovy.com']);
    assert.deepEqual(index.sliceHosts('hst-northwind', 'booking-new'), []);
  });

  test('a backend Service that does not exist yet already points at the host it would serve', () => {
    assert.deepEqual(index.hosts('Service', 'hst-northwind', 'blog'), ['blog.northwind.junovy.com']);
  });

  test('a cert-manager Certificate is found under the Secret it fills', () => {
    assert.deepEqual(index.hosts('Certificate', 'hst-umbrella', 'portal-umbrella-tls'), ['portal.umbrella.junovy.com']);
  });
});

describe('chain index over a later result', () => {
  test('reuses the namespaces whose domains are the same objects and rebuilds the others', () => {
    const moved = result.domains.map((d) => (d.namespace === 'hst-acme' && d.host === 'checkout.acme.junovy.com' ? { ...d, routes: [] } : d));
    const next = buildChainIndex({ ...result, domains: moved }, index);
    assert.deepEqual(next.hosts('Ingress', 'hst-northwind', 'booking'), ['booking.northwind.junovy.com']);
    assert.deepEqual(next.hosts('Ingress', 'hst-acme', 'checkout'), ['checkout.acme.junovy.com'], 'still named by its findings');
    assert.deepEqual(next.hosts('Service', 'hst-acme', 'checkout'), ['checkout.acme.junovy.com']);
    assert.deepEqual(next.hosts('EndpointSlice', 'hst-acme', result.domains.find((d) => d.host === 'checkout.acme.junovy.com')!.routes[0]!.service!.endpoints[0]!.slice), []);
  });
});
