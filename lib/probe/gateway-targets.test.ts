import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probeRouteKind, routeProbeSources } from '../chain';
import { probeTargets } from './targets';

const gateway = { metadata: { name: 'public', namespace: 'gateway' }, status: { addresses: [{ type: 'IPAddress', value: '127.0.0.9' }] } };
const route = {
  metadata: { name: 'shop', namespace: 'hst-a' },
  spec: {
    parentRefs: [{ name: 'public', namespace: 'gateway' }],
    hostnames: ['shop.example.com', '*.example.com'],
    rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }, { path: { type: 'Exact', value: '/health' } }] }, { backendRefs: [] }],
  },
};

test("an HTTPRoute's concrete hostnames are probed at its parent Gateway's address, each of its paths checked over HTTP", () => {
  const targets = probeTargets(routeProbeSources({ ingresses: [], httpRoutes: [route], gateways: [gateway] }), { enabled: true, port: 443, routeKind: probeRouteKind });
  assert.deepEqual(
    targets.map((t) => [t.host, t.address, t.port, t.http?.map((c) => [c.path, c.route])]),
    [['shop.example.com', '127.0.0.9', 443, [['/', { namespace: 'hst-a', kind: 'HTTPRoute', ingress: 'shop', path: '/' }], ['/health', { namespace: 'hst-a', kind: 'HTTPRoute', ingress: 'shop', path: '/health' }]]]],
  );
});

test('an HTTPRoute whose Gateway is unknown is probed without an address (resolved by DNS); one without concrete hostnames is not probed', () => {
  const [t] = probeTargets(routeProbeSources({ ingresses: [], httpRoutes: [route] }), { enabled: true, port: 443, routeKind: probeRouteKind });
  assert.equal(t?.host, 'shop.example.com');
  assert.equal(t?.address, undefined);
  assert.deepEqual(routeProbeSources({ ingresses: [], httpRoutes: [{ ...route, spec: { ...route.spec, hostnames: ['*.example.com'] } }], gateways: [gateway] }), []);
});
