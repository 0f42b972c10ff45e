import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScenario } from '../__fixtures__/scenario';
import { crdMiddlewareName, DEFAULT_BACKEND_ROUTER, ingressRouterName, ingressServiceName, matchesRouterKey, traefikNormalize } from '../../model/traefik';
import { resolveMiddlewareRef } from './traefik';
import { TRAEFIK_SCENARIOS } from './traefik.scenarios';

for (const s of TRAEFIK_SCENARIOS) test(s.title, () => void runScenario(s));

// The expected names below are those Traefik v3's provider.Normalize and the Kubernetes Ingress
// provider's key building give (pkg/provider/configuration.go, pkg/provider/kubernetes/ingress).
test('router names join namespace, Ingress, host and path, every run of other characters one dash', () => {
  assert.equal(ingressRouterName('hst-acme', 'web', 'shop.acme.example', '/'), 'hst-acme-web-shop-acme-example@kubernetes');
  assert.equal(ingressRouterName('hst-acme', 'web', 'shop.acme.example', '/api/v1'), 'hst-acme-web-shop-acme-example-api-v1@kubernetes');
  assert.equal(ingressRouterName('hst-acme', 'web', 'shop.acme.example', ''), 'hst-acme-web-shop-acme-example@kubernetes');
});

test('a wildcard host loses its star, and a rule without a host names no host', () => {
  assert.equal(ingressRouterName('hst-acme', 'web', '*.acme.example', '/'), 'hst-acme-web-acme-example@kubernetes');
  assert.equal(ingressRouterName('hst-acme', 'web', '', '/static'), 'hst-acme-web-static@kubernetes');
});

test('special characters and repeated separators in paths collapse, letters of any script are kept', () => {
  assert.equal(traefikNormalize('hst-a-web-x.example/a_b/~c//d.e/'), 'hst-a-web-x-example-a-b-c-d-e');
  assert.equal(traefikNormalize('hst-a-web-bücher.example/straße'), 'hst-a-web-bücher-example-straße');
  assert.equal(traefikNormalize('--a--'), 'a');
});

test('services are named by namespace, Service and port name or number', () => {
  assert.equal(ingressServiceName('hst-acme', 'web', 80), 'hst-acme-web-80@kubernetes');
  assert.equal(ingressServiceName('hst-acme', 'web', 'http'), 'hst-acme-web-http@kubernetes');
});

test('CRD Middlewares are <namespace>-<name>@kubernetescrd, normalised', () => {
  assert.equal(crdMiddlewareName('hst-acme', 'auth'), 'hst-acme-auth@kubernetescrd');
  assert.equal(crdMiddlewareName('hst-acme', 'strip.v1'), 'hst-acme-strip-v1@kubernetescrd');
});

test('routers whose keys collide carry a 10-hex-digit hash and still match their key', () => {
  const key = ingressRouterName('hst-acme', 'web', 'x.example', '/a-b');
  assert.ok(matchesRouterKey('hst-acme-web-x-example-a-b-6f1ed002ab@kubernetes', key));
  assert.ok(!matchesRouterKey('hst-acme-web-x-example-a-b-extra@kubernetes', key));
  assert.ok(!matchesRouterKey('hst-acme-web-x-example-a-b-6f1ed002ab@kubernetescrd', key));
  assert.equal(DEFAULT_BACKEND_ROUTER, 'default-router@kubernetes');
});

test('a reference whose Traefik id is ambiguous between namespaces resolves to the own namespace first', () => {
  const index = {
    byId: new Map([['hst-a-b-c', [{ namespace: 'hst-a-b', name: 'c' }, { namespace: 'hst-a', name: 'b-c' }]]]),
    namespaces: new Set(['hst-a', 'hst-a-b']),
  };
  assert.deepEqual(resolveMiddlewareRef('hst-a-b-c@kubernetescrd', 'hst-a', index), { state: 'ok' });
  assert.deepEqual(resolveMiddlewareRef('hst-a-b-c@kubernetescrd', 'hst-x', index), { state: 'cross-namespace', namespace: 'hst-a-b', name: 'c' });
  assert.equal(resolveMiddlewareRef('hst-a-gone@kubernetescrd', 'hst-a', index).state, 'missing');
  assert.equal(resolveMiddlewareRef('kube-system-gone@kubernetescrd', 'hst-a', index).state, 'not-checked');
});
