import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointGroupId, nodeId, parseNodeId } from './ids';

test('every id nodeId builds parses back into its type and the names it was built from', () => {
  assert.deepEqual(parseNodeId(nodeId.domain('shop.acme.junovy.com')), { type: 'Domain', host: 'shop.acme.junovy.com' });
  assert.deepEqual(parseNodeId(nodeId.tls('*.acme.junovy.com')), { type: 'TLS', host: '*.acme.junovy.com' });
  assert.deepEqual(parseNodeId(nodeId.dns('*')), { type: 'DNS', host: '*' });
  assert.deepEqual(parseNodeId(nodeId.route('shop', 0, 2)), { type: 'Route', ingress: 'shop', rule: 0, path: 2 });
  assert.deepEqual(parseNodeId(nodeId.route('shop', 1)), { type: 'Route', ingress: 'shop', rule: 1, path: 0 });
  assert.deepEqual(parseNodeId(nodeId.route('shop', 'default')), { type: 'Route', ingress: 'shop', rule: 'default' });
  assert.deepEqual(parseNodeId(nodeId.ingress('shop')), { type: 'Ingress', name: 'shop' });
  assert.deepEqual(parseNodeId(nodeId.service('checkout')), { type: 'Service', name: 'checkout' });
  assert.deepEqual(parseNodeId(nodeId.endpoint('checkout-ckmvq', '10.42.2.15')), { type: 'Endpoint', slice: 'checkout-ckmvq', address: '10.42.2.15' });
  assert.deepEqual(parseNodeId(nodeId.endpoint('checkout-v6', 'fd00:42::15')), { type: 'Endpoint', slice: 'checkout-v6', address: 'fd00:42::15' });
  assert.deepEqual(parseNodeId(nodeId.pod('checkout-q8x4sv2bzk-r7fpn')), { type: 'Pod', name: 'checkout-q8x4sv2bzk-r7fpn' });
  assert.deepEqual(parseNodeId(nodeId.namespace('hst-acme')), { type: 'Namespace', name: 'hst-acme' });
  assert.deepEqual(parseNodeId(nodeId.gateway('gateway', 'public')), { type: 'Gateway', namespace: 'gateway', name: 'public' });
  assert.deepEqual(parseNodeId(nodeId.gateway('gateway', 'public', 'websecure')), { type: 'Gateway', namespace: 'gateway', name: 'public', listener: 'websecure' });
  assert.deepEqual(parseNodeId(nodeId.acmeStep('shop.acme.junovy.com', 'Challenge', 'shop-tls-1-2-3')), { type: 'ACME', host: 'shop.acme.junovy.com', kind: 'Challenge', name: 'shop-tls-1-2-3' });
});

test('the counts node of a collapsed Service parses as an endpoint group naming its Service', () => {
  assert.equal(endpointGroupId(nodeId.service('checkout')), 'Service/checkout/endpoints');
  assert.deepEqual(parseNodeId(endpointGroupId(nodeId.service('checkout'))), { type: 'EndpointGroup', service: 'checkout' });
});

test('strings that no builder writes parse to undefined', () => {
  for (const id of ['', 'Service', 'Service/', 'Pod/a/b', 'Domain/a/b', 'Service/a/pods', 'Endpoint/slice', 'Route/shop', 'Route/shop/0', 'Route/shop/x/0', 'Route/shop/0/0/0', 'Gateway/x', 'Gateway/a/b/c/d', 'ACME/h/Order', 'service/checkout', 'Pod//x']) {
    assert.equal(parseNodeId(id), undefined, JSON.stringify(id));
  }
});
