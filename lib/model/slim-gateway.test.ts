import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slimObject } from './slim';

const condition = (type: string, status: string, reason: string) => ({ type, status, reason, message: `${type} ${reason}`, lastTransitionTime: '2025-06-01T00:00:00Z', observedGeneration: 2 });

test('a Gateway keeps its class, listeners (hostname, port, protocol, certificates, allowed routes) and the status of each listener', () => {
  const r = slimObject({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'Gateway',
    metadata: { name: 'public', namespace: 'gateway', managedFields: [{}] },
    spec: {
      gatewayClassName: 'traefik',
      listeners: [
        {
          name: 'websecure',
          hostname: '*.example.com',
          port: 8443,
          protocol: 'HTTPS',
          tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'wildcard-tls' }], options: { x: 'y' } },
          allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'yes' } } }, kinds: [{ kind: 'HTTPRoute' }] },
        },
      ],
      infrastructure: { labels: {} },
    },
    status: {
      addresses: [{ type: 'IPAddress', value: '203.0.113.7' }],
      conditions: [condition('Accepted', 'True', 'Accepted'), condition('Programmed', 'True', 'Programmed')],
      listeners: [{ name: 'websecure', attachedRoutes: 2, supportedKinds: [{ kind: 'HTTPRoute' }], conditions: [condition('Programmed', 'False', 'Invalid')] }],
    },
  });
  assert.deepStrictEqual(r, {
    ok: true,
    object: {
      kind: 'Gateway',
      metadata: { name: 'public', namespace: 'gateway' },
      spec: {
        gatewayClassName: 'traefik',
        listeners: [
          {
            name: 'websecure',
            hostname: '*.example.com',
            port: 8443,
            protocol: 'HTTPS',
            tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'wildcard-tls' }] },
            allowedRoutes: { namespaces: { from: 'Selector', selector: { matchLabels: { shared: 'yes' } } }, kinds: [{ kind: 'HTTPRoute' }] },
          },
        ],
      },
      status: {
        addresses: [{ type: 'IPAddress', value: '203.0.113.7' }],
        conditions: [
          { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Accepted Accepted' },
          { type: 'Programmed', status: 'True', reason: 'Programmed', message: 'Programmed Programmed' },
        ],
        listeners: [{ name: 'websecure', attachedRoutes: 2, conditions: [{ type: 'Programmed', status: 'False', reason: 'Invalid', message: 'Programmed Invalid' }] }],
      },
    },
  });
});

test('an HTTPRoute keeps its parents, hostnames, rules (path matches, filter types, backends) and the status per parent', () => {
  const r = slimObject({
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'shop', namespace: 'hst-gatelab' },
    spec: {
      parentRefs: [{ name: 'public', namespace: 'gateway', sectionName: 'websecure' }],
      hostnames: ['shop.example.com'],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: '/' }, headers: [{ name: 'x', value: 'y' }] }],
          filters: [{ type: 'RequestHeaderModifier', requestHeaderModifier: { set: [] } }],
          backendRefs: [{ name: 'shop', port: 80, weight: 90 }, { kind: 'Service', group: '', name: 'shop-canary', namespace: 'hst-other', port: 8080, weight: 10 }],
        },
      ],
    },
    status: {
      parents: [{ parentRef: { name: 'public', namespace: 'gateway', sectionName: 'websecure' }, controllerName: 'traefik.io/gateway-controller', conditions: [condition('Accepted', 'True', 'Accepted'), condition('ResolvedRefs', 'False', 'RefNotPermitted')] }],
    },
  });
  assert.deepStrictEqual(r, {
    ok: true,
    object: {
      kind: 'HTTPRoute',
      metadata: { name: 'shop', namespace: 'hst-gatelab' },
      spec: {
        parentRefs: [{ name: 'public', namespace: 'gateway', sectionName: 'websecure' }],
        hostnames: ['shop.example.com'],
        rules: [
          {
            matches: [{ path: { type: 'PathPrefix', value: '/' } }],
            filters: [{ type: 'RequestHeaderModifier' }],
            backendRefs: [{ name: 'shop', port: 80, weight: 90 }, { group: '', kind: 'Service', name: 'shop-canary', namespace: 'hst-other', port: 8080, weight: 10 }],
          },
        ],
      },
      status: {
        parents: [
          {
            parentRef: { name: 'public', namespace: 'gateway', sectionName: 'websecure' },
            controllerName: 'traefik.io/gateway-controller',
            conditions: [
              { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'Accepted Accepted' },
              { type: 'ResolvedRefs', status: 'False', reason: 'RefNotPermitted', message: 'ResolvedRefs RefNotPermitted' },
            ],
          },
        ],
      },
    },
  });
});

test('a GatewayClass and a ReferenceGrant keep the controller, its conditions, and who may refer to what', () => {
  assert.deepStrictEqual(
    slimObject({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'traefik' }, spec: { controllerName: 'traefik.io/gateway-controller' }, status: { conditions: [condition('Accepted', 'False', 'InvalidParameters')] } }),
    { ok: true, object: { kind: 'GatewayClass', metadata: { name: 'traefik' }, spec: { controllerName: 'traefik.io/gateway-controller' }, status: { conditions: [{ type: 'Accepted', status: 'False', reason: 'InvalidParameters', message: 'Accepted InvalidParameters' }] } } },
  );
  assert.deepStrictEqual(
    slimObject({ apiVersion: 'gateway.networking.k8s.io/v1beta1', kind: 'ReferenceGrant', metadata: { name: 'from-shop', namespace: 'hst-other' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'hst-gatelab' }], to: [{ group: '', kind: 'Service' }] } }),
    { ok: true, object: { kind: 'ReferenceGrant', metadata: { name: 'from-shop', namespace: 'hst-other' }, spec: { from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'hst-gatelab' }], to: [{ group: '', kind: 'Service' }] } } },
  );
});

test('a malformed HTTPRoute or Gateway keeps what it can and never throws; status never written stays absent', () => {
  assert.deepStrictEqual(slimObject({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'odd' }, spec: { parentRefs: 'public', hostnames: [7, 'a.example.com'], rules: [{ backendRefs: [{ name: 3, port: '80' }, 'junk'], matches: 'x' }, 9] }, status: 'x' }), {
    ok: true,
    object: { kind: 'HTTPRoute', metadata: { name: 'odd' }, spec: { hostnames: ['a.example.com'], rules: [{ backendRefs: [{}] }] } },
  });
  assert.deepStrictEqual(slimObject({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name: 'g' }, spec: { listeners: [{ port: 'x', tls: 5 }] }, status: { conditions: [{ status: 'True' }] } }), {
    ok: true,
    object: { kind: 'Gateway', metadata: { name: 'g' }, spec: { listeners: [{}] } },
  });
});

test("another project's kind of the same name (Istio's Gateway) is not read as a Gateway API Gateway", () => {
  const r = slimObject({ apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'istio' }, spec: { servers: [] } });
  assert.deepStrictEqual(r, { ok: false, error: 'Gateway of networking.istio.io/v1 is not read by Chainboard (only gateway.networking.k8s.io)' });
});
