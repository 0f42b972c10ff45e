import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slimObject } from './slim';

const raw = {
  apiVersion: 'traefik.io/v1alpha1',
  kind: 'IngressRoute',
  metadata: { name: 'shop', namespace: 'hst-routelab', resourceVersion: '7', managedFields: [{ manager: 'kubectl' }], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
  spec: {
    entryPoints: ['websecure'],
    routes: [
      {
        match: 'Host(`shop.example.com`) && PathPrefix(`/`)',
        kind: 'Rule',
        priority: 10,
        services: [
          { name: 'shop', port: 80, weight: 3, passHostHeader: true },
          { name: 'shop-canary', namespace: 'hst-other', port: 'http', kind: 'Service' },
          { name: 'split', kind: 'TraefikService' },
          { name: 'numbered', port: '8080' },
        ],
        middlewares: [{ name: 'auth' }, { name: 'strip', namespace: 'hst-other' }],
      },
    ],
    tls: { secretName: 'shop-tls', certResolver: 'letsencrypt', options: { name: 'modern', namespace: 'traefik' }, domains: [{ main: 'shop.example.com' }] },
  },
};

test('an IngressRoute keeps its entrypoints, rules, backends, Middleware names and TLS source, and nothing else', () => {
  const r = slimObject(raw);
  assert.deepStrictEqual(r, {
    ok: true,
    object: {
      kind: 'IngressRoute',
      metadata: { name: 'shop', namespace: 'hst-routelab', resourceVersion: '7' },
      spec: {
        entryPoints: ['websecure'],
        routes: [
          {
            match: 'Host(`shop.example.com`) && PathPrefix(`/`)',
            kind: 'Rule',
            services: [
              { name: 'shop', port: 80, weight: 3 },
              { name: 'shop-canary', namespace: 'hst-other', port: 'http', kind: 'Service' },
              { name: 'split', kind: 'TraefikService' },
              // A port written as a string of digits is a number, as Traefik reads it.
              { name: 'numbered', port: 8080 },
            ],
            middlewares: [{ name: 'auth' }, { name: 'strip', namespace: 'hst-other' }],
          },
        ],
        tls: { secretName: 'shop-tls', certResolver: 'letsencrypt', options: { name: 'modern', namespace: 'traefik' } },
      },
    },
  });
});

test('an IngressRoute of the legacy traefik.containo.us group is marked legacy', () => {
  const r = slimObject({ ...raw, apiVersion: 'traefik.containo.us/v1alpha1' });
  assert.ok(r.ok && r.object.kind === 'IngressRoute');
  assert.equal(r.object.kind === 'IngressRoute' && r.object.legacy, true);
});

test('an IngressRoute with odd field types keeps what it can and never throws', () => {
  const r = slimObject({ kind: 'IngressRoute', metadata: { name: 'odd' }, spec: { entryPoints: 'websecure', routes: [{ match: 7, services: 'x' }, 'junk'], tls: true } });
  assert.deepStrictEqual(r, { ok: true, object: { kind: 'IngressRoute', metadata: { name: 'odd' }, spec: { routes: [{}] } } });
});
