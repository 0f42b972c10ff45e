import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SlimTraefikIngressRoute } from '../../model/k8s';
import { context, NS } from '../__fixtures__/load';
import { routeKindOf, routeObjectName } from '../route-kind';
import { draftIngressRoutes, ingressRouteView } from './ingressroutes';

const ir = (spec: SlimTraefikIngressRoute['spec'], annotations?: Record<string, string>): SlimTraefikIngressRoute => ({
  metadata: { name: 'web', namespace: NS, ...(annotations ? { annotations } : {}) },
  spec,
});

test("an IngressRoute's view carries its entrypoints, cert resolver and Secret, and only the annotations that mean the same on it", () => {
  const v = ingressRouteView(
    ir({ entryPoints: ['web', 'websecure'], tls: { secretName: 'web-tls', certResolver: 'le' } }, {
      'external-dns.alpha.kubernetes.io/hostname': 'a.example.com',
      'cert-manager.io/cluster-issuer': 'letsencrypt',
      'traefik.ingress.kubernetes.io/router.middlewares': 'x@kubernetescrd',
    }),
  );
  assert.deepStrictEqual(v, {
    metadata: {
      name: 'web',
      namespace: NS,
      annotations: {
        'external-dns.alpha.kubernetes.io/hostname': 'a.example.com',
        'traefik.ingress.kubernetes.io/router.entrypoints': 'web,websecure',
        'traefik.ingress.kubernetes.io/router.tls.certresolver': 'le',
      },
    },
    spec: { tls: [{ secretName: 'web-tls' }] },
  });
  assert.equal(routeKindOf(v), 'IngressRoute');
  assert.equal(routeObjectName(v), 'IngressRoute web');
});

test('tls: {} asks for TLS with the default certificate, and no tls asks for none', () => {
  assert.deepStrictEqual(ingressRouteView(ir({ tls: {} })).metadata.annotations, { 'traefik.ingress.kubernetes.io/router.tls': 'true' });
  assert.deepStrictEqual(ingressRouteView(ir({})).spec, {});
});

test('each (host, path) of each route, for each backend, is a draft; backends Chainboard does not follow are resource backends', () => {
  const s = (ctxEdit: SlimTraefikIngressRoute) => context('seed', (snap) => void (snap.ingressRoutes = [ctxEdit]));
  const ctx = s(
    ir({
      routes: [
        {
          match: 'Host(`a.example.com`, `b.example.com`)',
          services: [{ name: 'my-app', port: 80 }, { name: 'my-app', port: 'http' }, { name: 'other', namespace: 'hst-other', port: 80 }, { name: 'split', kind: 'TraefikService' }],
          middlewares: [{ name: 'auth' }, { name: 'strip', namespace: 'hst-shared' }, { name: 'redirect@file' }],
        },
        { match: 'Host(`c.example.com`) && Path(`/x`)' },
      ],
    }),
  );
  const { drafts, subjects } = draftIngressRoutes(ctx);
  assert.deepStrictEqual(
    drafts.map((d) => [d.id, d.host, d.path, d.pathType, d.backend]),
    [
      ['Route/web/0/0', 'a.example.com', '/', 'Prefix', { service: { name: 'my-app', port: { number: 80 } } }],
      ['Route/web/0/1', 'a.example.com', '/', 'Prefix', { service: { name: 'my-app', port: { name: 'http' } } }],
      ['Route/web/0/2', 'a.example.com', '/', 'Prefix', { resource: { kind: 'Service', name: 'hst-other/other' } }],
      ['Route/web/0/3', 'a.example.com', '/', 'Prefix', { resource: { apiGroup: 'traefik.io', kind: 'TraefikService', name: 'split' } }],
      ['Route/web/0/4', 'b.example.com', '/', 'Prefix', { service: { name: 'my-app', port: { number: 80 } } }],
      ['Route/web/0/5', 'b.example.com', '/', 'Prefix', { service: { name: 'my-app', port: { name: 'http' } } }],
      ['Route/web/0/6', 'b.example.com', '/', 'Prefix', { resource: { kind: 'Service', name: 'hst-other/other' } }],
      ['Route/web/0/7', 'b.example.com', '/', 'Prefix', { resource: { apiGroup: 'traefik.io', kind: 'TraefikService', name: 'split' } }],
      // A route without services is a draft without a backend: the route rules call it invalid.
      ['Route/web/1/0', 'c.example.com', '/x', 'Exact', undefined],
    ],
  );
  assert.deepStrictEqual(drafts[0]!.middlewares, ['hst-my-client-auth@kubernetescrd', 'hst-shared-strip@kubernetescrd', 'redirect@file']);
  assert.deepStrictEqual(subjects.map((x) => x.unparsed), [[]]);
});

test('a legacy IngressRoute drafts nothing but is a subject, and IngressRoutes not read draft nothing', () => {
  const legacy = context('seed', (snap) => void (snap.ingressRoutes = [{ ...ir({ routes: [{ match: 'Host(`a.example.com`)' }] }), legacy: true }]));
  const r = draftIngressRoutes(legacy);
  assert.deepStrictEqual([r.drafts.length, r.subjects.length], [0, 1]);
  assert.deepStrictEqual(draftIngressRoutes(context('seed')), { drafts: [], subjects: [] });
});

test('IngressRoutes forbidden in the namespace are not read: no drafts from a partial list', () => {
  const ctx = context('seed', (snap) => {
    snap.ingressRoutes = [ir({ routes: [{ match: 'Host(`a.example.com`)' }] })];
    snap.gaps = [{ reason: 'forbidden', kind: 'IngressRoute', namespace: NS, message: 'forbidden' }];
  });
  assert.equal(ctx.ingressRoutes, undefined);
  assert.deepStrictEqual(draftIngressRoutes(ctx).drafts, []);
});
