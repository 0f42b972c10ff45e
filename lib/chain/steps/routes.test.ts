import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeNamespace, partitionSnapshot } from '../analyze';
import { context, HOST, load, NOW, NS } from '../__fixtures__/load';
import { crossNamespaceRivals, draftRoutes, routeRivals } from './routes';

const WWW = 'www.my-client.junovy.com';

test('every Ingress rule path is a route draft of its host, in Ingress, rule and path order', () => {
  const r = draftRoutes(context('ingress-two-paths'));
  assert.deepStrictEqual(r.ingresses.map((i) => [i.ingress.metadata.name, i.cls]), [
    ['my-api', { name: 'traefik-external', via: 'spec', exists: true }],
    ['my-app', { name: 'traefik-external', via: 'spec', exists: true }],
  ]);
  assert.deepStrictEqual([...r.byHost.keys()], [HOST]);
  assert.deepStrictEqual(r.byHost.get(HOST)!.map((d) => d.claim), [
    { namespace: NS, ingress: 'my-api', routeId: 'Route/my-api/0/0', host: HOST, path: '/api', pathType: 'Prefix', ingressClass: 'traefik-external' },
    { namespace: NS, ingress: 'my-app', routeId: 'Route/my-app/0/0', host: HOST, path: '/', pathType: 'Prefix', ingressClass: 'traefik-external' },
  ]);
  assert.deepStrictEqual([...r.referenced].sort(), ['my-api', 'my-app']);
});

test('a host rule without paths and without a default backend is a draft with no paths', () => {
  const www = draftRoutes(context('ingress-backend-invalid')).byHost.get(WWW)!;
  assert.deepStrictEqual(
    www.map((d) => [d.claim.routeId, d.claim.path, d.claim.pathType, d.isDefaultBackend, d.noPaths, d.backend]),
    [['Route/my-app/1/0', '*', '', false, true, undefined]],
  );
});

test('a default backend is a route of the host *', () => {
  const r = draftRoutes(context('default-backend-only'));
  assert.deepStrictEqual([...r.byHost.keys()], ['*']);
  assert.deepStrictEqual(
    r.byHost.get('*')!.map((d) => [d.claim.routeId, d.claim.path, d.isDefaultBackend, d.noPaths, d.backend]),
    [['Route/catch-all/default', '*', true, false, { service: { name: 'my-app', port: { number: 80 } } }]],
  );
});

test('routes of two Ingresses claiming the same class, host, path and pathType are rivals; other routes have none', () => {
  const conflict = draftRoutes(context('ingress-route-conflict')).byHost.get(HOST)!;
  assert.deepStrictEqual(
    routeRivals(conflict).map((rivals) => rivals.map((c) => c.ingress)),
    [['my-app-canary'], ['my-app']],
  );
  const twoPaths = draftRoutes(context('ingress-two-paths')).byHost.get(HOST)!;
  assert.deepStrictEqual(routeRivals(twoPaths), [[], []]);
});

test('across namespaces, a route is rivalled only by routes of other namespaces claiming the same thing', () => {
  const s = load('multi-namespace');
  const shared = [...partitionSnapshot(s)]
    .map(([ns, p]) => analyzeNamespace(p, ns, { now: NOW }))
    .flatMap((a) => a.domains.filter((d) => d.host === 'shared.example.com'));
  const rivalled = crossNamespaceRivals('shared.example.com', shared);
  assert.deepStrictEqual(
    rivalled.map((r) => [r.id, r.claim.namespace, r.rivals.map((c) => `${c.namespace}/${c.ingress}`)]),
    [
      ['Route/shared/0/0', 'hst-beta', ['hst-gamma/shared']],
      ['Route/shared/0/0', 'hst-gamma', ['hst-beta/shared']],
    ],
  );
  assert.deepStrictEqual(crossNamespaceRivals('shared.example.com', shared.slice(0, 1)), []);
});
